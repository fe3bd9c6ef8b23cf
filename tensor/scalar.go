package tensor

import (
	"fmt"
	"math"
	"reflect"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// asArray turns an op argument into an array. Go numbers are "weak" the
// way Python scalars are in MLX: they take the dtype of the array they meet
// (like), so a float16 array times 2 stays float16. The second result is a
// temporary the caller frees after the op.
func asArray(op string, v any, like *Array) (*Array, *Array) {
	switch x := v.(type) {
	case *Array:
		if x == nil {
			panic(&Error{Op: op, Msg: "nil *Array"})
		}
		return x, nil
	case nil:
		return nil, nil
	}
	if d, ok := scalarKind(v); ok {
		if like != nil {
			like.handle(op) // a nil or freed operand is named by this op
			d = weakDtype(d, like.Dtype())
		} else if d == Int32 && !fitsInt32(v) {
			d = Int64 // Python types an int literal beyond int32 as int64
		}
		return weakScalar(op, v, d)
	}
	t, err := fromAny(v)
	if err != nil {
		panic(&Error{Op: op, Msg: err.Error()})
	}
	return t, t
}

// temps are the arrays an op made from its scalar arguments, freed after it.
type temps [2]*Array

func (t temps) free() {
	t[0].Free()
	t[1].Free()
}

// scalarPair converts the two operands of a binary op.
func scalarPair(op string, a, b any) (*Array, *Array, temps) {
	aa, _ := a.(*Array)
	ba, _ := b.(*Array)
	var ta, tb *Array
	switch {
	case aa != nil:
		ba, tb = asArray(op, b, aa)
	case ba != nil:
		aa, ta = asArray(op, a, ba)
	default:
		aa, ta = asArray(op, a, nil)
		ba, tb = asArray(op, b, nil)
	}
	if aa == nil || ba == nil {
		panic(&Error{Op: op, Msg: "nil operand"})
	}
	return aa, ba, temps{ta, tb}
}

func freeTemps(ts ...any) {
	for _, t := range ts {
		switch x := t.(type) {
		case *Array:
			x.Free()
		case []*Array:
			for _, a := range x {
				a.Free()
			}
		}
	}
}

// scalarKind is the dtype a Go scalar gets on its own.
func scalarKind(v any) (Dtype, bool) {
	switch v.(type) {
	case bool:
		return Bool, true
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return Int32, true
	case float32, float64:
		return Float32, true
	case complex64, complex128:
		return Complex64, true
	}
	return 0, false
}

// weakDtype is the dtype a scalar of kind k takes next to an array of dtype d.
func weakDtype(k, d Dtype) Dtype {
	switch k {
	case Bool:
		return d
	case Int32:
		if d == Bool {
			return Int32
		}
		return d
	case Float32:
		if d.IsFloat() || d.IsComplex() {
			return d
		}
		return Float32
	}
	return Complex64
}

// scalarOf makes a 0-d array of dtype d from a Go scalar.
func scalarOf(op string, v any, d Dtype) *Array {
	var re, im float64
	isInt := false
	var iv int64
	var uv uint64
	unsigned := false
	switch x := v.(type) {
	case bool:
		if x {
			re, iv = 1, 1
		}
		isInt = true
	case int:
		re, iv, isInt = float64(x), int64(x), true
	case int8:
		re, iv, isInt = float64(x), int64(x), true
	case int16:
		re, iv, isInt = float64(x), int64(x), true
	case int32:
		re, iv, isInt = float64(x), int64(x), true
	case int64:
		re, iv, isInt = float64(x), x, true
	case uint:
		re, uv, isInt, unsigned = float64(x), uint64(x), true, true
	case uint8:
		re, uv, isInt, unsigned = float64(x), uint64(x), true, true
	case uint16:
		re, uv, isInt, unsigned = float64(x), uint64(x), true, true
	case uint32:
		re, uv, isInt, unsigned = float64(x), uint64(x), true, true
	case uint64:
		re, uv, isInt, unsigned = float64(x), x, true, true
	case float32:
		re = float64(x)
	case float64:
		re = x
	case complex64:
		re, im = float64(real(x)), float64(imag(x))
	case complex128:
		re, im = real(x), imag(x)
	default:
		panic(&Error{Op: op, Msg: fmt.Sprintf("cannot use %T as a scalar", v)})
	}
	if isInt && (d.IsInteger() || d == Bool) {
		// Exact integer path: write the value's bytes in the target dtype,
		// refusing values it cannot hold, as Python MLX does.
		if d != Bool && !intFits(d, iv, uv, unsigned) {
			v := fmt.Sprint(iv)
			if unsigned {
				v = fmt.Sprint(uv)
			}
			panic(&Error{Op: op, Msg: fmt.Sprintf("Converting %s to %s would result in overflow.", v, d)})
		}
		if !unsigned {
			uv = uint64(iv)
		}
		buf := make([]byte, 8)
		for i := 0; i < 8; i++ {
			buf[i] = byte(uv >> (8 * i))
		}
		if d == Bool && uv != 0 {
			buf[0] = 1
		}
		return fromBytes(op, buf[:d.Size()], nil, d)
	}
	h, err := cgo.FromScalar(re, im, int(d))
	check(op, err)
	return newArray(h)
}

func handles(op string, as []*Array) []cgo.Handle {
	hs := make([]cgo.Handle, len(as))
	for i, a := range as {
		hs[i] = a.handle(op)
	}
	return hs
}

func result(op string, h cgo.Handle, err error, inputs []*Array) *Array {
	if err != nil {
		panic(newError(op, err, inputs))
	}
	return newArray(h)
}

func results(op string, hs []cgo.Handle, err error, inputs []*Array) []*Array {
	if err != nil {
		panic(newError(op, err, inputs))
	}
	out := make([]*Array, len(hs))
	for i, h := range hs {
		out[i] = newArray(h)
	}
	return out
}

// intFits reports whether an integer (iv, or uv when unsigned) is within
// integer dtype d.
func intFits(d Dtype, iv int64, uv uint64, unsigned bool) bool {
	var lo int64
	var hi uint64
	switch d {
	case Int8:
		lo, hi = math.MinInt8, math.MaxInt8
	case Int16:
		lo, hi = math.MinInt16, math.MaxInt16
	case Int32:
		lo, hi = math.MinInt32, math.MaxInt32
	case Int64:
		lo, hi = math.MinInt64, math.MaxInt64
	case Uint8:
		hi = math.MaxUint8
	case Uint16:
		hi = math.MaxUint16
	case Uint32:
		hi = math.MaxUint32
	case Uint64:
		hi = math.MaxUint64
	}
	if unsigned {
		return uv <= hi
	}
	return iv >= lo && (iv < 0 || uint64(iv) <= hi)
}

// fitsInt32 reports whether a Go integer is within int32.
func fitsInt32(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() >= math.MinInt32 && rv.Int() <= math.MaxInt32
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() <= math.MaxInt32
	}
	return true
}
