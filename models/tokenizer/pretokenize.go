package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
)

// preTokenizer cuts normalized text into words that the model encodes
// independently (HF "pre_tokenizer"); it maps pieces to pieces so steps
// chain like HF's Sequence. atStart says pieces[0] begins the input (not
// text after an added token), which Metaspace's prepend_scheme "first"
// needs.
type preTokenizer func(pieces []string, atStart bool) []string

func buildPreTokenizer(raw json.RawMessage) (preTokenizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Type           string            `json:"type"`
		PreTokenizers  []json.RawMessage `json:"pretokenizers"`
		Pattern        patternJSON       `json:"pattern"`
		Behavior       string            `json:"behavior"`
		Invert         bool              `json:"invert"`
		Replacement    string            `json:"replacement"`
		PrependScheme  string            `json:"prepend_scheme"`
		Split          *bool             `json:"split"`
		AddPrefixSpace *bool             `json:"add_prefix_space"`
		UseRegex       *bool             `json:"use_regex"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("pre_tokenizer: %w", err)
	}
	switch c.Type {
	case "Sequence":
		var steps []preTokenizer
		for _, r := range c.PreTokenizers {
			p, err := buildPreTokenizer(r)
			if err != nil {
				return nil, err
			}
			if p != nil {
				steps = append(steps, p)
			}
		}
		return func(pieces []string, atStart bool) []string {
			for _, p := range steps {
				pieces = p(pieces, atStart)
			}
			return pieces
		}, nil
	case "Split":
		find, err := patternMatcher(c.Pattern)
		if err != nil {
			return nil, fmt.Errorf("pre_tokenizer Split: %w", err)
		}
		if _, ok := behaviors[c.Behavior]; !ok {
			return nil, fmt.Errorf("pre_tokenizer Split: unsupported behavior %q", c.Behavior)
		}
		return func(pieces []string, _ bool) []string {
			var out []string
			for _, p := range pieces {
				out = splitBy(out, p, find(p), c.Behavior, c.Invert)
			}
			return out
		}, nil
	case "ByteLevel":
		useRegex := c.UseRegex == nil || *c.UseRegex
		gpt2 := func(s string) [][2]int { return splitMatches(s, gpt2Matcher) }
		return func(pieces []string, _ bool) []string {
			var out []string
			for _, p := range pieces {
				if p == "" {
					continue
				}
				if c.AddPrefixSpace != nil && *c.AddPrefixSpace && p[0] != ' ' {
					p = " " + p
				}
				if !useRegex {
					out = append(out, toByteLevel(p))
					continue
				}
				start := len(out)
				out = splitBy(out, p, gpt2(p), "Isolated", false)
				for i := start; i < len(out); i++ {
					out[i] = toByteLevel(out[i])
				}
			}
			return out
		}, nil
	case "Metaspace":
		scheme := c.PrependScheme
		if scheme == "" && c.AddPrefixSpace != nil && !*c.AddPrefixSpace {
			scheme = "never" // files older than prepend_scheme
		}
		return metaspace(c.Replacement, scheme, c.Split == nil || *c.Split)
	}
	return nil, fmt.Errorf("unsupported pre_tokenizer type %q (supported: Sequence, Split, ByteLevel, Metaspace)", c.Type)
}

// metaspace is SentencePiece's space handling (Llama 2, Mistral): spaces
// become the replacement (U+2581), one is prepended ("always", or "first":
// only at the start of the input, not after an added token), and with
// split each replacement starts a new piece.
func metaspace(rep, scheme string, split bool) (preTokenizer, error) {
	if rep == "" {
		rep = "\u2581"
	}
	switch scheme {
	case "":
		scheme = "always"
	case "always", "first", "never":
	default:
		return nil, fmt.Errorf("pre_tokenizer Metaspace: unknown prepend_scheme %q", scheme)
	}
	return func(pieces []string, atStart bool) []string {
		var out []string
		for i, p := range pieces {
			if p == "" {
				continue
			}
			p = strings.ReplaceAll(p, " ", rep)
			if !strings.HasPrefix(p, rep) && (scheme == "always" || scheme == "first" && atStart && i == 0) {
				p = rep + p
			}
			if !split {
				out = append(out, p)
				continue
			}
			var spans [][2]int
			for j := 0; ; {
				k := strings.Index(p[j:], rep)
				if k < 0 {
					break
				}
				spans = append(spans, [2]int{j + k, j + k + len(rep)})
				j += k + len(rep)
			}
			out = splitBy(out, p, spans, "MergedWithNext", false)
		}
		return out
	}, nil
}

var behaviors = map[string]bool{"Isolated": true, "Removed": true, "MergedWithPrevious": true,
	"MergedWithNext": true, "Contiguous": true}

// splitBy appends the pieces of s cut at the match spans, following HF's
// SplitDelimiterBehavior.
func splitBy(out []string, s string, spans [][2]int, behavior string, invert bool) []string {
	type part struct {
		start, end int
		match      bool
	}
	var parts []part
	last := 0
	for _, sp := range spans {
		if sp[0] > last {
			parts = append(parts, part{last, sp[0], invert})
		}
		parts = append(parts, part{sp[0], sp[1], !invert})
		last = sp[1]
	}
	if last < len(s) {
		parts = append(parts, part{last, len(s), invert})
	}
	var merged []part
	switch behavior {
	case "Isolated":
		merged = parts
	case "Removed":
		for _, p := range parts {
			if !p.match {
				merged = append(merged, p)
			}
		}
	case "Contiguous":
		for _, p := range parts {
			if n := len(merged); n > 0 && p.match && merged[n-1].match {
				merged[n-1].end = p.end
			} else {
				merged = append(merged, p)
			}
		}
	case "MergedWithPrevious":
		prevMatch := false
		for _, p := range parts {
			if n := len(merged); p.match && !prevMatch && n > 0 {
				merged[n-1].end = p.end
			} else {
				merged = append(merged, p)
			}
			prevMatch = p.match
		}
	case "MergedWithNext":
		prevMatch := false
		for i := len(parts) - 1; i >= 0; i-- {
			p := parts[i]
			if n := len(merged); p.match && !prevMatch && n > 0 {
				merged[n-1].start = p.start
			} else {
				merged = append(merged, p)
			}
			prevMatch = p.match
		}
		for i, j := 0, len(merged)-1; i < j; i, j = i+1, j-1 {
			merged[i], merged[j] = merged[j], merged[i]
		}
	}
	for _, p := range merged {
		if p.end > p.start {
			out = append(out, s[p.start:p.end])
		}
	}
	return out
}
