package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/models/lm/lmtest"
)

// TestRangeOverGenerate is the REPL's headline loop, on a tiny checkpoint:
// for tok := range m.Generate(ctx, prompt).Tokens() with break and
// continue, against the same loop compiled.
func TestRangeOverGenerate(t *testing.T) {
	dir, m := lmtest.Tiny(t)
	var want strings.Builder
	n := 0
	for tok := range m.Generate(context.Background(), "Hi", lm.MaxTokens(8)).Tokens() {
		n++
		if n == 2 {
			continue
		}
		fmt.Fprintln(&want, tok.ID)
		if n == 6 {
			break
		}
	}

	e, out := newTestEngine(t)
	mustEval(t, e, fmt.Sprintf("m, err := lm.LoadLLM(%q)\nctx := context.Background()", dir))
	mustEval(t, e, `n := 0
for tok := range m.Generate(ctx, "Hi", lm.MaxTokens(8)).Tokens() {
	n++
	if n == 2 {
		continue
	}
	fmt.Println(tok.ID)
	if n == 6 {
		break
	}
}`)
	if out.String() != want.String() || want.Len() == 0 {
		t.Errorf("REPL printed\n%s\ncompiled Go printed\n%s", out, want.String())
	}
	// Completion follows the chain's types.
	src := `m.Generate(ctx, "Hi").To`
	if items, _, _ := e.Complete(src, len(src)); !slices.Contains(items, "Tokens") {
		t.Errorf("Complete(%q) = %v", src, items)
	}
}
