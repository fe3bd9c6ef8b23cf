package fast_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// The fused kernels against their composed-op definitions across shapes:
// odd feature sizes and head dims, partial rotary dims, long sequences,
// grouped-query heads, every mask kind, and reduced precision.

func normal(seed uint64, shape ...int) *tensor.Array {
	return tensor.RandomNormal(shape, tensor.Key(tensor.RandomKey(seed)))
}

func TestNormsMatchComposed(t *testing.T) {
	for _, shape := range [][]int{{1, 1}, {3, 7}, {2, 33, 67}, {2, 256, 4096}, {1, 2048, 129}} {
		d := shape[len(shape)-1]
		x, w, b := normal(1, shape...), normal(2, d), normal(3, d)
		name := fmt.Sprint(shape)
		assertClose(t, "rms "+name, fast.RMSNorm(x, w, 1e-5), composedRMSNorm(x, w, 1e-5), 1e-5, 1e-5)
		assertClose(t, "rms no weight "+name, fast.RMSNorm(x, nil, 1e-5), composedRMSNorm(x, nil, 1e-5), 1e-5, 1e-5)
		assertClose(t, "ln "+name, fast.LayerNorm(x, w, b, 1e-5), composedLayerNorm(x, w, b, 1e-5), 1e-5, 1e-5)
		assertClose(t, "ln plain "+name, fast.LayerNorm(x, nil, nil, 1e-5), composedLayerNorm(x, nil, nil, 1e-5), 1e-5, 1e-5)
		xh, wh := x.AsType(tensor.Float16), w.AsType(tensor.Float16)
		// float16 output: one rounding of a value of magnitude up to ~4.
		assertClose(t, "rms fp16 "+name, fast.RMSNorm(xh, wh, 1e-5), composedRMSNorm(xh, wh, 1e-5), 2e-3, 2e-3)
	}
}

func TestRoPEMatchesComposed(t *testing.T) {
	cases := []struct {
		shape       []int
		dims        int
		traditional bool
		base, scale float64
		offset      int
	}{
		{[]int{1, 1, 1, 8}, 8, false, 10000, 1, 0},
		{[]int{2, 4, 16, 64}, 64, true, 10000, 1, 3},
		{[]int{2, 4, 16, 80}, 80, false, 10000, 1, 7},
		{[]int{1, 8, 1024, 128}, 128, false, 500000, 1, 0},
		{[]int{1, 2, 33, 96}, 32, false, 10000, 0.25, 100},
		{[]int{1, 2, 33, 96}, 48, true, 1e6, 2, 17},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%v dims=%d trad=%v", c.shape, c.dims, c.traditional)
		x := normal(4, c.shape...)
		want := composedRoPE(x, c.dims, c.traditional, c.base, c.scale, c.offset, nil)
		// Angles up to ~1000 rad lose ~1e-4 in float32 sin/cos argument reduction.
		tol := 2e-5 + 1e-7*float64(c.offset+c.shape[2])
		if onGPU() {
			// The GPU kernel's sin/cos lose more at large angles
			// (position x frequency): measured 2.7e-4 at position 1024.
			tol = 5e-5 + 5e-7*float64(c.offset+c.shape[2])
		}
		assertClose(t, name, fast.RoPE(x, c.dims, c.traditional, c.base, c.scale, c.offset), want, tol, tol)
		assertClose(t, name+" array offset", fast.RoPEAt(x, c.dims, c.traditional, c.base, c.scale, tensor.New(int32(c.offset))), want, tol, tol)
		freqs := tensor.Power(c.base, tensor.Divide(tensor.Arange(0, float64(c.dims), tensor.Step(2)), float64(c.dims)))
		assertClose(t, name+" freqs", fast.RoPEWithFreqs(x, c.dims, c.traditional, c.scale, c.offset, freqs),
			composedRoPE(x, c.dims, c.traditional, c.base, c.scale, c.offset, freqs), tol, tol)
	}
}

func TestAttentionMatchesComposed(t *testing.T) {
	cases := []struct{ b, hq, hkv, lq, lk, d int }{
		{1, 1, 1, 1, 1, 8},
		{2, 4, 4, 7, 7, 64},
		{1, 8, 2, 5, 19, 72},   // grouped-query, odd head dim, Lq < Lk
		{1, 4, 1, 1, 300, 128}, // one decoding step against a long cache
		{1, 8, 8, 512, 512, 80},
		{1, 4, 2, 256, 256, 67},
	}
	for _, c := range cases {
		name := fmt.Sprintf("B%d Hq%d Hkv%d Lq%d Lk%d D%d", c.b, c.hq, c.hkv, c.lq, c.lk, c.d)
		q, k, v := normal(5, c.b, c.hq, c.lq, c.d), normal(6, c.b, c.hkv, c.lk, c.d), normal(7, c.b, c.hkv, c.lk, c.d)
		scale := 1 / math.Sqrt(float64(c.d))
		add := normal(8, 1, c.hq, c.lq, c.lk)
		boolean := tensor.Greater(normal(9, c.b, 1, c.lq, c.lk), -1)
		sinks := normal(10, c.hq)
		tol := 1e-5
		if onGPU() {
			// MLX's CUDA backend runs float32 products as TF32 (10-bit
			// mantissa): the composed side carries ~2^-11 relative error,
			// measured 1.4e-4 here.
			tol = 1e-3
		}
		assertClose(t, name+" none", fast.ScaledDotProductAttention(q, k, v, scale, nil), composedAttention(q, k, v, scale, false, nil, nil), tol, tol)
		assertClose(t, name+" causal", fast.CausalAttention(q, k, v, scale), composedAttention(q, k, v, scale, true, nil, nil), tol, tol)
		assertClose(t, name+" additive", fast.ScaledDotProductAttention(q, k, v, scale, add), composedAttention(q, k, v, scale, false, add, nil), tol, tol)
		assertClose(t, name+" boolean", fast.ScaledDotProductAttention(q, k, v, scale, boolean), composedAttention(q, k, v, scale, false, boolean, nil), tol, tol)
		assertClose(t, name+" sinks", fast.AttentionWithSinks(q, k, v, scale, "causal", nil, sinks), composedAttention(q, k, v, scale, true, nil, sinks), tol, tol)
		qh, kh, vh := q.AsType(tensor.Bfloat16), k.AsType(tensor.Bfloat16), v.AsType(tensor.Bfloat16)
		// bfloat16 keeps 8 bits of mantissa: outputs agree to a few ulps.
		assertClose(t, name+" bf16 causal", fast.CausalAttention(qh, kh, vh, scale), composedAttention(qh, kh, vh, scale, true, nil, nil), 3e-2, 3e-2)
	}
}

func TestBadInputErrorsNameTheParameter(t *testing.T) {
	x := normal(1, 2, 8)
	cases := []struct {
		name, want string
		f          func()
	}{
		{"rms weight shape", "weight", func() { fast.RMSNorm(x, normal(2, 7), 1e-5) }},
		{"ln bias shape", "bias", func() { fast.LayerNorm(x, nil, normal(2, 3), 1e-5) }},
		{"rope freqs nil", "freqs", func() { fast.RoPEWithFreqs(normal(1, 1, 1, 4, 8), 8, false, 1, 0, nil) }},
		{"rope freqs shape", "freqs", func() { fast.RoPEWithFreqs(normal(1, 1, 1, 4, 8), 8, false, 1, 0, normal(2, 3)) }},
		{"sdpa mask mode", "maskMode", func() {
			q := normal(1, 1, 2, 3, 8)
			fast.AttentionWithSinks(q, q, q, 1, "upper", nil, nil)
		}},
		{"sdpa array mode without mask", "mask", func() {
			q := normal(1, 1, 2, 3, 8)
			fast.AttentionWithSinks(q, q, q, 1, "array", nil, nil)
		}},
		{"sdpa heads", "head", func() {
			fast.CausalAttention(normal(1, 1, 3, 4, 8), normal(1, 1, 2, 4, 8), normal(1, 1, 2, 4, 8), 1)
		}},
	}
	for _, c := range cases {
		err := tensor.Try(func() { tensor.Eval(fastResult(c.f)) })
		if err == nil {
			t.Fatalf("%s: no error", c.name)
		}
		if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(c.want)) {
			t.Fatalf("%s: error %q does not name %q", c.name, err, c.want)
		}
	}
}

// fastResult runs f for its panic; it returns a harmless array to evaluate.
func fastResult(f func()) *tensor.Array { f(); return tensor.New(0) }

func TestCustomKernelsNeedAGPUBackend(t *testing.T) {
	spec := fast.KernelSpec{Name: "copy", InputNames: []string{"a"}, OutputNames: []string{"o"}, Source: "o[0] = a[0];"}
	for name, f := range map[string]func(fast.KernelSpec) (*fast.Kernel, error){"metal": fast.NewMetalKernel, "cuda": fast.NewCUDAKernel} {
		k, err := f(spec)
		if tensor.GPU.Available() {
			continue // a GPU build: TestCUDAKernelRuns checks the real kernel
		}
		if k != nil || err == nil || !strings.Contains(err.Error(), "Metal and CUDA backends only") {
			t.Fatalf("%s: want a clear backend error, got %v, %v", name, k, err)
		}
	}
	if _, err := fast.NewMetalKernel(fast.KernelSpec{}); err == nil || !strings.Contains(err.Error(), "Name") {
		t.Fatalf("empty spec: %v", err)
	}
}

// TestCUDAKernelRuns: on a CUDA build a custom kernel computes exp like
// tensor.Exp; on builds without CUDA the constructor must refuse clearly.
func TestCUDAKernelRuns(t *testing.T) {
	spec := fast.KernelSpec{
		Name:        "myexp",
		InputNames:  []string{"inp"},
		OutputNames: []string{"out"},
		Source: `
			auto elem = cooperative_groups::this_grid().thread_rank();
			T tmp = inp[elem];
			out[elem] = exp(tmp);`,
		EnsureRowContiguous: true,
	}
	k, err := fast.NewCUDAKernel(spec)
	if !tensor.GPU.Available() || tensor.DefaultDevice() != tensor.GPU {
		if err == nil || !strings.Contains(err.Error(), "CUDA") {
			t.Fatalf("no GPU: want an error naming CUDA, got %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer k.Free()
	a := tensor.RandomNormal([]int{4, 256}, tensor.Key(tensor.RandomKey(3)))
	out := k.Call(fast.KernelCall{
		Inputs:       []*tensor.Array{a},
		OutputShapes: [][]int{a.Shape()},
		OutputDtypes: []tensor.Dtype{tensor.Float32},
		Grid:         [3]int{a.Size(), 1, 1},
		Threadgroup:  [3]int{256, 1, 1},
		Template:     []tensor.KernelTemplateArg{{Name: "T", Value: tensor.Float32}},
	})
	if len(out) != 1 || !tensor.Allclose(out[0], tensor.Exp(a), tensor.RTol(1e-5), tensor.ATol(1e-6)).Bool() {
		t.Fatalf("custom exp kernel differs from tensor.Exp")
	}
}

// onGPU: the default device is a GPU, whose kernels round differently from
// the composed ops (and from the CPU).
func onGPU() bool { return tensor.DefaultDevice() == tensor.GPU }
