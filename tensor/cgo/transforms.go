package cgo

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
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

// callSafely runs f, turning a panic into an error: a Go panic must never
// unwind through the C++ frames below us.
func callSafely(f GoFunc, in []Handle) (out []Handle, err error) {
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", p)
			}
		}
	}()
	return f(in)
}

// transform runs a C call that may call back into Go on this thread.
func transform(id int, call func() C.int) error {
	reentrant := lock()
	prevTid := cbTid.Load()
	cbTid.Store(int64(syscall.Gettid()))
	cbDepth.Add(1)
	st := call()
	err := statusError(st)
	cbDepth.Add(-1)
	cbTid.Store(prevTid)
	unlock(reentrant)
	if err != nil {
		if r := lookup(id); r != nil && r.err != nil {
			err, r.err = r.err, nil
		}
	}
	return err
}

// VJP returns f(primals) and the vector-Jacobian products with cotangents.
func VJP(f GoFunc, primals, cotangents []Handle) (outs, vjps []Handle, err error) {
	id := register(f)
	defer unregister(id)
	p, c := cHandles(primals), cHandles(cotangents)
	var o, v *C.mlxgo_array
	var no, nv C.int
	err = transform(id, func() C.int {
		return C.mlxgo_vjp(C.int(id), handlesPtr(p), C.int(len(p)), handlesPtr(c), C.int(len(c)), &o, &no, &v, &nv)
	})
	if err != nil {
		return nil, nil, err
	}
	return takeHandles(o, no), takeHandles(v, nv), nil
}

// JVP returns f(primals) and the Jacobian-vector products with tangents.
func JVP(f GoFunc, primals, tangents []Handle) (outs, jvps []Handle, err error) {
	id := register(f)
	defer unregister(id)
	p, t := cHandles(primals), cHandles(tangents)
	var o, v *C.mlxgo_array
	var no, nv C.int
	err = transform(id, func() C.int {
		return C.mlxgo_jvp(C.int(id), handlesPtr(p), C.int(len(p)), handlesPtr(t), C.int(len(t)), &o, &no, &v, &nv)
	})
	if err != nil {
		return nil, nil, err
	}
	return takeHandles(o, no), takeHandles(v, nv), nil
}

// ValueAndGrad returns f(args) and the gradients of its first output with
// respect to the arguments at argnums.
func ValueAndGrad(f GoFunc, argnums []int, args []Handle) (vals, grads []Handle, err error) {
	id := register(f)
	defer unregister(id)
	a, n := cHandles(args), cInts(argnums)
	var o, g *C.mlxgo_array
	var no, ng C.int
	err = transform(id, func() C.int {
		return C.mlxgo_value_and_grad(C.int(id), intsPtr(n), C.int(len(n)), handlesPtr(a), C.int(len(a)), &o, &no, &g, &ng)
	})
	if err != nil {
		return nil, nil, err
	}
	return takeHandles(o, no), takeHandles(g, ng), nil
}

// Func is an MLX-held function (a checkpointed or compiled Go function).
type Func struct {
	p  C.mlxgo_func
	id int
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
	return &Func{res, id}, nil
}

// Compile compiles f with MLX (shapeless: reuse across input shapes).
func Compile(f GoFunc, shapeless bool) (*Func, error) {
	id := register(f)
	var res C.mlxgo_func
	l := lock()
	err := statusError(C.mlxgo_compile(&res, C.int(id), C.bool(shapeless)))
	unlock(l)
	if err != nil {
		unregister(id)
		return nil, err
	}
	return &Func{res, id}, nil
}

// Call runs the function; MLX may trace it by calling the Go function.
func (f *Func) Call(args []Handle) ([]Handle, error) {
	if f.p == nil {
		return nil, errors.New("function was freed")
	}
	a := cHandles(args)
	var o *C.mlxgo_array
	var no C.int
	err := transform(f.id, func() C.int {
		return C.mlxgo_func_call(f.p, handlesPtr(a), C.int(len(a)), &o, &no)
	})
	if err != nil {
		return nil, err
	}
	return takeHandles(o, no), nil
}

// Free releases the function.
func (f *Func) Free() {
	if f.p == nil {
		return
	}
	l := lock()
	C.mlxgo_func_free(f.p)
	unlock(l)
	f.p = nil
	unregister(f.id)
}

// SetCompileEnabled turns MLX's compilation on or off globally.
func SetCompileEnabled(on bool) {
	l := lock()
	C.mlxgo_set_compile_enabled(C.bool(on))
	unlock(l)
}
