package nn_test

import (
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Every loss against mlx.nn.losses on the same inputs, bit for bit.
func TestLossesMatchPython(t *testing.T) {
	g := loadGolden(t, "losses.safetensors")
	logits, targets, probs, weights := g.Get(t, "logits"), g.Get(t, "targets"), g.Get(t, "probs"), g.Get(t, "weights")
	mean, sum := nn.Reduce("mean"), nn.Reduce("sum")
	cases := map[string]*tensor.Array{
		"ce.none":        nn.CrossEntropy(logits, targets),
		"ce.mean":        nn.CrossEntropy(logits, targets, mean),
		"ce.sum":         nn.CrossEntropy(logits, targets, sum),
		"ce.smooth":      nn.CrossEntropy(logits, targets, nn.LabelSmoothing(0.1), mean),
		"ce.probs":       nn.CrossEntropy(logits, probs, mean),
		"ce.weights":     nn.CrossEntropy(logits, targets, nn.LossWeights(weights), sum),
		"ce.axis1":       nn.CrossEntropy(g.Get(t, "logits_axis1"), targets, nn.ClassAxis(1)),
		"ce.ignore_mean": nn.CrossEntropy(logits, g.Get(t, "targets_ignored"), nn.IgnoreIndex(-100), mean),
		"ce.ignore_none": nn.CrossEntropy(logits, g.Get(t, "targets_ignored"), nn.IgnoreIndex(-100)),
		"bce.logits":     nn.BinaryCrossEntropy(g.Get(t, "bce_logits"), g.Get(t, "bce_targets")),
		"bce.probs":      nn.BinaryCrossEntropy(tensor.Sigmoid(g.Get(t, "bce_logits")), g.Get(t, "bce_targets"), nn.WithLogits(false), sum),
		"bce.weights":    nn.BinaryCrossEntropy(g.Get(t, "bce_logits"), g.Get(t, "bce_targets"), nn.LossWeights(g.Get(t, "bce_weights")), nn.Reduce("none")),
		"mse.mean":       nn.MSELoss(g.Get(t, "pred"), g.Get(t, "target")),
		"mse.none":       nn.MSELoss(g.Get(t, "pred"), g.Get(t, "target"), nn.Reduce("none")),
		"l1.mean":        nn.L1Loss(g.Get(t, "pred"), g.Get(t, "target")),
		"l1.sum":         nn.L1Loss(g.Get(t, "pred"), g.Get(t, "target"), sum),
		"smooth_l1":      nn.SmoothL1Loss(g.Get(t, "pred"), g.Get(t, "target"), nn.Beta(0.5)),
		"huber":          nn.HuberLoss(g.Get(t, "pred"), g.Get(t, "target"), nn.Delta(0.7), mean),
		"log_cosh":       nn.LogCoshLoss(g.Get(t, "pred"), g.Get(t, "target"), sum),
		"hinge":          nn.HingeLoss(g.Get(t, "pred"), g.Get(t, "target"), mean),
		"cosine":         nn.CosineSimilarityLoss(g.Get(t, "pred"), g.Get(t, "target"), nn.ClassAxis(1)),
		"kl.none":        nn.KLDivLoss(g.Get(t, "logp"), g.Get(t, "logq")),
		"kl.mean":        nn.KLDivLoss(g.Get(t, "logp"), g.Get(t, "logq"), mean),
		"nll.mean":       nn.NLLLoss(g.Get(t, "logp"), targets, mean),
	}
	for name, got := range cases {
		assertSame(t, name, got, g.Get(t, name))
	}
}

func TestLossErrorsNameTheParameter(t *testing.T) {
	logits := tensor.Zeros([]int{2, 3, 5})
	cases := []struct {
		want string
		f    func()
	}{
		{"targets shape [2 4]", func() { nn.CrossEntropy(logits, tensor.Zeros([]int{2, 4}, tensor.Int32)) }},
		{"labelSmoothing", func() { nn.CrossEntropy(logits, tensor.Zeros([]int{2, 3}, tensor.Int32), nn.LabelSmoothing(1)) }},
		{"reduction", func() { nn.MSELoss(logits, logits, nn.Reduce("avg")) }},
		{"weights shape", func() {
			nn.CrossEntropy(logits, tensor.Zeros([]int{2, 3}, tensor.Int32), nn.LossWeights(tensor.Ones([]int{3})))
		}},
		{"targets shape [2 3]", func() { nn.BinaryCrossEntropy(logits, tensor.Zeros([]int{2, 3})) }},
		{"predictions shape", func() { nn.L1Loss(tensor.Zeros([]int{4}), logits) }},
	}
	for _, c := range cases {
		err := tensor.Try(c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("want an error naming %q, got %v", c.want, err)
		}
	}
}
