package tensor_test

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// The CPU stream routes quantized_matmul and half-precision matmul with
// small M to mlx-go's own kernels (tensor/cgo/cpu_kernels.hpp). By default
// (MLXGO_CPU_MATMUL unset) they reproduce MLX's CPU arithmetic bit for bit;
// with MLXGO_CPU_MATMUL=fast they accumulate in float32 in another order and
// are held to a tolerance instead.
//
// MLX's own op is reached through JVP: the kernels' primitive
// differentiates into MLX's quantized_matmul / matmul (cpu_primitives.cpp),
// so a JVP with tangent = primal returns our product as the output and
// MLX's as the tangent, from the same inputs in one graph.

// cpuKernelsActive reports whether this machine runs the kernels: amd64
// with AVX2, FMA and F16C, and MLXGO_CPU_MATMUL not "off". Elsewhere the
// products are MLX's, and these tests still hold (trivially).
func cpuKernelsActive() bool {
	if runtime.GOARCH != "amd64" || os.Getenv("MLXGO_CPU_MATMUL") == "off" {
		return false
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false
	}
	flags := " " + string(info) + " "
	for _, f := range []string{" avx2 ", " fma ", " f16c "} {
		if !strings.Contains(flags, f) {
			return false
		}
	}
	return true
}

func fastKernels() bool { return os.Getenv("MLXGO_CPU_MATMUL") == "fast" }

// oursAndMLX returns f(x) (our kernel) and MLX's op on the same inputs.
func oursAndMLX(f func(x *tensor.Array) *tensor.Array, x *tensor.Array) (ours, mlx *tensor.Array) {
	outs, jvps := tensor.JVP(func(a []*tensor.Array) []*tensor.Array { return []*tensor.Array{f(a[0])} },
		[]*tensor.Array{x}, []*tensor.Array{x})
	return outs[0], jvps[0]
}

// bitsDiffer counts the elements of got and want whose bit patterns differ.
func bitsDiffer(got, want *tensor.Array) int {
	u := tensor.Uint32
	if got.Dtype() != tensor.Float32 {
		u = tensor.Uint16
	}
	return int(tensor.Sum(tensor.NotEqual(tensor.View(got, u), tensor.View(want, u))).Float())
}

// compareProduct checks ours against MLX's: equal bits for the exact
// kernels; for the fast ones within 1e-5 of the output's scale plus half
// an ulp of a half-precision output (max |x|·|w| bounds each term).
func compareProduct(t *testing.T, name string, ours, mlx, ref *tensor.Array) {
	t.Helper()
	if fmt.Sprint(ours.Shape()) != fmt.Sprint(mlx.Shape()) || ours.Dtype() != mlx.Dtype() {
		t.Errorf("%s: got %v %v, MLX %v %v", name, ours.Shape(), ours.Dtype(), mlx.Shape(), mlx.Dtype())
		return
	}
	if !fastKernels() {
		if n := bitsDiffer(ours, mlx); n != 0 {
			d := tensor.Max(tensor.Abs(tensor.Subtract(ours.AsType(tensor.Float32), mlx.AsType(tensor.Float32)))).Float()
			t.Errorf("%s: %d of %d elements differ from MLX's bits (max |diff| %.3g)", name, n, ours.Size(), d)
		}
		return
	}
	scale := tensor.Max(tensor.Abs(ref)).Float()
	diff := tensor.Abs(tensor.Subtract(ours.AsType(tensor.Float32), ref))
	tol := tensor.Add(tensor.Multiply(tensor.Abs(ref), halfUlp(ours.Dtype())), 1e-5*scale+1e-30)
	if bad := int(tensor.Sum(tensor.Greater(diff, tol)).Float()); bad != 0 {
		t.Errorf("%s: %d elements off the float reference by more than 1e-5 of %.3g (+ rounding); max |diff| %.3g",
			name, bad, scale, tensor.Max(diff).Float())
	}
}

func halfUlp(d tensor.Dtype) float64 {
	switch d {
	case tensor.Bfloat16:
		return math.Exp2(-8)
	case tensor.Float16:
		return math.Exp2(-11)
	}
	return 0
}

type mkn struct{ m, k, n int }

// Shapes: decode (M=1) and prefill-like M, odd N (column tails of the
// 8-wide blocks), K from one group to 4096.
var kernelShapes = []mkn{
	{1, 64, 1}, {1, 64, 7}, {2, 128, 9}, {3, 128, 17}, {4, 256, 33}, {5, 512, 15}, {1, 2048, 100},
	{8, 576, 24}, {33, 1024, 40}, {1, 4096, 64}, {17, 4096, 19}, {1, 1024, 512},
}

// dequant32 is the weights scale*q + bias in float32 (dequantize's own
// output has the scales' dtype, which would round them).
func dequant32(q []*tensor.Array, gs, bits int) *tensor.Array {
	return tensor.Dequantize(q[0], q[1].AsType(tensor.Float32), tensor.Biases(q[2].AsType(tensor.Float32)),
		tensor.GroupSize(gs), tensor.Bits(bits))
}

func randn(shape []int, seed uint64, dt tensor.Dtype) *tensor.Array {
	return tensor.AsType(tensor.RandomNormal(shape, tensor.Key(tensor.RandomKey(seed))), dt).Eval()
}

func TestCPUQuantizedMatmulKernel(t *testing.T) {
	defer onCPU()()
	t.Logf("kernels active: %v, fast: %v", cpuKernelsActive(), fastKernels())
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float16, tensor.Bfloat16} {
		for _, bits := range []int{4, 8} {
			for _, gs := range []int{32, 64, 128} {
				for i, s := range kernelShapes {
					if s.k%gs != 0 {
						continue
					}
					name := fmt.Sprintf("%v x[%d,%d] w[%d,%d] %d-bit g%d", dt, s.m, s.k, s.n, s.k, bits, gs)
					w := randn([]int{s.n, s.k}, uint64(100+i), dt)
					q := tensor.Quantize(w, tensor.GroupSize(gs), tensor.Bits(bits))
					tensor.Eval(q...)
					x := randn([]int{s.m, s.k}, uint64(200+i), dt)
					qmm := func(x *tensor.Array) *tensor.Array {
						return tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(gs), tensor.Bits(bits))
					}
					ours, mlx := oursAndMLX(qmm, x)
					ref := tensor.Matmul(x.AsType(tensor.Float32), tensor.Transpose(dequant32(q, gs, bits)))
					compareProduct(t, name, ours, mlx, ref)
				}
			}
		}
	}
}

func TestCPUMatmulKernel(t *testing.T) {
	defer onCPU()()
	shapes := append([]mkn{{1, 1, 5}, {2, 33, 9}, {3, 65, 31}, {1, 7, 8}}, kernelShapes...)
	for _, dt := range []tensor.Dtype{tensor.Float16, tensor.Bfloat16} {
		for i, s := range shapes {
			name := fmt.Sprintf("%v x[%d,%d] @ W[%d,%d].T", dt, s.m, s.k, s.n, s.k)
			w := randn([]int{s.n, s.k}, uint64(300+i), dt)
			x := randn([]int{s.m, s.k}, uint64(400+i), dt)
			wT := tensor.Transpose(w) // nn.Linear's layout: a view with k-stride 1
			ours, mlx := oursAndMLX(func(x *tensor.Array) *tensor.Array { return tensor.Matmul(x, wT) }, x)
			ref := tensor.Matmul(x.AsType(tensor.Float32), tensor.Transpose(w.AsType(tensor.Float32)))
			compareProduct(t, name, ours, mlx, ref)
			// A row-major [K, N] right operand (LoRA's x @ A) is copied first.
			b := tensor.Contiguous(wT).Eval()
			ours, mlx = oursAndMLX(func(x *tensor.Array) *tensor.Array { return tensor.Matmul(x, b) }, x)
			compareProduct(t, name+" (row-major b)", ours, mlx, ref)
		}
	}
}

// Inputs that are not plain row-major: a batch axis, a transposed x, a
// broadcast x, a sliced weight.
func TestCPUKernelsStridedInputs(t *testing.T) {
	defer onCPU()()
	dt := tensor.Bfloat16
	w := randn([]int{40, 256}, 1, dt)
	q := tensor.Quantize(w, tensor.GroupSize(64), tensor.Bits(4))
	tensor.Eval(q...)
	qmm := func(x *tensor.Array) *tensor.Array {
		return tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(64), tensor.Bits(4))
	}
	wT := tensor.Transpose(w)
	mm := func(x *tensor.Array) *tensor.Array { return tensor.Matmul(x, wT) }
	half := tensor.Slice(w, []int{0, 0}, []int{40, 256}, []int{2, 1}) // every other row
	mmHalf := func(x *tensor.Array) *tensor.Array { return tensor.Matmul(x, tensor.Transpose(half)) }
	inputs := map[string]*tensor.Array{
		"batched [2,3,K]":    randn([]int{2, 3, 256}, 2, dt),
		"transposed":         tensor.Transpose(randn([]int{256, 5}, 3, dt)),
		"broadcast rows":     tensor.BroadcastTo(randn([]int{1, 256}, 4, dt), []int{6, 256}),
		"column slice of x":  tensor.Slice(randn([]int{3, 512}, 5, dt), []int{0, 0}, []int{3, 512}, []int{1, 2}),
		"single row [1,1,K]": randn([]int{1, 1, 256}, 6, dt),
	}
	for name, x := range inputs {
		for op, f := range map[string]func(*tensor.Array) *tensor.Array{"qmm": qmm, "matmul": mm, "sliced W": mmHalf} {
			ours, mlx := oursAndMLX(f, x)
			xc := tensor.Contiguous(x).AsType(tensor.Float32)
			ref := tensor.Matmul(xc, tensor.Transpose(dequant32(q, 64, 4)))
			switch op {
			case "matmul":
				ref = tensor.Matmul(xc, tensor.Transpose(w.AsType(tensor.Float32)))
			case "sliced W":
				ref = tensor.Matmul(xc, tensor.Transpose(half.AsType(tensor.Float32)))
			}
			compareProduct(t, op+" "+name, ours, mlx, ref)
		}
	}
}

// Gradients flow through the kernels as through MLX's ops (LoRA trains on
// quantized and bf16 base layers), including the scales and biases
// gradients MLX gives; none for the packed weights.
func TestCPUKernelsGradients(t *testing.T) {
	defer onCPU()()
	const gs = 32
	x := randn([]int{3, 128}, 7, tensor.Float32)
	w := randn([]int{24, 128}, 8, tensor.Float32)
	q := tensor.Quantize(w, tensor.GroupSize(gs), tensor.Bits(4))
	tensor.Eval(q...)
	ints := tensor.Dequantize(q[0], tensor.OnesLike(q[1]), tensor.Biases(tensor.ZerosLike(q[2])), tensor.GroupSize(gs), tensor.Bits(4))
	loss := func(y *tensor.Array) *tensor.Array { return tensor.Sum(tensor.Multiply(y, tensor.Sin(y))) }
	ours := tensor.Grad(func(a []*tensor.Array) []*tensor.Array {
		return []*tensor.Array{loss(tensor.QuantizedMatmul(a[0], q[0], a[1], tensor.Biases(a[2]), tensor.GroupSize(gs), tensor.Bits(4)))}
	}, 0, 1, 2)(x, q[1], q[2])
	// The same function written with MLX's elementwise ops and a float32 matmul.
	ref := tensor.Grad(func(a []*tensor.Array) []*tensor.Array {
		s := tensor.Repeat(a[1], gs, tensor.Axis(1))
		b := tensor.Repeat(a[2], gs, tensor.Axis(1))
		deq := tensor.Add(tensor.Multiply(s, ints), b)
		return []*tensor.Array{loss(tensor.Matmul(a[0], tensor.Transpose(deq)))}
	}, 0, 1, 2)(x, q[1], q[2])
	for i, what := range []string{"x", "scales", "biases"} {
		scale := tensor.Max(tensor.Abs(ref[i])).Float()
		d := tensor.Max(tensor.Abs(tensor.Subtract(ours[i], ref[i]))).Float()
		if fmt.Sprint(ours[i].Shape()) != fmt.Sprint(ref[i].Shape()) || !(d <= 1e-4*scale) {
			t.Errorf("grad w.r.t. %s: shape %v (want %v), max |diff| %.3g of %.3g", what, ours[i].Shape(), ref[i].Shape(), d, scale)
		}
	}
	err := tensor.Try(func() {
		tensor.Grad(func(a []*tensor.Array) []*tensor.Array {
			return []*tensor.Array{tensor.Sum(tensor.QuantizedMatmul(x, a[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(gs), tensor.Bits(4)))}
		})(q[0])[0].Eval()
	})
	if err == nil || !strings.Contains(err.Error(), "quantized weights") {
		t.Errorf("grad w.r.t. the packed weights: got %v, want MLX's no-gradient error", err)
	}

	// bf16 dense: both operands (LoRA's A and B are plain matmuls).
	a := randn([]int{2, 3, 64}, 9, tensor.Bfloat16)
	b := tensor.Transpose(randn([]int{16, 64}, 10, tensor.Bfloat16))
	f := func(args []*tensor.Array) []*tensor.Array {
		return []*tensor.Array{tensor.Sum(tensor.Square(tensor.Matmul(args[0], args[1]).AsType(tensor.Float32)))}
	}
	got := tensor.Grad(f, 0, 1)(a, b)
	want := tensor.Grad(f, 0, 1)(a.AsType(tensor.Float32), b.AsType(tensor.Float32))
	for i, what := range []string{"a", "b"} {
		scale := tensor.Max(tensor.Abs(want[i])).Float()
		d := tensor.Max(tensor.Abs(tensor.Subtract(got[i].AsType(tensor.Float32), want[i]))).Float()
		if fmt.Sprint(got[i].Shape()) != fmt.Sprint(want[i].Shape()) || got[i].Dtype() != tensor.Bfloat16 || !(d <= 0.02*scale) {
			t.Errorf("bf16 matmul grad w.r.t. %s: %v %v, max |diff| %.3g of %.3g", what, got[i].Shape(), got[i].Dtype(), d, scale)
		}
	}
}

// A compiled function that contains the kernels gives what the plain one
// does, at the traced shape and (shapeless) at another.
func TestCPUKernelsCompiled(t *testing.T) {
	defer onCPU()()
	w := randn([]int{48, 128}, 11, tensor.Bfloat16)
	q := tensor.Quantize(w, tensor.GroupSize(64), tensor.Bits(8))
	tensor.Eval(q...)
	wT := tensor.Transpose(w)
	f := func(a []*tensor.Array) []*tensor.Array {
		y := tensor.QuantizedMatmul(a[0], q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(64), tensor.Bits(8))
		z := tensor.Matmul(a[0], wT)
		return []*tensor.Array{tensor.Add(tensor.Exp(y), z)}
	}
	for _, shapeless := range []bool{false, true} {
		c := tensor.Compile(f, shapeless)
		for _, m := range []int{1, 5} {
			x := randn([]int{m, 128}, uint64(12+m), tensor.Bfloat16)
			got, want := c([]*tensor.Array{x})[0], f([]*tensor.Array{x})[0]
			if n := bitsDiffer(got, want); n != 0 {
				t.Errorf("compiled (shapeless %v) M=%d: %d elements differ", shapeless, m, n)
			}
			if shapeless == false {
				break // a new shape retraces; shapeless reuses the trace
			}
		}
	}
}

// go test -bench CPUKernel ./tensor/ ; the same with MLXGO_CPU_MATMUL=off
// times MLX's own kernels (and =fast the float32-accumulating ones).
func BenchmarkCPUKernel(b *testing.B) {
	defer onCPU()()
	for _, s := range []mkn{{1, 2048, 2048}, {1, 512, 2048}, {1, 2048, 512}, {96, 512, 2048}} {
		for _, kind := range []string{"bf16", "q4-bf16", "q8-bf16", "q4-f32"} {
			dt := tensor.Bfloat16
			if kind == "q4-f32" {
				dt = tensor.Float32
			}
			x := randn([]int{s.m, s.k}, 1, dt)
			w := randn([]int{s.n, s.k}, 2, dt)
			var f func() *tensor.Array
			if kind == "bf16" {
				wT := tensor.Transpose(w)
				f = func() *tensor.Array { return tensor.Matmul(x, wT) }
			} else {
				bits := 4
				if kind == "q8-bf16" {
					bits = 8
				}
				q := tensor.Quantize(w, tensor.GroupSize(64), tensor.Bits(bits))
				tensor.Eval(q...)
				f = func() *tensor.Array {
					return tensor.QuantizedMatmul(x, q[0], q[1], tensor.Biases(q[2]), tensor.GroupSize(64), tensor.Bits(bits))
				}
			}
			if s.m > 1 && kind == "q4-f32" {
				continue
			}
			b.Run(fmt.Sprintf("%s/M%d_K%d_N%d", kind, s.m, s.k, s.n), func(b *testing.B) {
				for b.Loop() {
					f().Eval()
				}
				b.ReportMetric(float64(s.m*s.k*s.n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
			})
		}
	}
}
