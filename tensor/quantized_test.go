package tensor_test

import (
	"fmt"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// A quantized product must equal the plain product with the dequantized
// weights, on every device and at every shape a model uses: the tiny test
// checkpoints (hidden 64, vocabularies of a few thousand) as well as
// LLM-sized ones. This holds the default device (the GPU where there is
// one) to it; the golden tests cover the CPU bit for bit.
func TestQuantizedMatmulMatchesDequantized(t *testing.T) {
	type shape struct{ m, k, n int }
	// Each new shape and setting is a kernel the GPU compiles at run time
	// (about a second each), so the set is small but spans both regimes.
	shapes := []shape{{1, 64, 24}, {6, 64, 1536}, {3, 256, 64}, {1, 2048, 2048}, {33, 4096, 1024}}
	var failed []string
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Bfloat16} {
		for _, bits := range []int{4, 8} {
			groups := []int{32, 64, 128}
			if bits == 8 {
				groups = []int{64}
			}
			for _, gs := range groups {
				for _, s := range shapes {
					if s.k%gs != 0 {
						continue
					}
					name := fmt.Sprintf("%v x[%d,%d] w[%d,%d] %d-bit g%d", dt, s.m, s.k, s.n, s.k, bits, gs)
					err := tensor.Try(func() {
						x := tensor.AsType(tensor.RandomNormal([]int{s.m, s.k}, tensor.Key(tensor.RandomKey(1))), dt)
						w := tensor.AsType(tensor.RandomNormal([]int{s.n, s.k}, tensor.Key(tensor.RandomKey(2))), dt)
						q := tensor.Quantize(w, tensor.GroupSize(gs), tensor.Bits(bits))
						got := tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(gs), tensor.Bits(bits))
						deq := tensor.Dequantize(q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(gs), tensor.Bits(bits))
						want := tensor.Matmul(x.AsType(tensor.Float32), tensor.Transpose(deq.AsType(tensor.Float32)))
						// Relative to the output's scale: float32 (TF32 on a
						// GPU) within 1%; bf16 kernels accumulate in bf16 on
						// the CPU, measured up to 17% at K=4096, so bf16 only
						// catches wrong results, not rounding.
						scale := tensor.Max(tensor.Abs(want)).Float()
						diff := tensor.Max(tensor.Abs(tensor.Subtract(got.AsType(tensor.Float32), want))).Float()
						finite := tensor.All(tensor.Isfinite(got)).Bool()
						tol := 0.01
						if dt == tensor.Bfloat16 {
							tol = 0.3
						}
						if !finite || diff > tol*scale {
							failed = append(failed, fmt.Sprintf("%s: max |diff| %.3g of scale %.3g, finite %v", name, diff, scale, finite))
						}
					})
					if err != nil {
						failed = append(failed, name+": "+err.Error())
					}
				}
			}
		}
	}
	for _, f := range failed {
		t.Error(f)
	}
}
