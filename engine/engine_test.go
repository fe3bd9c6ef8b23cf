package engine

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// newTestEngine is an engine whose cell output is collected in out.
func newTestEngine(t *testing.T) (*Engine, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	e, err := New(Options{Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	return e, &out
}

func mustEval(t *testing.T, e *Engine, src string) Result {
	t.Helper()
	r := e.Eval(context.Background(), src)
	if r.Err != nil {
		t.Fatalf("Eval(%q): %v", src, r.Err)
	}
	return r
}

func TestStateAndValues(t *testing.T) {
	e, out := newTestEngine(t)
	mustEval(t, e, "x := 40")
	if r := mustEval(t, e, "x + 2"); r.Value == nil || r.Value.Text != "42" || r.Value.Type != "int" {
		t.Fatalf("x + 2 = %+v", r.Value)
	}
	if r := mustEval(t, e, `fmt.Println("hi", x)`); r.Value != nil {
		t.Errorf("a print shows a value: %+v", r.Value)
	}
	if got := out.String(); got != "hi 40\n" {
		t.Errorf("output %q", got)
	}
	if r := mustEval(t, e, "y := 3"); r.Value != nil {
		t.Errorf("an assignment shows a value: %+v", r.Value)
	}
	if r := mustEval(t, e, `"s" + "t"`); r.Value.Text != `"st"` {
		t.Errorf("string value %q", r.Value.Text)
	}
}

func TestArraysWithoutImport(t *testing.T) {
	e, _ := newTestEngine(t)
	mustEval(t, e, "a := tensor.New([][]float32{{1, 2}, {3, 4}})")
	r := mustEval(t, e, "a.Sum()")
	if r.Value.Type != "*tensor.Array" || r.Value.Text != "array(10, dtype=float32)" {
		t.Fatalf("a.Sum() = %+v", r.Value)
	}
	r = mustEval(t, e, "a")
	if !strings.Contains(r.Value.Rich["text/html"].(string), "<table>") {
		t.Errorf("rich %v", r.Value.Rich)
	}
	// An explicit import of an already imported package is fine.
	mustEval(t, e, `import "github.com/mlx-go/mlx-go/tensor"`)
	mustEval(t, e, `import "fmt"`)
	mustEval(t, e, `fmt.Sprint(1)`)
}

func TestMixedDeclarationsAndStatements(t *testing.T) {
	e, out := newTestEngine(t)
	mustEval(t, e, "type T struct{ A int }\nfunc (t *T) Twice() int { return 2 * t.A }\nt := &T{A: 4}\nfmt.Println(t.Twice())")
	if out.String() != "8\n" {
		t.Fatalf("output %q", out.String())
	}
	if r := mustEval(t, e, "T{A: 3}"); r.Value.Type != "main.T" || r.Value.Text != "{A:3}" {
		t.Errorf("T{A: 3} = %+v", r.Value)
	}
	if r := mustEval(t, e, "t"); r.Value.Type != "*main.T" || r.Value.Text != "&{A:4}" {
		t.Errorf("t = %+v", r.Value)
	}
}

func TestErrorsHaveUserPositions(t *testing.T) {
	e, _ := newTestEngine(t)
	cases := []struct {
		src        string
		kind       string
		line, col  int
		msgContain string
	}{
		{"x := 1\ny := undefinedThing + 1", "compile", 2, 6, "undefined"},
		{"var s []int\n_ = s[5]", "runtime", 2, 5, "index out of range"},
		{"var p *struct{ X int }\n\n_ = p.X", "runtime", 3, 5, "nil pointer"},
		{`panic("boom")`, "panic", 1, 1, "boom"},
		{"x := ", "compile", 1, 6, "expected"},
		{"func f() int { return 1 }\nfunc g() { f(1) }", "compile", 2, 12, "too many arguments"},
		// Statements beside a rewritten one keep their columns.
		{"for i := range 3 { _ = i }\n  z := undefinedVar", "compile", 2, 8, "undefined: undefinedVar"},
	}
	for _, c := range cases {
		r := e.Eval(context.Background(), c.src)
		if r.Err == nil {
			t.Errorf("%q: no error", c.src)
			continue
		}
		if r.Err.Kind != c.kind || r.Err.Line != c.line || c.line == 2 && c.col == 8 && r.Err.Col != c.col || !strings.Contains(r.Err.Msg, c.msgContain) {
			t.Errorf("%q: got %s %d:%d %q, want %s %d:%d ~%q", c.src, r.Err.Kind, r.Err.Line, r.Err.Col, r.Err.Msg, c.kind, c.line, c.col, c.msgContain)
		}
	}
}

// A call of a compiled function without results shows no value (yaegi
// hands back a nil func for it), while a call returning a func still does.
func TestVoidCompiledCallShowsNoValue(t *testing.T) {
	e, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{`tensor.Seed(1)`, `display.HTML("<b>x</b>")`} {
		if r := e.Eval(context.Background(), src); r.Err != nil || r.Value != nil {
			t.Errorf("%s: want no value, got %+v %+v", src, r.Value, r.Err)
		}
	}
	r := e.Eval(context.Background(), `tensor.Grad1(func(x *tensor.Array) *tensor.Array { return x.Square() })`)
	if r.Err != nil || r.Value == nil {
		t.Errorf("a call returning a func must show a value, got %+v %+v", r.Value, r.Err)
	}
}
