package cgo

/*
#include <stdlib.h>
#include "bridge.h"

// Frees a batch of handles in one crossing from Go.
static void mlxgo_free_batch(mlxgo_array* hs, int n) {
  for (int i = 0; i < n; i++) mlxgo_array_free(hs[i]);
}

#cgo noescape mlxgo_free_batch
#cgo nocallback mlxgo_free_batch
#cgo nocallback mlxgo_last_error
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
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
	if batchReady.Load() {
		freePendingLocked()
	}
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

// appendCInts appends v to dst as C ints (dst is usually a stack buffer).
func appendCInts(dst []C.int, v []int) []C.int {
	for _, x := range v {
		dst = append(dst, C.int(x))
	}
	return dst
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

// FreeMany releases array handles in one call into MLX.
func FreeMany(hs []Handle) {
	if len(hs) == 0 {
		return
	}
	// A Handle is one C pointer, laid out as an mlxgo_array.
	l := lock()
	C.mlxgo_free_batch((*C.mlxgo_array)(unsafe.Pointer(&hs[0])), C.int(len(hs)))
	unlock(l)
}

// Deferred frees. Arrays the garbage collector finds unreachable are freed
// by cleanups, which run one at a time on the runtime's cleanup goroutine.
// Taking the MLX lock and crossing into C for each one would compete with
// the goroutine building graphs and free memory on another thread than the
// one that allocated it (slow in malloc). Instead, cleanups queue handles
// here; the next goroutine entering MLX frees a full batch in one call on its
// own thread, and a flusher frees what is left when MLX goes quiet.
const freeBatch = 64

var (
	pendingMu  sync.Mutex
	pending    []C.mlxgo_array
	batchReady atomic.Bool  // pending holds a full batch (read by every lock)
	freedLater atomic.Int64 // handles freed from the queue, ever
	flushWake  = make(chan struct{}, 1)
	flusherRun sync.Once
)

// FreeLater queues h to be freed soon; it never blocks on MLX. It touches
// what MLX calls read only when a batch fills, so that the goroutine running
// cleanups and the one building graphs do not fight over a cache line.
func FreeLater(h Handle) {
	if h.p == nil {
		return
	}
	pendingMu.Lock()
	pending = append(pending, h.c())
	n := len(pending)
	pendingMu.Unlock()
	switch n {
	case 1:
		flusherRun.Do(func() { go flusher() })
		select {
		case flushWake <- struct{}{}:
		default:
		}
	case freeBatch:
		batchReady.Store(true)
	}
}

// FreedLater is the number of handles FreeLater queued that are now freed.
func FreedLater() int64 { return freedLater.Load() }

func havePending() bool {
	pendingMu.Lock()
	defer pendingMu.Unlock()
	return len(pending) > 0
}

// flusher frees queued handles that no MLX call picked up within a
// millisecond of being queued.
func flusher() {
	for range flushWake {
		time.Sleep(time.Millisecond)
		if havePending() {
			l := lock()
			freePendingLocked()
			unlock(l)
		}
	}
}

// FlushFrees frees every queued handle now.
func FlushFrees() {
	if !havePending() {
		return
	}
	if l := lock(); !l {
		freePendingLocked()
		unlock(l)
	} else {
		unlock(l)
	}
}

// freePendingLocked frees the queue; the caller holds the MLX lock and is
// not inside a traced function (the queue may hold handles it still uses).
func freePendingLocked() {
	pendingMu.Lock()
	batch := pending
	pending = nil
	batchReady.Store(false)
	pendingMu.Unlock()
	if len(batch) > 0 {
		C.mlxgo_free_batch(&batch[0], C.int(len(batch)))
		freedLater.Add(int64(len(batch)))
	}
}
