package fast_test

import (
	"math"
	"testing"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// Parity with mlx.core.fast on the same inputs: bit for bit, since both
// sides run the same libmlx on the CPU.

func TestNormsMatchPython(t *testing.T) {
	g := loadGolden(t, "fast.safetensors")
	x, w, b := g.Get(t, "norm.x"), g.Get(t, "norm.w"), g.Get(t, "norm.b")
	assertSame(t, "rms_norm", fast.RMSNorm(x, w, 1e-5), g.Get(t, "norm.rms"))
	assertSame(t, "rms_norm without weight", fast.RMSNorm(x, nil, 1e-6), g.Get(t, "norm.rms_noweight"))
	assertSame(t, "layer_norm", fast.LayerNorm(x, w, b, 1e-5), g.Get(t, "norm.ln"))
	assertSame(t, "layer_norm weight only", fast.LayerNorm(x, w, nil, 1e-5), g.Get(t, "norm.ln_w"))
	assertSame(t, "layer_norm bias only", fast.LayerNorm(x, nil, b, 1e-5), g.Get(t, "norm.ln_b"))
	assertSame(t, "layer_norm plain", fast.LayerNorm(x, nil, nil, 1e-5), g.Get(t, "norm.ln_none"))
	xb := g.Get(t, "norm.xb")
	assertSame(t, "rms_norm bf16", fast.RMSNorm(xb, w.AsType(tensor.Bfloat16), 1e-5), g.Get(t, "norm.rms_bf16"))
	f16 := func(a *tensor.Array) *tensor.Array { return a.AsType(tensor.Float16) }
	assertSame(t, "layer_norm fp16", fast.LayerNorm(f16(x), f16(w), f16(b), 1e-5), g.Get(t, "norm.ln_fp16"))
}

func TestRoPEMatchesPython(t *testing.T) {
	g := loadGolden(t, "fast.safetensors")
	x := g.Get(t, "rope.x")
	assertSame(t, "traditional", fast.RoPE(x, 64, true, 10000, 1, 0), g.Get(t, "rope.trad"))
	assertSame(t, "half-split, offset 5", fast.RoPE(x, 64, false, 10000, 1, 5), g.Get(t, "rope.half"))
	assertSame(t, "partial dims, scale", fast.RoPE(x, 32, false, 500000, 0.5, 3), g.Get(t, "rope.partial"))
	assertSame(t, "array offset", fast.RoPEAt(x, 64, false, 10000, 1, g.Get(t, "rope.offset_scalar")), g.Get(t, "rope.dyn"))
	assertSame(t, "per-batch offsets", fast.RoPEAt(x, 64, true, 10000, 1, g.Get(t, "rope.offset_batch")), g.Get(t, "rope.dyn_batch"))
	freqs := g.Get(t, "rope.freqs")
	assertSame(t, "custom freqs", fast.RoPEWithFreqs(x, 64, false, 1, 4, freqs), g.Get(t, "rope.custom"))
	assertSame(t, "traditional bf16", fast.RoPE(x.AsType(tensor.Bfloat16), 64, true, 10000, 1, 2), g.Get(t, "rope.trad_bf16"))
	assertSame(t, "custom freqs, array offset", fast.RoPEWithFreqsAt(x, 64, false, 1, g.Get(t, "rope.offset_scalar"), freqs), g.Get(t, "rope.custom_dyn"))
}

func TestAttentionMatchesPython(t *testing.T) {
	g := loadGolden(t, "fast.safetensors")
	q, k, v := g.Get(t, "sdpa.q"), g.Get(t, "sdpa.k"), g.Get(t, "sdpa.v")
	scale := 1 / math.Sqrt(72)
	assertSame(t, "no mask", fast.ScaledDotProductAttention(q, k, v, scale, nil), g.Get(t, "sdpa.none"))
	assertSame(t, "causal", fast.CausalAttention(q, k, v, scale), g.Get(t, "sdpa.causal"))
	assertSame(t, "additive mask", fast.ScaledDotProductAttention(q, k, v, scale, g.Get(t, "sdpa.add_mask")), g.Get(t, "sdpa.additive"))
	assertSame(t, "boolean mask", fast.ScaledDotProductAttention(q, k, v, scale, g.Get(t, "sdpa.bool_mask")), g.Get(t, "sdpa.boolean"))
	f16 := func(a *tensor.Array) *tensor.Array { return a.AsType(tensor.Float16) }
	assertSame(t, "causal fp16", fast.CausalAttention(f16(q), f16(k), f16(v), scale), g.Get(t, "sdpa.causal_fp16"))
	sinks := g.Get(t, "sdpa.sinks_in")
	assertSame(t, "causal with sinks", fast.AttentionWithSinks(q, k, v, scale, "causal", nil, sinks), g.Get(t, "sdpa.sinks"))
	assertSame(t, "sinks, no mask", fast.AttentionWithSinks(q, k, v, scale, "", nil, sinks), g.Get(t, "sdpa.sinks_nomask"))
}
