package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestInterruptStopsInterpretedLoop(t *testing.T) {
	e, _ := newTestEngine(t)
	mustEval(t, e, "n := 0")
	go func() {
		time.Sleep(200 * time.Millisecond)
		e.Interrupt()
	}()
	start := time.Now()
	r := e.Eval(context.Background(), "for { n++ }")
	if r.Err == nil || r.Err.Kind != "interrupted" {
		t.Fatalf("want interrupted, got %+v", r.Err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("interrupt took %v", d)
	}
	// The session goes on, with its state.
	if r := mustEval(t, e, "n > 0"); r.Value.Text != "true" {
		t.Errorf("n > 0 = %s", r.Value.Text)
	}
}

func TestInterruptStopsCompiledLoopThatPolls(t *testing.T) {
	e, _ := newTestEngine(t)
	go func() {
		time.Sleep(200 * time.Millisecond)
		e.Interrupt()
	}()
	// interrupt.Check is compiled; the loop calling it stops through the
	// flag even if the context were ignored.
	r := e.Eval(context.Background(), "var err error\nfor err == nil { err = interrupt.Check() }\nerr")
	if r.Err == nil && (r.Value == nil || r.Value.Text != "interrupted") {
		t.Fatalf("loop was not stopped: %+v %+v", r.Value, r.Err)
	}
	// The next input starts with the flag cleared.
	if r := mustEval(t, e, "interrupt.Requested()"); r.Value.Text != "false" {
		t.Errorf("flag still set")
	}
}

func TestPanicsBecomeErrors(t *testing.T) {
	e, _ := newTestEngine(t)
	cases := []struct{ src, kind, msg string }{
		{"go func() { panic(\"in goroutine\") }()\ntime.Sleep(100 * time.Millisecond)", "panic", "in goroutine"},
		{"var m map[string]int\nm[\"a\"] = 1", "runtime", ""},
		{"a := tensor.New([]float32{1, 2})\nb := tensor.New([]float32{1, 2, 3})\n_ = tensor.Add(a, b)", "panic", "add"},
		{"var f func()\nf()", "", ""},
		{"type T struct{}\nvar t T\nt.Missing()", "compile", "Missing"},
		{"x := 1 / 0", "compile", ""},
		{"for i := range undefinedFn() {}", "compile", "undefined"},
	}
	for _, c := range cases {
		r := e.Eval(context.Background(), c.src)
		if r.Err == nil {
			t.Errorf("%q: no error", c.src)
			continue
		}
		if c.kind != "" && r.Err.Kind != c.kind || !strings.Contains(r.Err.Msg, c.msg) {
			t.Errorf("%q: got %s %q", c.src, r.Err.Kind, r.Err.Msg)
		}
	}
	if r := mustEval(t, e, "1 + 1"); r.Value.Text != "2" {
		t.Errorf("session broken after panics")
	}
}
