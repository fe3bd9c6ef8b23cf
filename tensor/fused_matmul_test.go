package tensor_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// FastQuantizedMatmulAdd and FastQuantizedMatmulSwiGLU are a quantized
// product and the op after it (a residual add; SwiGLU of the product's
// halves). Where mlx-go's GPU matrix-vector kernel takes the product, the
// kernel applies the op to each output as it writes it (one launch, not
// two or three); elsewhere they are the separate ops. Either way each
// output of the product is rounded as the product alone rounds it and
// then goes through the op as MLX computes it, so the fused ops give the
// separate ops' bits, on every device: checked here, with the fused
// primitive in the graph on a GPU (the proof that it ran).
func TestFusedQuantizedMatmul(t *testing.T) {
	gpu := tensor.DefaultDevice() == tensor.GPU
	for _, dt := range []tensor.Dtype{tensor.Bfloat16, tensor.Float16} {
		for i, c := range []struct{ m, k, n, group int }{
			{1, 2048, 4096, 64}, {1, 4096, 28672, 64}, {2, 8192, 2048, 64}, {1, 1152, 13824, 32}, {4, 4096, 1024, 128},
			{3, 512, 48, 32}, {1, 256, 16, 64},
		} {
			name := fmt.Sprintf("%v g%d x[%d,%d] @ w[%d,%d]", dt, c.group, c.m, c.k, c.n, c.k)
			key := func(j int) tensor.Opt { return tensor.Key(tensor.RandomKey(uint64(100*i + j))) }
			wf := tensor.AsType(tensor.Multiply(tensor.RandomNormal([]int{c.n, c.k}, key(1)), 0.05), dt)
			q := tensor.Quantize(wf, tensor.GroupSize(c.group), tensor.Bits(4))
			x := tensor.AsType(tensor.RandomNormal([]int{1, c.m, c.k}, key(2)), dt)
			y := tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(c.group), tensor.Bits(4))

			res := tensor.AsType(tensor.Multiply(tensor.RandomNormal([]int{1, c.m, c.n}, key(3)), 4), dt)
			fused := tensor.FastQuantizedMatmulAdd(x, q[0], q[1], q[2], res, c.group, 4)
			checkFused(t, "add "+name, gpu, "QuantizedMatmulAdd", fused, tensor.Add(res, y))

			parts := tensor.SplitAt(y, []int{c.n / 2}, tensor.Axis(-1))
			separate := tensor.Multiply(tensor.Multiply(parts[0], tensor.Sigmoid(parts[0])), parts[1])
			fused = tensor.FastQuantizedMatmulSwiGLU(x, q[0], q[1], q[2], c.group, 4)
			checkFused(t, "swiglu "+name, gpu, "QuantizedMatmulSwiGLU", fused, separate)
		}
	}
}

func checkFused(t *testing.T, name string, gpu bool, primitive string, fused, separate *tensor.Array) {
	t.Helper()
	if fmt.Sprint(fused.Shape()) != fmt.Sprint(separate.Shape()) || fused.Dtype() != separate.Dtype() {
		t.Fatalf("%s: got %v %v, want %v %v", name, fused.Shape(), fused.Dtype(), separate.Shape(), separate.Dtype())
	}
	// The GPU kernel takes every shape here (K a multiple of 128, N of 8).
	if ran := strings.Contains(tensor.ExportToDot(fused), primitive); ran != gpu {
		t.Errorf("%s: the %s kernel ran: %v, on a GPU: %v", name, primitive, ran, gpu)
	}
	if n := bitsDiffer(fused, separate); n != 0 {
		d := tensor.Max(tensor.Abs(tensor.Subtract(fused.AsType(tensor.Float32), separate.AsType(tensor.Float32)))).Float()
		t.Errorf("%s: %d of %d elements differ from the separate ops' bits (max |diff| %.3g)", name, n, fused.Size(), d)
	}
}

// The fused ops differentiate as the separate ops do.
func TestFusedQuantizedMatmulGrad(t *testing.T) {
	const k, n = 256, 64
	dt := tensor.Bfloat16
	q := tensor.Quantize(tensor.AsType(tensor.RandomNormal([]int{n, k}, tensor.Key(tensor.RandomKey(1))), dt), tensor.GroupSize(64), tensor.Bits(4))
	x := tensor.AsType(tensor.RandomNormal([]int{1, 1, k}, tensor.Key(tensor.RandomKey(2))), dt)
	res := tensor.AsType(tensor.RandomNormal([]int{1, 1, n}, tensor.Key(tensor.RandomKey(3))), dt)
	grad := func(f func(x, res *tensor.Array) *tensor.Array) []*tensor.Array {
		_, g := tensor.ValueAndGrad(func(in []*tensor.Array) []*tensor.Array {
			return []*tensor.Array{tensor.Sum(tensor.AsType(f(in[0], in[1]), tensor.Float32))}
		}, 0, 1)(x, res)
		return g
	}
	product := func(x *tensor.Array) *tensor.Array {
		return tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(64), tensor.Bits(4))
	}
	for _, c := range []struct {
		name            string
		fused, separate func(x, res *tensor.Array) *tensor.Array
	}{
		{"add", func(x, res *tensor.Array) *tensor.Array {
			return tensor.FastQuantizedMatmulAdd(x, q[0], q[1], q[2], res, 64, 4)
		},
			func(x, res *tensor.Array) *tensor.Array { return tensor.Add(res, product(x)) }},
		{"swiglu", func(x, res *tensor.Array) *tensor.Array {
			return tensor.Add(tensor.FastQuantizedMatmulSwiGLU(x, q[0], q[1], q[2], 64, 4), tensor.Sum(res))
		}, func(x, res *tensor.Array) *tensor.Array {
			p := tensor.SplitAt(product(x), []int{n / 2}, tensor.Axis(-1))
			return tensor.Add(tensor.Multiply(tensor.Multiply(p[0], tensor.Sigmoid(p[0])), p[1]), tensor.Sum(res))
		}},
	} {
		got, want := grad(c.fused), grad(c.separate)
		for i := range got {
			if d := tensor.Max(tensor.Abs(tensor.Subtract(got[i].AsType(tensor.Float32), want[i].AsType(tensor.Float32)))).Float(); d != 0 || math.IsNaN(d) {
				t.Errorf("%s: gradient %d differs from the separate ops' by %g", c.name, i, d)
			}
		}
	}
}

// Bad input names the problem; nothing crashes.
func TestFusedQuantizedMatmulErrors(t *testing.T) {
	q := tensor.Quantize(tensor.Ones([]int{24, 128}, tensor.Bfloat16), tensor.GroupSize(64), tensor.Bits(4))
	err := tensor.Try(func() {
		q3 := tensor.Quantize(tensor.Ones([]int{40, 128}, tensor.Bfloat16), tensor.GroupSize(64), tensor.Bits(4))
		w := tensor.Slice(q3[0], []int{0, 0}, []int{39, 16}, []int{1, 1})
		tensor.FastQuantizedMatmulSwiGLU(tensor.Ones([]int{1, 128}, tensor.Bfloat16), w, q3[1], q3[2], 64, 4).Eval()
	})
	if err == nil || !strings.Contains(err.Error(), "even") || !strings.Contains(err.Error(), "39") {
		t.Errorf("odd rows of w: got %v", err)
	}
	err = tensor.Try(func() {
		tensor.FastQuantizedMatmulAdd(tensor.Ones([]int{1, 128}, tensor.Bfloat16), q[0], q[1], q[2], tensor.Ones([]int{1, 7}, tensor.Bfloat16), 64, 4).Eval()
	})
	if err == nil || !strings.Contains(err.Error(), "7") {
		t.Errorf("a residual of 7 for 24 outputs: got %v", err)
	}
}
