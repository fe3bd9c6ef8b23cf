package repl

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/models/lm/lmtest"
)

// TestGenerateLoopAtThePrompt types the REPL's headline loop over a tiny
// checkpoint and compares the tokens with the same loop compiled.
func TestGenerateLoopAtThePrompt(t *testing.T) {
	dir, m := lmtest.Tiny(t)
	var want []string
	for tok := range m.Generate(context.Background(), "Hi", lm.MaxTokens(6)).Tokens() {
		want = append(want, fmt.Sprintf("tok= %d", tok.ID))
	}

	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line(fmt.Sprintf("m, err := lm.LoadLLM(%q)", dir))
	tm.prompt()
	tm.line(`for tok := range m.Generate(context.Background(), "Hi", lm.MaxTokens(6)).Tokens() {`)
	tm.line(`	fmt.Println("tok=", tok.ID)`)
	tm.line(`}`)
	out := tm.expect(`(tok= \d+\n)+mlx> `, wait)
	got := regexp.MustCompile(`tok= \d+`).FindAllString(out, -1)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("REPL tokens %v, compiled %v", got, want)
	}

	// Ctrl-C stops a long generation (a compiled loop that polls
	// interrupt) and the session goes on.
	tm.line(`g := m.Generate(context.Background(), "Hi", lm.MaxTokens(1000000))`)
	tm.prompt()
	tm.line(`n := 0; for range g.Tokens() { n++ }`)
	time.Sleep(700 * time.Millisecond)
	sent := time.Now()
	tm.send("\x03")
	tm.prompt()
	if d := time.Since(sent); d > 2*time.Second {
		t.Errorf("generation stopped %v after Ctrl-C", d)
	}
	tm.line(`n > 0 && n < 1000000`)
	tm.expect(`\ntrue\n`, wait)
}
