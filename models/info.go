package models

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ModelInfo describes a model directory without loading its weights.
type ModelInfo struct {
	Path         string // the model directory
	Name         string // "org/name" for a Hugging Face cache entry, else the directory name
	ModelType    string // config.json model_type
	Architecture string // config.json architectures[0]
	VocabSize    int
	Layers       int
	Hidden       int
	Intermediate int
	Heads        int
	KVHeads      int
	HeadDim      int
	QuantBits    int // 0 when not quantized
	QuantGroup   int
	Dtype        string // float dtype of the (unquantized) weights: F32, BF16, F16
	Params       int64  // parameters as mlx-lm counts them (quantized ones unpacked)
	WeightBytes  int64  // bytes of the safetensors files
	BytesOnDisk  int64  // bytes of every file in the directory
	WeightFiles  []string
	Tensors      int  // tensors the model uses
	HasTokenizer bool // tokenizer.json present
	HasChat      bool // a chat template present
	Config       *Config
}

// Info reads config.json and the safetensors headers of the model in dir
// and checks them against the architecture: it fails, naming the problem,
// on a missing or corrupt file, an unsupported model_type, a tensor whose
// name or shape does not fit, or a truncated safetensors file.
func Info(dir string) (*ModelInfo, error) {
	c, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	headers, files, err := readHeaders(dir)
	if err != nil {
		return nil, err
	}
	kept, params, err := checkTensors(c, headers)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	m := &ModelInfo{Path: dir, Name: modelName(dir), ModelType: c.ModelType, VocabSize: c.VocabSize,
		Layers: c.NumLayers, Hidden: c.HiddenSize, Intermediate: c.IntermediateSize, Heads: c.NumHeads,
		KVHeads: c.NumKVHeads, HeadDim: c.HeadDim, Params: params, WeightFiles: files, Tensors: len(kept), Config: c}
	if len(c.Architectures) > 0 {
		m.Architecture = c.Architectures[0]
	}
	if q := c.Quantization; q != nil {
		m.QuantBits, m.QuantGroup = q.Bits, q.GroupSize
	}
	for _, n := range kept {
		if h := headers[n]; floatDtypes[h.Dtype] && !strings.HasSuffix(n, ".scales") && !strings.HasSuffix(n, ".biases") {
			m.Dtype = h.Dtype
			break
		}
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			m.WeightBytes += st.Size()
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.Mode().IsRegular() {
			m.BytesOnDisk += st.Size()
		}
	}
	_, err = os.Stat(filepath.Join(dir, "tokenizer.json"))
	m.HasTokenizer = err == nil
	m.HasChat = hasChatTemplate(dir)
	return m, nil
}

func hasChatTemplate(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "chat_template.jinja")); err == nil {
		return true
	}
	data, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	return err == nil && strings.Contains(string(data), `"chat_template"`)
}

// String is a one-line summary.
func (m *ModelInfo) String() string {
	q := m.Dtype
	if m.QuantBits > 0 {
		q = fmt.Sprintf("%d-bit/g%d", m.QuantBits, m.QuantGroup)
	}
	return fmt.Sprintf("%s (%s): %s params, %d layers, hidden %d, heads %d/%d, vocab %d, %s, %s on disk",
		m.Name, m.ModelType, human(float64(m.Params), ""), m.Layers, m.Hidden, m.Heads, m.KVHeads,
		m.VocabSize, q, human(float64(m.BytesOnDisk), "B"))
}

func human(v float64, unit string) string {
	for _, s := range []string{"", "K", "M", "G", "T"} {
		if v < 1000 {
			if s == "" {
				return fmt.Sprintf("%.0f%s", v, unit)
			}
			return fmt.Sprintf("%.1f%s%s", v, s, unit)
		}
		v /= 1000
	}
	return fmt.Sprintf("%.1fP%s", v, unit)
}
