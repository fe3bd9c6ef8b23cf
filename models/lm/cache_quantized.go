package lm

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// quantizedCache is mlx-lm's QuantizedKVCache: keys and values stored
// MLX-quantized (packed uint32, scales, biases), attended with quantized
// matmuls so the full-precision cache never exists. It is what a kvCache
// becomes once KVBits is set and the sequence reaches QuantizedKVStart.
type quantizedCache struct {
	keys, values [3]*tensor.Array // [B, kvHeads, capacity, D*bits/32], scales, biases
	n            int
	groupSize    int
	bits         int
}

func (c *quantizedCache) offset() int { return c.n }

func (c *quantizedCache) state() []*tensor.Array { return nonNil(append(c.keys[:], c.values[:]...)...) }

func (c *quantizedCache) mask(n, window int) (string, *tensor.Array) {
	if window > 0 {
		return "", causalMask(n, c.n, window, nil)
	}
	if n == 1 {
		return "", nil
	}
	return "causal", nil
}

// toQuantized is mlx-lm's KVCache.to_quantized.
func (c *kvCache) toQuantized(groupSize, bits int) *quantizedCache {
	q := &quantizedCache{n: c.n, groupSize: groupSize, bits: bits}
	if c.keys != nil {
		q.keys = quantize3(c.keys, groupSize, bits)
		q.values = quantize3(c.values, groupSize, bits)
	}
	c.free()
	return q
}

func quantize3(x *tensor.Array, groupSize, bits int) [3]*tensor.Array {
	q := tensor.Quantize(x, tensor.GroupSize(groupSize), tensor.Bits(bits))
	return [3]*tensor.Array{q[0], q[1], q[2]}
}

func (c *quantizedCache) update(k, v *tensor.Array) (keys, values [3]*tensor.Array) {
	prev, l := c.n, k.Dim(2)
	if c.keys[0] == nil || prev+l > c.keys[0].Dim(2) {
		perInt := 32 / c.bits
		steps := (cacheStep + l - 1) / cacheStep * cacheStep
		grow := func(old [3]*tensor.Array, x *tensor.Array) [3]*tensor.Array {
			b, h, d := x.Dim(0), x.Dim(1), x.Dim(3)
			fresh := [3]*tensor.Array{tensor.Zeros([]int{b, h, steps, d / perInt}, tensor.Uint32),
				tensor.Zeros([]int{b, h, steps, d / c.groupSize}, x.Dtype()),
				tensor.Zeros([]int{b, h, steps, d / c.groupSize}, x.Dtype())}
			if old[0] == nil {
				return fresh
			}
			for i := range old {
				if prev%cacheStep != 0 {
					old[i] = replace(old[i], old[i].Slice(2, 0, prev, 1))
				}
				fresh[i] = replace(fresh[i], tensor.Concatenate([]*tensor.Array{old[i], fresh[i]}, tensor.Axis(2)))
				old[i].Free()
			}
			return fresh
		}
		c.keys, c.values = grow(c.keys, k), grow(c.values, v)
	}
	c.n += l
	qk, qv := quantize3(k, c.groupSize, c.bits), quantize3(v, c.groupSize, c.bits)
	for i := range c.keys {
		c.keys[i] = replace(c.keys[i], writeAt(c.keys[i], qk[i], prev))
		c.values[i] = replace(c.values[i], writeAt(c.values[i], qv[i], prev))
	}
	for i := range c.keys {
		keys[i], values[i] = c.keys[i].Slice(2, 0, c.n, 1), c.values[i].Slice(2, 0, c.n, 1)
	}
	return keys, values
}

// attend is mlx-lm's quantized_scaled_dot_product_attention.
func (c *quantizedCache) attend(q, k, v *tensor.Array, scale float64, mode string, mask *tensor.Array) *tensor.Array {
	if k.Dim(3)%c.groupSize != 0 || v.Dim(3)%c.groupSize != 0 {
		panic(&tensor.Error{Op: "lm.quantizedCache", Msg: fmt.Sprintf("head dim %d is not a multiple of the KV group size %d", k.Dim(3), c.groupSize)})
	}
	keys, values := c.update(k, v)
	b, heads, l, d := q.Dim(0), q.Dim(1), q.Dim(2), q.Dim(3)
	kvHeads := keys[0].Dim(1)
	repeats := heads / kvHeads
	q = tensor.Multiply(q, scale)
	if repeats > 1 {
		q = tensor.Reshape(q, []int{b, kvHeads, repeats, l, d})
		for i := range keys {
			keys[i], values[i] = tensor.ExpandDims(keys[i], []int{-3}), tensor.ExpandDims(values[i], []int{-3})
		}
	}
	scores := tensor.QuantizedMatmul(q, keys[0], keys[1], tensor.Biases(keys[2]), tensor.Transposed(true),
		tensor.GroupSize(c.groupSize), tensor.Bits(c.bits))
	if mode == "causal" {
		kl := scores.Dim(-1)
		qi := tensor.Reshape(tensor.Arange(float64(kl-l), float64(kl), tensor.Int32), []int{l, 1})
		mask = tensor.GreaterEqual(qi, tensor.Arange(0, float64(kl), tensor.Int32))
	}
	if mask != nil {
		if repeats > 1 && mask.Ndim() > 3 {
			mask = tensor.ExpandDims(mask, []int{-3})
		}
		if mask.Dtype() == tensor.Bool {
			scores = tensor.Where(mask, scores, lowest(scores.Dtype()))
		} else {
			scores = tensor.Add(scores, mask)
		}
	}
	scores = tensor.Softmax(scores, tensor.Axis(-1), tensor.Precise(true))
	out := tensor.QuantizedMatmul(scores, values[0], values[1], tensor.Biases(values[2]), tensor.Transposed(false),
		tensor.GroupSize(c.groupSize), tensor.Bits(c.bits))
	if repeats > 1 {
		out = tensor.Reshape(out, []int{b, heads, l, d})
	}
	return out
}

// lowest is finfo(d).min, what mlx-lm fills masked scores with.
func lowest(d tensor.Dtype) float64 {
	switch d {
	case tensor.Float16:
		return -65504
	case tensor.Bfloat16:
		return -3.3895313892515355e38
	}
	return -math.MaxFloat32
}

func (c *quantizedCache) free() {
	freeAll(c.keys[:])
	freeAll(c.values[:])
	*c = quantizedCache{groupSize: c.groupSize, bits: c.bits}
}

// quantizeCache turns the plain layers of c into 8-bit (bits) quantized
// ones once they hold at least start positions: mlx-lm's
// maybe_quantize_kv_cache (rotating layers stay as they are).
func quantizeCache(c *Cache, start, groupSize, bits int) {
	if bits == 0 {
		return
	}
	for i, l := range c.layers {
		if kv, ok := l.(*kvCache); ok && kv.leftPad == nil && kv.n >= start {
			c.layers[i] = kv.toQuantized(groupSize, bits)
		}
	}
}
