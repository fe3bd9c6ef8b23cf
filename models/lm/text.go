package lm

import (
	"strings"

	"github.com/mlx-go/mlx-go/models/tokenizer"
)

// textOut turns generated ids into the text each token adds: streaming
// detokenization (no broken UTF-8) and stop strings, holding back any tail
// that could be the start of one so text after a stop string is never
// shown.
type textOut struct {
	stream  *tokenizer.Stream
	stops   []string
	text    string // everything decoded so far
	emitted int    // bytes of text already returned
}

func newTextOut(l *LLM, stops []string) *textOut {
	var keep []string
	for _, s := range stops {
		if s != "" {
			keep = append(keep, s)
		}
	}
	return &textOut{stream: l.Tokenizer.NewStream(false), stops: keep}
}

// add takes the next id; last releases everything held. stopped: a stop
// string appeared (text then ends before it).
func (t *textOut) add(id int, last bool) (text string, stopped bool) {
	t.text += t.stream.Add(id)
	if last {
		t.text += t.stream.Flush()
	}
	if len(t.stops) == 0 {
		return t.take(len(t.text)), false
	}
	from := max(0, t.emitted-t.longestStop())
	cut := -1
	for _, s := range t.stops {
		if i := strings.Index(t.text[from:], s); i >= 0 && (cut < 0 || from+i < cut) {
			cut = from + i
		}
	}
	if cut >= 0 {
		return t.take(max(cut, t.emitted)), true
	}
	if last {
		return t.take(len(t.text)), false
	}
	return t.take(len(t.text) - t.heldTail()), false
}

// flush releases what is held at a normal end.
func (t *textOut) flush() string {
	t.text += t.stream.Flush()
	return t.take(len(t.text))
}

func (t *textOut) take(end int) string {
	if end <= t.emitted {
		return ""
	}
	out := t.text[t.emitted:end]
	t.emitted = end
	return out
}

func (t *textOut) longestStop() int {
	n := 0
	for _, s := range t.stops {
		n = max(n, len(s))
	}
	return n
}

// heldTail is the length of the longest suffix of the text that is a
// proper prefix of a stop string.
func (t *textOut) heldTail() int {
	best := 0
	for _, s := range t.stops {
		for k := min(len(s)-1, len(t.text)-t.emitted); k > best; k-- {
			if strings.HasSuffix(t.text, s[:k]) {
				best = k
				break
			}
		}
	}
	return best
}
