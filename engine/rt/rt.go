// Package rt holds the compiled helpers that rewritten cells call (the
// rewrite package inserts the calls; users never write them). It is
// exported to the interpreter under the name mlxrt.
package rt

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

var (
	mu      sync.Mutex
	onPanic func(msg string)
)

// SetPanicHandler routes panics recovered in cell goroutines to h.
func SetPanicHandler(h func(msg string)) {
	mu.Lock()
	onPanic = h
	mu.Unlock()
}

// GoPanic reports a panic that a goroutine started by a cell recovered (the
// rewrite wraps every go statement so that such a panic cannot kill the
// process).
func GoPanic(r any) {
	mu.Lock()
	h := onPanic
	mu.Unlock()
	msg := fmt.Sprint(r)
	if h == nil {
		fmt.Printf("panic in goroutine: %s\n%s", msg, debug.Stack())
		return
	}
	h(msg)
}

// Clear is the clear builtin (Go 1.21) for maps and slices, which yaegi
// lacks: it deletes every map entry or zeroes every slice element.
func Clear(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	case reflect.Invalid:
	default:
		panic(fmt.Sprintf("invalid argument: clear(%s): argument must be (or constrained by) map or slice", v.Type()))
	}
}

// Deep recursion in interpreted code would reach Go's stack limit, which
// is fatal and cannot be recovered. The engine therefore starts every
// function body of a cell with Check, which now and then (every
// checkEvery calls: a single atomic add otherwise) asks whether the
// goroutine's stack holds more than maxFrames frames, and panics while
// that is still recoverable. yaegi uses about two Go frames, ~1.3 kB of
// stack, per interpreted call, so the limit is ~250k interpreted calls deep
// (~300 MB of stack), far below Go's 1 GB.
const (
	checkEvery = 4096
	maxFrames  = 500_000
)

// ErrStackOverflow is the panic value of Check.
var ErrStackOverflow = errors.New("stack overflow: calls nested too deeply (infinite recursion?)")

var calls atomic.Uint64

// Check panics with ErrStackOverflow when the calling goroutine's stack is
// too deep.
func Check() {
	if calls.Add(1)%checkEvery != 0 {
		return
	}
	var pc [1]uintptr
	if runtime.Callers(maxFrames, pc[:]) > 0 {
		panic(ErrStackOverflow)
	}
}
