package cgo

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// GoFunc is a Go function MLX can trace: arrays in, arrays out. The handles
// it receives are owned by it; the handles it returns stay owned by the
// caller (the bridge passes copies to MLX).
type GoFunc func(in []Handle) ([]Handle, error)

type registered struct {
	f   GoFunc
	err error // the Go failure behind the last failed call, if any
}

var (
	funcsMu sync.Mutex
	funcs   = map[int]*registered{}
	nextFn  = 1
)

// register makes f callable from C++ by id.
func register(f GoFunc) int {
	funcsMu.Lock()
	defer funcsMu.Unlock()
	id := nextFn
	nextFn++
	funcs[id] = &registered{f: f}
	return id
}

func lookup(id int) *registered {
	funcsMu.Lock()
	defer funcsMu.Unlock()
	return funcs[id]
}

func unregister(id int) {
	funcsMu.Lock()
	delete(funcs, id)
	funcsMu.Unlock()
}

//export mlxgoCallFunc
func mlxgoCallFunc(fn C.int, args *C.mlxgo_array, nargs C.int, outs **C.mlxgo_array, nouts *C.int) C.int {
	r := lookup(int(fn))
	if r == nil {
		return 1
	}
	in := make([]Handle, int(nargs))
	for i, h := range unsafe.Slice(args, int(nargs)) {
		in[i] = Handle{unsafe.Pointer(h)}
	}
	res, err := callSafely(r.f, in)
	if err != nil {
		r.err = err
		return 1
	}
	// MLX takes ownership of what we return: give it copies of our handles.
	list := (*C.mlxgo_array)(C.malloc(C.size_t(max(len(res), 1)) * C.size_t(unsafe.Sizeof(C.mlxgo_array(nil)))))
	dst := unsafe.Slice(list, max(len(res), 1))
	for i, h := range res {
		var cp C.mlxgo_array
		if st := C.mlxgo_array_copy_handle(&cp, h.c()); st != 0 {
			for j := 0; j < i; j++ {
				C.mlxgo_array_free(dst[j])
			}
			C.free(unsafe.Pointer(list))
			r.err = errors.New(C.GoString(C.mlxgo_last_error()))
			return 1
		}
		dst[i] = cp
	}
	*outs = list
	*nouts = C.int(len(res))
	return 0
}

// PanicError is a panic inside a traced Go function, caught before it could
// unwind through MLX's C++ frames.
type PanicError struct{ Value any }

func (e *PanicError) Error() string { return fmt.Sprint(e.Value) }

// Unwrap exposes a panic value that is itself an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// callSafely runs f, turning a panic into an error: a Go panic must never
// unwind through the C++ frames below us.
func callSafely(f GoFunc, in []Handle) (out []Handle, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{p}
		}
	}()
	return f(in)
}

// transform runs a C call that may call back into Go on this thread, and
// returns the Go failure behind a failed call when there was one. MLX makes
// some of a transform's arrays on the thread's default stream, which only
// that thread could evaluate: s (shared by all threads) becomes the default.
func transform(id int, s Stream, call func() C.int) error {
	reentrant := lock()
	if !reentrant {
		if err := statusError(C.mlxgo_use_default_stream(s.c())); err != nil {
			unlock(reentrant)
			return err
		}
	}
	prevTid := cbTid.Load()
	cbTid.Store(int64(syscall.Gettid()))
	cbDepth.Add(1)
	st := call()
	err := statusError(st)
	cbDepth.Add(-1)
	cbTid.Store(prevTid)
	if err != nil {
		// Read while still holding the lock: another goroutine may call
		// the same function next.
		if r := lookup(id); r != nil && r.err != nil {
			err, r.err = r.err, nil
		}
	}
	unlock(reentrant)
	return err
}

// InCallback reports whether the caller is a Go function that MLX is
// calling back during a transform (it already holds the MLX lock).
func InCallback() bool {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return cbDepth.Load() > 0 && int64(syscall.Gettid()) == cbTid.Load()
}

// VJP returns f(primals) and the vector-Jacobian products with cotangents.
func VJP(f GoFunc, primals, cotangents []Handle, s Stream) (outs, vjps []Handle, err error) {
	id := register(f)
	defer unregister(id)
	p, c := cHandles(primals), cHandles(cotangents)
	var o, v *C.mlxgo_array
	var no, nv C.int
	err = transform(id, s, func() C.int {
		return C.mlxgo_vjp(C.int(id), handlesPtr(p), C.int(len(p)), handlesPtr(c), C.int(len(c)), &o, &no, &v, &nv)
	})
	if err != nil {
		return nil, nil, err
	}
	return takeHandles(o, no), takeHandles(v, nv), nil
}

// JVP returns f(primals) and the Jacobian-vector products with tangents.
func JVP(f GoFunc, primals, tangents []Handle, s Stream) (outs, jvps []Handle, err error) {
	id := register(f)
	defer unregister(id)
	p, t := cHandles(primals), cHandles(tangents)
	var o, v *C.mlxgo_array
	var no, nv C.int
	err = transform(id, s, func() C.int {
		return C.mlxgo_jvp(C.int(id), handlesPtr(p), C.int(len(p)), handlesPtr(t), C.int(len(t)), &o, &no, &v, &nv)
	})
	if err != nil {
		return nil, nil, err
	}
	return takeHandles(o, no), takeHandles(v, nv), nil
}

// ValueAndGrad returns f(args) and the gradients of its first output with
// respect to the arguments at argnums.
func ValueAndGrad(f GoFunc, argnums []int, args []Handle, s Stream) (vals, grads []Handle, err error) {
	id := register(f)
	defer unregister(id)
	a, n := cHandles(args), cInts(argnums)
	var o, g *C.mlxgo_array
	var no, ng C.int
	err = transform(id, s, func() C.int {
		return C.mlxgo_value_and_grad(C.int(id), intsPtr(n), C.int(len(n)), handlesPtr(a), C.int(len(a)), &o, &no, &g, &ng)
	})
	if err != nil {
		return nil, nil, err
	}
	return takeHandles(o, no), takeHandles(g, ng), nil
}

// Func is an MLX-held function (a checkpointed or compiled Go function).
type Func struct {
	mu       sync.Mutex // guards p against a concurrent Free
	p        C.mlxgo_func
	id       int
	compiled bool // lives on the compile thread
}

// Checkpoint wraps f so its intermediates are recomputed in the backward pass.
func Checkpoint(f GoFunc) (*Func, error) {
	id := register(f)
	var res C.mlxgo_func
	l := lock()
	err := statusError(C.mlxgo_checkpoint(&res, C.int(id)))
	unlock(l)
	if err != nil {
		unregister(id)
		return nil, err
	}
	return &Func{p: res, id: id}, nil
}

// Compile compiles f with MLX (shapeless: reuse across input shapes).
//
// MLX keeps its cache of compiled graphs per OS thread, while a goroutine
// may run on any thread; so compiled functions are made, called and freed on
// one dedicated thread, where their cache lives (see onCompileThread).
func Compile(f GoFunc, shapeless bool) (*Func, error) {
	id := register(f)
	var res C.mlxgo_func
	var err error
	onCompileThread(func() {
		l := lock()
		err = statusError(C.mlxgo_compile(&res, C.int(id), C.bool(shapeless)))
		unlock(l)
	})
	if err != nil {
		unregister(id)
		return nil, err
	}
	return &Func{p: res, id: id, compiled: true}, nil
}

// Call runs the function; MLX may trace it by calling the Go function.
func (f *Func) Call(args []Handle, s Stream) ([]Handle, error) {
	a := cHandles(args)
	var o *C.mlxgo_array
	var no C.int
	var err error
	run := func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.p == nil {
			err = errors.New("function was freed")
			return
		}
		err = transform(f.id, s, func() C.int {
			return C.mlxgo_func_call(f.p, handlesPtr(a), C.int(len(a)), &o, &no)
		})
	}
	if f.compiled {
		onCompileThread(run)
	} else {
		run()
	}
	if err != nil {
		return nil, err
	}
	return takeHandles(o, no), nil
}

// Free releases the function; calling it afterwards returns an error.
func (f *Func) Free() {
	free := func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.p == nil {
			return
		}
		l := lock()
		C.mlxgo_func_free(f.p)
		unlock(l)
		f.p = nil
		unregister(f.id)
	}
	if f.compiled {
		onCompileThread(free)
	} else {
		free()
	}
}

// SetCompileEnabled turns MLX's compilation on or off globally.
func SetCompileEnabled(on bool) {
	onCompileThread(func() {
		l := lock()
		C.mlxgo_set_compile_enabled(C.bool(on))
		unlock(l)
	})
}

var (
	compileOnce  sync.Once
	compileCalls chan func()
)

// onCompileThread runs fn on the compile thread and waits for it. A Go
// function being traced already holds the MLX lock on its own thread, so a
// compiled function it calls runs right there (its inputs are tracers, which
// MLX does not look up in the cache anyway).
func onCompileThread(fn func()) {
	if InCallback() || onThatThread() {
		fn()
		return
	}
	compileOnce.Do(func() {
		compileCalls = make(chan func())
		go func() {
			runtime.LockOSThread() // for good: this goroutine is the compile thread
			compileTid.Store(int64(syscall.Gettid()))
			for call := range compileCalls {
				call()
			}
		}()
	})
	done := make(chan struct{})
	compileCalls <- func() { defer close(done); fn() }
	<-done
}

// OnCompileThread reports whether a compiled function called now runs
// directly: the caller is on the compile thread, or inside a transform.
func OnCompileThread() bool { return InCallback() || onThatThread() }

// compileTid is the compile thread's OS thread id, once it exists.
var compileTid atomic.Int64

// onThatThread reports whether the caller already runs on the compile thread
// (inside RunOnCompileThread): compiled calls then need no hand-off.
func onThatThread() bool {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return int64(syscall.Gettid()) == compileTid.Load()
}

// RunOnCompileThread runs fn on the compile thread and waits for it; a panic
// in fn is raised again in the caller. A loop that calls compiled functions
// many times (generation: one per layer per token) runs there whole, so
// each call skips the hand-off between threads (tens of microseconds on a
// many-core host) and the loop stays on one OS thread, which MLX's GPU
// backends reward (per-thread streams and encoders stay warm).
func RunOnCompileThread(fn func()) {
	var caught any
	panicked := false
	onCompileThread(func() {
		defer func() {
			if r := recover(); r != nil {
				caught, panicked = r, true
			}
		}()
		fn()
	})
	if panicked {
		panic(caught)
	}
}
