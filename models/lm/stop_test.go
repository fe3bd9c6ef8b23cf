package lm

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/interrupt"
)

// A stop string ends generation before its first occurrence, even when
// it spans tokens, and no text after it is ever streamed.
func TestStopStrings(t *testing.T) {
	l := loadLLM(t, "llama-fp32")
	full, err := l.Generate(t.Context(), promptText, MaxTokens(64), StopTokens()).Text()
	if err != nil {
		t.Fatal(err)
	}
	if len(full) < 40 {
		t.Fatalf("greedy text too short to test: %q", full)
	}
	for _, stop := range []string{full[20:26], full[len(full)-5:], "never appears \x00"} {
		var streamed strings.Builder
		g := l.Generate(t.Context(), promptText, MaxTokens(64), StopTokens(), StopStrings("unused-stop", stop))
		for tok := range g.Tokens() {
			streamed.WriteString(tok.Text)
		}
		if g.Err() != nil {
			t.Fatal(g.Err())
		}
		want, reason := full, "length"
		if i := strings.Index(full, stop); i >= 0 {
			want, reason = full[:i], "stop"
		}
		if streamed.String() != want || g.Metrics().FinishReason != reason {
			t.Errorf("stop %q: streamed %q (%s), want %q (%s)", stop, streamed.String(), g.Metrics().FinishReason, want, reason)
		}
	}
}

// Streamed pieces add up to the whole text; the callback form sees the
// same tokens as the iterator; a stop token ends generation without
// being part of the text.
func TestStreamingForms(t *testing.T) {
	l := loadLLM(t, "gemma3_text-bf16")
	ids, err := l.Generate(t.Context(), promptText, MaxTokens(40), StopTokens()).IDs()
	if err != nil {
		t.Fatal(err)
	}
	var viaEach []int
	var text strings.Builder
	err = l.Generate(t.Context(), promptText, MaxTokens(40), StopTokens()).Each(func(tok Token) bool {
		viaEach = append(viaEach, tok.ID)
		text.WriteString(tok.Text)
		return true
	})
	if err != nil || len(viaEach) != 40 {
		t.Fatalf("Each: %v, %d tokens", err, len(viaEach))
	}
	for i := range ids {
		if ids[i] != viaEach[i] {
			t.Fatalf("Each token %d = %d, IDs gave %d", i, viaEach[i], ids[i])
		}
	}
	if want := l.Tokenizer.Decode(ids, false); text.String() != want {
		t.Errorf("streamed text %q, Decode gives %q", text.String(), want)
	}
	// Make token 10 a stop token: generation ends before it.
	g := l.Generate(t.Context(), promptText, MaxTokens(40), StopTokens(ids[10]))
	got, err := g.IDs()
	first := 0
	for first < len(ids) && ids[first] != ids[10] {
		first++
	}
	if err != nil || len(got) != first || g.Metrics().FinishReason != "stop" || g.Metrics().GeneratedTokens != first+1 {
		t.Errorf("stop token: %v, %d tokens (%+v), want %d", err, len(got), g.Metrics(), first)
	}
}

// Cancelling the context, or an interrupt, stops generation within one
// token, reported by Err; breaking out of the loop is a normal end.
func TestCancellation(t *testing.T) {
	l := loadLLM(t, "qwen2-fp32")
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	err := l.Generate(ctx, promptText, MaxTokens(100), StopTokens()).Each(func(Token) bool {
		n++
		if n == 5 {
			cancel()
		}
		return true
	})
	if !errors.Is(err, context.Canceled) || n != 5 {
		t.Errorf("cancel after 5: %d tokens, err %v", n, err)
	}
	n = 0
	defer interrupt.Clear()
	err = l.Generate(t.Context(), promptText, MaxTokens(100), StopTokens()).Each(func(Token) bool {
		n++
		if n == 3 {
			interrupt.Request()
		}
		return true
	})
	if !errors.Is(err, interrupt.ErrInterrupted) || n != 3 {
		t.Errorf("interrupt after 3: %d tokens, err %v", n, err)
	}
	interrupt.Clear()
	g := l.Generate(t.Context(), promptText, MaxTokens(100), StopTokens())
	n = 0
	for range g.Tokens() {
		if n++; n == 7 {
			break
		}
	}
	if g.Err() != nil || g.Metrics().FinishReason != "caller" || g.Metrics().GeneratedTokens != 7 {
		t.Errorf("break after 7: err %v, %+v", g.Err(), g.Metrics())
	}
	done, cancelDone := context.WithCancel(t.Context())
	cancelDone()
	if _, err := l.Generate(done, strings.Repeat(promptText, 4), PrefillStepSize(8)).Text(); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before prefill: err %v", err)
	}
}

// Bad options and prompts are errors, not crashes.
func TestGenerateErrors(t *testing.T) {
	l := loadLLM(t, "qwen3-fp32")
	vocab := l.Model.Config().VocabSize
	for name, opts := range map[string][]Option{
		"top_k >= vocab":     {Temperature(1), TopK(vocab)},
		"negative temp":      {Temperature(-1)},
		"min_p > 1":          {Temperature(1), MinP(1.5, 1)},
		"bias outside vocab": {LogitBias(map[int]float64{vocab: 1})},
		"negative penalty":   {RepetitionPenalty(-1, 0)},
		"kv bits 5":          {KVBits(5, 32, 0)},
		"kv group 64 > head": {KVBits(8, 64, 0)},
	} {
		if _, err := l.Generate(t.Context(), promptText, append(opts, MaxTokens(4))...).Text(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := l.GenerateIDs(t.Context(), nil).IDs(); err == nil {
		t.Error("empty prompt: no error")
	}
	if _, err := l.GenerateIDs(t.Context(), []int{vocab + 5}).IDs(); err == nil {
		t.Error("token outside vocabulary: no error")
	}
	g := l.Generate(t.Context(), promptText, MaxTokens(2))
	g.Text()
	if _, err := g.Text(); err == nil {
		t.Error("second run: no error")
	}
	if l.Template == nil {
		t.Fatal("qwen3 checkpoint has a chat template")
	}
}

// Metrics count what mlx-lm counts and time what it times.
func TestMetrics(t *testing.T) {
	l := loadLLM(t, "llama-bf16")
	prompt := l.Encode(promptText)
	g := l.GenerateIDs(t.Context(), prompt, MaxTokens(16), StopTokens())
	if _, err := g.IDs(); err != nil {
		t.Fatal(err)
	}
	m := g.Metrics()
	if m.PromptTokens != len(prompt) || m.GeneratedTokens != 16 || m.TimeToFirstToken <= 0 ||
		m.PrefillTokensPerSec <= 0 || m.DecodeTokensPerSec <= 0 || m.PeakMemory == 0 || m.FinishReason != "length" {
		t.Errorf("metrics %+v", m)
	}
	if !strings.Contains(m.String(), "Generation: 16 tokens") {
		t.Errorf("summary %q", m.String())
	}
}
