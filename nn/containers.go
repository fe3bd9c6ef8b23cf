package nn

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// Sequential applies its layers in order; their parameters are named
// layers.0..., as in mlx.nn.Sequential.
type Sequential struct {
	Base
	Layers []Layer
}

// NewSequential chains layers (activations via nn.Func(nn.ReLU)).
func NewSequential(layers ...Layer) *Sequential { return &Sequential{Layers: layers} }

// Forward applies each layer to the previous one's output.
func (s *Sequential) Forward(x *tensor.Array) *tensor.Array {
	for _, l := range s.Layers {
		x = l.Forward(x)
	}
	return x
}

// Dropout zeroes each element with probability P in training mode and
// scales the rest by 1/(1-P); in evaluation mode it is the identity.
type Dropout struct {
	Base
	P float64
}

// NewDropout makes a Dropout; p must be in [0, 1).
func NewDropout(p float64) *Dropout {
	if p < 0 || p >= 1 {
		panic(&tensor.Error{Op: "nn.NewDropout", Msg: fmt.Sprintf("p must be in [0, 1), got %g", p)})
	}
	return &Dropout{P: p}
}

// Forward drops elements when training (see nn.SetTraining).
func (d *Dropout) Forward(x *tensor.Array) *tensor.Array {
	keep := 1 - d.P
	if keep == 1 || !d.Training() {
		return x
	}
	mask := tensor.RandomBernoulli(x.Shape(), tensor.P(keep))
	return tensor.Multiply(tensor.Multiply(mask, x), 1/keep)
}
