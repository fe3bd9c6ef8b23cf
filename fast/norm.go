package fast

import "github.com/mlx-go/mlx-go/tensor"

// RMSNorm normalises x over its last axis by the root mean square and scales
// by weight (shape [last axis]); weight may be nil for no scaling:
//
//	x * rsqrt(mean(x², -1) + eps) * weight
func RMSNorm(x, weight *tensor.Array, eps float64) *tensor.Array {
	if weight == nil {
		return tensor.FastRMSNorm(x, eps)
	}
	return tensor.FastRMSNorm(x, eps, tensor.Weight(weight))
}

// LayerNorm normalises x over its last axis to zero mean and unit variance,
// then applies weight and bias (each shape [last axis], each may be nil):
//
//	(x - mean) * rsqrt(var + eps) * weight + bias
func LayerNorm(x, weight, bias *tensor.Array, eps float64) *tensor.Array {
	var opts []tensor.Opt
	if weight != nil {
		opts = append(opts, tensor.Weight(weight))
	}
	if bias != nil {
		opts = append(opts, tensor.Bias(bias))
	}
	return tensor.FastLayerNorm(x, eps, opts...)
}
