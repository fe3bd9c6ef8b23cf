// Package rt holds the compiled helpers that rewritten cells call (the
// rewrite package inserts the calls; users never write them). It is
// exported to the interpreter under the name mlxrt.
package rt

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"sync"
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
