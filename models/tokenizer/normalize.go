package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// normalizer rewrites text before pre-tokenization (HF "normalizer").
type normalizer func(string) string

func buildNormalizer(raw json.RawMessage) (normalizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Type        string            `json:"type"`
		Normalizers []json.RawMessage `json:"normalizers"`
		Pattern     patternJSON       `json:"pattern"`
		Content     string            `json:"content"`
		Prepend     string            `json:"prepend"`
		Left        bool              `json:"left"`
		Right       bool              `json:"right"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("normalizer: %w", err)
	}
	switch c.Type {
	case "Sequence":
		var steps []normalizer
		for _, r := range c.Normalizers {
			n, err := buildNormalizer(r)
			if err != nil {
				return nil, err
			}
			if n != nil {
				steps = append(steps, n)
			}
		}
		return func(s string) string {
			for _, n := range steps {
				s = n(s)
			}
			return s
		}, nil
	case "NFC":
		return norm.NFC.String, nil
	case "NFD":
		return norm.NFD.String, nil
	case "NFKC":
		return norm.NFKC.String, nil
	case "NFKD":
		return norm.NFKD.String, nil
	case "Lowercase":
		return strings.ToLower, nil
	case "Prepend":
		return func(s string) string {
			if s == "" {
				return s
			}
			return c.Prepend + s
		}, nil
	case "Strip":
		return func(s string) string {
			if c.Left {
				s = strings.TrimLeftFunc(s, isS)
			}
			if c.Right {
				s = strings.TrimRightFunc(s, isS)
			}
			return s
		}, nil
	case "Replace":
		m, err := patternMatcher(c.Pattern)
		if err != nil {
			return nil, fmt.Errorf("normalizer Replace: %w", err)
		}
		return func(s string) string {
			var b strings.Builder
			last := 0
			for _, sp := range m(s) {
				b.WriteString(s[last:sp[0]])
				b.WriteString(c.Content)
				last = sp[1]
			}
			b.WriteString(s[last:])
			return b.String()
		}, nil
	}
	return nil, fmt.Errorf("unsupported normalizer type %q (supported: Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Strip, Replace)", c.Type)
}
