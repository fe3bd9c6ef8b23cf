package tensor_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// On a CUDA device, 4-bit products with 1 to 4 rows of bf16 or fp16 x run
// mlx-go's own kernel (tensor/cgo/gpu_qmv.cpp) instead of MLX's. Its sums
// run in another order, so it is held to the float32 product of the
// dequantized weights (the op's definition): within 1.5 times the
// rounding of the output to x's dtype, at the output's scale. MLX's own
// kernel comes from the same graph through JVP (the primitive's tangent is
// MLX's op) and is held to the same bound, and the two must differ in some
// bits: the proof that ours ran. The CPU build has no such kernel (its
// products are tested in cpu_kernels_test.go), hence the skip.
func TestGPUQuantizedMatvec(t *testing.T) {
	if tensor.DefaultDevice() != tensor.GPU {
		t.Skip("mlx-go's GPU matrix-vector kernel needs a CUDA device")
	}
	shapes := [][2]int{{128, 8}, {128, 64}, {512, 48}, {1152, 6912}, {2048, 2056}, {4096, 1024}, {6912, 1152}}
	differs := false
	for _, dt := range []tensor.Dtype{tensor.Bfloat16, tensor.Float16} {
		halfULP := math.Ldexp(1, -8) // bf16: 8 significant bits
		if dt == tensor.Float16 {
			halfULP = math.Ldexp(1, -11)
		}
		for _, group := range []int{32, 64, 128} {
			for i, kn := range shapes {
				k, n := kn[0], kn[1]
				if k%group != 0 {
					continue
				}
				m := 1 + (i+group/32)%4
				if k == 128 && n == 64 {
					m = 1 // a tiny checkpoint's decode step: down_proj of 2x intermediate
				}
				name := fmt.Sprintf("%v g%d x[%d,%d] @ w[%d,%d]", dt, group, m, k, n, k)
				x := tensor.AsType(tensor.RandomNormal([]int{1, m, k}, tensor.Key(tensor.RandomKey(uint64(k+m)))), dt)
				wf := tensor.AsType(tensor.Multiply(tensor.RandomNormal([]int{n, k}, tensor.Key(tensor.RandomKey(uint64(n)))), 0.05), dt)
				q := tensor.Quantize(wf, tensor.GroupSize(group), tensor.Bits(4))
				product := func(x *tensor.Array) *tensor.Array {
					return tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(group), tensor.Bits(4))
				}
				ours, mlx := oursAndMLX(product, x)
				deq := tensor.Dequantize(q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(group), tensor.Bits(4))
				ref := tensor.Matmul(x.AsType(tensor.Float32), tensor.Transpose(deq.AsType(tensor.Float32)))
				scale := tensor.Max(tensor.Abs(ref)).Float()
				relErr := func(a *tensor.Array) float64 {
					return tensor.Max(tensor.Abs(tensor.Subtract(a.AsType(tensor.Float32), ref))).Float() / scale
				}
				if fmt.Sprint(ours.Shape()) != fmt.Sprint([]int{1, m, n}) || ours.Dtype() != dt {
					t.Fatalf("%s: got %v %v", name, ours.Shape(), ours.Dtype())
				}
				errOurs, errMLX := relErr(ours), relErr(mlx)
				if errOurs > 1.5*halfULP || math.IsNaN(errOurs) {
					t.Errorf("%s: ours is %.2e of the output's scale from the float32 product (MLX's %.2e, bound %.2e)", name, errOurs, errMLX, 1.5*halfULP)
				}
				if errMLX > 1.5*halfULP {
					t.Logf("%s: MLX's own kernel is %.2e from the float32 product", name, errMLX)
				}
				differs = differs || bitsDiffer(ours, mlx) > 0
			}
		}
	}
	if !differs {
		t.Errorf("every product had MLX's bits: mlx-go's kernel did not run")
	}

	// A view that starts 3 elements into its buffer cannot be read as
	// 16-byte vectors; the kernel reads that one element by element.
	k, n := 512, 64
	flat := tensor.AsType(tensor.RandomNormal([]int{k + 3}, tensor.Key(tensor.RandomKey(7))), tensor.Bfloat16).Eval()
	x := tensor.Reshape(tensor.Slice(flat, []int{3}, []int{k + 3}, []int{1}), []int{1, k})
	q := tensor.Quantize(tensor.AsType(tensor.RandomNormal([]int{n, k}, tensor.Key(tensor.RandomKey(8))), tensor.Bfloat16), tensor.GroupSize(64), tensor.Bits(4))
	got := tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]))
	ref := tensor.Matmul(x.AsType(tensor.Float32), tensor.Transpose(tensor.Dequantize(q[0], q[1], tensor.Biases(q[2])).AsType(tensor.Float32)))
	if e := tensor.Max(tensor.Abs(tensor.Subtract(got.AsType(tensor.Float32), ref))).Float() / tensor.Max(tensor.Abs(ref)).Float(); e > 1.5*math.Ldexp(1, -8) {
		t.Errorf("misaligned view of x: %.2e of the output's scale from the float32 product", e)
	}
}
