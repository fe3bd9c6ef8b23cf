// Package checkpoint writes tiny random-weight checkpoints in the Hugging
// Face / mlx-lm layout (config.json, model*.safetensors, tokenizer files
// with a real chat template, generation_config.json) for tests: Python's
// mlx-lm and transformers load the same files.
package checkpoint

import (
	"embed"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// assets holds the tiny tokenizers built by
// tests/golden/gen_tokenizer_assets.py, one directory per family.
//
//go:embed assets
var assets embed.FS

// preset is one architecture's tiny shape and config.json fields.
type preset struct {
	tokenizer string         // assets/<tokenizer>
	text      map[string]any // the (text) model's config fields
	nested    map[string]any // non-nil: multimodal top level, text goes in text_config
}

// with returns a copy of base with kv set.
func with(base map[string]any, kv map[string]any) map[string]any {
	m := maps.Clone(base)
	maps.Copy(m, kv)
	return m
}

// The shapes are tiny but keep every feature of the real models: GQA
// (4 query heads on 2 kv heads), head_dim != hidden/heads where the real
// model has it, Llama 3 rope scaling, Qwen2 q/k/v biases, Qwen3 q/k norms,
// Gemma 3 sliding/global layers. Sizes are multiples of 64 so 4-bit
// quantization with group size 64 applies to every linear layer.
var base = map[string]any{"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
	"num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 4096}

var gemmaText = with(base, map[string]any{"model_type": "gemma3_text", "num_hidden_layers": 4, "head_dim": 32,
	"query_pre_attn_scalar": 32, "sliding_window": 8, "sliding_window_pattern": 2,
	"rope_local_base_freq": 10000.0, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6,
	"hidden_activation": "gelu_pytorch_tanh", "vocab_size": 1408, "architectures": []any{"Gemma3ForCausalLM"}})

var presets = map[string]preset{
	"llama": {tokenizer: "llama3", text: with(base, map[string]any{"model_type": "llama", "head_dim": 16,
		"vocab_size": 1536, "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "tie_word_embeddings": false,
		"hidden_act": "silu", "attention_bias": false, "mlp_bias": false, "architectures": []any{"LlamaForCausalLM"},
		"rope_scaling": map[string]any{"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
			"original_max_position_embeddings": 1024, "rope_type": "llama3"}})},
	"qwen2": {tokenizer: "qwen2", text: with(base, map[string]any{"model_type": "qwen2", "vocab_size": 1536,
		"rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": true, "hidden_act": "silu",
		"use_sliding_window": false, "architectures": []any{"Qwen2ForCausalLM"}})},
	"qwen3": {tokenizer: "qwen2", text: with(base, map[string]any{"model_type": "qwen3", "head_dim": 32,
		"vocab_size": 1536, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": true,
		"hidden_act": "silu", "attention_bias": false, "architectures": []any{"Qwen3ForCausalLM"}})},
	"gemma3_text": {tokenizer: "gemma", text: gemmaText},
	"gemma3": {tokenizer: "gemma", text: with(gemmaText, map[string]any{"architectures": nil,
		"rope_scaling": map[string]any{"factor": 8.0, "rope_type": "linear"}}),
		nested: map[string]any{"model_type": "gemma3", "vocab_size": 1408,
			"architectures":       []any{"Gemma3ForConditionalGeneration"},
			"vision_config":       map[string]any{"model_type": "siglip_vision_model", "hidden_size": 8},
			"mm_tokens_per_image": 4}},
}

// Architectures lists the model types Write supports.
func Architectures() []string { return slices.Sorted(maps.Keys(presets)) }

func lookup(arch string) (preset, error) {
	p, ok := presets[arch]
	if !ok {
		return preset{}, fmt.Errorf("unsupported architecture %q (supported: %s)", arch, strings.Join(Architectures(), ", "))
	}
	return p, nil
}
