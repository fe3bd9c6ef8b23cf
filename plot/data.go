package plot

import (
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// values reads a real array of any dtype as float64s, row-major. Float
// arrays (float16 and bfloat16 included) are read exactly; integer and
// bool arrays go through float32, because float64 arithmetic is not
// available on every MLX device and plots do not need the extra digits.
func values(op string, a *tensor.Array) []float64 {
	if a == nil {
		fail(op, nil, "the array is nil")
	}
	d := a.Dtype()
	switch {
	case d.IsComplex():
		fail(op, []*tensor.Array{a}, "cannot plot complex values; plot the real part, imaginary part or magnitude")
	case a.Size() == 0:
		fail(op, []*tensor.Array{a}, "the array is empty")
	case d.IsFloat():
		return a.Float64s()
	}
	f := a.AsType(tensor.Float32)
	defer f.Free()
	return f.Float64s()
}

// indexXs is 0, 1, ..., n-1: the x of a line given only its y.
func indexXs(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}

// finite drops NaN and infinities, which gonum cannot place on an axis.
func finite(vs []float64) []float64 {
	out := vs[:0:0]
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}
