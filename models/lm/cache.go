package lm

import (
	"github.com/mlx-go/mlx-go/tensor"
)

// Cache holds each layer's keys and values so decoding one token attends
// to the whole sequence without recomputing it: mlx-lm's list of per-layer
// caches. A layer's cache is a kvCache (preallocated in steps), a
// rotatingCache (sliding-window layers, or a bound on the context) or a
// quantizedCache (8-bit keys and values).
type Cache struct {
	layers []layerCache
}

// layerCache is one layer's cache, mlx-lm's _BaseCache family.
type layerCache interface {
	// attend stores this step's keys and values [B, kvHeads, L, D] and
	// attends q [B, heads, L, D] to every cached key (mlx-lm's
	// update_and_fetch followed by scaled_dot_product_attention).
	attend(q, k, v *tensor.Array, scale float64, mode string, mask *tensor.Array) *tensor.Array
	// offset is the number of positions processed so far.
	offset() int
	// mask is mlx-lm's make_mask for n new positions; window > 0 for a
	// sliding-window layer.
	mask(n, window int) (mode string, mask *tensor.Array)
	// state is the arrays the cache holds (to evaluate or save).
	state() []*tensor.Array
	free()
}

// newCache makes a model's default cache, as mlx-lm's make_cache:
// windows[i] > 0 makes layer i a rotating cache of that many keys.
func newCache(windows []int) *Cache {
	c := &Cache{layers: make([]layerCache, len(windows))}
	for i, w := range windows {
		if w > 0 {
			c.layers[i] = &rotatingCache{maxSize: w}
		} else {
			c.layers[i] = &kvCache{}
		}
	}
	return c
}

// Offset is the number of positions already cached.
func (c *Cache) Offset() int {
	if c == nil || len(c.layers) == 0 {
		return 0
	}
	return c.layers[0].offset()
}

// Free releases the cached arrays and empties the cache.
func (c *Cache) Free() {
	if c == nil {
		return
	}
	for _, l := range c.layers {
		l.free()
	}
}

// layer is the cache of layer i, or nil without a cache.
func (c *Cache) layer(i int) layerCache {
	if c == nil {
		return nil
	}
	return c.layers[i]
}

// layerMask is the attention mask for n new positions of a layer with
// cache c (nil: no cache, the sequence starts at offset).
func layerMask(c layerCache, n, offset, window int) (string, *tensor.Array) {
	if c == nil {
		return attentionMask(n, offset, 0, window)
	}
	return c.mask(n, window)
}

// attend is layer attention through its cache (nil: none).
func attend(c layerCache, q, k, v *tensor.Array, scale float64, mode string, mask *tensor.Array) *tensor.Array {
	if c == nil {
		return sdpa(q, k, v, scale, mode, mask)
	}
	return c.attend(q, k, v, scale, mode, mask)
}

// causalMask is mlx-lm's create_causal_mask: query i (at offset+i) sees
// key j when j <= offset+i, within window when window > 0, and (leftPad,
// [B] int32) not among a row's padding. Shape [n, offset+n], or
// [B, 1, n, offset+n] with padding.
func causalMask(n, offset, window int, leftPad *tensor.Array) *tensor.Array {
	r := tensor.Arange(0, float64(offset+n), tensor.Int32)
	l := tensor.Reshape(tensor.Arange(float64(offset), float64(offset+n), tensor.Int32), []int{n, 1})
	m := tensor.GreaterEqual(l, r)
	if window > 0 {
		m = tensor.LogicalAnd(m, tensor.Less(l, tensor.Add(r, window)))
	}
	if leftPad != nil {
		pad := tensor.Reshape(leftPad, []int{-1, 1, 1, 1})
		m = tensor.LogicalAnd(m, tensor.LessEqual(pad, r))
	}
	return m
}

// cacheStep is how many positions a cache grows by at a time, as mlx-lm's.
const cacheStep = 256

// kvCache is mlx-lm's KVCache: keys and values in buffers grown cacheStep
// positions at a time and written in place, so a decode step costs no copy
// of the sequence. Batches (leftPad set) also use it for sliding layers,
// keeping every key and masking to the window.
type kvCache struct {
	keys, values *tensor.Array // [B, kvHeads, capacity, D]; the first n are used
	n            int
	capacity     int           // positions keys has room for (see room)
	sized        *tensor.Array // the keys capacity was read from
	leftPad      *tensor.Array // [B] int32: padding at the start of each row (batches)
	views        []*tensor.Array
}

func (c *kvCache) offset() int { return c.n }

func (c *kvCache) state() []*tensor.Array { return nonNil(c.keys, c.values) }

func (c *kvCache) mask(n, window int) (string, *tensor.Array) {
	if c.leftPad != nil || window > 0 {
		return "", causalMask(n, c.n, window, c.leftPad)
	}
	if n == 1 {
		return "", nil
	}
	return "causal", nil
}

func (c *kvCache) attend(q, k, v *tensor.Array, scale float64, mode string, mask *tensor.Array) *tensor.Array {
	keys, values := c.update(k, v)
	return sdpa(q, keys, values, scale, mode, mask)
}

func (c *kvCache) update(k, v *tensor.Array) (*tensor.Array, *tensor.Array) {
	freeAll(c.views) // last step's views: its graph holds what it needs
	// Shapes are asked once: each is a call into MLX, and this runs for
	// every layer of every token.
	ks, vs := k.Shape(), v.Shape()
	prev, l := c.n, ks[2]
	if c.keys == nil || prev+l > c.room() {
		steps := (cacheStep + l - 1) / cacheStep * cacheStep
		newK := tensor.Zeros([]int{ks[0], ks[1], steps, ks[3]}, k.Dtype())
		newV := tensor.Zeros([]int{vs[0], vs[1], steps, vs[3]}, v.Dtype())
		if c.keys != nil {
			if prev%cacheStep != 0 {
				c.keys, c.values = replace(c.keys, c.keys.Slice(2, 0, prev, 1)), replace(c.values, c.values.Slice(2, 0, prev, 1))
			}
			c.keys = replace(c.keys, tensor.Concatenate([]*tensor.Array{c.keys, newK}, tensor.Axis(2)))
			c.values = replace(c.values, tensor.Concatenate([]*tensor.Array{c.values, newV}, tensor.Axis(2)))
		} else {
			c.keys, c.values = newK, newV
		}
	}
	room := c.room()
	c.n += l
	oldK, oldV := c.keys, c.values
	c.keys, c.values = writeShaped(oldK, k, ks, prev), writeShaped(oldV, v, vs, prev)
	release(oldK, oldV)
	c.sized = c.keys // written in place: the same room
	if c.n == room {
		c.views = nil
		return c.keys, c.values
	}
	c.views = append(c.views[:0], prefix(c.keys, ks, c.n), prefix(c.values, vs, c.n))
	return c.views[0], c.views[1]
}

// room is how many positions keys has room for, asked of MLX only when
// keys is not the buffer last measured (code that replaces keys need not
// know).
func (c *kvCache) room() int {
	if c.sized != c.keys {
		c.sized, c.capacity = c.keys, c.keys.Dim(2)
	}
	return c.capacity
}

// prefix is buf[:, :, :n] for a buffer of rows shaped like s ([B, H, _, D]).
func prefix(buf *tensor.Array, s []int, n int) *tensor.Array {
	return tensor.Slice(buf, []int{0, 0, 0, 0}, []int{s[0], s[1], n, s[3]}, []int{1, 1, 1, 1})
}

func (c *kvCache) free() {
	freeAll(c.views)
	freeAll([]*tensor.Array{c.keys, c.values, c.leftPad})
	*c = kvCache{}
}

// writeAt is buf with x written at positions at.. of axis 2.
func writeAt(buf, x *tensor.Array, at int) *tensor.Array { return writeShaped(buf, x, x.Shape(), at) }

// writeShaped is writeAt for x of shape s.
func writeShaped(buf, x *tensor.Array, s []int, at int) *tensor.Array {
	return tensor.SliceUpdate(buf, x, []int{0, 0, at, 0}, []int{s[0], s[1], at + s[2], s[3]}, []int{1, 1, 1, 1})
}

// replace frees old (unless it is new) and returns new: a cache drops its
// handle on a buffer as soon as a newer version exists, so MLX can update
// the buffer in place instead of copying it.
func replace(old, new *tensor.Array) *tensor.Array {
	if old != new {
		old.Free()
	}
	return new
}

func nonNil(as ...*tensor.Array) []*tensor.Array {
	var out []*tensor.Array
	for _, a := range as {
		if a != nil {
			out = append(out, a)
		}
	}
	return out
}

// state is every array the cache holds.
func (c *Cache) state() []*tensor.Array {
	var out []*tensor.Array
	for _, l := range c.layers {
		out = append(out, l.state()...)
	}
	return out
}

// bound makes the plain layers of a fresh cache rotating ones of maxSize
// positions keeping the first 4, as mlx-lm's make_prompt_cache with
// max_kv_size does.
func (c *Cache) bound(maxSize int) {
	for i, l := range c.layers {
		if _, ok := l.(*kvCache); ok {
			c.layers[i] = &rotatingCache{maxSize: maxSize, keep: 4}
		}
	}
}

// release frees a forward pass's intermediates once the graph that uses
// them is built: the graph keeps what it needs, and MLX can reuse their
// buffers while it evaluates (Python drops them on return, by reference
// counting; Go's collector would hold them until a later collection, which
// costs buffer reuse and memory: measured 10-15% of a small model's decode
// time on CPU).
func release(as ...*tensor.Array) { freeAll(as) }

func freeAll(as []*tensor.Array) { tensor.Free(as...) }
