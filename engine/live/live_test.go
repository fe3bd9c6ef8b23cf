package live

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/engine/display"
	"github.com/mlx-go/mlx-go/models/chat"
	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/models/lm/lmtest"
)

// tiny loads a tiny random-weight model with a simple chat template.
func tiny(t *testing.T) *lm.LLM {
	t.Helper()
	dir := lmtest.TinyDir(t)
	tmpl := "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}"
	if err := os.WriteFile(filepath.Join(dir, "chat_template.jinja"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := lm.LoadLLM(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// capture routes displays to a slice as a rich front end, for one test.
func capture(t *testing.T, rich bool) *[]display.Output {
	var shown []display.Output
	display.SetHandler(func(o display.Output) { shown = append(shown, o) })
	display.SetRich(rich)
	t.Cleanup(func() { display.SetHandler(nil); display.SetRich(false) })
	return &shown
}

func withUpdateEvery(t *testing.T, d time.Duration) {
	old := updateEvery
	updateEvery = d
	t.Cleanup(func() { updateEvery = old })
}

func plain(o display.Output) string { return o.Data["text/plain"].(string) }

func TestGenerateUpdatesOneDisplay(t *testing.T) {
	m := tiny(t)
	opts := []lm.Option{lm.MaxTokens(30), lm.StopTokens()}
	want, err := m.Generate(context.Background(), "Hi", opts...).Text()
	if err != nil {
		t.Fatal(err)
	}
	withUpdateEvery(t, 0) // every token
	shown := capture(t, true)
	got, err := Generate(m, "Hi", opts...)
	if err != nil || got != want {
		t.Fatalf("Generate = %q, %v; want %q", got, err, want)
	}
	// The first display, one update per token, the final one.
	if n := len(*shown); n != 1+30+1 {
		t.Fatalf("%d outputs for 30 tokens, want 32", n)
	}
	first := (*shown)[0]
	if first.ID == "" || first.Update {
		t.Fatalf("first output %+v", first)
	}
	for i, o := range (*shown)[1:] {
		if !o.Update || o.ID != first.ID {
			t.Fatalf("output %d is not an update of %s: %+v", i+1, first.ID, o)
		}
	}
	if s := plain((*shown)[5]); !regexp.MustCompile(`\n\n5 tokens · [0-9.]+ tok/s$`).MatchString(s) {
		t.Errorf("running status %q", s)
	}
	final := plain((*shown)[len(*shown)-1])
	if !strings.HasPrefix(final, want+"\n\n30 tokens · ") || !strings.Contains(final, "tok/s decode") || !strings.Contains(final, "TTFT") {
		t.Errorf("final display %q", final)
	}
	if html := (*shown)[len(*shown)-1].Data["text/html"].(string); !strings.Contains(html, "tok/s") {
		t.Errorf("html %q", html)
	}
}

// Updates are throttled: with a long interval only the first token's and
// the final one are sent.
func TestUpdatesAreThrottled(t *testing.T) {
	m := tiny(t)
	withUpdateEvery(t, time.Hour)
	shown := capture(t, true)
	if _, err := Generate(m, "Hi", lm.MaxTokens(40), lm.StopTokens()); err != nil {
		t.Fatal(err)
	}
	if n := len(*shown); n != 3 {
		t.Fatalf("%d outputs, want show + first token + final", n)
	}
}

func TestChat(t *testing.T) {
	m := tiny(t)
	msgs := []chat.Message{{Role: "user", Content: "Hello"}}
	want, err := m.Chat(context.Background(), msgs, lm.MaxTokens(12), lm.StopTokens()).Text()
	if err != nil {
		t.Fatal(err)
	}
	shown := capture(t, true)
	got, err := Chat(m, msgs, lm.MaxTokens(12), lm.StopTokens())
	if err != nil || got != want {
		t.Fatalf("Chat = %q, %v; want %q", got, err, want)
	}
	if final := plain((*shown)[len(*shown)-1]); !strings.HasPrefix(final, want+"\n\n") {
		t.Fatalf("final display %q", final)
	}
}

// A generation that fails shows why, and returns the error.
func TestFailureIsShown(t *testing.T) {
	m := tiny(t)
	m.Template = nil
	shown := capture(t, true)
	_, err := Chat(m, []chat.Message{{Role: "user", Content: "Hello"}})
	if err == nil || !strings.Contains(err.Error(), "no chat template") {
		t.Fatalf("error %v", err)
	}
	if final := plain((*shown)[len(*shown)-1]); !strings.Contains(final, "stopped: lm: ") {
		t.Fatalf("final display %q", final)
	}
}

// Without a rich display (the terminal REPL) the text is printed as it
// comes, then the metrics; no display is sent.
func TestPlainTextInTerminal(t *testing.T) {
	m := tiny(t)
	want, _ := m.Generate(context.Background(), "Hi", lm.MaxTokens(20), lm.StopTokens()).Text()
	var out bytes.Buffer
	old := terminal
	terminal = &out
	t.Cleanup(func() { terminal = old })
	shown := capture(t, false)
	got, err := Generate(m, "Hi", lm.MaxTokens(20), lm.StopTokens())
	if err != nil || got != want {
		t.Fatalf("Generate = %q, %v", got, err)
	}
	if len(*shown) != 0 {
		t.Fatalf("%d displays in the terminal", len(*shown))
	}
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(want) + `\n\(20 tokens · [0-9.]+ tok/s decode .*\)\n$`).MatchString(out.String()) {
		t.Fatalf("printed %q", out.String())
	}
}
