package lm

import (
	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// attentionMask is mlx-lm's create_attention_mask for n new positions
// after offset, attending keys from position start on: none for a single
// token, MLX's "causal" mode when it suffices, else a boolean mask that
// also bounds how far back a query may look (window > 0: sliding-window
// attention).
func attentionMask(n, offset, start, window int) (mode string, mask *tensor.Array) {
	if window > 0 && offset+n-start > window {
		q := tensor.Reshape(tensor.Arange(float64(offset), float64(offset+n), tensor.Int32), []int{n, 1})
		k := tensor.Reshape(tensor.Arange(float64(start), float64(offset+n), tensor.Int32), []int{1, offset + n - start})
		m := tensor.LogicalAnd(tensor.GreaterEqual(q, k), tensor.Less(q, tensor.Add(k, window)))
		return "", m
	}
	if n == 1 {
		return "", nil
	}
	return "causal", nil
}

// sdpa is fused attention with the mask from attentionMask.
func sdpa(q, k, v *tensor.Array, scale float64, mode string, mask *tensor.Array) *tensor.Array {
	if mode == "causal" {
		return fast.CausalAttention(q, k, v, scale)
	}
	return fast.ScaledDotProductAttention(q, k, v, scale, mask)
}

// heads turns [B, L, H·D] into [B, H, L, D], freeing x (see release).
func heads(x *tensor.Array, n int) *tensor.Array {
	s := x.Shape()
	r := tensor.Reshape(x, []int{s[0], s[1], n, -1})
	defer release(x, r)
	return tensor.Transpose(r, tensor.Axes(0, 2, 1, 3))
}

// merge turns [B, H, L, D] back into [B, L, H·D], freeing x.
func merge(x *tensor.Array) *tensor.Array {
	s := x.Shape()
	t := tensor.Transpose(x, tensor.Axes(0, 2, 1, 3))
	defer release(x, t)
	return tensor.Reshape(t, []int{s[0], s[2], -1})
}
