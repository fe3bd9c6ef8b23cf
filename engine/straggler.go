package engine

import (
	"bytes"
	"runtime"
	"strconv"
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
	for {
		if !bytes.Contains(allStacks(), yaegiEvalFrame) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// allStacks is runtime.Stack of every goroutine, grown until it fits (up to
// 64 MiB; a deep stack is printed as its first and last 50 frames).
func allStacks() []byte {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n == len(buf) && len(buf) < 64<<20 {
			buf = make([]byte, 2*len(buf))
			continue
		}
		return buf[:n]
	}
}

// goroutineID is the calling goroutine's id, from the first line of its
// stack trace ("goroutine 7 [running]:"). It costs about a microsecond.
func goroutineID() uint64 {
	var buf [64]byte
	return parseGoroutineID(buf[:runtime.Stack(buf[:], false)])
}

func parseGoroutineID(trace []byte) uint64 {
	rest, ok := bytes.CutPrefix(trace, []byte("goroutine "))
	if i := bytes.IndexByte(rest, ' '); ok && i > 0 {
		id, _ := strconv.ParseUint(string(rest[:i]), 10, 64)
		return id
	}
	return 0
}

// startedFrom reports whether the calling goroutine was started by
// goroutine root: directly, or through goroutines that all still run (a
// trace ends with "created by f in goroutine N"). An input's own goroutine
// is started by the goroutine that called yaegi (see Engine.run), and a
// goroutine that the input's code started by that one while the input
// runs; a goroutine whose starter has ended belongs to an input that is
// over. Goroutine ids are never reused, so the chain cannot mislead.
func startedFrom(root uint64) bool {
	const createdBy, inGoroutine = "\ncreated by ", " in goroutine "
	creator := map[uint64]uint64{} // of every live goroutine; 0: none known
	for _, trace := range bytes.Split(allStacks(), []byte("\n\n")) {
		var c uint64
		if i := bytes.LastIndex(trace, []byte(createdBy)); i >= 0 {
			line, _, _ := bytes.Cut(trace[i+1:], []byte("\n"))
			if j := bytes.LastIndex(line, []byte(inGoroutine)); j >= 0 {
				c, _ = strconv.ParseUint(string(line[j+len(inGoroutine):]), 10, 64)
			}
		}
		creator[parseGoroutineID(trace)] = c
	}
	g := goroutineID()
	for hops := 0; hops < 10000; hops++ {
		c, alive := creator[g]
		if !alive || c == 0 {
			return false
		}
		if c == root {
			return true
		}
		g = c
	}
	return false
}
