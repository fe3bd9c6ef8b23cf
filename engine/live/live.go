// Package live streams a language model's generation into one display
// that updates in place as tokens arrive, with the running speed
// (tokens/s) beneath the text and the run's metrics at the end:
//
//	text, err := live.Generate(m, "Once upon a time", lm.MaxTokens(200))
//
// In Jupyter that is a single output updated by update_display_data; in
// the terminal REPL the text is printed as it comes. Generation stops on
// Ctrl-C or Jupyter's interrupt, returning the text so far and the
// interrupt error.
package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/engine/display"
	"github.com/mlx-go/mlx-go/models/chat"
	"github.com/mlx-go/mlx-go/models/lm"
)

// Generate runs m on prompt, showing the text as it is generated, and
// returns all of it. The error is the generation's (nil after a normal
// end; interrupt.ErrInterrupted after an interrupt).
func Generate(m *lm.LLM, prompt string, opts ...lm.Option) (string, error) {
	// No context argument: the cell's interrupt reaches the generation
	// through the interrupt flag, which lm polls between tokens.
	return stream(m.Generate(context.Background(), prompt, opts...))
}

// Chat runs m on a conversation formatted by its chat template, showing
// the reply as it is generated, and returns it.
func Chat(m *lm.LLM, messages []chat.Message, opts ...lm.Option) (string, error) {
	return stream(m.Chat(context.Background(), messages, opts...))
}

// updateEvery throttles the display: a fast model makes hundreds of
// tokens a second, and a notebook slows down under that many messages.
var updateEvery = 50 * time.Millisecond

// stream runs g to its end, showing its text live.
func stream(g *lm.Generation) (string, error) {
	out := newView(display.Rich())
	var text strings.Builder
	tokens := 0
	var first, last time.Time
	start := time.Now()
	err := g.Each(func(tok lm.Token) bool {
		now := time.Now()
		if tok.ID >= 0 {
			tokens++
		}
		text.WriteString(tok.Text)
		out.write(tok.Text)
		if tokens == 1 && first.IsZero() {
			first = now
		}
		// The first token at once (the wait for it is the prefill), then
		// at most one update per updateEvery.
		if last.IsZero() || now.Sub(last) >= updateEvery {
			out.update(text.String(), runningStatus(tokens, first, now))
			last = now
		}
		return true
	})
	out.finish(text.String(), finalStatus(g.Metrics(), err, time.Since(start)))
	return text.String(), err
}

// runningStatus is the line under the text while tokens arrive.
func runningStatus(tokens int, first, now time.Time) string {
	rate := 0.0
	if d := now.Sub(first).Seconds(); tokens > 1 && d > 0 {
		rate = float64(tokens-1) / d // the first token's time is the prefill's
	}
	return fmt.Sprintf("%d tokens · %.1f tok/s", tokens, rate)
}

// finalStatus is the line under the finished text: mlx-lm's verbose
// numbers, and why generation stopped when it did not end normally.
func finalStatus(m lm.Metrics, err error, took time.Duration) string {
	s := fmt.Sprintf("%d tokens · %.1f tok/s decode · %.1f tok/s prefill (%d prompt tokens) · TTFT %s · %s",
		m.GeneratedTokens, m.DecodeTokensPerSec, m.PrefillTokensPerSec, m.PromptTokens,
		m.TimeToFirstToken.Round(time.Millisecond), took.Round(time.Millisecond))
	if err != nil {
		s += " · stopped: " + err.Error()
	}
	return s
}

// view is where the text goes: one display updated in place (Jupyter),
// or standard output a piece at a time (the REPL, a compiled program).
type view struct {
	rich bool
	id   string
	w    io.Writer
}

// terminal is where text goes without a rich display (a variable for
// tests).
var terminal io.Writer = os.Stdout

func newView(rich bool) *view {
	v := &view{rich: rich, w: terminal}
	if rich {
		v.id = newID()
		display.ShowID(v.id, bundle("", "starting…"))
	}
	return v
}

// write prints new text as it comes when there is no rich display.
func (v *view) write(s string) {
	if !v.rich {
		io.WriteString(v.w, s)
	}
}

// update shows the text so far (rich display only: the REPL has printed
// it already).
func (v *view) update(text, status string) {
	if v.rich {
		display.Update(v.id, bundle(text, status))
	}
}

// finish shows the final text and status.
func (v *view) finish(text, status string) {
	if v.rich {
		display.Update(v.id, bundle(text, status))
		return
	}
	fmt.Fprintf(v.w, "\n(%s)\n", status)
}

// newID is a display id unique across kernel restarts: an id reused by a
// restarted kernel would update an older cell's output.
func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "live-" + hex.EncodeToString(b)
}
