package tensor

import (
	"runtime"
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
// has grown enough since the last one (see collect.go).
type Array struct {
	h       cgo.Handle
	cleanup runtime.Cleanup
	dtype   atomic.Int32 // dtype+1 once known (0: not asked yet); never changes
	// id is the graph node's identity once asked (0: not yet): a handle
	// keeps its node, so ID, which layers call on every weight each step
	// (nn.Linear's cached transpose), crosses into MLX once per array.
	id atomic.Uintptr
	// The padding (to 128 bytes) makes an Array weigh, to Go's GC, closer to
	// what its graph node weighs in MLX (a few hundred bytes), so that
	// collections, and the cleanups that free MLX nodes, keep pace with graph
	// building; it also keeps few Arrays per heap span, which keeps the
	// runtime's per-span cleanup lists (searched on each AddCleanup) short.
	// Building graphs cost about 1.3x as much with unpadded Arrays
	// (tests/bench/dispatch).
	_ [88]byte
}

func newArray(h cgo.Handle) *Array {
	a := &Array{h: h}
	a.cleanup = runtime.AddCleanup(a, collected, h)
	if made.Add(1)%checkEvery == 0 {
		collectIfNeeded()
	}
	return a
}

// releaseHandle frees h now.
func releaseHandle(h cgo.Handle) {
	cgo.Free(h)
	freed.Add(1)
}

// collected is the cleanup of an unreachable Array: its handle joins the
// queue that the next MLX call frees in one batch (see cgo.FreeLater), and
// stops counting as live once freed.
func collected(h cgo.Handle) { cgo.FreeLater(h) }

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

// Free releases the arrays' MLX memory now, as each one's Free method does,
// in one call into MLX (freeing a step's intermediates together costs less
// than one by one). Nil and already freed arrays are skipped.
func Free(as ...*Array) {
	var buf [16]cgo.Handle
	hs := buf[:0]
	for _, a := range as {
		if a == nil || a.h.IsNil() {
			continue
		}
		a.cleanup.Stop()
		hs = append(hs, a.h)
		a.h = cgo.Nil
	}
	cgo.FreeMany(hs)
	freed.Add(int64(len(hs)))
}

// Shape is the size of each dimension.
func (a *Array) Shape() []int {
	s, _ := cgo.Meta(a.handle("shape"))
	return s
}

// Dtype is the element type.
func (a *Array) Dtype() Dtype {
	if d := a.dtype.Load(); d != 0 {
		return Dtype(d - 1)
	}
	d := cgo.DtypeOf(a.handle("dtype"))
	a.dtype.Store(int32(d) + 1)
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
func (a *Array) ID() uintptr {
	h := a.handle("id")
	if id := a.id.Load(); id != 0 {
		return id
	}
	id := cgo.ID(h)
	a.id.Store(id)
	return id
}

// Clone returns a second Array for the same MLX array; each must be freed.
func (a *Array) Clone() *Array {
	h, err := cgo.CopyHandle(a.handle("clone"))
	check("clone", err, a)
	return newArray(h)
}
