package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runawaySrc starts a goroutine that recurses without end and touches
// mark once it is deep (5k calls: rt.Check stops it at about 20k), so
// that a later input can wait for the moment rt.Check finds it too deep.
func runawaySrc(mark string) string {
	return fmt.Sprintf("func runaway(n int) int {\n\tif n == 5000 { os.WriteFile(%q, nil, 0o644) }\n\treturn runaway(n+1) + 1\n}\ngo runaway(0)", mark)
}

// waitSrc is an input that runs until mark exists, then a second more: the
// last 15k calls take ~50ms, and rt.Check looks every 1024 calls.
func waitSrc(mark string) string {
	return fmt.Sprintf("for i := 0; i < 2000; i++ {\n\tif _, err := os.Stat(%q); err == nil { break }\n\ttime.Sleep(10 * time.Millisecond)\n}\ntime.Sleep(time.Second)", mark)
}

func evalWithin(t *testing.T, e *Engine, src string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return e.Eval(ctx, src)
}

// stillEvaluates checks that e evaluates "1 + 1" afterwards.
func stillEvaluates(t *testing.T, e *Engine) {
	t.Helper()
	if r := evalWithin(t, e, "1 + 1"); r.Err != nil || r.Value == nil || r.Value.Text != "2" {
		t.Errorf("1 + 1 afterwards: %+v %+v", r.Value, r.Err)
	}
}

// TestRunawayGoroutineOfAnotherEngine: a goroutine that an earlier engine's
// cell started, and that recurses too deep while another engine runs an
// input, must not stop (or fail) that input: rt.Check's hooks are
// process-wide, but the overflow is not that input's fault (the fuzz seeds
// "go r2(0)" then "1 + 1" in a fresh engine once failed this way).
func TestRunawayGoroutineOfAnotherEngine(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "deep")
	a, _ := newTestEngine(t)
	if r := evalWithin(t, a, runawaySrc(mark)); r.Err != nil {
		t.Fatalf("starting the goroutine: %v", r.Err)
	}
	b, _ := newTestEngine(t)
	if r := evalWithin(t, b, waitSrc(mark)); r.Err != nil {
		t.Fatalf("another engine's goroutine failed this input: %s: %s", r.Err.Kind, r.Err.Msg)
	}
	stillEvaluates(t, a)
	stillEvaluates(t, b)
}

// TestRunawayGoroutineOfEarlierInput: the same within one session: the
// goroutine of a finished input is reported, not blamed on the input that
// happens to run when it gets too deep.
func TestRunawayGoroutineOfEarlierInput(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "deep")
	e, _ := newTestEngine(t)
	if r := evalWithin(t, e, runawaySrc(mark)); r.Err != nil {
		t.Fatalf("starting the goroutine: %v", r.Err)
	}
	if r := evalWithin(t, e, waitSrc(mark)); r.Err != nil {
		t.Fatalf("an earlier input's goroutine failed this input: %s: %s", r.Err.Kind, r.Err.Msg)
	}
	stillEvaluates(t, e)
}

// TestRunawayGoroutineOfRunningInput: a goroutine that the running input
// started is that input's fault: the input stops with the overflow.
func TestRunawayGoroutineOfRunningInput(t *testing.T) {
	e, _ := newTestEngine(t)
	start := time.Now()
	r := evalWithin(t, e, "func r(n int) int { return r(n+1) + 1 }\ngo r(0)\ntime.Sleep(20 * time.Second)")
	if r.Err == nil || !strings.Contains(r.Err.Msg, "stack overflow") {
		t.Fatalf("want a stack overflow, got %+v", r.Err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("the input was not stopped (%v)", d)
	}
	stillEvaluates(t, e)
}

// TestLatePanicOfAnotherEngine: a goroutine of another engine's input that
// panics while this engine runs an input with the same per-engine number
// (both are the engines' first) is not this input's panic.
func TestLatePanicOfAnotherEngine(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "go")
	a, _ := newTestEngine(t)
	src := fmt.Sprintf("go func() {\n\tfor i := 0; i < 2000; i++ {\n\t\tif _, err := os.Stat(%q); err == nil { break }\n\t\ttime.Sleep(5 * time.Millisecond)\n\t}\n\tpanic(\"late\")\n}()", mark)
	if r := evalWithin(t, a, src); r.Err != nil {
		t.Fatalf("starting the goroutine: %v", r.Err)
	}
	b, _ := newTestEngine(t)
	if r := evalWithin(t, b, fmt.Sprintf("os.WriteFile(%q, nil, 0o644)\ntime.Sleep(500 * time.Millisecond)", mark)); r.Err != nil {
		t.Fatalf("another engine's goroutine failed this input: %s: %s", r.Err.Kind, r.Err.Msg)
	}
}
