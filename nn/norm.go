package nn

import (
	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// RMSNorm is fast.RMSNorm with a learned scale, initialised to ones.
type RMSNorm struct {
	Base
	Weight *tensor.Array
	Eps    float64
}

// NewRMSNorm makes an RMSNorm over the last axis of size dims (eps 0 = 1e-5).
func NewRMSNorm(dims int, eps float64) *RMSNorm {
	checkDims("nn.NewRMSNorm", "dims", dims)
	if eps == 0 {
		eps = 1e-5
	}
	return &RMSNorm{Weight: tensor.Ones([]int{dims}), Eps: eps}
}

// Forward normalises x.
func (n *RMSNorm) Forward(x *tensor.Array) *tensor.Array { return fast.RMSNorm(x, n.Weight, n.Eps) }

// LayerNorm is fast.LayerNorm with an optional learned weight and bias.
type LayerNorm struct {
	Base
	Weight *tensor.Array // nil when not affine
	Bias   *tensor.Array // nil when not affine or bias is off
	Eps    float64
}

// NewLayerNorm makes a LayerNorm over the last axis of size dims
// (eps 0 = 1e-5); affine adds weight (ones), bias adds bias (zeros).
func NewLayerNorm(dims int, eps float64, affine, bias bool) *LayerNorm {
	checkDims("nn.NewLayerNorm", "dims", dims)
	if eps == 0 {
		eps = 1e-5
	}
	n := &LayerNorm{Eps: eps}
	if affine {
		n.Weight = tensor.Ones([]int{dims})
		if bias {
			n.Bias = tensor.Zeros([]int{dims})
		}
	}
	return n
}

// Forward normalises x.
func (n *LayerNorm) Forward(x *tensor.Array) *tensor.Array {
	return fast.LayerNorm(x, n.Weight, n.Bias, n.Eps)
}

// RoPE is fast.RoPE as a layer (no parameters).
type RoPE struct {
	Base
	Dims        int
	Traditional bool
	BaseFreq    float64
	Scale       float64
}

// NewRoPE makes a RoPE layer (base 0 = 10000, scale 0 = 1).
func NewRoPE(dims int, traditional bool, base, scale float64) *RoPE {
	checkDims("nn.NewRoPE", "dims", dims)
	if base == 0 {
		base = 10000
	}
	if scale == 0 {
		scale = 1
	}
	return &RoPE{Dims: dims, Traditional: traditional, BaseFreq: base, Scale: scale}
}

// Forward rotates x [..., L, D] for positions 0..L-1.
func (r *RoPE) Forward(x *tensor.Array) *tensor.Array { return r.ForwardAt(x, 0) }

// ForwardAt rotates x for positions offset..offset+L-1 (decoding with a cache).
func (r *RoPE) ForwardAt(x *tensor.Array, offset int) *tensor.Array {
	return fast.RoPE(x, r.Dims, r.Traditional, r.BaseFreq, r.Scale, offset)
}
