package nn_test

import (
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Linear keeps Wᵀ between calls; replacing the weight (as an optimizer step
// or a load does) must be seen by the next call, and a gradient through
// the layer must still reach the weight.
func TestLinearSeesReplacedWeight(t *testing.T) {
	l := nn.NewLinear(3, 2, false)
	x := tensor.Ones([]int{1, 3})
	first := l.Forward(x).Float64s()
	l.Weight = tensor.Multiply(l.Weight, 2)
	second := l.Forward(x).Float64s()
	for i := range first {
		if second[i] != 2*first[i] {
			t.Fatalf("after doubling the weight: %v, before %v", second, first)
		}
	}
	grad := tensor.Grad(func(a []*tensor.Array) []*tensor.Array {
		l.Weight = a[0]
		return []*tensor.Array{tensor.Sum(l.Forward(x))}
	})(l.Weight)[0]
	for _, g := range grad.Float64s() { // d sum(x·Wᵀ)/dW = 1 for x of ones
		if g != 1 {
			t.Fatalf("gradient through the cached transpose: %v", grad.Float64s())
		}
	}
	e := nn.NewEmbedding(5, 3)
	before := e.AsLinear(x).Float64s()
	e.Weight = tensor.Negative(e.Weight)
	after := e.AsLinear(x).Float64s()
	for i := range before {
		if after[i] != -before[i] {
			t.Fatalf("embedding as linear after negating: %v, before %v", after, before)
		}
	}
}
