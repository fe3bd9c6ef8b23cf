// Package models reads Hugging Face-layout model directories (config.json,
// *.safetensors, tokenizer files): what a model is (Info), where models are
// (Discover) and its weights, checked against the architecture (Load).
package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Config is the part of config.json the supported architectures use. For
// a multimodal Gemma 3 (model_type "gemma3") the text model's fields come
// from text_config, as mlx-lm reads them.
type Config struct {
	ModelType     string // as written at the top level ("gemma3", "llama", ...)
	TextModelType string // the text model's type ("gemma3_text" for gemma3)
	Architectures []string

	VocabSize         int
	HiddenSize        int
	NumLayers         int
	IntermediateSize  int
	NumHeads          int
	NumKVHeads        int
	HeadDim           int
	RMSNormEps        float64
	RopeTheta         float64
	RopeScaling       map[string]any
	TieWordEmbeddings bool
	AttentionBias     bool
	MLPBias           bool
	MaxPositions      int

	// Gemma 3.
	QueryPreAttnScalar   float64
	SlidingWindow        int
	SlidingWindowPattern int
	RopeLocalBaseFreq    float64

	Quantization *Quantization
	TorchDtype   string

	Raw map[string]any // the whole config.json
}

// Quantization is MLX's quantization entry in config.json.
type Quantization struct {
	GroupSize int    `json:"group_size"`
	Bits      int    `json:"bits"`
	Mode      string `json:"mode,omitempty"`
}

// ReadConfig reads dir/config.json.
func ReadConfig(dir string) (*Config, error) {
	path := filepath.Join(dir, "config.json")
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: missing config.json", dir)
		}
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: corrupt JSON: %w", path, err)
	}
	c, err := parseConfig(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func parseConfig(raw map[string]any) (*Config, error) {
	c := &Config{Raw: raw}
	c.ModelType = str(raw, "model_type")
	if c.ModelType == "" {
		return nil, errors.New("no model_type")
	}
	arch, ok := architectures[c.ModelType]
	if !ok {
		return nil, fmt.Errorf("unsupported model_type %q (supported: %s)", c.ModelType, SupportedModelTypes())
	}
	if a, ok := raw["architectures"].([]any); ok {
		for _, s := range a {
			if s, ok := s.(string); ok {
				c.Architectures = append(c.Architectures, s)
			}
		}
	}
	text := raw
	if arch.nestedText {
		tc, ok := raw["text_config"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("model_type %q needs a text_config object", c.ModelType)
		}
		text = tc
	}
	c.TextModelType = str(text, "model_type")
	if c.TextModelType == "" {
		c.TextModelType = c.ModelType
	}
	c.VocabSize = num(text, "vocab_size", 0)
	if arch.nestedText {
		c.VocabSize = num(raw, "vocab_size", 262208) // mlx-lm: the top level wins
	}
	c.HiddenSize = num(text, "hidden_size", 0)
	c.NumLayers = num(text, "num_hidden_layers", 0)
	c.IntermediateSize = num(text, "intermediate_size", 0)
	c.NumHeads = num(text, "num_attention_heads", arch.defaultHeads)
	c.NumKVHeads = num(text, "num_key_value_heads", c.NumHeads)
	if arch.nestedText {
		c.NumKVHeads = num(text, "num_key_value_heads", 4)
	}
	c.HeadDim = num(text, "head_dim", 0)
	if c.HeadDim == 0 && c.NumHeads > 0 {
		c.HeadDim = c.HiddenSize / c.NumHeads
	}
	c.RMSNormEps = flt(text, "rms_norm_eps", 1e-6)
	c.RopeTheta = flt(text, "rope_theta", arch.defaultRopeTheta)
	c.RopeScaling, _ = text["rope_scaling"].(map[string]any)
	// transformers >= 5 nests both under rope_parameters (mlx-lm reads it
	// when the flat fields are absent).
	if rp, ok := text["rope_parameters"].(map[string]any); ok {
		if _, has := text["rope_theta"]; !has {
			c.RopeTheta = flt(rp, "rope_theta", c.RopeTheta)
		}
		if c.RopeScaling == nil {
			c.RopeScaling = rp
		}
	}
	c.TieWordEmbeddings = boolean(text, "tie_word_embeddings", arch.defaultTied)
	if arch.nestedText {
		c.TieWordEmbeddings = true
	}
	c.AttentionBias = boolean(text, "attention_bias", false)
	c.MLPBias = boolean(text, "mlp_bias", false)
	c.MaxPositions = num(text, "max_position_embeddings", 0)
	c.QueryPreAttnScalar = flt(text, "query_pre_attn_scalar", 256)
	c.SlidingWindow = num(text, "sliding_window", 512)
	c.SlidingWindowPattern = num(text, "sliding_window_pattern", 6)
	c.RopeLocalBaseFreq = flt(text, "rope_local_base_freq", 10000)
	c.TorchDtype = str(raw, "torch_dtype")
	if c.TorchDtype == "" {
		c.TorchDtype = str(text, "torch_dtype")
	}
	if q, ok := raw["quantization"].(map[string]any); ok {
		c.Quantization = &Quantization{GroupSize: num(q, "group_size", 64), Bits: num(q, "bits", 4), Mode: str(q, "mode")}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"vocab_size", c.VocabSize}, {"hidden_size", c.HiddenSize}, {"num_hidden_layers", c.NumLayers},
		{"intermediate_size", c.IntermediateSize}, {"num_attention_heads", c.NumHeads}, {"num_key_value_heads", c.NumKVHeads}} {
		if f.v <= 0 {
			return nil, fmt.Errorf("missing or invalid %s", f.name)
		}
	}
	if c.RopeTheta <= 0 {
		return nil, errors.New("missing rope_theta")
	}
	if c.NumHeads%c.NumKVHeads != 0 {
		return nil, fmt.Errorf("num_attention_heads %d is not a multiple of num_key_value_heads %d", c.NumHeads, c.NumKVHeads)
	}
	return c, nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func num(m map[string]any, k string, def int) int {
	if f, ok := m[k].(float64); ok {
		return int(f)
	}
	return def
}

func flt(m map[string]any, k string, def float64) float64 {
	if f, ok := m[k].(float64); ok {
		return f
	}
	return def
}

func boolean(m map[string]any, k string, def bool) bool {
	if b, ok := m[k].(bool); ok {
		return b
	}
	return def
}
