package checkpoint

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/models/tokenizer"
	"github.com/mlx-go/mlx-go/tensor"
)

// Options choose what Write produces.
type Options struct {
	Arch      string // llama, qwen2, qwen3, gemma3_text, gemma3
	Dtype     string // float32 (default) or bfloat16
	Bits      int    // 0: not quantized; 2, 3, 4, 6 or 8: MLX affine quantization
	EmbedBits int    // with Bits: other bits for embeddings and lm_head (mixed precision, as mlx-lm's recipes)
	GroupSize int    // quantization group size (default 32, see Write)
	Shards    int    // >1 splits the weights over that many files plus an index
	Seed      uint64 // weights are a function of the seed
}

// Write creates dir (if needed) and writes a tiny random-weight checkpoint.
func Write(dir string, o Options) error {
	p, err := lookup(o.Arch)
	if err != nil {
		return err
	}
	dtype, err := parseDtype(o.Dtype)
	if err != nil {
		return err
	}
	// 32, not mlx-lm's usual 64: these models are 64 wide, and MLX 0.32.4's
	// Hopper kernel miscomputes quantized products whose weight rows are a
	// single group (K <= group size; see tensor/cgo/quantized_matmul.cpp).
	// Two groups per row keep mlx-lm, the peer the tests compare with,
	// correct on an H100 too.
	if o.GroupSize == 0 {
		o.GroupSize = 32
	}
	for _, b := range []int{o.Bits, o.EmbedBits} {
		if b != 0 && b != 2 && b != 3 && b != 4 && b != 6 && b != 8 {
			return fmt.Errorf("unsupported bits %d (want 0, 2, 3, 4, 6 or 8)", b)
		}
	}
	if o.EmbedBits != 0 && o.Bits == 0 {
		return fmt.Errorf("EmbedBits needs Bits (a quantized model)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cfg := configJSON(p, o, dtype)
	if err := writeJSON(filepath.Join(dir, "config.json"), cfg); err != nil {
		return err
	}
	if err := copyTokenizer(dir, p.tokenizer); err != nil {
		return err
	}
	if err := writeGenerationConfig(dir); err != nil {
		return err
	}
	// Parse what we wrote, so the tensor list comes from the same code
	// that checks checkpoints when loading.
	c, err := models.ReadConfig(dir)
	if err != nil {
		return err
	}
	weights, err := randomWeights(c, p, o, dtype)
	if err != nil {
		return err
	}
	defer func() {
		for _, a := range weights {
			a.Free()
		}
	}()
	return saveShards(dir, weights, o.Shards)
}

func parseDtype(s string) (tensor.Dtype, error) {
	switch s {
	case "", "float32", "fp32":
		return tensor.Float32, nil
	case "bfloat16", "bf16":
		return tensor.Bfloat16, nil
	case "float16", "fp16":
		return tensor.Float16, nil
	}
	return 0, fmt.Errorf("unsupported dtype %q (want float32, bfloat16 or float16)", s)
}

var torchDtype = map[tensor.Dtype]string{tensor.Float32: "float32", tensor.Bfloat16: "bfloat16", tensor.Float16: "float16"}

func configJSON(p preset, o Options, dtype tensor.Dtype) map[string]any {
	text := map[string]any{}
	for k, v := range p.text {
		if v != nil {
			text[k] = v
		}
	}
	cfg := text
	if p.nested != nil {
		cfg = with(p.nested, map[string]any{"text_config": text})
	}
	cfg["torch_dtype"] = torchDtype[dtype]
	if o.Bits > 0 {
		q := map[string]any{"group_size": o.GroupSize, "bits": o.Bits, "mode": "affine"}
		if o.EmbedBits > 0 {
			// mlx-lm names per-layer overrides by module path.
			prefix := ""
			if p.nested != nil {
				prefix = "language_model."
			}
			over := map[string]any{"group_size": o.GroupSize, "bits": o.EmbedBits, "mode": "affine"}
			q[prefix+"model.embed_tokens"] = over
			if tied, _ := text["tie_word_embeddings"].(bool); !tied && p.nested == nil {
				q["lm_head"] = over
			}
		}
		cfg["quantization"] = q
		cfg["quantization_config"] = q
	}
	return cfg
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func copyTokenizer(dir, family string) error {
	return fs.WalkDir(assets, "assets/"+family, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := assets.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, d.Name()), data, 0o644)
	})
}

// writeGenerationConfig names BOS/EOS ids from the tokenizer just copied:
// the family's end-of-turn token and its end-of-text token both stop
// generation, as in the real models.
func writeGenerationConfig(dir string) error {
	tok, err := tokenizer.Load(dir)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	if err != nil {
		return err
	}
	var cfg map[string]any
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return err
	}
	gen := map[string]any{"do_sample": true, "temperature": 0.7, "top_p": 0.9}
	if bos, ok := cfg["bos_token"].(string); ok {
		id, _ := tok.TokenID(bos)
		gen["bos_token_id"] = id
	}
	var eos []int
	for _, name := range []string{"<|eot_id|>", "<|end_of_text|>", "<|im_end|>", "<|endoftext|>", "<eos>", "<end_of_turn>"} {
		if id, ok := tok.TokenID(name); ok {
			eos = append(eos, id)
		}
	}
	gen["eos_token_id"] = eos
	return writeJSON(filepath.Join(dir, "generation_config.json"), gen)
}

// randomWeights makes every tensor the architecture needs: embeddings
// ~N(0,1), linear weights ~N(0,1/in) so activations stay O(1), small
// biases, and norm weights near their identity (1 for Llama/Qwen, 0 for
// Gemma's 1+w). Linear and embedding weights are quantized when asked.
func randomWeights(c *models.Config, p preset, o Options, dtype tensor.Dtype) (map[string]*tensor.Array, error) {
	out := map[string]*tensor.Array{}
	gemma := strings.HasPrefix(c.TextModelType, "gemma")
	err := tensor.Try(func() {
		for i, spec := range models.ExpectedTensors(c) {
			key := tensor.RandomKey(o.Seed*1_000_003 + uint64(i))
			loc, std := 0.0, 1.0
			switch {
			case strings.HasSuffix(spec.Name, "norm.weight"):
				loc, std = 1, 0.1
				if gemma {
					loc = 0
				}
			case strings.HasSuffix(spec.Name, ".bias"):
				std = 0.1
			case strings.Contains(spec.Name, "embed_tokens"):
			default:
				std = 1 / math.Sqrt(float64(spec.Shape[len(spec.Shape)-1]))
			}
			w32 := tensor.RandomNormal(spec.Shape, tensor.Key(key), tensor.Loc(loc), tensor.Scale(std))
			w := tensor.AsType(w32, dtype)
			w32.Free()
			key.Free()
			if o.Bits == 0 || !spec.Quantizable {
				out[spec.Name] = w
				continue
			}
			bits := o.Bits
			if o.EmbedBits > 0 && (strings.Contains(spec.Name, "embed_tokens") || strings.HasSuffix(spec.Name, "lm_head.weight")) {
				bits = o.EmbedBits
			}
			q := tensor.Quantize(w, tensor.GroupSize(o.GroupSize), tensor.Bits(bits))
			w.Free()
			base := strings.TrimSuffix(spec.Name, ".weight")
			out[spec.Name], out[base+".scales"], out[base+".biases"] = q[0], q[1], q[2]
		}
		if p.nested != nil {
			// A real Gemma 3 checkpoint carries its vision tower; loaders
			// drop it for text generation, so ours has a token one.
			out["vision_tower.vision_model.embeddings.patch_embedding.weight"] = tensor.Zeros([]int{8, 4, 4, 3}, dtype)
			out["multi_modal_projector.mm_input_projection_weight"] = tensor.Zeros([]int{8, c.HiddenSize}, dtype)
		}
	})
	return out, err
}
