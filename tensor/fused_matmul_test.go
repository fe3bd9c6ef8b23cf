package tensor_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// FastRMSNormQuantizedMatmul and FastSwiGLUQuantizedMatmul are a quantized
// product of a norm or a gate of x. Where mlx-go's GPU matrix-vector kernel
// takes the product, the kernel applies the norm or gate to x as it loads
// it (one launch instead of two); elsewhere they are the separate ops.
//
// Held to: the separate ops' bits where they are the separate ops (the
// CPU); on a GPU, the float32 product of the separate ops' input (the norm
// or gate rounded to x's dtype) within 1.5 half-ulps of the output's scale,
// the bound the plain kernel meets (TestGPUQuantizedMatvec), and the graph
// must hold the fused primitive: the proof that it ran.
func TestFusedQuantizedMatmul(t *testing.T) {
	gpu := tensor.DefaultDevice() == tensor.GPU
	for _, dt := range []tensor.Dtype{tensor.Bfloat16, tensor.Float16} {
		halfULP := math.Ldexp(1, -8)
		if dt == tensor.Float16 {
			halfULP = math.Ldexp(1, -11)
		}
		for i, c := range []struct{ m, k, n, group int }{
			{1, 2048, 6144, 64}, {1, 2048, 16384, 64}, {2, 8192, 2048, 64}, {1, 1152, 6912, 32}, {4, 4096, 1024, 128}, {3, 512, 48, 32},
		} {
			name := fmt.Sprintf("%v g%d x[%d,%d] @ w[%d,%d]", dt, c.group, c.m, c.k, c.n, c.k)
			key := func(j int) tensor.Opt { return tensor.Key(tensor.RandomKey(uint64(100*i + j))) }
			wf := tensor.AsType(tensor.Multiply(tensor.RandomNormal([]int{c.n, c.k}, key(1)), 0.05), dt)
			q := tensor.Quantize(wf, tensor.GroupSize(c.group), tensor.Bits(4))
			product := func(x *tensor.Array) *tensor.Array {
				return tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(c.group), tensor.Bits(4))
			}
			deq := tensor.Dequantize(q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(c.group), tensor.Bits(4)).AsType(tensor.Float32)

			x := tensor.AsType(tensor.Multiply(tensor.RandomNormal([]int{1, c.m, c.k}, key(2)), 3), dt)
			nw := tensor.AsType(tensor.Add(tensor.Multiply(tensor.RandomNormal([]int{c.k}, key(3)), 0.1), 1), dt)
			normed := fastRMSNorm(x, nw, 1e-5)
			fused := tensor.FastRMSNormQuantizedMatmul(x, nw, 1e-5, q[0], q[1], q[2], c.group, 4)
			checkFused(t, "rms_norm "+name, gpu, "RMSNormQuantizedMatmul", fused, product(normed), normed, deq, halfULP)

			gu := tensor.AsType(tensor.Multiply(tensor.RandomNormal([]int{1, c.m, 2 * c.k}, key(4)), 2), dt)
			parts := tensor.SplitAt(gu, []int{c.k}, tensor.Axis(-1))
			gated := tensor.Multiply(tensor.Multiply(parts[0], tensor.Sigmoid(parts[0])), parts[1])
			fused = tensor.FastSwiGLUQuantizedMatmul(gu, q[0], q[1], q[2], c.group, 4)
			checkFused(t, "swiglu "+name, gpu, "SwiGLUQuantizedMatmul", fused, product(gated), gated, deq, halfULP)
		}
	}
}

func fastRMSNorm(x, w *tensor.Array, eps float64) *tensor.Array {
	return tensor.FastRMSNorm(x, eps, tensor.Weight(w))
}

func checkFused(t *testing.T, name string, gpu bool, primitive string, fused, separate, in, deq *tensor.Array, halfULP float64) {
	t.Helper()
	if fmt.Sprint(fused.Shape()) != fmt.Sprint(separate.Shape()) || fused.Dtype() != separate.Dtype() {
		t.Fatalf("%s: got %v %v, want %v %v", name, fused.Shape(), fused.Dtype(), separate.Shape(), separate.Dtype())
	}
	ran := strings.Contains(tensor.ExportToDot(fused), primitive)
	if !gpu || !ran {
		// The separate ops: what runs off the GPU kernel (which takes every
		// shape here).
		if gpu {
			t.Errorf("%s: the GPU ran the separate ops, not the %s kernel", name, primitive)
		}
		if n := bitsDiffer(fused, separate); n != 0 {
			t.Errorf("%s: %d elements differ from the separate ops' bits", name, n)
		}
		return
	}
	ref := tensor.Matmul(in.AsType(tensor.Float32), tensor.Transpose(deq))
	scale := tensor.Max(tensor.Abs(ref)).Float()
	if e := tensor.Max(tensor.Abs(tensor.Subtract(fused.AsType(tensor.Float32), ref))).Float() / scale; e > 1.5*halfULP || math.IsNaN(e) {
		t.Errorf("%s: %.2e of the output's scale from the float32 product of the separate ops' input (bound %.2e)", name, e, 1.5*halfULP)
	}
}

// Bad input names the problem; nothing crashes.
func TestFusedQuantizedMatmulErrors(t *testing.T) {
	q := tensor.Quantize(tensor.Ones([]int{64, 128}, tensor.Bfloat16), tensor.GroupSize(64), tensor.Bits(4))
	err := tensor.Try(func() {
		tensor.FastSwiGLUQuantizedMatmul(tensor.Ones([]int{1, 255}, tensor.Bfloat16), q[0], q[1], q[2], 64, 4).Eval()
	})
	if err == nil || !strings.Contains(err.Error(), "even") || !strings.Contains(err.Error(), "255") {
		t.Errorf("odd gate_up: got %v", err)
	}
	err = tensor.Try(func() {
		tensor.FastRMSNormQuantizedMatmul(tensor.Ones([]int{1, 128}, tensor.Bfloat16), tensor.Ones([]int{64}, tensor.Bfloat16), 1e-5, q[0], q[1], q[2], 64, 4).Eval()
	})
	if err == nil {
		t.Errorf("a norm weight of 64 for 128 features: no error")
	}
}
