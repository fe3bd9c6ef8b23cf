package lm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/interrupt"
	"github.com/mlx-go/mlx-go/tensor"
)

// Token is one generated token and the text it adds. Text can be empty (a
// character still incomplete, or text held back because it may begin a
// stop string) and can carry text held back from earlier tokens. The
// token that completes a stop string is reported with the text before the
// stop string; a stop token is not reported, but text still held when it
// comes (an incomplete character) arrives as a last Token with ID -1.
type Token struct {
	ID   int
	Text string
}

// Generation is a generation in progress: range over Tokens (Go) or call
// Each (the REPL), then check Err, which is nil when generation ended
// normally (a stop token or string, or MaxTokens) and the reason
// otherwise (a cancelled context, an interrupt, a failure). A Generation
// runs once.
type Generation struct {
	llm     *LLM
	ctx     context.Context
	prompt  []int
	opts    Options
	setup   error // an option or prompt problem, reported when run
	ran     bool
	err     error
	metrics Metrics
}

// Tokens streams the generated tokens.
func (g *Generation) Tokens() iter.Seq[Token] {
	return func(yield func(Token) bool) { g.run(yield) }
}

// Each calls fn with each generated token until fn returns false or
// generation ends, and returns Err.
func (g *Generation) Each(fn func(tok Token) bool) error {
	g.run(fn)
	return g.err
}

// Text runs the generation to its end and returns the text.
func (g *Generation) Text() (string, error) {
	var b strings.Builder
	g.run(func(t Token) bool { b.WriteString(t.Text); return true })
	return b.String(), g.err
}

// IDs runs the generation to its end and returns the token ids.
func (g *Generation) IDs() ([]int, error) {
	var ids []int
	g.run(func(t Token) bool {
		if t.ID >= 0 {
			ids = append(ids, t.ID)
		}
		return true
	})
	return ids, g.err
}

// Err is nil after a normal end, else why generation stopped.
func (g *Generation) Err() error { return g.err }

// Metrics reports the prompt and decode speeds and memory of the run.
func (g *Generation) Metrics() Metrics { return g.metrics }

// interrupted is the context's error or an interrupt request.
func (g *Generation) interrupted() error {
	if err := g.ctx.Err(); err != nil {
		return err
	}
	return interrupt.Check()
}

func (g *Generation) run(yield func(Token) bool) {
	if g.ran {
		if g.err == nil {
			g.err = errors.New("lm: a Generation runs once")
		}
		return
	}
	g.ran = true
	if g.err = g.setup; g.err != nil {
		return
	}
	if len(g.prompt) == 0 {
		g.err = errors.New("lm: empty prompt")
		return
	}
	if g.err = checkIDs(g.prompt, g.llm.Model.Config().VocabSize); g.err != nil {
		return
	}
	st, err := newStepper(g.llm.Model, &g.opts)
	if err != nil {
		g.err = fmt.Errorf("lm: %w", err)
		return
	}
	defer st.free()
	if g.opts.Cache == nil {
		defer st.cache.Free()
	}
	if err := tensor.Try(func() { g.err = g.loop(st, yield) }); err != nil {
		g.err = fmt.Errorf("lm: generation failed: %w", err)
	}
}

// loop is mlx-lm's stream_generate over generate_step. Each step's device
// work (building the graph, scheduling it, reading the token) runs on the
// compile thread, the caller's code (yield) on the caller's goroutine: the
// compiled activations then cost a direct call each instead of a hand-off
// between threads (40 µs against 2), and MLX's work keeps to one OS
// thread, which the CUDA backend rewards (measured +28% decode on an H100).
// A *tensor.Error panic inside it (device work, or the caller's own tensor
// code in yield) becomes the Generation's error; other panics pass through.
func (g *Generation) loop(st *stepper, yield func(Token) bool) error {
	o := &g.opts
	m := &g.metrics
	m.PromptTokens = len(g.prompt)
	tensor.ResetPeakMemory()
	start := time.Now()
	// The device work runs on the compile thread (see above).
	var y *tensor.Array
	var err error
	tensor.RunOnCompileThread(func() {
		var rest []int
		if rest, err = st.prefill(g.prompt, g.interrupted, nil); err == nil {
			y = st.step(tensor.FromInts(rest, len(rest)))
			tensor.AsyncEval(y)
		}
	})
	if err != nil {
		m.FinishReason = "cancelled"
		return err
	}
	out := newTextOut(g.llm, o.StopStrings)
	stops := o.StopTokens
	if stops == nil {
		stops = g.llm.EOS
	}
	var decodeStart time.Time
	var pending *tensor.Array
	defer func() {
		if pending != nil {
			tensor.Eval(pending) // leave the cache settled
		}
	}()
	for n := 0; ; n++ {
		if err := g.interrupted(); err != nil {
			m.finish(n, decodeStart, "cancelled")
			return err
		}
		pending = nil
		var id int
		tensor.RunOnCompileThread(func() {
			if n != o.MaxTokens {
				pending = st.step(y)
				tensor.AsyncEval(pending)
			}
			id = y.Int()
			y.Free()
		})
		if n == 0 {
			m.TimeToFirstToken = time.Since(start)
			m.PrefillTokensPerSec = float64(m.PromptTokens) / m.TimeToFirstToken.Seconds()
			decodeStart = time.Now()
		}
		if slices.Contains(stops, id) {
			m.finish(n+1, decodeStart, "stop")
			if text := out.flush(); text != "" {
				yield(Token{ID: -1, Text: text})
			}
			return nil
		}
		last := n+1 == o.MaxTokens
		text, stopped := out.add(id, last)
		if stopped { // the token completing a stop string is still reported
			m.finish(n+1, decodeStart, "stop")
			yield(Token{ID: id, Text: text})
			return nil
		}
		if !yield(Token{ID: id, Text: text}) {
			m.finish(n+1, decodeStart, "caller")
			return nil
		}
		if last {
			m.finish(n+1, decodeStart, "length")
			return nil
		}
		if n%256 == 0 {
			tensor.ClearCache()
		}
		y = pending
	}
}

func checkIDs(ids []int, vocab int) error {
	for _, id := range ids {
		if id < 0 || id >= vocab {
			return fmt.Errorf("lm: token %d outside the vocabulary (0..%d)", id, vocab-1)
		}
	}
	return nil
}
