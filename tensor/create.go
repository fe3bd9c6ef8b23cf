package tensor

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Constructors from Go data. They are non-generic on purpose: the REPL's
// interpreter cannot call generic functions. Each copies the data; the shape
// defaults to 1-D and must match the element count when given.

func fromBytes(op string, data []byte, shape []int, d Dtype) *Array {
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	h, err := cgo.FromData(p, shape, int(d))
	check(op, err)
	return newArray(h)
}

func fromSlice(op string, p unsafe.Pointer, n int, d Dtype, shape []int) *Array {
	if len(shape) == 0 {
		shape = []int{n}
	}
	want := 1
	for _, s := range shape {
		if s < 0 {
			panic(&Error{Op: op, Msg: fmt.Sprintf("negative dimension in shape %v", shape)})
		}
		want *= s
	}
	if want != n {
		panic(&Error{Op: op, Msg: fmt.Sprintf("%d elements cannot have shape %v (%d elements)", n, shape, want)})
	}
	var b []byte
	if n > 0 {
		b = unsafe.Slice((*byte)(p), n*d.Size())
	}
	return fromBytes(op, b, shape, d)
}

func ptr[T any](v []T) unsafe.Pointer {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Pointer(&v[0])
}

// FromFloat32s makes a float32 array.
func FromFloat32s(v []float32, shape ...int) *Array {
	return fromSlice("from_float32s", ptr(v), len(v), Float32, shape)
}

// FromFloat64s makes a float64 array (CPU only in MLX).
func FromFloat64s(v []float64, shape ...int) *Array {
	return fromSlice("from_float64s", ptr(v), len(v), Float64, shape)
}

// FromInt8s makes an int8 array.
func FromInt8s(v []int8, shape ...int) *Array {
	return fromSlice("from_int8s", ptr(v), len(v), Int8, shape)
}

// FromInt16s makes an int16 array.
func FromInt16s(v []int16, shape ...int) *Array {
	return fromSlice("from_int16s", ptr(v), len(v), Int16, shape)
}

// FromInt32s makes an int32 array.
func FromInt32s(v []int32, shape ...int) *Array {
	return fromSlice("from_int32s", ptr(v), len(v), Int32, shape)
}

// FromInt64s makes an int64 array.
func FromInt64s(v []int64, shape ...int) *Array {
	return fromSlice("from_int64s", ptr(v), len(v), Int64, shape)
}

// FromInts makes an int32 array (Python MLX's default integer type); values
// outside int32 are an error.
func FromInts(v []int, shape ...int) *Array {
	out := make([]int32, len(v))
	for i, x := range v {
		if x < math.MinInt32 || x > math.MaxInt32 {
			panic(&Error{Op: "from_ints", Msg: fmt.Sprintf("value %d at index %d does not fit int32; use FromInt64s", x, i)})
		}
		out[i] = int32(x)
	}
	return fromSlice("from_ints", ptr(out), len(out), Int32, shape)
}

// FromUint8s makes a uint8 array.
func FromUint8s(v []uint8, shape ...int) *Array {
	return fromSlice("from_uint8s", ptr(v), len(v), Uint8, shape)
}

// FromUint16s makes a uint16 array.
func FromUint16s(v []uint16, shape ...int) *Array {
	return fromSlice("from_uint16s", ptr(v), len(v), Uint16, shape)
}

// FromUint32s makes a uint32 array.
func FromUint32s(v []uint32, shape ...int) *Array {
	return fromSlice("from_uint32s", ptr(v), len(v), Uint32, shape)
}

// FromUint64s makes a uint64 array.
func FromUint64s(v []uint64, shape ...int) *Array {
	return fromSlice("from_uint64s", ptr(v), len(v), Uint64, shape)
}

// FromBools makes a bool array.
func FromBools(v []bool, shape ...int) *Array {
	return fromSlice("from_bools", ptr(v), len(v), Bool, shape)
}

// FromComplex64s makes a complex64 array.
func FromComplex64s(v []complex64, shape ...int) *Array {
	return fromSlice("from_complex64s", ptr(v), len(v), Complex64, shape)
}

// FromFloat16Bits makes a float16 array from IEEE half-precision bit patterns.
func FromFloat16Bits(v []uint16, shape ...int) *Array {
	return fromSlice("from_float16_bits", ptr(v), len(v), Float16, shape)
}

// FromBfloat16Bits makes a bfloat16 array from bfloat16 bit patterns.
func FromBfloat16Bits(v []uint16, shape ...int) *Array {
	return fromSlice("from_bfloat16_bits", ptr(v), len(v), Bfloat16, shape)
}

// New makes an array from a Go scalar or (nested) slice, typed as Python MLX
// types the same literal: float64 becomes float32, int becomes int32, bool
// stays bool; sized types (int64, uint8, float64 via FromFloat64s...) keep
// theirs. Options may give a Dtype to convert to, and a Device or Stream.
//
//	tensor.New([][]float32{{1, 2}, {3, 4}})
//	tensor.New(3.5)
//	tensor.New([]int{1, 2, 3}, tensor.Float16)
func New(v any, opts ...Opt) *Array {
	a, err := fromAny(v)
	if err != nil {
		panic(&Error{Op: "array", Msg: err.Error()})
	}
	for _, o := range opts {
		k, val := o.opt()
		switch k {
		case "dtype":
			d := val.(Dtype)
			if d != a.Dtype() {
				b := AsType(a, d)
				a.Free()
				a = b
			}
		case "stream":
		default:
			badOption("array", k, "dtype")
		}
	}
	return a
}

// Scalar makes a 0-d array from a Go number or bool (see New for its dtype).
func Scalar(v any) *Array { return New(v) }

func fromAny(v any) (*Array, error) {
	if a, ok := v.(*Array); ok {
		return a.Clone(), nil
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil, fmt.Errorf("cannot make an array from nil")
	}
	var shape []int
	t := rv.Type()
	for cur := rv; t.Kind() == reflect.Slice || t.Kind() == reflect.Array; {
		shape = append(shape, cur.Len())
		t = t.Elem()
		if cur.Len() > 0 {
			cur = cur.Index(0)
		} else {
			for t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
				shape = append(shape, 0)
				t = t.Elem()
			}
			break
		}
	}
	d, ok := goDtype(t.Kind())
	if !ok {
		return nil, fmt.Errorf("cannot make an array from %T: elements must be numbers or bools", v)
	}
	if t.Kind() == reflect.Int && exceedsInt32(rv) {
		d = Int64 // as Python types [1, 2**40]
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	buf := make([]byte, 0, n*d.Size())
	var walk func(x reflect.Value, depth int) error
	walk = func(x reflect.Value, depth int) error {
		if depth == len(shape) {
			buf = appendElem(buf, x, d)
			return nil
		}
		if x.Len() != shape[depth] {
			return fmt.Errorf("ragged nested slice: dimension %d has lengths %d and %d", depth, shape[depth], x.Len())
		}
		for i := 0; i < x.Len(); i++ {
			if err := walk(x.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(rv, 0); err != nil {
		return nil, err
	}
	if shape == nil {
		shape = []int{}
	}
	return fromBytes("array", buf, shape, d), nil
}

// goDtype is the dtype Python MLX would give the same literal.
func goDtype(k reflect.Kind) (Dtype, bool) {
	switch k {
	case reflect.Bool:
		return Bool, true
	case reflect.Int, reflect.Int32:
		return Int32, true
	case reflect.Int8:
		return Int8, true
	case reflect.Int16:
		return Int16, true
	case reflect.Int64:
		return Int64, true
	case reflect.Uint8:
		return Uint8, true
	case reflect.Uint16:
		return Uint16, true
	case reflect.Uint32:
		return Uint32, true
	case reflect.Uint, reflect.Uint64:
		return Uint64, true
	case reflect.Float32, reflect.Float64:
		return Float32, true
	case reflect.Complex64, reflect.Complex128:
		return Complex64, true
	}
	return 0, false
}

func appendElem(buf []byte, x reflect.Value, d Dtype) []byte {
	var u uint64
	switch d {
	case Bool:
		if x.Bool() {
			u = 1
		}
	case Int8, Int16, Int32, Int64:
		u = uint64(x.Int())
	case Uint8, Uint16, Uint32, Uint64:
		u = x.Uint()
	case Float32:
		u = uint64(math.Float32bits(float32(x.Float())))
	case Complex64:
		c := x.Complex()
		u = uint64(math.Float32bits(float32(real(c)))) | uint64(math.Float32bits(float32(imag(c))))<<32
	}
	for i := 0; i < d.Size(); i++ {
		buf = append(buf, byte(u>>(8*i)))
	}
	return buf
}

// exceedsInt32 reports whether a (nested) Go int value holds a number
// outside int32.
func exceedsInt32(x reflect.Value) bool {
	if x.Kind() == reflect.Slice || x.Kind() == reflect.Array {
		for i := 0; i < x.Len(); i++ {
			if exceedsInt32(x.Index(i)) {
				return true
			}
		}
		return false
	}
	return x.Int() < math.MinInt32 || x.Int() > math.MaxInt32
}
