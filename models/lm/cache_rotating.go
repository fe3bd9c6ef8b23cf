package lm

import (
	"github.com/mlx-go/mlx-go/tensor"
)

// rotatingCache is mlx-lm's RotatingKVCache: at most maxSize positions,
// the first keep of which are never evicted. Single tokens overwrite the
// oldest slot in place (the buffer is then out of temporal order, which
// attention does not mind); a multi-token step first restores temporal
// order and keeps maxSize-1 old positions so every new one sees a full
// window. Gemma 3's sliding layers use it with maxSize = window; a
// context bound (MaxKVSize) uses it with keep = 4, as mlx-lm does.
type rotatingCache struct {
	keys, values *tensor.Array
	n            int // positions seen (mlx-lm's offset)
	keep         int
	maxSize      int
	idx          int // next write slot
	views        []*tensor.Array
}

func (c *rotatingCache) offset() int { return c.n }

func (c *rotatingCache) state() []*tensor.Array { return nonNil(c.keys, c.values) }

func (c *rotatingCache) attend(q, k, v *tensor.Array, scale float64, mode string, mask *tensor.Array) *tensor.Array {
	freeAll(c.views)
	c.views = nil
	var keys, values *tensor.Array
	if k.Dim(2) == 1 {
		keys, values = c.updateInPlace(k, v)
	} else {
		keys, values = c.updateConcat(k, v)
	}
	return sdpa(q, keys, values, scale, mode, mask)
}

// trim drops n positions after the first keep and appends add (if any).
func (c *rotatingCache) trim(n int, x, add *tensor.Array) *tensor.Array {
	parts := []*tensor.Array{x}
	if n > 0 {
		parts = []*tensor.Array{x.Slice(2, 0, c.keep, 1), x.Slice(2, n+c.keep, x.Dim(2), 1)}
	}
	if add != nil {
		parts = append(parts, add)
	}
	if len(parts) == 1 {
		return x
	}
	return tensor.Concatenate(parts, tensor.Axis(2))
}

// temporalOrder rearranges x into position order, dropping unused slots.
func (c *rotatingCache) temporalOrder(x *tensor.Array) *tensor.Array {
	switch {
	case c.idx == x.Dim(2):
		return x
	case c.idx < c.n:
		return tensor.Concatenate([]*tensor.Array{x.Slice(2, 0, c.keep, 1), x.Slice(2, c.idx, x.Dim(2), 1),
			x.Slice(2, c.keep, c.idx, 1)}, tensor.Axis(2))
	}
	return x.Slice(2, 0, c.idx, 1)
}

func (c *rotatingCache) updateConcat(k, v *tensor.Array) (*tensor.Array, *tensor.Array) {
	if c.keys == nil {
		c.keys, c.values = k.Clone(), v.Clone() // the layer frees its own k and v
	} else {
		c.keys, c.values = replace(c.keys, c.temporalOrder(c.keys)), replace(c.values, c.temporalOrder(c.values))
		c.idx = c.keys.Dim(2)
		// Up to maxSize+L-1 positions, so each new one sees maxSize.
		n := c.idx - c.maxSize + 1
		c.keys, c.values = replace(c.keys, c.trim(n, c.keys, k)), replace(c.values, c.trim(n, c.values, v))
	}
	c.n += k.Dim(2)
	c.idx = c.keys.Dim(2)
	return c.keys, c.values
}

func (c *rotatingCache) updateInPlace(k, v *tensor.Array) (*tensor.Array, *tensor.Array) {
	prev := c.n
	if c.keys == nil || (prev >= c.keys.Dim(2) && c.keys.Dim(2) < c.maxSize) {
		size := min(cacheStep, c.maxSize-prev)
		newK := tensor.Zeros([]int{k.Dim(0), k.Dim(1), size, k.Dim(3)}, k.Dtype())
		newV := tensor.Zeros([]int{v.Dim(0), v.Dim(1), size, v.Dim(3)}, v.Dtype())
		if c.keys != nil {
			c.keys = replace(c.keys, tensor.Concatenate([]*tensor.Array{c.keys, newK}, tensor.Axis(2)))
			c.values = replace(c.values, tensor.Concatenate([]*tensor.Array{c.values, newV}, tensor.Axis(2)))
		} else {
			c.keys, c.values = newK, newV
		}
		c.idx = prev
	}
	if n := c.keys.Dim(2) - c.maxSize; n > 0 {
		c.keys, c.values = replace(c.keys, c.trim(n, c.keys, nil)), replace(c.values, c.trim(n, c.values, nil))
		c.idx = c.maxSize
	}
	if c.idx == c.maxSize {
		c.idx = c.keep // rotate
	}
	c.keys = replace(c.keys, writeAt(c.keys, k, c.idx))
	c.values = replace(c.values, writeAt(c.values, v, c.idx))
	c.n++
	c.idx++
	if c.n < c.keys.Dim(2) {
		c.views = []*tensor.Array{c.keys.Slice(2, 0, c.n, 1), c.values.Slice(2, 0, c.n, 1)}
		return c.views[0], c.views[1]
	}
	return c.keys, c.values
}

// mask is mlx-lm's RotatingKVCache.make_mask.
func (c *rotatingCache) mask(n, window int) (string, *tensor.Array) {
	if n > 1 {
		if window == 0 {
			window = c.maxSize
		}
		offset := min(c.maxSize-1, c.n)
		if offset+n > window {
			return "", causalMask(n, offset, window, nil)
		}
		return "causal", nil
	}
	if window == 0 || c.n < window || c.maxSize <= window {
		return "", nil
	}
	// A window shorter than the buffer: mask the slots outside it.
	idx := c.idx
	if idx >= c.maxSize {
		idx = 0
	}
	size := c.maxSize
	if c.n < c.maxSize {
		size = c.n + 1
	}
	m := tensor.GreaterEqual(tensor.Arange(0, float64(size), tensor.Int32), size-window)
	return "", tensor.Roll(m, []int{idx + 1})
}

func (c *rotatingCache) free() {
	freeAll(c.views)
	freeAll([]*tensor.Array{c.keys, c.values})
	*c = rotatingCache{keep: c.keep, maxSize: c.maxSize}
}
