package tokenizer

import (
	"encoding/json"
	"fmt"
)

// postProcessor adds the special tokens a model expects around an encoded
// sequence (HF "post_processor"), e.g. Llama 3's <|begin_of_text|>.
type postProcessor func(ids []int) []int

func buildPostProcessor(raw json.RawMessage) (postProcessor, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Type       string            `json:"type"`
		Processors []json.RawMessage `json:"processors"`
		Single     []struct {
			SpecialToken *struct {
				ID string `json:"id"`
			} `json:"SpecialToken"`
			Sequence *struct {
				ID string `json:"id"`
			} `json:"Sequence"`
		} `json:"single"`
		SpecialTokens map[string]struct {
			IDs []int `json:"ids"`
		} `json:"special_tokens"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("post_processor: %w", err)
	}
	switch c.Type {
	case "ByteLevel":
		return nil, nil // only adjusts offsets, which we do not report
	case "Sequence":
		var steps []postProcessor
		for _, r := range c.Processors {
			p, err := buildPostProcessor(r)
			if err != nil {
				return nil, err
			}
			if p != nil {
				steps = append(steps, p)
			}
		}
		return func(ids []int) []int {
			for _, p := range steps {
				ids = p(ids)
			}
			return ids
		}, nil
	case "TemplateProcessing":
		// Precompute what goes before and after the sequence $A.
		var before, after []int
		seen := false
		for _, item := range c.Single {
			switch {
			case item.Sequence != nil:
				if item.Sequence.ID != "A" || seen {
					return nil, fmt.Errorf("post_processor TemplateProcessing: single template must hold $A once")
				}
				seen = true
			case item.SpecialToken != nil:
				st, ok := c.SpecialTokens[item.SpecialToken.ID]
				if !ok {
					return nil, fmt.Errorf("post_processor TemplateProcessing: special token %q not defined", item.SpecialToken.ID)
				}
				if seen {
					after = append(after, st.IDs...)
				} else {
					before = append(before, st.IDs...)
				}
			}
		}
		return func(ids []int) []int {
			out := make([]int, 0, len(before)+len(ids)+len(after))
			out = append(append(append(out, before...), ids...), after...)
			return out
		}, nil
	}
	return nil, fmt.Errorf("unsupported post_processor type %q (supported: Sequence, ByteLevel, TemplateProcessing)", c.Type)
}
