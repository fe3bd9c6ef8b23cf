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
	onPanic func(msg string, input int)
)

// SetPanicHandler routes panics recovered in cell goroutines to h, with
// the number of the input that started the goroutine (0 when unknown).
func SetPanicHandler(h func(msg string, input int)) {
	mu.Lock()
	onPanic = h
	mu.Unlock()
}

// GoPanic reports a panic that a goroutine started by input number input
// recovered (the rewrite wraps every go statement so that such a panic
// cannot kill the process).
func GoPanic(r any, input int) {
	mu.Lock()
	h := onPanic
	mu.Unlock()
	msg := fmt.Sprint(r)
	if h == nil {
		fmt.Printf("panic in goroutine: %s\n%s", msg, debug.Stack())
		return
	}
	h(msg, input)
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
// goroutine's stack holds more than maxFrames frames. yaegi uses about two
// Go frames per interpreted call, so the limit is ~20k interpreted calls
// deep (Python stops at 1k).
const (
	checkEvery = 1024
	maxFrames  = 40_000
)

// ErrStackOverflow is what Check reports.
var ErrStackOverflow = errors.New("stack overflow: calls nested too deeply (infinite recursion?)")

var (
	calls      atomic.Uint64
	onOverflow func() bool
)

// SetOverflowHandler sets what Check calls on a too-deep stack. The engine
// stops the running input there (yaegi then returns frame by frame); a
// panic would do too, but yaegi unwinds a deep panic in quadratic time.
// h reports whether it stopped the input.
func SetOverflowHandler(h func() bool) {
	mu.Lock()
	onOverflow = h
	mu.Unlock()
}

// Check stops the input, or panics with ErrStackOverflow, when the calling
// goroutine's stack is too deep.
func Check() {
	if calls.Add(1)%checkEvery != 0 {
		return
	}
	var pc [1]uintptr
	if runtime.Callers(maxFrames, pc[:]) == 0 {
		return
	}
	mu.Lock()
	h, report := onOverflow, onPanic
	mu.Unlock()
	if h != nil && h() {
		return
	}
	if report == nil {
		panic(ErrStackOverflow)
	}
	// No input runs (a goroutine a cell started recursed): unwinding a
	// panic this deep takes yaegi minutes, so the goroutine is reported and
	// parked for good instead.
	report(ErrStackOverflow.Error()+" (goroutine stopped)", 0)
	select {}
}
