package engine

import (
	"bytes"
	"runtime"
	"time"
)

// yaegiEvalFrame names the goroutine in which yaegi runs an input.
var yaegiEvalFrame = []byte("interp.(*Interpreter).EvalWithContext.func1")

// waitForStragglers waits (up to limit) for the goroutine of an
// interrupted input to end. yaegi's EvalWithContext returns as soon as its
// context is cancelled, while that goroutine still winds down (or finishes
// a compiled call); starting the next input at once would run two
// evaluations on one interpreter. It reports whether the goroutine ended.
// The goroutine is found in a dump of all stacks, which is slow but only
// happens after an interrupt.
func waitForStragglers(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n == len(buf) && len(buf) < 64<<20 {
			buf = make([]byte, 2*len(buf))
			continue
		}
		if !bytes.Contains(buf[:n], yaegiEvalFrame) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}
