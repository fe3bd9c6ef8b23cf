package nn

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Losses, op for op as mlx.nn.losses defines them. Each takes options:
//
//	nn.CrossEntropy(logits, targets, nn.Reduce("mean"), nn.LabelSmoothing(0.1))

// LossOpt is an optional argument of a loss.
type LossOpt func(*lossConfig)

type lossConfig struct {
	reduction      string
	reductionSet   bool
	weights        *tensor.Array
	axis           int
	labelSmoothing float64
	ignoreIndex    int
	ignoreSet      bool
	withLogits     bool
	beta, delta    float64
	eps            float64
}

// Reduce sets the reduction: "none", "mean" or "sum".
func Reduce(r string) LossOpt { return func(c *lossConfig) { c.reduction, c.reductionSet = r, true } }

// LossWeights multiplies the per-element loss by w (same shape as the loss).
func LossWeights(w *tensor.Array) LossOpt { return func(c *lossConfig) { c.weights = w } }

// ClassAxis is the axis of the classes/distribution (default -1).
func ClassAxis(axis int) LossOpt { return func(c *lossConfig) { c.axis = axis } }

// LabelSmoothing mixes the target with the uniform distribution, in [0, 1).
func LabelSmoothing(s float64) LossOpt { return func(c *lossConfig) { c.labelSmoothing = s } }

// IgnoreIndex drops positions whose target index is id; "mean" then
// averages over the positions kept (as mlx-lm's masked loss does).
func IgnoreIndex(id int) LossOpt {
	return func(c *lossConfig) { c.ignoreIndex, c.ignoreSet = id, true }
}

// WithLogits says whether BinaryCrossEntropy's inputs are logits (default) or probabilities.
func WithLogits(b bool) LossOpt { return func(c *lossConfig) { c.withLogits = b } }

// Beta is SmoothL1Loss's threshold (default 1).
func Beta(b float64) LossOpt { return func(c *lossConfig) { c.beta = b } }

// Delta is HuberLoss's threshold (default 1).
func Delta(d float64) LossOpt { return func(c *lossConfig) { c.delta = d } }

// Eps is CosineSimilarityLoss's lower bound on the norm product (default 1e-8).
func Eps(e float64) LossOpt { return func(c *lossConfig) { c.eps = e } }

func lossOptions(op, defaultReduction string, opts []LossOpt) lossConfig {
	c := lossConfig{reduction: defaultReduction, axis: -1, withLogits: true, beta: 1, delta: 1, eps: 1e-8}
	for _, o := range opts {
		o(&c)
	}
	switch c.reduction {
	case "none", "mean", "sum":
	default:
		lossPanic(op, "reduction must be \"none\", \"mean\" or \"sum\", got %q", c.reduction)
	}
	return c
}

func lossPanic(op, format string, args ...any) {
	panic(&tensor.Error{Op: op, Msg: fmt.Sprintf(format, args...)})
}

func reduce(loss *tensor.Array, reduction string) *tensor.Array {
	switch reduction {
	case "mean":
		return tensor.Mean(loss)
	case "sum":
		return tensor.Sum(loss)
	}
	return loss
}

func applyWeights(op string, loss *tensor.Array, c lossConfig) *tensor.Array {
	if c.weights == nil {
		return loss
	}
	if !sameShape(c.weights.Shape(), loss.Shape()) {
		lossPanic(op, "weights shape %v is not the loss shape %v", c.weights.Shape(), loss.Shape())
	}
	return tensor.Multiply(loss, c.weights)
}

func sameShapes(op, a, b string, x, y *tensor.Array) {
	if !sameShape(x.Shape(), y.Shape()) {
		lossPanic(op, "%s shape %v does not match %s shape %v", b, y.Shape(), a, x.Shape())
	}
}

// CrossEntropy of logits against targets that are class indices (one axis
// fewer than logits) or probabilities (same shape). Default reduction "none".
func CrossEntropy(logits, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	const op = "nn.CrossEntropy"
	c := lossOptions(op, "none", opts)
	if c.labelSmoothing < 0 || c.labelSmoothing >= 1 {
		lossPanic(op, "labelSmoothing must be in [0, 1), got %g", c.labelSmoothing)
	}
	asProbs := targets.Ndim() == logits.Ndim()
	axis := c.axis
	if axis < 0 {
		axis += logits.Ndim()
	}
	if axis < 0 || axis >= logits.Ndim() {
		lossPanic(op, "axis %d out of range for logits of shape %v", c.axis, logits.Shape())
	}
	want := logits.Shape()
	if !asProbs {
		want = append(append([]int{}, want[:axis]...), want[axis+1:]...)
	}
	if !sameShape(targets.Shape(), want) {
		lossPanic(op, "targets shape %v does not match logits shape %v", targets.Shape(), logits.Shape())
	}
	var keep *tensor.Array
	if c.ignoreSet {
		if asProbs {
			lossPanic(op, "IgnoreIndex needs class-index targets, not probabilities")
		}
		keep = tensor.NotEqual(targets, c.ignoreIndex)
		targets = tensor.Where(keep, targets, 0) // any valid index; masked below
	}
	logits = tensor.Subtract(logits, tensor.StopGradient(tensor.Max(logits, tensor.Axis(axis), tensor.KeepDims(true))))
	var score *tensor.Array
	if asProbs {
		score = tensor.Sum(tensor.Multiply(logits, targets), tensor.Axis(axis))
	} else {
		score = tensor.Squeeze(tensor.TakeAlongAxis(logits, tensor.ExpandDims(targets, []int{axis}), axis), tensor.Axis(axis))
	}
	lse := tensor.Logsumexp(logits, tensor.Axis(axis))
	var loss *tensor.Array
	if c.labelSmoothing > 0 {
		adjusted := tensor.Multiply(1-c.labelSmoothing, score)
		smoothed := tensor.Multiply(tensor.Negative(tensor.Mean(logits, tensor.Axis(axis))), c.labelSmoothing)
		loss = tensor.Add(tensor.Subtract(lse, adjusted), smoothed)
	} else {
		loss = tensor.Subtract(lse, score)
	}
	loss = applyWeights(op, loss, c)
	if keep != nil {
		loss = tensor.Multiply(loss, keep)
		if c.reduction == "mean" {
			return tensor.Divide(tensor.Sum(loss), tensor.Sum(keep))
		}
	}
	return reduce(loss, c.reduction)
}

// BinaryCrossEntropy of inputs (logits by default, see WithLogits) against
// targets of the same shape. Default reduction "mean".
func BinaryCrossEntropy(inputs, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	const op = "nn.BinaryCrossEntropy"
	c := lossOptions(op, "mean", opts)
	sameShapes(op, "inputs", "targets", inputs, targets)
	var loss *tensor.Array
	if c.withLogits {
		loss = tensor.Subtract(tensor.Logaddexp(0.0, inputs), tensor.Multiply(inputs, targets))
	} else {
		logIn := tensor.Clip(tensor.Log(inputs), -100, nil)
		logInv := tensor.Clip(tensor.Log(tensor.Subtract(1, inputs)), -100, nil)
		loss = tensor.Negative(tensor.Add(tensor.Multiply(targets, logIn), tensor.Multiply(tensor.Subtract(1, targets), logInv)))
	}
	return reduce(applyWeights(op, loss, c), c.reduction)
}

// MSELoss is the squared error. Default reduction "mean".
func MSELoss(predictions, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	const op = "nn.MSELoss"
	c := lossOptions(op, "mean", opts)
	sameShapes(op, "predictions", "targets", predictions, targets)
	return reduce(tensor.Square(tensor.Subtract(predictions, targets)), c.reduction)
}

// L1Loss is the absolute error. Default reduction "mean".
func L1Loss(predictions, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	const op = "nn.L1Loss"
	c := lossOptions(op, "mean", opts)
	sameShapes(op, "predictions", "targets", predictions, targets)
	return reduce(tensor.Abs(tensor.Subtract(predictions, targets)), c.reduction)
}

// SmoothL1Loss is quadratic below Beta and linear above. Default "mean".
func SmoothL1Loss(predictions, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	const op = "nn.SmoothL1Loss"
	c := lossOptions(op, "mean", opts)
	sameShapes(op, "predictions", "targets", predictions, targets)
	diff := tensor.Abs(tensor.Subtract(predictions, targets))
	loss := tensor.Where(tensor.Less(diff, c.beta),
		tensor.Divide(tensor.Multiply(0.5, tensor.Square(diff)), c.beta),
		tensor.Subtract(tensor.Abs(diff), 0.5*c.beta))
	return reduce(loss, c.reduction)
}

// HuberLoss is quadratic below Delta and linear above. Default "none".
func HuberLoss(inputs, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	c := lossOptions("nn.HuberLoss", "none", opts)
	abs := tensor.Abs(tensor.Subtract(inputs, targets))
	quad := tensor.Minimum(abs, c.delta)
	lin := tensor.Subtract(abs, quad)
	return reduce(tensor.Add(tensor.Multiply(0.5, tensor.Power(quad, 2)), tensor.Multiply(c.delta, lin)), c.reduction)
}

// NLLLoss is the negative log-likelihood of log-probabilities at the
// target indices. Default "none".
func NLLLoss(inputs, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	c := lossOptions("nn.NLLLoss", "none", opts)
	picked := tensor.Squeeze(tensor.TakeAlongAxis(inputs, tensor.ExpandDims(targets, []int{c.axis}), c.axis), tensor.Axis(c.axis))
	return reduce(tensor.Negative(picked), c.reduction)
}

// KLDivLoss is KL(targets ‖ inputs) with both given as log-probabilities,
// summed over ClassAxis. Default "none".
func KLDivLoss(inputs, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	const op = "nn.KLDivLoss"
	c := lossOptions(op, "none", opts)
	sameShapes(op, "inputs", "targets", inputs, targets)
	loss := tensor.Sum(tensor.Multiply(tensor.Exp(targets), tensor.Subtract(targets, inputs)), tensor.Axis(c.axis))
	return reduce(loss, c.reduction)
}

// LogCoshLoss is log(cosh(inputs - targets)). Default "none".
func LogCoshLoss(inputs, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	c := lossOptions("nn.LogCoshLoss", "none", opts)
	e := tensor.Subtract(inputs, targets)
	return reduce(tensor.Subtract(tensor.Logaddexp(e, tensor.Negative(e)), math.Log(2)), c.reduction)
}

// HingeLoss is max(1 - inputs·targets, 0). Default "none".
func HingeLoss(inputs, targets *tensor.Array, opts ...LossOpt) *tensor.Array {
	c := lossOptions("nn.HingeLoss", "none", opts)
	return reduce(tensor.Maximum(tensor.Subtract(1, tensor.Multiply(inputs, targets)), 0), c.reduction)
}

// CosineSimilarityLoss is the cosine similarity of x1 and x2 along
// ClassAxis (Python's default axis here is 1: pass ClassAxis(1)). Default "none".
func CosineSimilarityLoss(x1, x2 *tensor.Array, opts ...LossOpt) *tensor.Array {
	c := lossOptions("nn.CosineSimilarityLoss", "none", opts)
	n1 := tensor.Norm(x1, tensor.Axis(c.axis))
	n2 := tensor.Norm(x2, tensor.Axis(c.axis))
	loss := tensor.Divide(tensor.Sum(tensor.Multiply(x1, x2), tensor.Axis(c.axis)), tensor.Maximum(tensor.Multiply(n1, n2), c.eps))
	return reduce(loss, c.reduction)
}
