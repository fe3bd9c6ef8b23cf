package tensor

import "unsafe"

// Integer and bool arrays are read in their own dtype and widened in Go:
// reading a generated token (int32 or uint32) once per step must not
// queue an astype, evaluate it and copy again — on a GPU each such op is
// a cross-device dependency and a synchronisation. The widening is C++'s
// static_cast, which MLX's astype also is: the same values either way.

// integerElements returns the elements of an integer or bool array as
// int64 bit patterns (unsigned values as their two's-complement
// reinterpretation), or ok=false for other dtypes.
func (a *Array) integerElements(op string) (v []int64, unsigned bool, ok bool) {
	d := a.Dtype()
	if d != Bool && !d.IsInteger() {
		return nil, false, false
	}
	p, n := a.readRaw(op, d)
	out := make([]int64, n)
	switch d {
	case Bool:
		for i, x := range unsafe.Slice((*bool)(p), n) {
			if x {
				out[i] = 1
			}
		}
	case Int8:
		for i, x := range unsafe.Slice((*int8)(p), n) {
			out[i] = int64(x)
		}
	case Int16:
		for i, x := range unsafe.Slice((*int16)(p), n) {
			out[i] = int64(x)
		}
	case Int32:
		for i, x := range unsafe.Slice((*int32)(p), n) {
			out[i] = int64(x)
		}
	case Int64:
		copy(out, unsafe.Slice((*int64)(p), n))
	case Uint8:
		for i, x := range unsafe.Slice((*uint8)(p), n) {
			out[i] = int64(x)
		}
	case Uint16:
		for i, x := range unsafe.Slice((*uint16)(p), n) {
			out[i] = int64(x)
		}
	case Uint32:
		for i, x := range unsafe.Slice((*uint32)(p), n) {
			out[i] = int64(x)
		}
	case Uint64:
		for i, x := range unsafe.Slice((*uint64)(p), n) {
			out[i] = int64(x)
		}
	}
	return out, d == Uint64, true
}
