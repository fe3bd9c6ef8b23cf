package engine

import (
	"context"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/symbols"
)

// generator stands for a compiled package whose method returns an
// iterator, as models' Generate does: the REPL must range over it.
type generator struct{ words []string }

func (g *generator) Generate(ctx context.Context, prompt string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, w := range append([]string{prompt}, g.words...) {
			if ctx.Err() != nil || !yield(w) {
				return
			}
		}
	}
}

func newGenerator(words ...string) *generator { return &generator{words: words} }

func init() {
	// Registered like a generated table, before any engine exists.
	symbols.Symbols["example.com/gen/gen"] = map[string]reflect.Value{
		"Generator": reflect.ValueOf((*generator)(nil)),
		"New":       reflect.ValueOf(newGenerator),
	}
}

func TestRangeOverCompiledIterator(t *testing.T) {
	// The reference: the same loop, compiled.
	var want strings.Builder
	m := newGenerator("a", "b", "c", "d")
	for tok := range m.Generate(context.Background(), "Hi") {
		if tok == "a" {
			continue
		}
		fmt.Fprintln(&want, tok)
		if tok == "c" {
			break
		}
	}

	e, out := newTestEngine(t)
	mustEval(t, e, "ctx := context.Background()\nm := gen.New(\"a\", \"b\", \"c\", \"d\")")
	mustEval(t, e, `for tok := range m.Generate(ctx, "Hi") {
	if tok == "a" {
		continue
	}
	fmt.Println(tok)
	if tok == "c" {
		break
	}
}`)
	if out.String() != want.String() {
		t.Errorf("REPL printed\n%s\ncompiled Go printed\n%s", out, want.String())
	}
}
