package lm

import (
	"sync"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// The gated MLP activations, compiled once (shapeless) as mlx-lm compiles
// swiglu and gelu_approx: MLX fuses each into one elementwise kernel, so
// a layer queues one primitive where the plain ops queue five to nine.
// Fusion keeps each op's dtype, so results are the plain ops' bits.
// MLX keeps compiled graphs per OS thread: the generation loops run on the
// compile thread (tensor.RunOnCompileThread), where a call is direct;
// elsewhere each call is handed to that thread.
var (
	swigluFn = sync.OnceValue(func() tensor.Func {
		return tensor.Compile(func(a []*tensor.Array) []*tensor.Array {
			return []*tensor.Array{tensor.Multiply(nn.SiLU(a[0]), a[1])}
		}, true)
	})
	geluGateFn = sync.OnceValue(func() tensor.Func {
		return tensor.Compile(func(a []*tensor.Array) []*tensor.Array {
			return []*tensor.Array{tensor.Multiply(nn.GELUApprox(a[0]), a[1])}
		}, true)
	})
)

// swiglu is silu(gate)·x.
func swiglu(gate, x *tensor.Array) *tensor.Array { return swigluFn()([]*tensor.Array{gate, x})[0] }

// geluGate is gelu_approx(gate)·x.
func geluGate(gate, x *tensor.Array) *tensor.Array {
	return geluGateFn()([]*tensor.Array{gate, x})[0]
}
