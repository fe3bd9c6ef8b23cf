package lm

import "github.com/mlx-go/mlx-go/tensor"

// Cache holds each layer's keys and values so decoding one token attends
// to the whole sequence without recomputing it.
//
// Unlike mlx-lm's RotatingKVCache, sliding-window layers keep every key
// too and the attention mask enforces the window: the same logits, simpler
// bookkeeping, more memory on very long sequences.
type Cache struct {
	layers []*layerCache
}

type layerCache struct {
	keys, values *tensor.Array // [B, kvHeads, T, headDim]
}

func newCache(layers int) *Cache {
	c := &Cache{layers: make([]*layerCache, layers)}
	for i := range c.layers {
		c.layers[i] = &layerCache{}
	}
	return c
}

// Offset is the number of positions already cached.
func (c *Cache) Offset() int {
	if c == nil || len(c.layers) == 0 || c.layers[0].keys == nil {
		return 0
	}
	return c.layers[0].keys.Dim(2)
}

// Free releases the cached arrays and empties the cache.
func (c *Cache) Free() {
	for _, l := range c.layers {
		l.keys.Free()
		l.values.Free()
		l.keys, l.values = nil, nil
	}
}

// update appends this step's keys and values and returns all of them.
func (l *layerCache) update(k, v *tensor.Array) (*tensor.Array, *tensor.Array) {
	if l.keys == nil {
		l.keys, l.values = k, v
		return k, v
	}
	l.keys = tensor.Concatenate([]*tensor.Array{l.keys, k}, tensor.Axis(2))
	l.values = tensor.Concatenate([]*tensor.Array{l.values, v}, tensor.Axis(2))
	return l.keys, l.values
}

// layer is the cache of layer i, or nil without a cache.
func (c *Cache) layer(i int) *layerCache {
	if c == nil {
		return nil
	}
	return c.layers[i]
}
