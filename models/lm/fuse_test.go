package lm

import (
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
