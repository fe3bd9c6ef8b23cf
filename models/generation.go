package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/mlx-go/mlx-go/models/tokenizer"
)

// GenerationConfig is generation_config.json: the ids that end a reply and
// the model's suggested sampling settings (zero when absent).
type GenerationConfig struct {
	BOS         int   // -1 when absent
	EOS         []int // as written (one id or a list)
	Temperature float64
	TopP        float64
	TopK        int
	DoSample    bool
}

// ReadGenerationConfig reads dir/generation_config.json; a missing file is
// an empty config, a corrupt one an error.
func ReadGenerationConfig(dir string) (*GenerationConfig, error) {
	g := &GenerationConfig{BOS: -1}
	path := filepath.Join(dir, "generation_config.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return g, nil
	} else if err != nil {
		return nil, err
	}
	var raw struct {
		BOS         *int            `json:"bos_token_id"`
		EOS         json.RawMessage `json:"eos_token_id"`
		Temperature float64         `json:"temperature"`
		TopP        float64         `json:"top_p"`
		TopK        int             `json:"top_k"`
		DoSample    bool            `json:"do_sample"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: corrupt JSON: %w", path, err)
	}
	if raw.BOS != nil {
		g.BOS = *raw.BOS
	}
	g.EOS, err = intOrList(raw.EOS)
	if err != nil {
		return nil, fmt.Errorf("%s: eos_token_id: %w", path, err)
	}
	g.Temperature, g.TopP, g.TopK, g.DoSample = raw.Temperature, raw.TopP, raw.TopK, raw.DoSample
	return g, nil
}

func intOrList(raw json.RawMessage) ([]int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one int
	if json.Unmarshal(raw, &one) == nil {
		return []int{one}, nil
	}
	var list []int
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("want an id or a list of ids")
	}
	return list, nil
}

// EOSTokenIDs are the ids that end generation, chosen as mlx-lm chooses
// them: generation_config.json's eos_token_id (else config.json's), plus
// the tokenizer's eos_token. Sorted, without duplicates.
func EOSTokenIDs(dir string) ([]int, error) {
	g, err := ReadGenerationConfig(dir)
	if err != nil {
		return nil, err
	}
	ids := g.EOS
	if len(ids) == 0 {
		if c, err := ReadConfig(dir); err == nil {
			raw, _ := json.Marshal(c.Raw["eos_token_id"])
			ids, _ = intOrList(raw)
		}
	}
	set := map[int]bool{}
	for _, id := range ids {
		set[id] = true
	}
	if name, err := tokenizerEOS(dir); err != nil {
		return nil, err
	} else if name != "" {
		tok, err := tokenizer.Load(dir)
		if err != nil {
			return nil, err
		}
		if id, ok := tok.TokenID(name); ok {
			set[id] = true
		}
	}
	out := make([]int, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Ints(out)
	return out, nil
}

// tokenizerEOS is tokenizer_config.json's eos_token ("" when absent).
func tokenizerEOS(dir string) (string, error) {
	path := filepath.Join(dir, "tokenizer_config.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	var cfg map[string]json.RawMessage
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", fmt.Errorf("%s: corrupt JSON: %w", path, err)
	}
	var s string
	if json.Unmarshal(cfg["eos_token"], &s) == nil {
		return s, nil
	}
	var obj struct{ Content string }
	json.Unmarshal(cfg["eos_token"], &obj)
	return obj.Content, nil
}
