package tokenizer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decoder turns token strings back into text (HF "decoder"); like HF's
// decode_chain it maps a token list to a token list, joined at the end.
// Strings may hold raw bytes between steps; each step that HF runs
// from_utf8 in does the same lossy repair here.
type decoder func(tokens []string) []string

func buildDecoder(raw json.RawMessage) (decoder, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Type           string            `json:"type"`
		Decoders       []json.RawMessage `json:"decoders"`
		Pattern        patternJSON       `json:"pattern"`
		Content        json.RawMessage   `json:"content"`
		Start          int               `json:"start"`
		Stop           int               `json:"stop"`
		Replacement    string            `json:"replacement"`
		PrependScheme  string            `json:"prepend_scheme"`
		AddPrefixSpace *bool             `json:"add_prefix_space"` // files older than prepend_scheme
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("decoder: %w", err)
	}
	switch c.Type {
	case "Sequence":
		var steps []decoder
		for _, r := range c.Decoders {
			d, err := buildDecoder(r)
			if err != nil {
				return nil, err
			}
			if d != nil {
				steps = append(steps, d)
			}
		}
		return func(toks []string) []string {
			for _, d := range steps {
				toks = d(toks)
			}
			return toks
		}, nil
	case "ByteLevel":
		// HF joins the bytes of all tokens and repairs them once.
		return func(toks []string) []string {
			var b strings.Builder
			for _, t := range toks {
				b.WriteString(fromByteLevel(t))
			}
			return []string{lossyUTF8(b.String())}
		}, nil
	case "Replace":
		var content string
		if err := json.Unmarshal(c.Content, &content); err != nil || c.Pattern.String == nil {
			return nil, fmt.Errorf("decoder Replace: want a String pattern and string content")
		}
		pat := *c.Pattern.String
		return func(toks []string) []string {
			for i, t := range toks {
				toks[i] = strings.ReplaceAll(t, pat, content)
			}
			return toks
		}, nil
	case "ByteFallback":
		return byteFallback, nil
	case "Fuse":
		return func(toks []string) []string { return []string{strings.Join(toks, "")} }, nil
	case "Strip":
		var content string
		if err := json.Unmarshal(c.Content, &content); err != nil || utf8.RuneCountInString(content) != 1 {
			return nil, fmt.Errorf("decoder Strip: content must be one character")
		}
		ch, _ := utf8.DecodeRuneInString(content)
		return func(toks []string) []string {
			for i, t := range toks {
				toks[i] = stripRune(t, ch, c.Start, c.Stop)
			}
			return toks
		}, nil
	case "Metaspace":
		// The replacement turns back into spaces, except in the first
		// token, where it is dropped when the pre-tokenizer prepended one.
		rep, _ := utf8.DecodeRuneInString(c.Replacement)
		if c.Replacement == "" {
			rep = '\u2581'
		}
		strip := c.PrependScheme != "never" && !(c.PrependScheme == "" && c.AddPrefixSpace != nil && !*c.AddPrefixSpace)
		return func(toks []string) []string {
			for i, t := range toks {
				toks[i] = strings.Map(func(r rune) rune {
					switch {
					case r != rep:
						return r
					case i == 0 && strip:
						return -1
					}
					return ' '
				}, t)
			}
			return toks
		}, nil
	}
	return nil, fmt.Errorf("unsupported decoder type %q (supported: Sequence, ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace)", c.Type)
}

// byteFallback turns runs of <0xXX> tokens into their bytes: the run's text
// when it is valid UTF-8, else one U+FFFD per byte (HF's rule).
func byteFallback(toks []string) []string {
	out := make([]string, 0, len(toks))
	var pending []byte
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if utf8.Valid(pending) {
			out = append(out, string(pending))
		} else {
			for range pending {
				out = append(out, "\uFFFD")
			}
		}
		pending = pending[:0]
	}
	for _, t := range toks {
		if len(t) == 6 && strings.HasPrefix(t, "<0x") && t[5] == '>' {
			if b, err := strconv.ParseUint(t[3:5], 16, 8); err == nil {
				pending = append(pending, byte(b))
				continue
			}
		}
		flush()
		out = append(out, t)
	}
	flush()
	return out
}

// stripRune removes up to start leading and stop trailing copies of ch.
func stripRune(t string, ch rune, start, stop int) string {
	for ; start > 0; start-- {
		r, size := utf8.DecodeRuneInString(t)
		if r != ch || size == 0 {
			break
		}
		t = t[size:]
	}
	for ; stop > 0; stop-- {
		r, size := utf8.DecodeLastRuneInString(t)
		if r != ch || size == 0 {
			break
		}
		t = t[:len(t)-size]
	}
	return t
}
