package nn

import (
	"sync/atomic"

	"github.com/mlx-go/mlx-go/tensor"
)

// transposed keeps Wᵀ of a weight between calls. A transpose is only a
// view, but it is one more node in every step's graph for the device
// backend to walk and encode (a Llama layer has seven); mlx-lm builds it
// anew each call. The entry is keyed by the weight's MLX identity, so a
// replaced weight (an optimizer step, a load, a transform's tracer) gets
// its own; the entry holds the weight it was made from, so that identity
// cannot be reused while the entry lives. Concurrent callers may both
// build one: either is Wᵀ.
type transposed struct {
	entry atomic.Pointer[transposedEntry]
}

type transposedEntry struct {
	id uintptr
	t  *tensor.Array
}

func (c *transposed) of(w *tensor.Array) *tensor.Array {
	id := w.ID()
	if e := c.entry.Load(); e != nil && e.id == id {
		return e.t
	}
	e := &transposedEntry{id, tensor.Transpose(w)}
	c.entry.Store(e)
	return e.t
}
