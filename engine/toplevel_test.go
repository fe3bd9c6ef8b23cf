package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Cells that yaegi v0.16 compiled wrongly at the top level (see
// rewrite/toplevel.go, rewrite/definitions.go, rewrite/params.go and
// varunits.go); testdata/modern/toplevel.go checks the same against go run.

// cells evaluates inputs in order, as cells of one session, and returns
// what they printed and the value of the last one.
func cells(t *testing.T, inputs ...string) (out string, last string) {
	t.Helper()
	e, buf := newTestEngine(t)
	for _, in := range inputs {
		r := e.Eval(context.Background(), in)
		if r.Err != nil {
			t.Fatalf("cell %q: %v", in, r.Err)
		}
		last = ""
		if r.Value != nil {
			last = r.Value.Text
		}
	}
	return buf.String(), last
}

func TestSeveralVariablesFromOneValueInTopLevelBlocks(t *testing.T) {
	out, _ := cells(t,
		`if true { b, err := fmt.Println("w"); fmt.Println(b, err) }`,
		`for i := 0; i < 2; i++ { n, err := strconv.Atoi(strconv.Itoa(i)); fmt.Println(n, err) }`,
		`m := map[string]int{"a": 1}`,
		`if v, ok := m["a"]; ok { fmt.Println("found", v) }`,
		`var x any = 2.5`,
		`switch f, ok := x.(float64); { case ok: fmt.Println("float", f) }`,
		`{ var q, r = 7/2, 7%2; a, b := strconv.Atoi("9"); fmt.Println(q, r, a, b) }`,
	)
	want := "w\n2 <nil>\n0 <nil>\n1 <nil>\nfound 1\nfloat 2.5\n3 1 9 <nil>\n"
	if out != want {
		t.Errorf("printed\n%s\nwant\n%s", out, want)
	}
}

func TestCommaOkAtTheTopLevel(t *testing.T) {
	out, last := cells(t,
		`m := map[string]int{"a": 1}`,
		`v, ok := m["a"]`,
		`_, missing := m["b"]`,
		`var x any = "s"`,
		`s, isString := x.(string)`,
		`ch := make(chan int, 1); ch <- 3`,
		`got, open := <-ch`,
		`fmt.Println(v, ok, missing, s, isString, got, open)`,
		`v + got`,
	)
	if out != "1 true false s true 3 true\n" || last != "4" {
		t.Errorf("printed %q, last value %s", out, last)
	}
}

func TestIndexingWhatCompiledFunctionsReturn(t *testing.T) {
	_, last := cells(t,
		`gs := strings.Fields("a b c")`,
		`pe := gs[0]`,
		`var second = gs[1]`,
		`var typed string = gs[2]`,
		`shout := strings.ToUpper(gs[2]) + "!"`,
		`words, n := gs[1:], len(gs)`,
		`fmt.Sprintln(pe, second, typed, shout, words, n)`,
	)
	if last != `"a b c C! [b c] 3\n"` {
		t.Errorf("got %s", last)
	}
	// The same within one cell.
	_, last = cells(t, "ids := strings.Fields(\"x y\")\nfirst := ids[0]\nfirst + ids[1]")
	if last != `"xy"` {
		t.Errorf("one cell: got %s", last)
	}
}

func TestIndexingGradients(t *testing.T) {
	_, last := cells(t,
		`f := func(args []*tensor.Array) []*tensor.Array { return []*tensor.Array{args[0].Multiply(args[0]).Sum()} }`,
		`grads := tensor.Grad(f)(tensor.New([]float32{1, 2}))`,
		`g := grads[0]`,
		`g.Float32s()`,
	)
	if last != "[2 4]" {
		t.Errorf("gradient %s", last)
	}
}

func TestVarDeclarationsUseEarlierVariables(t *testing.T) {
	_, last := cells(t,
		`x := 1`,
		`gs := strings.Fields("a b")`,
		`var y = x`,
		`var z int = y + 1`,
		"var w = z * 10\nfunc getW() int { return w }",
		"var (\n\tu = x + 100\n\tv int\n\tt = gs[0]\n)",
		`x + y + z + getW() + u + v + len(t)`,
	)
	if last != "126" {
		t.Errorf("got %s", last)
	}
	// A variable of the same input, defined by a statement.
	_, last = cells(t, "n := 5\nvar m int = n * 2\nm")
	if last != "10" {
		t.Errorf("same input: got %s", last)
	}
	// Declarations that only use each other stay declarations, in any order.
	_, last = cells(t, "var a = b + 1\nvar b = double(2)\nfunc double(n int) int { return 2 * n }", "a")
	if last != "5" {
		t.Errorf("got %s", last)
	}
}

func TestUnnamedParameters(t *testing.T) {
	_, last := cells(t,
		`func apply(b func(int) int) int { return b(3) }`,
		`apply(func(int) int { return 7 })`,
	)
	if last != "7" {
		t.Errorf("apply: %s", last)
	}
	_, last = cells(t,
		`func label(int, string) string { kept := "kept"; return kept }`,
		`less := func(int, int) bool { keep := true; return keep }`,
		`fmt.Sprintln(label(1, "x"), less(1, 2))`,
	)
	if last != `"kept true\n"` {
		t.Errorf("got %s", last)
	}
	// Called back by compiled code (as optim.Trainer.Run calls a batch
	// function).
	_, last = cells(t, `strings.Map(func(rune) rune { x := 'x'; return x }, "ab")`)
	if last != `"xx"` {
		t.Errorf("strings.Map: %s", last)
	}
	// :doc shows the signature as written, not as rewritten.
	e, _ := newTestEngine(t)
	mustEval(t, e, `func label(int, string) string { return "" }`)
	if r := mustEval(t, e, ":doc label"); !strings.Contains(r.Value.Text, "func label(int, string) string") {
		t.Errorf(":doc label = %q", r.Value.Text)
	}
}

// A top-level loop run inside a function literal still stops on interrupt.
func TestInterruptStopsIsolatedTopLevelLoop(t *testing.T) {
	e, _ := newTestEngine(t)
	go func() {
		time.Sleep(150 * time.Millisecond)
		e.Interrupt()
	}()
	r := e.Eval(context.Background(), `for { n, err := strconv.Atoi("1"); _, _ = n, err }`)
	if r.Err == nil || r.Err.Kind != "interrupted" {
		t.Errorf("got %+v", r.Err)
	}
}

// A block run in a function literal is still the user's own text: an error
// in it has the user's line and column.
func TestErrorInIsolatedBlockKeepsItsPosition(t *testing.T) {
	e, _ := newTestEngine(t)
	r := e.Eval(context.Background(), "if true {\n\ta, b := strconv.Atoi(\"1\")\n\tfmt.Println(a, b, nope)\n}")
	if r.Err == nil || r.Err.Msg != "undefined: nope" || r.Err.Line != 3 || r.Err.Col != 20 {
		t.Errorf("got %+v", r.Err)
	}
}
