package lm

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// rope is mlx-lm's initialize_rope for the scalings our models use:
// default, linear (positions divided by factor) and llama3 (per-frequency
// rescaling into custom frequencies).
type rope struct {
	dims        int
	traditional bool
	base, scale float64
	freqs       *tensor.Array // llama3: custom frequencies replace base
}

func newRope(dims int, base float64, traditional bool, scaling map[string]any) *rope {
	r := &rope{dims: dims, traditional: traditional, base: base, scale: 1}
	if scaling == nil {
		return r
	}
	kind, _ := scaling["type"].(string)
	if kind == "" {
		kind, _ = scaling["rope_type"].(string)
	}
	factor, _ := scaling["factor"].(float64)
	switch kind {
	case "", "default":
	case "linear":
		r.scale = 1 / factor
	case "llama3":
		r.freqs = llama3Freqs(dims, base, factor, scaling)
	default:
		panic(&tensor.Error{Op: "lm.rope", Msg: fmt.Sprintf("unsupported rope_scaling type %q (supported: default, linear, llama3)", kind)})
	}
	return r
}

func getf(m map[string]any, k string, def float64) float64 {
	if v, ok := m[k].(float64); ok {
		return v
	}
	return def
}

// llama3Freqs: long wavelengths are slowed by factor, short ones kept,
// the band between interpolated smoothly (Llama 3.1's scheme). Computed
// with MLX ops in float32, as mlx-lm does, to get the same bits.
func llama3Freqs(dims int, base, factor float64, s map[string]any) *tensor.Array {
	low := getf(s, "low_freq_factor", 1)
	high := getf(s, "high_freq_factor", 4)
	old := getf(s, "original_max_position_embeddings", 8192)
	lowWave, highWave := old/low, old/high
	freqs := tensor.Power(base, tensor.Divide(tensor.Arange(0, float64(dims), tensor.Step(2)), float64(dims)))
	wave := tensor.Multiply(2*math.Pi, freqs)
	freqs = tensor.Where(tensor.Greater(wave, lowWave), tensor.Multiply(freqs, factor), freqs)
	medium := tensor.LogicalAnd(tensor.Greater(wave, highWave), tensor.Less(wave, lowWave))
	smooth := tensor.Divide(tensor.Subtract(tensor.Divide(old, wave), low), high-low)
	smoothFreqs := tensor.Divide(freqs, tensor.Add(tensor.Divide(tensor.Subtract(1, smooth), factor), smooth))
	return tensor.Where(medium, smoothFreqs, freqs).Eval()
}

// apply rotates x [B, H, L, D] for positions offset.. .
func (r *rope) apply(x *tensor.Array, offset int) *tensor.Array {
	if r.freqs != nil {
		return fast.RoPEWithFreqs(x, r.dims, r.traditional, 1, offset, r.freqs)
	}
	return fast.RoPE(x, r.dims, r.traditional, r.base, r.scale, offset)
}

// ropeKey is what a compiled block needs of a rope besides its
// frequencies, which it takes as an input.
type ropeKey struct {
	dims        int
	traditional bool
	base, scale float64
	freqs       bool
}

func (r *rope) key() ropeKey {
	return ropeKey{dims: r.dims, traditional: r.traditional, base: r.base, scale: r.scale, freqs: r.freqs != nil}
}

// applyAt is apply at an array offset (a 0-d int32 array: what MLX makes
// of an int offset, so the results are apply's), with freqs standing for
// the rope's frequencies (nil without).
func (k ropeKey) applyAt(x, offset, freqs *tensor.Array) *tensor.Array {
	if k.freqs {
		return fast.RoPEWithFreqsAt(x, k.dims, k.traditional, 1, offset, freqs)
	}
	return fast.RoPEAt(x, k.dims, k.traditional, k.base, k.scale, offset)
}
