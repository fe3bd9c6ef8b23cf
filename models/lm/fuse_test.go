package lm

import (
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Decoding a quantized model fuses each layer's q/k/v and gate/up
// projections once; the layers keep their values (now as views of the
// fused arrays), and a replaced array is fused again. The fused product's
// logits are the separate products' (TestDecodeBlocksMatchOps).
func TestDecodeFusesQuantizedProjections(t *testing.T) {
	l := loadLLM(t, "llama-4bit")
	m := l.Model.(*Llama)
	first := m.Layers[0]
	q := first.SelfAttn.QProj.(*nn.QuantizedLinear)
	before := map[string][]uint32{}
	for name, a := range map[string]*tensor.Array{"q": q.Weight, "k": first.SelfAttn.KProj.(*nn.QuantizedLinear).Weight,
		"up": first.MLP.UpProj.(*nn.QuantizedLinear).Weight} {
		before[name] = a.Uint32s()
	}
	decode := func() {
		tensor.RunOnCompileThread(func() {
			c := m.NewCache()
			defer c.Free()
			release(m.Forward(tensor.FromInts([]int{3, 17, 29}, 1, 3), c))
			release(m.Forward(tensor.FromInts([]int{8}, 1, 1), c))
		})
	}
	decode()
	for i, b := range m.Layers {
		if b.fusedQKV == nil || b.fusedGateUp == nil {
			t.Fatalf("layer %d: projections not fused after a decode step", i)
		}
	}
	f := first.fusedQKV
	if got, want := f.arrays[0].Shape()[0], q.Weight.Shape()[0]+2*first.SelfAttn.KProj.(*nn.QuantizedLinear).Weight.Shape()[0]; got != want {
		t.Errorf("fused q/k/v weight has %d rows, want %d", got, want)
	}
	for name, a := range map[string]*tensor.Array{"q": first.SelfAttn.QProj.(*nn.QuantizedLinear).Weight,
		"k": first.SelfAttn.KProj.(*nn.QuantizedLinear).Weight, "up": first.MLP.UpProj.(*nn.QuantizedLinear).Weight} {
		got := a.Uint32s()
		if len(got) != len(before[name]) {
			t.Fatalf("%s: %d words after fusing, %d before", name, len(got), len(before[name]))
		}
		for i := range got {
			if got[i] != before[name][i] {
				t.Fatalf("%s: word %d changed when fused", name, i)
			}
		}
	}
	decode()
	if first.fusedQKV != f {
		t.Error("fused again with no array replaced")
	}
	// (The model is shared by the package's tests: put the scale back.)
	scales := q.Scales
	defer func() { q.Scales = scales }()
	q.Scales = tensor.Multiply(q.Scales, 2).Eval()
	decode()
	if first.fusedQKV == f {
		t.Error("a replaced q scale was not fused again")
	}
}

// The decode blocks' MLP and residual connections (llamaPost): where the
// projections are quantized and gate/up fused, the residual adds and the
// SwiGLU gate are fused products (on a GPU, one kernel each at shapes the
// matrix-vector kernel takes: K a multiple of 128, as here), with the
// separate ops' bits on every device.
func TestDecodeMLPFusedProducts(t *testing.T) {
	const hidden, inter = 256, 512
	quantized := func(in, out int, seed uint64) *nn.QuantizedLinear {
		l := &nn.Linear{Weight: tensor.AsType(tensor.Multiply(tensor.RandomNormal([]int{out, in}, tensor.Key(tensor.RandomKey(seed))), 0.05), tensor.Bfloat16)}
		q, err := nn.QuantizedLinearFrom(l, 64, 4, "affine")
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	o, gate, up, down := quantized(hidden, hidden, 1), quantized(hidden, inter, 2), quantized(hidden, inter, 3), quantized(inter, hidden, 4)
	attn := tensor.AsType(tensor.RandomNormal([]int{1, 4, 1, hidden / 4}, tensor.Key(tensor.RandomKey(5))), tensor.Bfloat16)
	x := tensor.AsType(tensor.RandomNormal([]int{1, 1, hidden}, tensor.Key(tensor.RandomKey(6))), tensor.Bfloat16)
	w := tensor.Ones([]int{hidden}, tensor.Bfloat16)

	var key llamaPostKey
	var cache *fusedProjs
	args, ok := postArgs(nil, &key.o, &key.gateUp, &key.down, &cache, o, gate, up, down)
	if !ok || !key.gateUp.isFused() || !key.o.affine() || !key.down.affine() {
		t.Fatalf("quantized projections: ok %v, gate/up fused %v, o and down affine %v %v", ok, key.gateUp.isFused(), key.o.affine(), key.down.affine())
	}
	key.eps = 1e-5
	got := llamaPost(key)(append([]*tensor.Array{attn, x, w}, args...))[0]

	// The separate ops, as the layer's op path computes them.
	h := tensor.Add(x, o.Forward(mergeOf(attn)))
	n := tensor.FastRMSNorm(h, 1e-5, tensor.Weight(w))
	want := tensor.Add(h, down.Forward(tensor.Multiply(nn.SiLU(gate.Forward(n)), up.Forward(n))))
	if d := tensor.Sum(tensor.NotEqual(tensor.View(got, tensor.Uint16), tensor.View(want, tensor.Uint16))).Int(); d != 0 {
		t.Errorf("%d of %d outputs differ from the separate ops' bits", d, want.Size())
	}
	if tensor.DefaultDevice() == tensor.GPU {
		dot := tensor.ExportToDot(got)
		for _, p := range []string{"QuantizedMatmulAdd", "QuantizedMatmulSwiGLU"} {
			if !strings.Contains(dot, p) {
				t.Errorf("the block's graph has no %s on the GPU", p)
			}
		}
	}
}
