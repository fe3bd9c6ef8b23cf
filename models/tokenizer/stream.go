package tokenizer

import (
	"strings"
	"unicode/utf8"
)

// Stream turns generated ids into text as they arrive without ever
// emitting broken UTF-8: a character whose bytes span several tokens (an
// emoji in byte-level BPE, byte-fallback pieces in Gemma) is held back
// until it is complete. Concatenating every Add and the final Flush gives
// Decode(all ids) (one exception, inherent to HF's byte-fallback rule: a
// run of byte tokens that never forms valid UTF-8 turns into one U+FFFD per
// byte, which can retract a character already shown).
type Stream struct {
	t           *Tokenizer
	skipSpecial bool
	ids         []int  // the window still being decoded
	shown       string // text of ids already returned
}

// NewStream starts a streaming decode.
func (t *Tokenizer) NewStream(skipSpecial bool) *Stream {
	return &Stream{t: t, skipSpecial: skipSpecial}
}

// Add takes the next id and returns the text that became final ("" while a
// character is incomplete).
func (s *Stream) Add(id int) string {
	s.ids = append(s.ids, id)
	text := s.t.Decode(s.ids, s.skipSpecial)
	// A trailing U+FFFD may be the start of a character whose remaining
	// bytes come in the next tokens: hold it (Flush releases it).
	end := len(text)
	for strings.HasSuffix(text[:end], "\uFFFD") {
		end -= utf8.RuneLen(utf8.RuneError)
	}
	if end < len(s.shown) || !strings.HasPrefix(text, s.shown) {
		return ""
	}
	out := text[len(s.shown):end]
	s.shown = text[:end]
	if end == len(text) {
		s.compact(text)
	}
	return out
}

// Flush returns what is still held back (as Decode would show it) and
// resets the stream.
func (s *Stream) Flush() string {
	text := s.t.Decode(s.ids, s.skipSpecial)
	out := strings.TrimPrefix(text, s.shown)
	s.ids, s.shown = s.ids[:0], ""
	return out
}

// compact drops ids already shown, keeping the last one as context so
// per-sequence decoder rules (a leading-space strip) see the same start;
// decoding then costs O(held tokens) per Add, not O(all tokens).
func (s *Stream) compact(text string) {
	if len(s.ids) < 2 {
		return
	}
	keep := s.ids[len(s.ids)-1]
	prefix := s.t.Decode([]int{keep}, s.skipSpecial)
	if strings.ContainsRune(prefix, utf8.RuneError) || !strings.HasSuffix(text, prefix) {
		return
	}
	s.ids = append(s.ids[:0], keep)
	s.shown = prefix
}
