package tensor

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Array is an n-dimensional array in MLX: a node of a lazy graph that is
// computed when its data is needed (or on Eval).
//
// Lifetime: Free releases the array at once. An Array that becomes
// unreachable without Free is released by a garbage-collector cleanup; since
// Go's GC cannot see MLX's buffers, the package also watches MLX's active
// memory and the number of live arrays and asks for a collection when either
// has doubled since the last one (see collectIfNeeded).
type Array struct {
	h       cgo.Handle
	cleanup runtime.Cleanup
}

func newArray(h cgo.Handle) *Array {
	a := &Array{h: h}
	a.cleanup = runtime.AddCleanup(a, collected, h)
	if live.Add(1)%512 == 0 {
		collectIfNeeded()
	}
	return a
}

// releaseHandle frees h now.
func releaseHandle(h cgo.Handle) {
	cgo.Free(h)
	live.Add(-1)
}

// collected is the cleanup of an unreachable Array: its handle joins the
// queue that the next MLX call frees in one batch (see cgo.FreeLater).
func collected(h cgo.Handle) {
	cgo.FreeLater(h)
	live.Add(-1)
}

// handle is the live handle of a, or a panic naming op.
func (a *Array) handle(op string) cgo.Handle {
	if a == nil {
		panic(&Error{Op: op, Msg: "nil *Array"})
	}
	if a.h.IsNil() {
		panic(&Error{Op: op, Msg: "array used after Free"})
	}
	return a.h
}

// Free releases the array's MLX memory now. Using it afterwards panics;
// freeing twice is harmless.
func (a *Array) Free() {
	if a == nil || a.h.IsNil() {
		return
	}
	a.cleanup.Stop()
	releaseHandle(a.h)
	a.h = cgo.Nil
}

// Shape is the size of each dimension.
func (a *Array) Shape() []int {
	s, _ := cgo.Meta(a.handle("shape"))
	return s
}

// Dtype is the element type.
func (a *Array) Dtype() Dtype {
	_, d := cgo.Meta(a.handle("dtype"))
	return Dtype(d)
}

func (a *Array) meta() ([]int, Dtype) {
	s, d := cgo.Meta(a.h)
	return s, Dtype(d)
}

// Ndim is the number of dimensions.
func (a *Array) Ndim() int { return len(a.Shape()) }

// Size is the number of elements.
func (a *Array) Size() int {
	n := 1
	for _, d := range a.Shape() {
		n *= d
	}
	return n
}

// Dim is the size of axis i (negative counts from the end).
func (a *Array) Dim(i int) int {
	s := a.Shape()
	if i < 0 {
		i += len(s)
	}
	if i < 0 || i >= len(s) {
		panic(&Error{Op: "dim", Inputs: []string{describe(a)}, Msg: "axis out of range"})
	}
	return s[i]
}

// Itemsize is the number of bytes of one element.
func (a *Array) Itemsize() int { return a.Dtype().Size() }

// Nbytes is the number of bytes of all elements.
func (a *Array) Nbytes() int { return a.Size() * a.Itemsize() }

// String is what Python MLX prints for the same array.
func (a *Array) String() string {
	if a == nil {
		return "<nil *Array>"
	}
	if a.h.IsNil() {
		return "<freed array>"
	}
	s, err := cgo.String(a.h)
	check("print", err, a)
	return s
}

// ID identifies the array's graph node (equal for handles to the same node).
func (a *Array) ID() uintptr { return cgo.ID(a.handle("id")) }

// Clone returns a second Array for the same MLX array; each must be freed.
func (a *Array) Clone() *Array {
	h, err := cgo.CopyHandle(a.handle("clone"))
	check("clone", err, a)
	return newArray(h)
}

// Memory pressure: Go's GC sees only the small Array structs, not MLX's
// buffers or graph nodes. Every 512 new arrays we look at MLX's active
// memory and the live-array count and run a collection when either has
// doubled since the previous collection (with floors so small programs never
// pay for it); cleanups then free the unreachable arrays.
var (
	live        atomic.Int64
	collectMu   sync.Mutex
	memAtGC     uint64 = 256 << 20
	liveAtGC    int64  = 50_000
	collections atomic.Int64
)

func collectIfNeeded() {
	if !collectMu.TryLock() {
		return
	}
	defer collectMu.Unlock()
	active, _, _ := cgo.MemoryStats()
	n := live.Load()
	if active < 2*memAtGC && n < 2*liveAtGC {
		return
	}
	runtime.GC()
	collections.Add(1)
	memAtGC = max(active/2, 256<<20)
	liveAtGC = max(n/2, 50_000)
}

// LiveArrays is the number of Arrays not yet freed (explicitly or by the GC).
func LiveArrays() int64 { return live.Load() }
