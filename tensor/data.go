package tensor

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Data out. Each reader evaluates the array and returns its elements in
// row-major order, whatever its layout (transposed, sliced and broadcast
// views included). Float32s/Float64s convert float16 and bfloat16 exactly;
// other conversions go through MLX's astype.

func (a *Array) readRaw(op string, d Dtype) (unsafe.Pointer, int) {
	a.handle(op) // a nil or freed array is named by the reader
	src := a
	if a.Dtype() != d {
		// On the CPU: reading is a host copy anyway, and GPUs have no
		// float64 (MLX refuses astype(float64) there).
		src = AsType(a, d, CPU)
		defer src.Free()
	}
	n := src.Size()
	buf := make([]byte, n*d.Size()+1) // +1: never a zero-length allocation
	check(op, cgo.Read(src.handle(op), unsafe.Pointer(&buf[0]), n*d.Size()), a)
	return unsafe.Pointer(&buf[0]), n
}

// Float32s returns the elements as float32.
func (a *Array) Float32s() []float32 {
	a.handle("float32s")
	switch a.Dtype() {
	case Float16, Bfloat16:
		bits := a.rawUint16s("float32s")
		out := make([]float32, len(bits))
		conv := float16ToFloat32
		if a.Dtype() == Bfloat16 {
			conv = bfloat16ToFloat32
		}
		for i, b := range bits {
			out[i] = conv(b)
		}
		return out
	}
	p, n := a.readRaw("float32s", Float32)
	return unsafe.Slice((*float32)(p), n)[:n:n]
}

// Float64s returns the elements as float64.
func (a *Array) Float64s() []float64 {
	a.handle("float64s")
	switch a.Dtype() {
	case Float16, Bfloat16, Float32:
		f := a.Float32s()
		out := make([]float64, len(f))
		for i, x := range f {
			out[i] = float64(x)
		}
		return out
	}
	if v, unsigned, ok := a.integerElements("float64s"); ok {
		out := make([]float64, len(v))
		for i, x := range v {
			if unsigned {
				out[i] = float64(uint64(x))
			} else {
				out[i] = float64(x)
			}
		}
		return out
	}
	p, n := a.readRaw("float64s", Float64)
	return unsafe.Slice((*float64)(p), n)[:n:n]
}

func (a *Array) rawUint16s(op string) []uint16 {
	d := a.Dtype()
	p, n := a.readRaw(op, d)
	return unsafe.Slice((*uint16)(p), n)[:n:n]
}

// Float16Bits returns float16 elements as IEEE half bit patterns.
func (a *Array) Float16Bits() []uint16 {
	a.handle("float16_bits")
	if a.Dtype() != Float16 {
		panic(&Error{Op: "float16_bits", Inputs: []string{describe(a)}, Msg: "array is not float16"})
	}
	return a.rawUint16s("float16_bits")
}

// Bfloat16Bits returns bfloat16 elements as bit patterns.
func (a *Array) Bfloat16Bits() []uint16 {
	a.handle("bfloat16_bits")
	if a.Dtype() != Bfloat16 {
		panic(&Error{Op: "bfloat16_bits", Inputs: []string{describe(a)}, Msg: "array is not bfloat16"})
	}
	return a.rawUint16s("bfloat16_bits")
}

// Int32s returns the elements as int32.
func (a *Array) Int32s() []int32 {
	p, n := a.readRaw("int32s", Int32)
	return unsafe.Slice((*int32)(p), n)[:n:n]
}

// Int64s returns the elements as int64.
func (a *Array) Int64s() []int64 {
	if v, _, ok := a.integerElements("int64s"); ok {
		return v
	}
	p, n := a.readRaw("int64s", Int64)
	return unsafe.Slice((*int64)(p), n)[:n:n]
}

// Ints returns the elements as int.
func (a *Array) Ints() []int {
	v := a.Int64s()
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}

// Int8s returns the elements as int8.
func (a *Array) Int8s() []int8 {
	p, n := a.readRaw("int8s", Int8)
	return unsafe.Slice((*int8)(p), n)[:n:n]
}

// Int16s returns the elements as int16.
func (a *Array) Int16s() []int16 {
	p, n := a.readRaw("int16s", Int16)
	return unsafe.Slice((*int16)(p), n)[:n:n]
}

// Uint8s returns the elements as uint8.
func (a *Array) Uint8s() []uint8 {
	p, n := a.readRaw("uint8s", Uint8)
	return unsafe.Slice((*uint8)(p), n)[:n:n]
}

// Uint16s returns the elements as uint16.
func (a *Array) Uint16s() []uint16 {
	p, n := a.readRaw("uint16s", Uint16)
	return unsafe.Slice((*uint16)(p), n)[:n:n]
}

// Uint32s returns the elements as uint32.
func (a *Array) Uint32s() []uint32 {
	p, n := a.readRaw("uint32s", Uint32)
	return unsafe.Slice((*uint32)(p), n)[:n:n]
}

// Uint64s returns the elements as uint64.
func (a *Array) Uint64s() []uint64 {
	if v, _, ok := a.integerElements("uint64s"); ok {
		return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(v))), len(v))
	}
	p, n := a.readRaw("uint64s", Uint64)
	return unsafe.Slice((*uint64)(p), n)[:n:n]
}

// Bools returns the elements as bool.
func (a *Array) Bools() []bool {
	p, n := a.readRaw("bools", Bool)
	return unsafe.Slice((*bool)(p), n)[:n:n]
}

// Complex64s returns the elements as complex64.
func (a *Array) Complex64s() []complex64 {
	p, n := a.readRaw("complex64s", Complex64)
	return unsafe.Slice((*complex64)(p), n)[:n:n]
}

// Item returns the single element as a Go value: bool, int64, uint64,
// float64 (exact for float16/bfloat16) or complex64.
func (a *Array) Item() any {
	a.mustBeOne("item")
	d := a.Dtype()
	switch {
	case d == Bool:
		return a.Bools()[0]
	case d.IsSigned():
		return a.Int64s()[0]
	case d.IsInteger():
		return a.Uint64s()[0]
	case d.IsFloat():
		return a.Float64s()[0]
	}
	return a.Complex64s()[0]
}

// Float returns the single element as float64.
func (a *Array) Float() float64 {
	a.mustBeOne("float")
	return a.Float64s()[0]
}

// Int returns the single element as int.
func (a *Array) Int() int {
	a.mustBeOne("int")
	return int(a.Int64s()[0])
}

// Bool returns the single element as bool.
func (a *Array) Bool() bool {
	a.mustBeOne("bool")
	return a.Bools()[0]
}

// mustBeOne panics unless a holds exactly one element.
func (a *Array) mustBeOne(op string) {
	a.handle(op)
	if n := a.Size(); n != 1 {
		panic(&Error{Op: op, Inputs: []string{describe(a)}, Msg: fmt.Sprintf("%s needs an array of one element, this one has %d", op, n)})
	}
}

// float16ToFloat32 converts an IEEE 754 half to float32, exactly.
func float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f && frac == 0: // inf
		return math.Float32frombits(sign | 0x7f800000)
	case exp == 0x1f: // nan: quieted, as MLX's (and the CPU's) conversion does
		return math.Float32frombits(sign | 0x7fc00000 | frac<<13)
	case exp == 0:
		if frac == 0 {
			return math.Float32frombits(sign)
		}
		// subnormal: value = frac * 2^-24
		f := float32(frac) * float32(math.Ldexp(1, -24))
		if sign != 0 {
			f = -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// bfloat16ToFloat32 widens a bfloat16 (the top half of a float32), exactly.
func bfloat16ToFloat32(b uint16) float32 { return math.Float32frombits(uint32(b) << 16) }
