package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/models/checkpoint"
	"github.com/mlx-go/mlx-go/tensor"
)

// shape is a model family scaled down from its real size so a 2-core CPU
// runs it in seconds: the real model's layer layout (GQA ratio, head
// size order, Gemma's sliding/global pattern) at fewer, narrower layers
// and a 32k vocabulary.
type shape struct {
	name, arch, real string
	fields           map[string]any
}

var shapes = []shape{
	// The test checkpoint as is: so little compute that per-token host
	// work (graph building, sampling, detokenizing) dominates.
	{"tiny-llama", "llama", "not scaled: the 2-layer, hidden-64 test checkpoint (host overhead dominates)", map[string]any{}},
	{"llama-3.2-1b/4", "llama", "Llama-3.2-1B: hidden 2048, 16 layers, 32/8 heads, vocab 128256",
		map[string]any{"hidden_size": 512, "intermediate_size": 2048, "num_hidden_layers": 8,
			"num_attention_heads": 8, "num_key_value_heads": 2, "head_dim": 64, "vocab_size": 32768, "tie_word_embeddings": true}},
	{"gemma3-1b/2", "gemma3_text", "Gemma3-1B: hidden 1152, 26 layers, 4/1 heads of 256, window 512, vocab 262144",
		map[string]any{"hidden_size": 576, "intermediate_size": 3456, "num_hidden_layers": 12,
			"num_attention_heads": 4, "num_key_value_heads": 1, "head_dim": 128, "query_pre_attn_scalar": 128,
			"sliding_window": 128, "sliding_window_pattern": 6, "vocab_size": 32768}},
}

// writeScaled writes the scaled model: the tiny checkpoint's tokenizer
// and chat files, the scaled config, and random weights (quantized when
// bits > 0) drawn as the checkpoint package draws them.
func writeScaled(dir string, s shape, dtype string, bits int) error {
	if err := checkpoint.Write(dir, checkpoint.Options{Arch: s.arch, Seed: 1}); err != nil {
		return err
	}
	path := filepath.Join(dir, "config.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var cfg map[string]any
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return err
	}
	maps.Copy(cfg, s.fields)
	cfg["torch_dtype"] = dtype
	if bits > 0 {
		q := map[string]any{"group_size": 64, "bits": bits, "mode": "affine"}
		cfg["quantization"], cfg["quantization_config"] = q, q
	}
	data, _ := json.MarshalIndent(cfg, "", "  ")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	c, err := models.ReadConfig(dir)
	if err != nil {
		return err
	}
	d, err := tensor.ParseDtype(dtype)
	if err != nil {
		return err
	}
	weights := map[string]*tensor.Array{}
	err = tensor.Try(func() {
		for i, spec := range models.ExpectedTensors(c) {
			key := tensor.RandomKey(uint64(1000 + i))
			loc, std := 0.0, 1/math.Sqrt(float64(spec.Shape[len(spec.Shape)-1]))
			switch {
			case strings.HasSuffix(spec.Name, "norm.weight"):
				loc, std = 1, 0.1
				if strings.HasPrefix(c.TextModelType, "gemma") {
					loc = 0
				}
			case strings.Contains(spec.Name, "embed_tokens"):
				std = 1
			}
			w := tensor.AsType(tensor.RandomNormal(spec.Shape, tensor.Key(key), tensor.Loc(loc), tensor.Scale(std)), d)
			if bits == 0 || !spec.Quantizable {
				weights[spec.Name] = w.Eval()
				continue
			}
			q := tensor.Quantize(w, tensor.GroupSize(64), tensor.Bits(bits))
			base := strings.TrimSuffix(spec.Name, ".weight")
			weights[spec.Name], weights[base+".scales"], weights[base+".biases"] = q[0], q[1], q[2]
			tensor.Eval(q...)
		}
	})
	if err != nil {
		return err
	}
	defer func() {
		for _, a := range weights {
			a.Free()
		}
	}()
	if err := tensor.SaveSafetensors(filepath.Join(dir, "model.safetensors"), weights, map[string]string{"format": "mlx"}); err != nil {
		return err
	}
	_, err = models.Info(dir)
	if err != nil {
		return fmt.Errorf("scaled checkpoint unreadable: %w", err)
	}
	return nil
}
