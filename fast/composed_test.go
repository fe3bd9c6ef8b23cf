package fast_test

import (
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// The composed-op definitions of the fused kernels, written from their
// mathematical definitions (MLX's docs); tests and benchmarks compare the
// fused kernels against them.

// lastAxis slices x[..., start:stop:step].
func lastAxis(x *tensor.Array, start, stop, step int) *tensor.Array {
	shape := x.Shape()
	n := len(shape)
	lo, hi, st := make([]int, n), append([]int(nil), shape...), make([]int, n)
	for i := range st {
		st[i] = 1
	}
	lo[n-1], hi[n-1], st[n-1] = start, stop, step
	return tensor.Slice(x, lo, hi, st)
}

func composedRMSNorm(x, w *tensor.Array, eps float64) *tensor.Array {
	xf := x.AsType(tensor.Float32)
	n := tensor.Rsqrt(tensor.Add(tensor.Mean(tensor.Square(xf), tensor.Axis(-1), tensor.KeepDims(true)), eps))
	out := tensor.Multiply(xf, n).AsType(x.Dtype())
	if w != nil {
		out = tensor.Multiply(out, w)
	}
	return out
}

func composedLayerNorm(x, w, b *tensor.Array, eps float64) *tensor.Array {
	xf := x.AsType(tensor.Float32)
	mu := tensor.Mean(xf, tensor.Axis(-1), tensor.KeepDims(true))
	xc := tensor.Subtract(xf, mu)
	v := tensor.Mean(tensor.Square(xc), tensor.Axis(-1), tensor.KeepDims(true))
	out := tensor.Multiply(xc, tensor.Rsqrt(tensor.Add(v, eps))).AsType(x.Dtype())
	if w != nil {
		out = tensor.Multiply(out, w)
	}
	if b != nil {
		out = tensor.Add(out, b)
	}
	return out
}

// composedRoPE rotates x[..., :dims] by angle (offset+position)·scale·freq_i
// with freq_i = base^(-2i/dims), or 1/freqs[i] when freqs is given.
func composedRoPE(x *tensor.Array, dims int, traditional bool, base, scale float64, offset int, freqs *tensor.Array) *tensor.Array {
	L := x.Dim(-2)
	pos := tensor.Multiply(tensor.Arange(float64(offset), float64(offset+L)), scale)
	var inv *tensor.Array
	if freqs != nil {
		inv = tensor.Reciprocal(freqs)
	} else {
		i := tensor.Arange(0, float64(dims/2))
		inv = tensor.Exp(tensor.Multiply(i, -2*math.Log(base)/float64(dims)))
	}
	theta := tensor.Multiply(tensor.Reshape(pos, []int{L, 1}), tensor.Reshape(inv, []int{1, dims / 2}))
	cos, sin := tensor.Cos(theta), tensor.Sin(theta)
	var x1, x2 *tensor.Array
	if traditional {
		x1, x2 = lastAxis(x, 0, dims, 2), lastAxis(x, 1, dims, 2)
	} else {
		x1, x2 = lastAxis(x, 0, dims/2, 1), lastAxis(x, dims/2, dims, 1)
	}
	r1 := tensor.Subtract(tensor.Multiply(x1, cos), tensor.Multiply(x2, sin))
	r2 := tensor.Add(tensor.Multiply(x1, sin), tensor.Multiply(x2, cos))
	var rot *tensor.Array
	if traditional {
		rot = tensor.Flatten(tensor.Stack([]*tensor.Array{r1, r2}, tensor.Axis(-1)), tensor.StartAxis(-2))
	} else {
		rot = tensor.Concatenate([]*tensor.Array{r1, r2}, tensor.Axis(-1))
	}
	if dims < x.Dim(-1) {
		rot = tensor.Concatenate([]*tensor.Array{rot, lastAxis(x, dims, x.Dim(-1), 1)}, tensor.Axis(-1))
	}
	return rot.AsType(x.Dtype())
}

// composedAttention is softmax(q kᵀ scale + mask) v with kv heads repeated
// for grouped queries; causal masks key j > i + (Lk - Lq); sinks add one
// logit per head to the softmax.
func composedAttention(q, k, v *tensor.Array, scale float64, causal bool, mask, sinks *tensor.Array) *tensor.Array {
	hq, hkv := q.Dim(1), k.Dim(1)
	if hq != hkv {
		k = tensor.Repeat(k, hq/hkv, tensor.Axis(1))
		v = tensor.Repeat(v, hq/hkv, tensor.Axis(1))
	}
	s := tensor.Matmul(tensor.Multiply(q, scale), tensor.Swapaxes(k, -1, -2)).AsType(tensor.Float32)
	lq, lk := q.Dim(2), k.Dim(2)
	if causal {
		keep := tensor.Tri(lq, tensor.Cols(lk), tensor.Offset(lk-lq), tensor.Bool)
		s = tensor.Where(keep, s, math.Inf(-1))
	}
	if mask != nil {
		if mask.Dtype() == tensor.Bool {
			s = tensor.Where(mask, s, math.Inf(-1))
		} else {
			s = tensor.Add(s, mask)
		}
	}
	if sinks != nil {
		col := tensor.BroadcastTo(tensor.Reshape(sinks.AsType(tensor.Float32), []int{1, hq, 1, 1}), []int{s.Dim(0), hq, lq, 1})
		s = tensor.Concatenate([]*tensor.Array{col, s}, tensor.Axis(-1))
		p := tensor.Softmax(s, tensor.Axis(-1))
		p = lastAxis(p, 1, lk+1, 1)
		return tensor.Matmul(p.AsType(q.Dtype()), v)
	}
	p := tensor.Softmax(s, tensor.Axis(-1)).AsType(q.Dtype())
	return tensor.Matmul(p, v)
}
