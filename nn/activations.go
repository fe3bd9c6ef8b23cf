package nn

import (
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Activation functions, op for op as mlx.nn defines them (so results match
// Python's bit for bit where Python does not compile them differently).

// Func makes a Layer of an activation function: nn.Func(nn.ReLU).
type Func func(x *tensor.Array) *tensor.Array

// Forward applies the function.
func (f Func) Forward(x *tensor.Array) *tensor.Array { return f(x) }

// Sigmoid is 1 / (1 + exp(-x)).
func Sigmoid(x *tensor.Array) *tensor.Array { return tensor.Sigmoid(x) }

// Tanh is the hyperbolic tangent.
func Tanh(x *tensor.Array) *tensor.Array { return tensor.Tanh(x) }

// ReLU is max(x, 0).
func ReLU(x *tensor.Array) *tensor.Array { return tensor.Maximum(x, 0) }

// ReLU2 is max(x, 0)².
func ReLU2(x *tensor.Array) *tensor.Array { return tensor.Square(tensor.Maximum(x, 0)) }

// ReLU6 is min(max(x, 0), 6).
func ReLU6(x *tensor.Array) *tensor.Array { return tensor.Minimum(tensor.Maximum(x, 0), 6.0) }

// LeakyReLU is max(slope·x, x).
func LeakyReLU(x *tensor.Array, negativeSlope float64) *tensor.Array {
	return tensor.Maximum(tensor.Multiply(negativeSlope, x), x)
}

// ELU is x for x > 0, alpha·(exp(x) - 1) otherwise.
func ELU(x *tensor.Array, alpha float64) *tensor.Array {
	return tensor.Where(tensor.Greater(x, 0), x, tensor.Multiply(alpha, tensor.Subtract(tensor.Exp(x), 1)))
}

// SELU is ELU(x, 1.67326) · 1.0507.
func SELU(x *tensor.Array) *tensor.Array { return tensor.Multiply(ELU(x, 1.67326), 1.0507) }

// CELU is max(x, 0) + alpha·(exp(min(x, 0)/alpha) - 1).
func CELU(x *tensor.Array, alpha float64) *tensor.Array {
	neg := tensor.Subtract(tensor.Exp(tensor.Divide(tensor.Minimum(x, 0.0), alpha)), 1)
	return tensor.Add(tensor.Maximum(x, 0.0), tensor.Multiply(alpha, neg))
}

// SiLU (swish) is x·sigmoid(x).
func SiLU(x *tensor.Array) *tensor.Array { return tensor.Multiply(x, tensor.Sigmoid(x)) }

// Softplus is log(1 + exp(x)), computed as logaddexp(x, 0).
func Softplus(x *tensor.Array) *tensor.Array { return tensor.Logaddexp(x, 0) }

// Softsign is x / (1 + |x|).
func Softsign(x *tensor.Array) *tensor.Array { return tensor.Divide(x, tensor.Add(1, tensor.Abs(x))) }

// Softshrink is x - sign(x)·lambda where |x| > lambda, else 0.
func Softshrink(x *tensor.Array, lambda float64) *tensor.Array {
	return tensor.Where(tensor.Greater(tensor.Abs(x), lambda), tensor.Subtract(x, tensor.Multiply(tensor.Sign(x), lambda)), 0)
}

// HardShrink is x where |x| > lambda, else 0.
func HardShrink(x *tensor.Array, lambda float64) *tensor.Array {
	return tensor.Where(tensor.Greater(tensor.Abs(x), lambda), x, 0)
}

// HardTanh is x clamped to [minVal, maxVal].
func HardTanh(x *tensor.Array, minVal, maxVal float64) *tensor.Array {
	return tensor.Minimum(tensor.Maximum(x, minVal), maxVal)
}

// HardSwish is x·min(max(x + 3, 0), 6) / 6.
func HardSwish(x *tensor.Array) *tensor.Array {
	return tensor.Divide(tensor.Multiply(x, tensor.Minimum(tensor.Maximum(tensor.Add(x, 3), 0), 6)), 6)
}

// LogSigmoid is -softplus(-x).
func LogSigmoid(x *tensor.Array) *tensor.Array { return tensor.Negative(Softplus(tensor.Negative(x))) }

// Mish is x·tanh(softplus(x)).
func Mish(x *tensor.Array) *tensor.Array { return tensor.Multiply(x, tensor.Tanh(Softplus(x))) }

// GELU is the exact Gaussian error linear unit x·(1 + erf(x/√2))/2.
func GELU(x *tensor.Array) *tensor.Array {
	return tensor.Divide(tensor.Multiply(x, tensor.Add(1, tensor.Erf(tensor.Divide(x, math.Sqrt(2))))), 2)
}

// GELUApprox is the tanh approximation
// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
func GELUApprox(x *tensor.Array) *tensor.Array {
	inner := tensor.Add(x, tensor.Multiply(0.044715, tensor.Power(x, 3)))
	return tensor.Multiply(tensor.Multiply(0.5, x), tensor.Add(1, tensor.Tanh(tensor.Multiply(math.Sqrt(2/math.Pi), inner))))
}

// GELUFastApprox is x·sigmoid(1.702·x).
func GELUFastApprox(x *tensor.Array) *tensor.Array {
	return tensor.Multiply(x, tensor.Sigmoid(tensor.Multiply(1.702, x)))
}

// GLU splits x in two halves a, b along axis and returns a·sigmoid(b).
func GLU(x *tensor.Array, axis int) *tensor.Array {
	ab := tensor.Split(x, 2, tensor.Axis(axis))
	return tensor.Multiply(ab[0], tensor.Sigmoid(ab[1]))
}

// Step is 1 where x >= threshold, else 0.
func Step(x *tensor.Array, threshold float64) *tensor.Array {
	return tensor.Where(tensor.GreaterEqual(x, threshold), 1, 0)
}

// PReLU is max(0, x) + alpha·min(0, x) with a learned alpha.
func PReLU(x, alpha *tensor.Array) *tensor.Array {
	return tensor.Add(tensor.Maximum(0, x), tensor.Multiply(alpha, tensor.Minimum(0, x)))
}

// Softmax is exp(x)/sum(exp(x)) along axis.
func Softmax(x *tensor.Array, axis int) *tensor.Array { return tensor.Softmax(x, tensor.Axis(axis)) }

// Softmin is softmax(-x) along axis.
func Softmin(x *tensor.Array, axis int) *tensor.Array {
	return tensor.Softmax(tensor.Negative(x), tensor.Axis(axis))
}

// LogSoftmax is x - logsumexp(x) along axis (shifted by the max for range).
func LogSoftmax(x *tensor.Array, axis int) *tensor.Array {
	x = tensor.Subtract(x, tensor.StopGradient(tensor.Max(x, tensor.Axis(axis), tensor.KeepDims(true))))
	return tensor.Subtract(x, tensor.Logsumexp(x, tensor.Axis(axis), tensor.KeepDims(true)))
}
