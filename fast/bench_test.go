package fast_test

import (
	"math"
	"testing"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// Fused kernel against composed form at LLM shapes; SetBytes is the
// minimum traffic (read x, write the result), so -bench reports MB/s.
// The side-by-side table with Python MLX: go run ./nn/internal/benchcmp.

func benchEval(b *testing.B, bytes int, f func() *tensor.Array) {
	b.SetBytes(int64(bytes))
	tensor.Eval(f())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tensor.Eval(f())
	}
}

func BenchmarkRMSNorm(b *testing.B) {
	x, w := normal(1, 1, 512, 4096), normal(2, 4096)
	tensor.Eval(x, w)
	b.Run("fast", func(b *testing.B) {
		benchEval(b, 2*x.Nbytes(), func() *tensor.Array { return fast.RMSNorm(x, w, 1e-5) })
	})
	b.Run("composed", func(b *testing.B) {
		benchEval(b, 2*x.Nbytes(), func() *tensor.Array { return composedRMSNorm(x, w, 1e-5) })
	})
}

func BenchmarkLayerNorm(b *testing.B) {
	x, w, bias := normal(1, 1, 512, 4096), normal(2, 4096), normal(3, 4096)
	tensor.Eval(x, w, bias)
	b.Run("fast", func(b *testing.B) {
		benchEval(b, 2*x.Nbytes(), func() *tensor.Array { return fast.LayerNorm(x, w, bias, 1e-5) })
	})
	b.Run("composed", func(b *testing.B) {
		benchEval(b, 2*x.Nbytes(), func() *tensor.Array { return composedLayerNorm(x, w, bias, 1e-5) })
	})
}

func BenchmarkRoPE(b *testing.B) {
	x := normal(4, 1, 32, 512, 128)
	tensor.Eval(x)
	b.Run("fast", func(b *testing.B) {
		benchEval(b, 2*x.Nbytes(), func() *tensor.Array { return fast.RoPE(x, 128, false, 10000, 1, 7) })
	})
	b.Run("composed", func(b *testing.B) {
		benchEval(b, 2*x.Nbytes(), func() *tensor.Array { return composedRoPE(x, 128, false, 10000, 1, 7, nil) })
	})
}

func BenchmarkAttention(b *testing.B) {
	for _, c := range []struct {
		name   string
		lq, lk int
	}{{"prefill256", 256, 256}, {"decode4096", 1, 4096}} {
		q, k, v := normal(5, 1, 32, c.lq, 128), normal(6, 1, 8, c.lk, 128), normal(7, 1, 8, c.lk, 128)
		tensor.Eval(q, k, v)
		scale := 1 / math.Sqrt(128)
		causal := c.lq > 1
		bytes := 2*q.Nbytes() + k.Nbytes() + v.Nbytes()
		b.Run(c.name+"/fast", func(b *testing.B) {
			benchEval(b, bytes, func() *tensor.Array {
				if causal {
					return fast.CausalAttention(q, k, v, scale)
				}
				return fast.ScaledDotProductAttention(q, k, v, scale, nil)
			})
		})
		b.Run(c.name+"/composed", func(b *testing.B) {
			benchEval(b, bytes, func() *tensor.Array { return composedAttention(q, k, v, scale, causal, nil, nil) })
		})
	}
}
