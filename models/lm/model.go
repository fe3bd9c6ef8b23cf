// Package lm holds the language-model architectures (Llama, Qwen2, Qwen3,
// Gemma 3) built on tensor, nn and fast, and generation with them. Each
// file reads like its mlx-lm counterpart; logits match mlx-lm's on the
// same checkpoint, and so do generated tokens, greedy or sampled with a
// seed.
//
//	l, err := lm.LoadLLM(dir)
//	g := l.Generate(ctx, "Once upon a time", lm.MaxTokens(64), lm.Temperature(0.7), lm.Seed(1))
//	for tok := range g.Tokens() { fmt.Print(tok.Text) }
//	if err := g.Err(); err != nil { ... }
//	fmt.Println(g.Metrics())
//
// In the REPL, where generic iterators are out of reach, the same runs
// with a callback: g.Each(func(tok lm.Token) bool { fmt.Print(tok.Text); return true }).
package lm

import (
	"fmt"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/tensor"
)

// Model maps token ids to next-token logits.
type Model interface {
	// Forward maps ids [B, L] (integers) to logits [B, L, vocab]. With a
	// cache the ids continue the cached sequence, and the cache grows.
	Forward(ids *tensor.Array, cache *Cache) *tensor.Array
	// NewCache is an empty cache for this model.
	NewCache() *Cache
	// Config is the model's configuration.
	Config() *models.Config
}

// Load reads the checkpoint in dir and builds its model.
func Load(dir string) (Model, error) {
	ck, err := models.Load(dir)
	if err != nil {
		return nil, err
	}
	return New(ck)
}

// New builds the model of a loaded checkpoint; the model takes ownership
// of the checkpoint's weights.
func New(ck *models.Checkpoint) (m Model, err error) {
	w := &weights{m: ck.Weights, cfg: ck.Config}
	err = tensor.Try(func() {
		switch ck.Config.TextModelType {
		case "llama", "qwen2", "qwen3":
			m = newLlama(ck.Config, w)
		case "gemma3_text":
			m = newGemma3(ck.Config, w)
		default:
			panic(&tensor.Error{Op: "lm.New", Msg: fmt.Sprintf("no model for %q", ck.Config.TextModelType)})
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ck.Info.Path, err)
	}
	return m, nil
}
