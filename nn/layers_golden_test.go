package nn_test

import (
	"fmt"
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Every layer against mlx.nn on the same weights and inputs (golden file
// from tests/golden/gen_nn_golden.py): bit for bit, same libmlx on the CPU.

func TestLinearMatchesPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	x := g.Get(t, "x")
	l := nn.NewLinear(128, 24, true)
	mustUpdate(t, l, params(g, "linear"))
	assertSame(t, "linear", l.Forward(x), g.Get(t, "linear.out"))
	nb := nn.NewLinear(128, 24, false)
	mustUpdate(t, nb, params(g, "linear_nobias"))
	assertSame(t, "linear without bias", nb.Forward(x), g.Get(t, "linear_nobias.out"))
}

func TestQuantizedLinearMatchesPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	x := g.Get(t, "x")
	l := nn.NewLinear(128, 24, true)
	mustUpdate(t, l, params(g, "linear"))
	for _, c := range []struct {
		mode        string
		group, bits int
	}{
		{"affine", 32, 4}, {"affine", 64, 4}, {"affine", 128, 4}, {"affine", 64, 8},
		{"affine", 64, 2}, {"affine", 64, 3}, {"affine", 64, 6},
		{"mxfp4", 32, 4}, {"nvfp4", 16, 4}, {"mxfp8", 32, 8},
	} {
		name := fmt.Sprintf("qlinear_%s_%d_%d", c.mode, c.group, c.bits)
		q, err := nn.QuantizedLinearFrom(l, c.group, c.bits, c.mode)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Our quantization packs the same words, scales and biases as Python's.
		want := params(g, name)
		got := nn.Parameters(q)
		if len(got) != len(want) {
			t.Fatalf("%s: parameters %v, Python has %d", name, nn.ParameterNames(q), len(want))
		}
		for k, w := range want {
			assertSame(t, name+" "+k, got[k], w)
		}
		assertSame(t, name+" forward", q.Forward(x), g.Get(t, name+".out"))
		// And a layer loaded from Python's tensors computes the same.
		loaded, err := nn.NewQuantizedLinear(128, 24, true, c.group, c.bits, c.mode)
		if err != nil {
			t.Fatal(err)
		}
		mustUpdate(t, loaded, want)
		assertSame(t, name+" loaded forward", loaded.Forward(x), g.Get(t, name+".out"))
	}
}

func TestEmbeddingMatchesPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	x, ids := g.Get(t, "x"), g.Get(t, "ids")
	e := nn.NewEmbedding(50, 128)
	mustUpdate(t, e, params(g, "embedding"))
	assertSame(t, "embedding", e.Forward(ids), g.Get(t, "embedding.out"))
	assertSame(t, "embedding as linear", e.AsLinear(x), g.Get(t, "embedding.as_linear"))
	q, err := nn.QuantizedEmbeddingFrom(e, 64, 4, "affine")
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range params(g, "qembedding") {
		assertSame(t, "quantized embedding "+k, nn.Parameters(q)[k], w)
	}
	assertSame(t, "quantized embedding", q.Forward(ids), g.Get(t, "qembedding.out"))
	assertSame(t, "quantized embedding as linear", q.AsLinear(x), g.Get(t, "qembedding.as_linear"))
}

func TestNormsAndRoPEMatchPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	x := g.Get(t, "x")
	rms := nn.NewRMSNorm(128, 1e-6)
	mustUpdate(t, rms, params(g, "rmsnorm"))
	assertSame(t, "rms norm", rms.Forward(x), g.Get(t, "rmsnorm.out"))
	ln := nn.NewLayerNorm(128, 0, true, true)
	mustUpdate(t, ln, params(g, "layernorm"))
	assertSame(t, "layer norm", ln.Forward(x), g.Get(t, "layernorm.out"))
	lnb := nn.NewLayerNorm(128, 0, true, false)
	mustUpdate(t, lnb, params(g, "layernorm_nobias"))
	assertSame(t, "layer norm without bias", lnb.Forward(x), g.Get(t, "layernorm_nobias.out"))
	assertSame(t, "layer norm without affine", nn.NewLayerNorm(128, 0, false, false).Forward(x), g.Get(t, "layernorm_plain.out"))
	xr := g.Get(t, "rope.x")
	assertSame(t, "rope", nn.NewRoPE(32, false, 10000, 1).ForwardAt(xr, 3), g.Get(t, "rope.out"))
	assertSame(t, "rope traditional", nn.NewRoPE(16, true, 1000, 0.5).Forward(xr), g.Get(t, "rope_trad.out"))
}

func TestAttentionAndSequentialMatchPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	x := g.Get(t, "x")
	mha := nn.NewMultiHeadAttention(128, 8, true)
	mustUpdate(t, mha, params(g, "mha"))
	kv := g.Get(t, "mha.kv")
	assertSame(t, "cross attention with mask", mha.Forward(x, kv, kv, g.Get(t, "mha.mask")), g.Get(t, "mha.out"))
	causal := nn.AdditiveCausalMask(3, tensor.Float32)
	assertSame(t, "causal mask", causal, g.Get(t, "mha.causal_mask"))
	assertSame(t, "self attention", mha.Forward(x, x, x, causal), g.Get(t, "mha.self"))

	seq := nn.NewSequential(nn.NewLinear(128, 64, true), nn.Func(nn.ReLU), nn.NewLinear(64, 10, true))
	mustUpdate(t, seq, params(g, "seq"))
	assertSame(t, "sequential", seq.Forward(x), g.Get(t, "seq.out"))
}

func TestQuantizeTreeMatchesPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	m := nn.NewSequential(nn.NewLinear(128, 64, true), nn.Func(nn.ReLU), nn.NewLinear(64, 64, true), nn.Func(nn.GELU), nn.NewLinear(64, 10, true))
	mustUpdate(t, m, params(g, "qseq_float"))
	skipLast := func(path string, module any) bool { _, ok := module.(*nn.Linear); return ok && path != "layers.4" }
	if err := nn.Quantize(m, 64, 4, skipLast); err != nil {
		t.Fatal(err)
	}
	want := params(g, "qseq")
	got := nn.Parameters(m)
	if len(got) != len(want) {
		t.Fatalf("after Quantize: %v; Python has %d parameters", nn.ParameterNames(m), len(want))
	}
	for k, w := range want {
		assertSame(t, "quantized tree "+k, got[k], w)
	}
	if _, ok := m.Layers[4].(*nn.Linear); !ok {
		t.Fatalf("predicate ignored: layers.4 is %T", m.Layers[4])
	}
	assertSame(t, "quantized tree forward", m.Forward(g.Get(t, "x")), g.Get(t, "qseq.out"))
	if n := len(nn.TrainableParameters(m)); n != 2 {
		t.Fatalf("quantized layers must be frozen: %d trainable (%v)", n, nn.TrainableNames(m))
	}
}

func TestActivationsMatchPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	x := g.Get(t, "act.x")
	acts := map[string]func(*tensor.Array) *tensor.Array{
		"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "relu2": nn.ReLU2, "relu6": nn.ReLU6,
		"leaky_relu":  func(v *tensor.Array) *tensor.Array { return nn.LeakyReLU(v, 0.1) },
		"elu":         func(v *tensor.Array) *tensor.Array { return nn.ELU(v, 0.7) },
		"selu":        nn.SELU,
		"celu":        func(v *tensor.Array) *tensor.Array { return nn.CELU(v, 1.3) },
		"silu":        nn.SiLU,
		"softplus":    nn.Softplus,
		"softsign":    nn.Softsign,
		"softshrink":  func(v *tensor.Array) *tensor.Array { return nn.Softshrink(v, 0.4) },
		"hard_shrink": func(v *tensor.Array) *tensor.Array { return nn.HardShrink(v, 0.4) },
		"hard_tanh":   func(v *tensor.Array) *tensor.Array { return nn.HardTanh(v, -0.5, 2.0) },
		"hardswish":   nn.HardSwish, "log_sigmoid": nn.LogSigmoid, "mish": nn.Mish,
		"gelu": nn.GELU, "gelu_approx": nn.GELUApprox, "gelu_fast_approx": nn.GELUFastApprox,
		"glu": func(v *tensor.Array) *tensor.Array {
			return nn.GLU(tensor.Slice(v, []int{0, 0}, []int{2, 96}, []int{1, 1}), -1)
		},
		"step":        func(v *tensor.Array) *tensor.Array { return nn.Step(v, 0.5) },
		"softmax":     func(v *tensor.Array) *tensor.Array { return nn.Softmax(v, -1) },
		"softmin":     func(v *tensor.Array) *tensor.Array { return nn.Softmin(v, -1) },
		"log_softmax": func(v *tensor.Array) *tensor.Array { return nn.LogSoftmax(v, -1) },
		"tanh":        nn.Tanh,
		"prelu":       func(v *tensor.Array) *tensor.Array { return nn.PReLU(v, tensor.New([]float32{0.25})) },
	}
	for name, f := range acts {
		want := g.Get(t, "act."+name)
		got := f(x)
		assertSame(t, name, got, want)
	}
}

func TestConvAndGroupNormMatchPython(t *testing.T) {
	g := loadGolden(t, "layers.safetensors")
	c1 := nn.NewConv1d(6, 8, 3, nn.ConvOptions{Stride: 2, Padding: 1, Groups: 2})
	mustUpdate(t, c1, params(g, "conv1d"))
	assertSame(t, "conv1d", c1.Forward(g.Get(t, "conv.x1")), g.Get(t, "conv1d.out"))
	c2 := nn.NewConv2d(4, 6, 3, 2, nn.ConvOptions{Padding: 1, Dilation: 2, NoBias: true})
	mustUpdate(t, c2, params(g, "conv2d"))
	x2 := g.Get(t, "conv.x2")
	assertSame(t, "conv2d", c2.Forward(x2), g.Get(t, "conv2d.out"))
	gn := nn.NewGroupNorm(2, 4, 0, true, false)
	mustUpdate(t, gn, params(g, "groupnorm"))
	assertSame(t, "group norm", gn.Forward(x2), g.Get(t, "groupnorm.out"))
	assertSame(t, "group norm, PyTorch grouping", nn.NewGroupNorm(2, 4, 0, false, true).Forward(x2), g.Get(t, "groupnorm_pt.out"))
}
