package fast

import "github.com/mlx-go/mlx-go/tensor"

// ScaledDotProductAttention is softmax(q·kᵀ·scale + mask)·v over
// q [B, Hq, Lq, D], k [B, Hkv, Lk, D], v [B, Hkv, Lk, Dv]. Hq must be a
// multiple of Hkv (grouped-query attention shares each kv head among
// Hq/Hkv query heads). mask may be nil, an additive float mask, or a boolean
// mask (true = attend); it broadcasts to [B, Hq, Lq, Lk].
func ScaledDotProductAttention(q, k, v *tensor.Array, scale float64, mask *tensor.Array) *tensor.Array {
	return attention("fast.ScaledDotProductAttention", q, k, v, scale, "", mask, nil)
}

// CausalAttention is ScaledDotProductAttention with MLX's "causal" mask:
// query i (counted from the end, so Lq < Lk works for decoding with a
// cache) attends to keys up to its own position.
func CausalAttention(q, k, v *tensor.Array, scale float64) *tensor.Array {
	return attention("fast.CausalAttention", q, k, v, scale, "causal", nil, nil)
}

// AttentionWithSinks is the general form: maskMode is "" (none or array
// mask), "causal", or "array" (mask must be given); sinks (shape [Hq], may
// be nil) adds one learned logit per head to each softmax's denominator.
func AttentionWithSinks(q, k, v *tensor.Array, scale float64, maskMode string, mask, sinks *tensor.Array) *tensor.Array {
	return attention("fast.AttentionWithSinks", q, k, v, scale, maskMode, mask, sinks)
}

func attention(op string, q, k, v *tensor.Array, scale float64, maskMode string, mask, sinks *tensor.Array) *tensor.Array {
	switch maskMode {
	case "", "array":
		if mask != nil {
			maskMode = "array"
		} else if maskMode == "array" {
			panic(&tensor.Error{Op: op, Msg: `maskMode "array" needs a mask array`})
		}
	case "causal":
		if mask != nil {
			panic(&tensor.Error{Op: op, Msg: `maskMode "causal" takes no mask array (add the causal mask to it and pass maskMode "")`})
		}
	default:
		panic(&tensor.Error{Op: op, Msg: `maskMode must be "", "causal" or "array", got "` + maskMode + `"`})
	}
	var opts []tensor.Opt
	if mask != nil {
		opts = append(opts, tensor.Mask(mask))
	}
	if sinks != nil {
		opts = append(opts, tensor.Sinks(sinks))
	}
	return tensor.FastSDPA(q, k, v, scale, maskMode, opts...)
}
