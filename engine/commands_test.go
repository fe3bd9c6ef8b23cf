package engine

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCommands(t *testing.T) {
	e, out := newTestEngine(t)
	mustEval(t, e, "a := tensor.Ones([]int{64, 64})")
	mustEval(t, e, "b := tensor.Ones([]int{64, 64})")

	for _, prefix := range []string{":", "%"} {
		if r := mustEval(t, e, prefix+"help"); !strings.Contains(r.Value.Text, ":bench") {
			t.Errorf("help: %q", r.Value.Text)
		}
	}
	if r := mustEval(t, e, ":type a.Sum()"); r.Value.Text != "*tensor.Array" {
		t.Errorf(":type = %q", r.Value.Text)
	}
	out.Reset()
	r := mustEval(t, e, ":time c := tensor.Matmul(a, b)")
	if !regexp.MustCompile(`^time: [0-9.]+ (ns|µs|ms|s)\n$`).MatchString(out.String()) {
		t.Errorf(":time printed %q", out.String())
	}
	if r.Value != nil {
		t.Errorf(":time of an assignment shows %+v", r.Value)
	}
	if r := mustEval(t, e, "c.IsEvaluated()"); r.Value.Text != "true" {
		t.Errorf(":time left c lazy")
	}
	r = mustEval(t, e, "%timeit tensor.Matmul(a, b)")
	if !regexp.MustCompile(`median .* spread .* runs .*TFLOP/s`).MatchString(r.Value.Text) {
		t.Errorf(":bench matmul = %q", r.Value.Text)
	}
	r = mustEval(t, e, ":bench a.Add(b)")
	if !strings.Contains(r.Value.Text, "GB/s") {
		t.Errorf(":bench add = %q", r.Value.Text)
	}
	r = mustEval(t, e, ":bench x := 0; x++")
	if !strings.Contains(r.Value.Text, "median") || strings.Contains(r.Value.Text, "/s") {
		t.Errorf(":bench stmt = %q", r.Value.Text)
	}
	if r := mustEval(t, e, ":mem"); !strings.Contains(r.Value.Text, "active") || !strings.Contains(r.Value.Text, "live arrays") {
		t.Errorf(":mem = %q", r.Value.Text)
	}
	if r := mustEval(t, e, ":device cpu"); r.Value.Text != "default device: cpu" {
		t.Errorf(":device = %q", r.Value.Text)
	}
	if r := e.Eval(context.Background(), ":device tpu"); r.Err == nil || r.Err.Kind != "command" {
		t.Errorf(":device tpu: %+v", r.Err)
	}
	if r := mustEval(t, e, ":doc tensor.Matmul"); !strings.Contains(r.Value.Text, "func Matmul(") {
		t.Errorf(":doc = %q", r.Value.Text)
	}
	if r := mustEval(t, e, ":doc a.Sum"); !strings.Contains(r.Value.Text, "func (a *Array) Sum(") {
		t.Errorf(":doc a.Sum = %q", r.Value.Text)
	}
	if r := e.Eval(context.Background(), ":nosuch"); r.Err == nil || r.Err.Kind != "command" {
		t.Errorf(":nosuch: %+v", r.Err)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "prog.go")
	os.WriteFile(file, []byte("package main\n\nfunc helper() int { return 7 }\n\nfunc main() { fmt.Println(\"main ran\", helper()) }\n"), 0o644)
	out.Reset()
	mustEval(t, e, ":load "+file)
	if out.String() != "main ran 7\n" {
		t.Errorf(":load output %q", out.String())
	}
	if r := mustEval(t, e, "helper() * 2"); r.Value.Text != "14" {
		t.Errorf("loaded function: %q", r.Value.Text)
	}
	mustEval(t, e, ":reset")
	if r := e.Eval(context.Background(), "helper()"); r.Err == nil {
		t.Errorf(":reset kept helper")
	}
}

func TestCompletion(t *testing.T) {
	e, _ := newTestEngine(t)
	mustEval(t, e, "a := tensor.New([]float32{1, 2})\nresult := 3\ntype T struct{ Width int }\nt := T{}")
	cases := []struct {
		src  string
		want string
	}{
		{"tensor.Ze", "Zeros"},
		{"x := tensor.Ze", "ZerosLike"},
		{"a.Re", "Reshape"},
		{"res", "result"},
		{"fo", "for"},
		{"t.Wi", "Width"},
		{"strings.ToU", "ToUpper"},
		{":he", "help"},
		{"a.Sum().Resh", "Reshape"},
		{"x := tensor.Ones([]int{2}).Ab", "Abs"},
		{"(&T{}).Wi", "Width"},
	}
	for _, c := range cases {
		items, start, end := e.Complete(c.src, len(c.src))
		if !slices.Contains(items, c.want) {
			t.Errorf("Complete(%q) = %v, want %s", c.src, items, c.want)
		}
		if end != len(c.src) || start > end {
			t.Errorf("Complete(%q) range %d..%d", c.src, start, end)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "model.go"), nil, 0o644)
	src := ":load " + dir + "/mo"
	items, start, _ := e.Complete(src, len(src))
	if !slices.Contains(items, dir+"/model.go") || src[start:] != dir+"/mo" {
		t.Errorf("path completion %v from %d", items, start)
	}
}

func TestIsCompleteAndInspect(t *testing.T) {
	e, _ := newTestEngine(t)
	for src, want := range map[string]string{
		"x := 1":             "complete",
		"func f() {":         "incomplete",
		"for i := range 3 {": "incomplete",
		"x := `raw":          "incomplete",
		"y := 1 +":           "incomplete",
		"}":                  "invalid",
		":help":              "complete",
	} {
		if got, _ := e.IsComplete(src); got != want {
			t.Errorf("IsComplete(%q) = %s, want %s", src, got, want)
		}
	}
	if text, ok := e.Inspect("tensor.Matmul(a, b)", 9); !ok || !strings.Contains(text, "func Matmul") {
		t.Errorf("Inspect: %q %v", text, ok)
	}
}

// The kernel may ask for completions while a cell runs: they answer at
// once from the session as it was before the cell.
func TestCompleteWhileEvalRuns(t *testing.T) {
	e, _ := newTestEngine(t)
	mustEval(t, e, "counterVariable := 0")
	done := make(chan Result)
	go func() { done <- e.Eval(context.Background(), "for { counterVariable++ }") }()
	time.Sleep(100 * time.Millisecond)
	got := make(chan []string)
	go func() {
		items, _, _ := e.Complete("counterV", 8)
		got <- items
	}()
	select {
	case items := <-got:
		if !slices.Contains(items, "counterVariable") {
			t.Errorf("completions %v", items)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Complete blocked while Eval ran")
	}
	e.Interrupt()
	if r := <-done; r.Err == nil || r.Err.Kind != "interrupted" {
		t.Errorf("loop: %+v", r.Err)
	}
}
