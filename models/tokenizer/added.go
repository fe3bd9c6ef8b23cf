package tokenizer

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// addedTokens finds added (mostly special) tokens in text before the normal
// pipeline runs, as HF's AddedVocabulary does: leftmost match first, the
// longest token at that position, honouring lstrip/rstrip/single_word.
type addedTokens struct {
	byFirst [256][]addedTokenJSON // candidates by first byte, longest first
}

func newAddedTokens(list []addedTokenJSON) *addedTokens {
	a := &addedTokens{}
	for _, t := range list {
		if t.Content == "" {
			continue
		}
		a.byFirst[t.Content[0]] = append(a.byFirst[t.Content[0]], t)
	}
	for _, ts := range &a.byFirst {
		sort.SliceStable(ts, func(i, j int) bool { return len(ts[i].Content) > len(ts[j].Content) })
	}
	return a
}

// segment is a stretch of input: either an added token or plain text.
type segment struct {
	text  string
	token int // -1 for plain text
}

// split cuts text into plain stretches and added tokens. Tokens with
// normalized=true are matched on raw text too (see the package doc).
func (a *addedTokens) split(text string) []segment {
	var segs []segment
	plainStart := 0
	for i := 0; i < len(text); {
		t, ok := a.matchAt(text, i)
		if !ok {
			i++
			continue
		}
		start, end := i, i+len(t.Content)
		if t.Lstrip {
			for start > plainStart {
				r, size := utf8.DecodeLastRuneInString(text[:start])
				if !unicode.IsSpace(r) {
					break
				}
				start -= size
			}
		}
		if t.Rstrip {
			end += len(text[end:]) - len(strings.TrimLeftFunc(text[end:], unicode.IsSpace))
		}
		if start > plainStart {
			segs = append(segs, segment{text[plainStart:start], -1})
		}
		segs = append(segs, segment{text[start:end], t.ID})
		i, plainStart = end, end
	}
	if plainStart < len(text) {
		segs = append(segs, segment{text[plainStart:], -1})
	}
	return segs
}

func (a *addedTokens) matchAt(text string, i int) (addedTokenJSON, bool) {
	for _, t := range a.byFirst[text[i]] {
		if !strings.HasPrefix(text[i:], t.Content) {
			continue
		}
		if t.SingleWord && !(wordBoundaryBefore(text, i) && wordBoundaryAfter(text, i+len(t.Content))) {
			continue
		}
		return t, true
	}
	return addedTokenJSON{}, false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' }

func wordBoundaryBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i == 0 || !isWordRune(r)
}

func wordBoundaryAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i == len(s) || !isWordRune(r)
}
