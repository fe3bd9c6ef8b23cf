package optim

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// ClipGradNorm scales all gradients by min(maxNorm/(‖g‖ + 1e-6), 1) where
// ‖g‖ is their global L2 norm, which it also returns (Python's
// clip_grad_norm). Squares are summed in name order; float16 in float32.
func ClipGradNorm(grads map[string]*tensor.Array, maxNorm float64) (map[string]*tensor.Array, *tensor.Array, error) {
	if maxNorm < 0 {
		return nil, nil, fmt.Errorf("optim.ClipGradNorm: maxNorm must be >= 0, got %g", maxNorm)
	}
	var sq *tensor.Array
	for _, name := range sortedNames(grads) {
		g := grads[name]
		if g.Dtype() == tensor.Float16 {
			g = g.AsType(tensor.Float32)
		}
		s := tensor.Sum(tensor.Square(g))
		if sq == nil {
			sq = tensor.Add(0.0, s)
		} else {
			sq = tensor.Add(sq, s)
		}
	}
	if sq == nil {
		return map[string]*tensor.Array{}, tensor.New(float32(0)), nil
	}
	norm := tensor.Sqrt(sq)
	normalizer := tensor.Minimum(tensor.Divide(maxNorm, tensor.Add(norm, 1e-6)), 1.0)
	out := make(map[string]*tensor.Array, len(grads))
	for name, g := range grads {
		scaled := tensor.Multiply(g, normalizer)
		if g.Dtype().IsFloat() {
			scaled = scaled.AsType(g.Dtype())
		}
		out[name] = scaled
	}
	return out, norm, nil
}
