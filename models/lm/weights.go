package lm

import (
	"fmt"
	"strings"

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
// checkpoint holds scales for it (mlx-lm's rule), else a Linear.
func (w *weights) linear(prefix string) nn.Layer {
	if scales, ok := w.m[prefix+".scales"]; ok {
		q := w.cfg.Quantization
		return &nn.QuantizedLinear{Weight: w.get(prefix + ".weight"), Scales: scales, Biases: w.optional(prefix + ".biases"),
			Bias: w.optional(prefix + ".bias"), GroupSize: q.GroupSize, Bits: q.Bits, Mode: mode(q)}
	}
	return &nn.Linear{Weight: w.get(prefix + ".weight"), Bias: w.optional(prefix + ".bias")}
}

// embedding is the token table under prefix, quantized or not.
func (w *weights) embedding(prefix string) nn.Embedder {
	if scales, ok := w.m[prefix+".scales"]; ok {
		q := w.cfg.Quantization
		return &nn.QuantizedEmbedding{Weight: w.get(prefix + ".weight"), Scales: scales,
			Biases: w.optional(prefix + ".biases"), GroupSize: q.GroupSize, Bits: q.Bits, Mode: mode(q)}
	}
	return &nn.Embedding{Weight: w.get(prefix + ".weight")}
}

func mode(q *models.Quantization) string {
	if q.Mode == "" {
		return "affine"
	}
	return strings.ToLower(q.Mode)
}
