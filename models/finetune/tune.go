// Package finetune trains LoRA adapters on a loaded language model the
// way mlx_lm.lora does: adapters on chosen linear layers (of a float or
// quantized model), a next-token cross-entropy masked to the completion,
// Adam, and adapters saved in mlx-lm's layout (adapters.safetensors,
// adapter_config.json) that mlx-lm loads, and that LoadAdapters reads back.
package finetune

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/interrupt"
	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/nn/lora"
	"github.com/mlx-go/mlx-go/nn/optim"
	"github.com/mlx-go/mlx-go/tensor"
)

// Config chooses the adapters and the training; zero fields take
// mlx_lm.lora's defaults.
type Config struct {
	Rank    int      // 8
	Scale   float64  // 20
	Dropout float64  // 0
	Keys    []string // layer-relative module paths; nil: every projection
	// NumLayers adapts only the last n layers (<= 0: all; mlx-lm's
	// default is 16).
	NumLayers    int
	LearningRate float64 // 1e-5
	BatchSize    int     // 4
	MaxSeqLength int     // 2048
	Seed         uint64  // batch order
}

// defaultKeys are the projections of our layers, named as in mlx-lm.
var defaultKeys = []string{"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
	"mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"}

// module names the model's parameters as mlx-lm does ("model.layers...").
type module struct {
	Model lm.Model `nn:"model"`
}

// multimodal names a multimodal checkpoint's text model as mlx-lm's
// gemma3.Model does ("language_model.model.layers..."): mlx-lm rejects
// adapter tensors whose names its model lacks.
type multimodal struct {
	LanguageModel *module `nn:"language_model"`
}

// root is the module whose parameter paths are mlx-lm's for l's model.
func root(m lm.Model) any {
	if m.Config().ModelType == "gemma3" {
		return &multimodal{LanguageModel: &module{Model: m}}
	}
	return &module{Model: m}
}

// Tuner is a model with LoRA adapters being trained.
type Tuner struct {
	LLM     *lm.LLM
	Adapted []string // the adapted modules' paths
	cfg     Config
	lcfg    lora.Config
	root    any // the model under mlx-lm's parameter paths
	trainer *optim.Trainer
	steps   int
}

// New freezes l's model and adds adapters to it (in place: l generates
// with them from now on).
func New(l *lm.LLM, cfg Config) (*Tuner, error) {
	if cfg.Rank == 0 {
		cfg.Rank = 8
	}
	if cfg.Scale == 0 {
		cfg.Scale = 20
	}
	if cfg.LearningRate == 0 {
		cfg.LearningRate = 1e-5
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 4
	}
	if cfg.MaxSeqLength == 0 {
		cfg.MaxSeqLength = 2048
	}
	keys := cfg.Keys
	if keys == nil {
		keys = defaultKeys
	}
	t := &Tuner{LLM: l, cfg: cfg, root: root(l.Model), lcfg: lora.Config{FineTuneType: "lora", NumLayers: cfg.NumLayers,
		Parameters: lora.Parameters{Rank: cfg.Rank, Scale: cfg.Scale, Dropout: cfg.Dropout}}}
	var err error
	// Keys are matched as dotted suffixes here; mlx-lm matches the path
	// within each layer, so adapter_config.json lists those paths.
	t.lcfg.Parameters.Keys = keys
	if t.Adapted, err = lora.Apply(t.root, t.lcfg); err != nil {
		return nil, fmt.Errorf("finetune: %w", err)
	}
	var used []string
	for _, p := range t.Adapted {
		if k := layerRelative(p); !slices.Contains(used, k) {
			used = append(used, k)
		}
	}
	t.lcfg.Parameters.Keys = used
	opt, err := optim.NewAdam(optim.AdamConfig{LearningRate: cfg.LearningRate})
	if err != nil {
		return nil, err
	}
	t.trainer = optim.NewTrainer(t.root, t.lossOf, opt)
	return t, nil
}

// lossOf is mlx-lm's default_loss: mean cross-entropy of each next token
// over the positions lengths [B, 2] (offset, length) allow.
func (t *Tuner) lossOf(args []*tensor.Array) *tensor.Array {
	batch, lengths := args[0], args[1]
	l := batch.Dim(1)
	inputs, targets := batch.Slice(1, 0, l-1, 1), batch.Slice(1, 1, l, 1)
	logits := t.LLM.Model.Forward(inputs, nil)
	steps := tensor.Arange(1, float64(l), tensor.Int32)
	mask := tensor.LogicalAnd(tensor.GreaterEqual(steps, lengths.Slice(1, 0, 1, 1)), tensor.LessEqual(steps, lengths.Slice(1, 1, 2, 1)))
	ce := tensor.Multiply(nn.CrossEntropy(logits, targets), mask)
	return tensor.Divide(tensor.Sum(tensor.AsType(ce, tensor.Float32)), tensor.Sum(mask))
}

// Batch pads examples into mlx-lm's batch layout: [B, L] ids (zero
// padded to one more than a multiple of 32, at most MaxSeqLength) and
// [B, 2] (offset, length).
func (t *Tuner) Batch(examples []Example) (batch, lengths *tensor.Array) {
	longest := 0
	for _, e := range examples {
		longest = max(longest, len(e.IDs))
	}
	width := min(1+32*((longest+31)/32), t.cfg.MaxSeqLength)
	ids := make([]int32, len(examples)*width)
	lens := make([]int32, 0, 2*len(examples))
	for i, e := range examples {
		n := min(len(e.IDs), width)
		for j := range n {
			ids[i*width+j] = int32(e.IDs[j])
		}
		lens = append(lens, int32(e.Offset), int32(n))
	}
	return tensor.FromInt32s(ids, len(examples), width), tensor.FromInt32s(lens, len(examples), 2)
}

// Loss is the masked loss of examples as one batch, without training.
func (t *Tuner) Loss(examples []Example) (loss float64, err error) {
	if len(examples) == 0 {
		return 0, errors.New("finetune: no examples")
	}
	err = tensor.Try(func() {
		b, l := t.Batch(examples)
		loss = t.lossOf([]*tensor.Array{b, l}).Float()
	})
	return loss, err
}

// Train runs iters optimizer steps over batches of examples (sorted by
// length into batches, visited in a seeded random order, as mlx-lm's
// iterate_batches), reporting each step's loss (report may be nil). It
// stops with the context's error or an interrupt.
func (t *Tuner) Train(ctx context.Context, examples []Example, iters int, report func(step int, loss float64)) error {
	if len(examples) < t.cfg.BatchSize {
		return fmt.Errorf("finetune: %d examples, fewer than the batch size %d", len(examples), t.cfg.BatchSize)
	}
	for i, e := range examples {
		if err := checkExample(t.LLM, e); err != nil {
			return fmt.Errorf("finetune: example %d: %w", i, err)
		}
	}
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(examples[a].IDs) - len(examples[b].IDs) })
	var batches [][]Example
	for i := 0; i+t.cfg.BatchSize <= len(order); i += t.cfg.BatchSize {
		var b []Example
		for _, j := range order[i : i+t.cfg.BatchSize] {
			b = append(b, examples[j])
		}
		batches = append(batches, b)
	}
	rng := rand.New(rand.NewPCG(t.cfg.Seed, 0))
	nn.SetTraining(t.root, true)
	defer nn.SetTraining(t.root, false)
	var perm []int
	for step := 0; step < iters; step++ {
		if ctx != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := interrupt.Check(); err != nil {
			return err
		}
		if len(perm) == 0 {
			perm = rng.Perm(len(batches))
		}
		b, l := t.Batch(batches[perm[0]])
		perm = perm[1:]
		loss, err := t.trainer.Step(b, l)
		if err != nil {
			return fmt.Errorf("finetune: step %d: %w", t.steps, err)
		}
		if report != nil {
			report(t.steps, loss.Float())
		}
		t.steps++
	}
	return nil
}

func checkExample(l *lm.LLM, e Example) error {
	vocab := l.Model.Config().VocabSize
	if len(e.IDs) < 2 || e.Offset < 0 || e.Offset >= len(e.IDs) {
		return fmt.Errorf("%d tokens with offset %d: nothing to learn", len(e.IDs), e.Offset)
	}
	for _, id := range e.IDs {
		if id < 0 || id >= vocab {
			return fmt.Errorf("token %d outside the vocabulary", id)
		}
	}
	return nil
}

// Save writes the adapters in mlx-lm's layout to dir.
func (t *Tuner) Save(dir string) error { return lora.SaveAdapters(t.root, dir, t.lcfg) }

// LoadAdapters adds the adapters saved in dir (by Save or mlx_lm.lora) to
// l's model, which then generates with them.
func LoadAdapters(l *lm.LLM, dir string) error {
	m := root(l.Model)
	if _, err := lora.LoadAdapters(m, dir); err != nil {
		return fmt.Errorf("finetune: %w", err)
	}
	nn.SetTraining(m, false)
	return nil
}

// layerRelative is a module path within its layer ("self_attn.q_proj" of
// "model.layers.3.self_attn.q_proj").
func layerRelative(p string) string {
	parts := strings.Split(p, ".")
	for i := 0; i+2 < len(parts); i++ {
		if parts[i] == "layers" {
			if _, err := strconv.Atoi(parts[i+1]); err == nil {
				return strings.Join(parts[i+2:], ".")
			}
		}
	}
	return p
}
