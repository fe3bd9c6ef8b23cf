package models

import (
	"fmt"
	"sort"
	"strings"
)

// architecture describes one supported model_type: config defaults as
// mlx-lm's ModelArgs has them, and the tensors a checkpoint must hold.
type architecture struct {
	nestedText       bool   // config in text_config, weights under prefix
	prefix           string // weight-name prefix of the text model
	defaultHeads     int
	defaultRopeTheta float64
	defaultTied      bool
	qkvBias          bool // always (Qwen2)
	qkNorm           bool // per-head RMSNorm on q and k (Qwen3, Gemma 3)
	gemmaNorms       bool // pre/post feed-forward norms (Gemma 3)
}

var architectures = map[string]architecture{
	"llama":       {defaultRopeTheta: 10000, defaultTied: true},
	"qwen2":       {defaultRopeTheta: 1e6, defaultTied: true, qkvBias: true},
	"qwen3":       {defaultTied: true, qkNorm: true},
	"gemma3_text": {defaultHeads: 4, defaultRopeTheta: 1e6, defaultTied: true, qkNorm: true, gemmaNorms: true},
	"gemma3": {nestedText: true, prefix: "language_model.", defaultHeads: 8, defaultRopeTheta: 1e6,
		defaultTied: true, qkNorm: true, gemmaNorms: true},
}

// SupportedModelTypes lists the model_type values this package reads.
func SupportedModelTypes() string {
	names := make([]string, 0, len(architectures))
	for k := range architectures {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// TensorSpec is one weight a checkpoint must have: its name in the file and
// its logical (unquantized) shape. Quantizable weights (Linear and
// Embedding) may be stored MLX-quantized instead.
type TensorSpec struct {
	Name        string
	Shape       []int
	Quantizable bool
}

// ExpectedTensors lists the weights the architecture needs, named as in a
// Hugging Face / mlx-lm checkpoint.
func ExpectedTensors(c *Config) []TensorSpec {
	a := architectures[c.ModelType]
	p := a.prefix
	h, hd := c.HiddenSize, c.HeadDim
	q, kv := c.NumHeads*hd, c.NumKVHeads*hd
	var out []TensorSpec
	add := func(name string, quant bool, shape ...int) {
		out = append(out, TensorSpec{p + name, shape, quant})
	}
	add("model.embed_tokens.weight", true, c.VocabSize, h)
	for i := 0; i < c.NumLayers; i++ {
		l := fmt.Sprintf("model.layers.%d.", i)
		add(l+"self_attn.q_proj.weight", true, q, h)
		add(l+"self_attn.k_proj.weight", true, kv, h)
		add(l+"self_attn.v_proj.weight", true, kv, h)
		add(l+"self_attn.o_proj.weight", true, h, q)
		if a.qkvBias || c.AttentionBias {
			add(l+"self_attn.q_proj.bias", false, q)
			add(l+"self_attn.k_proj.bias", false, kv)
			add(l+"self_attn.v_proj.bias", false, kv)
		}
		if c.AttentionBias {
			add(l+"self_attn.o_proj.bias", false, h)
		}
		if a.qkNorm {
			add(l+"self_attn.q_norm.weight", false, hd)
			add(l+"self_attn.k_norm.weight", false, hd)
		}
		add(l+"mlp.gate_proj.weight", true, c.IntermediateSize, h)
		add(l+"mlp.up_proj.weight", true, c.IntermediateSize, h)
		add(l+"mlp.down_proj.weight", true, h, c.IntermediateSize)
		if c.MLPBias {
			add(l+"mlp.gate_proj.bias", false, c.IntermediateSize)
			add(l+"mlp.up_proj.bias", false, c.IntermediateSize)
			add(l+"mlp.down_proj.bias", false, h)
		}
		add(l+"input_layernorm.weight", false, h)
		add(l+"post_attention_layernorm.weight", false, h)
		if a.gemmaNorms {
			add(l+"pre_feedforward_layernorm.weight", false, h)
			add(l+"post_feedforward_layernorm.weight", false, h)
		}
	}
	add("model.norm.weight", false, h)
	if !c.TieWordEmbeddings {
		add("lm_head.weight", true, c.VocabSize, h)
	}
	return out
}

// ignoredTensor reports weights a loader drops, as mlx-lm's sanitize does:
// precomputed rotary tables, a Gemma 3 vision tower and projector, and an
// lm_head that duplicates tied embeddings.
func ignoredTensor(c *Config, name string) bool {
	if strings.Contains(name, "self_attn.rotary_emb.inv_freq") {
		return true
	}
	if architectures[c.ModelType].nestedText &&
		(strings.HasPrefix(name, "vision_tower.") || strings.HasPrefix(name, "multi_modal_projector.")) {
		return true
	}
	return c.TieWordEmbeddings && strings.TrimPrefix(name, architectures[c.ModelType].prefix) == "lm_head.weight"
}

// settleTying applies Gemma 3's rule (mlx-lm's sanitize): its embeddings
// are tied exactly when the checkpoint has no lm_head.
func settleTying(c *Config, names map[string]bool) {
	a := architectures[c.ModelType]
	if a.gemmaNorms {
		c.TieWordEmbeddings = !names[a.prefix+"lm_head.weight"]
	}
}
