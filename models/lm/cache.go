package lm

import (
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Cache holds each layer's keys and values so decoding one token attends
// to the whole sequence without recomputing it. A sliding-window layer
// keeps only its last window keys, as mlx-lm's RotatingKVCache does (the
// attention mask enforces the window for the keys in between).
type Cache struct {
	layers []*layerCache
}

type layerCache struct {
	keys, values *tensor.Array // [B, kvHeads, T, headDim]
	start        int           // position of keys[..., 0, :]
	keep         int           // > 0: keys kept after a step (sliding window)
}

// newCache makes a cache; windows[i] > 0 bounds layer i to that many keys.
func newCache(windows []int) *Cache {
	c := &Cache{layers: make([]*layerCache, len(windows))}
	for i, w := range windows {
		c.layers[i] = &layerCache{keep: w}
	}
	return c
}

// Offset is the number of positions already cached.
func (c *Cache) Offset() int {
	if c == nil || len(c.layers) == 0 || c.layers[0].keys == nil {
		return 0
	}
	return c.layers[0].start + c.layers[0].keys.Dim(2)
}

// Free releases the cached arrays and empties the cache.
func (c *Cache) Free() {
	for _, l := range c.layers {
		l.keys.Free()
		l.values.Free()
		l.keys, l.values, l.start = nil, nil, 0
	}
}

// update appends this step's keys and values and returns every key the
// step attends to, with the position of the first. A sliding layer then
// drops the keys no later query can reach.
func (l *layerCache) update(k, v *tensor.Array) (keys, values *tensor.Array, start int) {
	if l.keys != nil {
		k = tensor.Concatenate([]*tensor.Array{l.keys, k}, tensor.Axis(2))
		v = tensor.Concatenate([]*tensor.Array{l.values, v}, tensor.Axis(2))
	}
	keys, values, start = k, v, l.start
	l.keys, l.values = k, v
	if n := k.Dim(2); l.keep > 0 && n > l.keep {
		l.keys, l.values = k.Slice(2, n-l.keep, math.MaxInt, 1), v.Slice(2, n-l.keep, math.MaxInt, 1)
		l.start += n - l.keep
	}
	return keys, values, start
}

// layer is the cache of layer i, or nil without a cache.
func (c *Cache) layer(i int) *layerCache {
	if c == nil {
		return nil
	}
	return c.layers[i]
}
