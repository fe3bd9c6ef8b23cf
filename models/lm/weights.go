package lm

import (
	"fmt"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// weights hands a checkpoint's arrays to the layers being built. The
// checkpoint was already checked against the architecture (models.Load),
// so a missing name here is a bug, reported as a panic naming it.
type weights struct {
	m   map[string]*tensor.Array
	cfg *models.Config
}

func (w *weights) get(name string) *tensor.Array {
	a, ok := w.m[name]
	if !ok {
		panic(&tensor.Error{Op: "lm", Msg: fmt.Sprintf("missing weight %q", name)})
	}
	return a
}

func (w *weights) optional(name string) *tensor.Array { return w.m[name] }

// linear is the layer stored under prefix: a QuantizedLinear when the
// checkpoint holds scales for it (mlx-lm's rule), else a Linear. in is the
// layer's input size.
func (w *weights) linear(prefix string, in int) nn.Layer {
	if scales, ok := w.m[prefix+".scales"]; ok {
		bits, group, mode := w.quant(prefix, in, scales)
		return &nn.QuantizedLinear{Weight: w.get(prefix + ".weight"), Scales: scales, Biases: w.optional(prefix + ".biases"),
			Bias: w.optional(prefix + ".bias"), GroupSize: group, Bits: bits, Mode: mode}
	}
	return &nn.Linear{Weight: w.get(prefix + ".weight"), Bias: w.optional(prefix + ".bias")}
}

// embedding is the token table under prefix ([vocab, hidden]), quantized
// or not.
func (w *weights) embedding(prefix string, hidden int) nn.Embedder {
	if scales, ok := w.m[prefix+".scales"]; ok {
		bits, group, mode := w.quant(prefix, hidden, scales)
		return &nn.QuantizedEmbedding{Weight: w.get(prefix + ".weight"), Scales: scales,
			Biases: w.optional(prefix + ".biases"), GroupSize: group, Bits: bits, Mode: mode}
	}
	return &nn.Embedding{Weight: w.get(prefix + ".weight")}
}

// quant reads a weight's bits, group size and mode from its shapes (per
// tensor, as mlx-lm does; models.Load already checked they make sense).
func (w *weights) quant(prefix string, in int, scales *tensor.Array) (int, int, string) {
	bits, group, mode, err := models.InferQuantization(in, w.get(prefix+".weight").Dim(-1), scales.Dim(-1), scales.Dtype().IsFloat())
	if err != nil {
		panic(&tensor.Error{Op: "lm", Msg: fmt.Sprintf("%s: %v", prefix, err)})
	}
	return bits, group, mode
}
