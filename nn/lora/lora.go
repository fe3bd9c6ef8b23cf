// Package lora is low-rank adaptation as mlx-lm does it: LoRA layers that
// wrap a Linear or QuantizedLinear, applied to a model's modules by name,
// fused back into plain weights, and adapters saved and loaded in mlx-lm's
// layout (adapters.safetensors + adapter_config.json), so adapters move
// between this package and mlx_lm.lora in both directions.
package lora

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Linear is y = base(x) + scale · (dropout(x)·A)·B with A [in, r] and
// B [r, out]; B starts at zero so a fresh adapter changes nothing. The
// parameter names (linear.*, lora_a, lora_b) are mlx-lm's.
type Linear struct {
	nn.Base
	Linear  nn.Layer `nn:"linear"`
	Dropout *nn.Dropout
	LoraA   *tensor.Array
	LoraB   *tensor.Array
	Scale   float64
}

// FromBase wraps base (*nn.Linear or *nn.QuantizedLinear) with a rank-r
// adapter; scale multiplies the adapter's output (mlx-lm's "scale"; for a
// PEFT-style alpha use alpha/r).
func FromBase(base nn.Layer, r int, dropout, scale float64) (*Linear, error) {
	const op = "lora.FromBase"
	var in, out int
	switch l := base.(type) {
	case *nn.Linear:
		out, in = l.Weight.Dim(0), l.Weight.Dim(1)
	case *nn.QuantizedLinear:
		out, in = l.Weight.Dim(0), l.InputDims()
	default:
		return nil, fmt.Errorf("%s: cannot adapt a %T (only *nn.Linear and *nn.QuantizedLinear)", op, base)
	}
	if r <= 0 {
		return nil, fmt.Errorf("%s: rank must be positive, got %d", op, r)
	}
	if dropout < 0 || dropout >= 1 {
		return nil, fmt.Errorf("%s: dropout must be in [0, 1), got %g", op, dropout)
	}
	s := 1 / math.Sqrt(float64(in))
	return &Linear{
		Linear:  base,
		Dropout: nn.NewDropout(dropout),
		LoraA:   tensor.RandomUniform([]int{in, r}, tensor.Low(-s), tensor.High(s)),
		LoraB:   tensor.Zeros([]int{r, out}),
		Scale:   scale,
	}, nil
}

// Forward is the base output plus the scaled low-rank update.
func (l *Linear) Forward(x *tensor.Array) *tensor.Array {
	y := l.Linear.Forward(x)
	z := tensor.Matmul(tensor.Matmul(l.Dropout.Forward(x), l.LoraA), l.LoraB)
	return tensor.Add(y, tensor.Multiply(l.Scale, z).AsType(x.Dtype()))
}

// Fuse folds the adapter into the weight: W + ((scale·Bᵀ)·Aᵀ) in W's
// dtype, as mlx-lm does. A quantized base is dequantized, fused and
// quantized again with its own settings, unless dequantize asks for a
// float layer.
func (l *Linear) Fuse(dequantize bool) (nn.Layer, error) {
	var weight, bias *tensor.Array
	var q *nn.QuantizedLinear
	switch b := l.Linear.(type) {
	case *nn.Linear:
		weight, bias = b.Weight, b.Bias
	case *nn.QuantizedLinear:
		q = b
		weight, bias = b.Dequantized(), b.Bias
	default:
		return nil, fmt.Errorf("lora.Fuse: base is a %T", l.Linear)
	}
	delta := tensor.Matmul(tensor.Multiply(l.Scale, tensor.Transpose(l.LoraB)), tensor.Transpose(l.LoraA)).AsType(weight.Dtype())
	fused := &nn.Linear{Weight: tensor.Add(weight, delta), Bias: bias}
	if q != nil && !dequantize {
		return nn.QuantizedLinearFrom(fused, q.GroupSize, q.Bits, q.Mode)
	}
	return fused, nil
}
