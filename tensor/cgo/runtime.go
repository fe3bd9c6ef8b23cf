package cgo

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// Handle is an owned reference to an MLX array (a heap mx::array).
type Handle struct{ p unsafe.Pointer }

// Nil is the absent handle, for optional arrays.
var Nil Handle

// IsNil reports whether h refers to no array.
func (h Handle) IsNil() bool { return h.p == nil }

func (h Handle) c() C.mlxgo_array { return C.mlxgo_array(h.p) }

// Stream names an MLX stream: its index and device (0 cpu, 1 gpu).
type Stream struct{ Index, Device int }

func (s Stream) c() C.mlxgo_stream {
	return C.mlxgo_stream{index: C.int(s.Index), device: C.int(s.Device)}
}

var (
	mu      sync.Mutex
	cbDepth atomic.Int32 // transforms in flight that may call back into Go
	cbTid   atomic.Int64 // the OS thread those callbacks run on
)

// lock enters MLX. It returns true when the caller is a Go callback running
// inside a transform on the thread that already holds the lock.
func lock() bool {
	runtime.LockOSThread()
	if cbDepth.Load() > 0 && int64(syscall.Gettid()) == cbTid.Load() {
		return true
	}
	mu.Lock()
	return false
}

func unlock(reentrant bool) {
	if !reentrant {
		mu.Unlock()
	}
	runtime.UnlockOSThread()
}

// statusError reads the error text for a failed call; the caller's
// goroutine is still locked to the thread that made the call.
func statusError(st C.int) error {
	if st == 0 {
		return nil
	}
	return errors.New(C.GoString(C.mlxgo_last_error()))
}

func cInts(v []int) []C.int {
	out := make([]C.int, len(v))
	for i, x := range v {
		out[i] = C.int(x)
	}
	return out
}

func intsPtr(v []C.int) *C.int {
	if len(v) == 0 {
		return nil
	}
	return &v[0]
}

func cHandles(hs []Handle) []C.mlxgo_array {
	out := make([]C.mlxgo_array, len(hs))
	for i, h := range hs {
		out[i] = h.c()
	}
	return out
}

func handlesPtr(v []C.mlxgo_array) *C.mlxgo_array {
	if len(v) == 0 {
		return nil
	}
	return &v[0]
}

// takeHandles copies a malloc'd handle list into Go and frees the list.
func takeHandles(p *C.mlxgo_array, n C.int) []Handle {
	if p == nil {
		return nil
	}
	src := unsafe.Slice(p, int(n))
	out := make([]Handle, len(src))
	for i, h := range src {
		out[i] = Handle{unsafe.Pointer(h)}
	}
	C.mlxgo_free_handles(p)
	return out
}
