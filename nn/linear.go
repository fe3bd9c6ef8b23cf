package nn

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Linear is y = x·Wᵀ + b with W of shape [out, in] (Hugging Face layout).
type Linear struct {
	Base
	Weight *tensor.Array
	Bias   *tensor.Array // nil: no bias
	wT     transposed
}

// NewLinear makes a Linear initialised like MLX: W and b uniform in
// ±1/√in.
func NewLinear(inDims, outDims int, bias bool) *Linear {
	checkDims("nn.NewLinear", "inDims", inDims)
	checkDims("nn.NewLinear", "outDims", outDims)
	s := math.Sqrt(1 / float64(inDims))
	l := &Linear{Weight: tensor.RandomUniform([]int{outDims, inDims}, tensor.Low(-s), tensor.High(s))}
	if bias {
		l.Bias = tensor.RandomUniform([]int{outDims}, tensor.Low(-s), tensor.High(s))
	}
	return l
}

// Forward is x·Wᵀ + b (one addmm when there is a bias, as MLX does).
func (l *Linear) Forward(x *tensor.Array) *tensor.Array {
	checkFeatures("nn.Linear", x, l.Weight.Dim(1))
	if l.Bias != nil {
		return tensor.Addmm(l.Bias, x, l.wT.of(l.Weight))
	}
	return tensor.Matmul(x, l.wT.of(l.Weight))
}

// WeightT is Wᵀ, the array Forward multiplies by (the same one from call
// to call while Weight stays): a compiled function that takes the layer's
// arrays as inputs takes this one, so that its graph has no transpose.
func (l *Linear) WeightT() *tensor.Array { return l.wT.of(l.Weight) }

// ToQuantized is the QuantizedLinear of this layer (see Quantize).
func (l *Linear) ToQuantized(groupSize, bits int, mode string) (any, error) {
	return QuantizedLinearFrom(l, groupSize, bits, mode)
}

// checkFeatures panics naming the layer when x's last axis is not the
// layer's input size (MLX's matmul message names neither).
func checkFeatures(op string, x *tensor.Array, in int) {
	if x.Ndim() == 0 || x.Dim(-1) != in {
		panic(&tensor.Error{Op: op, Inputs: []string{fmt.Sprintf("x%v", x.Shape())},
			Msg: fmt.Sprintf("input x has %v features on its last axis; the layer takes %d", lastDim(x), in)})
	}
}

func lastDim(x *tensor.Array) any {
	if x.Ndim() == 0 {
		return "no axis (a scalar)"
	}
	return x.Dim(-1)
}

func checkDims(op, name string, v int) {
	if v <= 0 {
		panic(&tensor.Error{Op: op, Msg: fmt.Sprintf("%s must be positive, got %d", name, v)})
	}
}

// Identity returns its input.
type Identity struct{ Base }

// Forward returns x.
func (Identity) Forward(x *tensor.Array) *tensor.Array { return x }
