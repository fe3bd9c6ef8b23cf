package nn

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// MultiHeadAttention is mlx.nn.MultiHeadAttention: project queries, keys
// and values, attend per head with fast.ScaledDotProductAttention, project
// the heads back.
type MultiHeadAttention struct {
	Base
	QueryProj Layer `nn:"query_proj"`
	KeyProj   Layer `nn:"key_proj"`
	ValueProj Layer `nn:"value_proj"`
	OutProj   Layer `nn:"out_proj"`
	NumHeads  int
}

// NewMultiHeadAttention makes the layer with all inputs of size dims.
func NewMultiHeadAttention(dims, numHeads int, bias bool) *MultiHeadAttention {
	if numHeads <= 0 || dims%numHeads != 0 {
		panic(&tensor.Error{Op: "nn.NewMultiHeadAttention", Msg: fmt.Sprintf("dims (%d) must be a positive multiple of numHeads (%d)", dims, numHeads)})
	}
	return &MultiHeadAttention{
		QueryProj: NewLinear(dims, dims, bias),
		KeyProj:   NewLinear(dims, dims, bias),
		ValueProj: NewLinear(dims, dims, bias),
		OutProj:   NewLinear(dims, dims, bias),
		NumHeads:  numHeads,
	}
}

// Forward attends queries [B, Lq, dims] to keys/values [B, Lk, dims]; mask
// (nil, additive or boolean) broadcasts to [B, heads, Lq, Lk].
func (m *MultiHeadAttention) Forward(queries, keys, values, mask *tensor.Array) *tensor.Array {
	heads := func(x *tensor.Array) *tensor.Array {
		return tensor.Transpose(tensor.Unflatten(x, -1, []int{m.NumHeads, -1}), tensor.Axes(0, 2, 1, 3))
	}
	q, k, v := heads(m.QueryProj.Forward(queries)), heads(m.KeyProj.Forward(keys)), heads(m.ValueProj.Forward(values))
	scale := math.Sqrt(1 / float64(q.Dim(-1)))
	out := fast.ScaledDotProductAttention(q, k, v, scale, mask)
	out = tensor.Flatten(tensor.Transpose(out, tensor.Axes(0, 2, 1, 3)), tensor.StartAxis(-2), tensor.EndAxis(-1))
	return m.OutProj.Forward(out)
}

// AdditiveCausalMask is the [n, n] mask with dtype's lowest value above the
// diagonal and 0 elsewhere (MultiHeadAttention.create_additive_causal_mask).
func AdditiveCausalMask(n int, dtype tensor.Dtype) *tensor.Array {
	idx := tensor.Arange(0, float64(n), tensor.Int32)
	above := tensor.Less(tensor.Reshape(idx, []int{n, 1}), tensor.Reshape(idx, []int{1, n}))
	return tensor.Multiply(above.AsType(dtype), lowest(dtype))
}

// lowest is the most negative finite value of a float dtype (finfo.min).
func lowest(d tensor.Dtype) float64 {
	switch d {
	case tensor.Float16:
		return -65504
	case tensor.Bfloat16:
		return -3.3895313892515355e38
	case tensor.Float64:
		return -math.MaxFloat64
	}
	return -math.MaxFloat32
}
