package nn_test

import (
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// A Llama-shaped toy model: the Go field names give Hugging Face's names.
type toyAttention struct {
	nn.Base
	QProj nn.Layer `nn:"q_proj"`
	KProj nn.Layer `nn:"k_proj"`
	OProj nn.Layer `nn:"o_proj"`
}

type toyLayer struct {
	nn.Base
	SelfAttn       *toyAttention
	InputLayernorm *nn.RMSNorm
	Scratch        int // not a module: ignored
}

type toyInner struct {
	nn.Base
	EmbedTokens nn.Embedder
	Layers      []*toyLayer
	Norm        *nn.RMSNorm
}

type toyModel struct {
	nn.Base
	Model  *toyInner
	LMHead nn.Layer
	Cache  *tensor.Array `nn:"-"`
}

func newToy() *toyModel {
	inner := &toyInner{EmbedTokens: nn.NewEmbedding(16, 32), Norm: nn.NewRMSNorm(32, 0)}
	for i := 0; i < 2; i++ {
		inner.Layers = append(inner.Layers, &toyLayer{
			SelfAttn:       &toyAttention{QProj: nn.NewLinear(32, 32, false), KProj: nn.NewLinear(32, 32, false), OProj: nn.NewLinear(32, 32, true)},
			InputLayernorm: nn.NewRMSNorm(32, 0),
		})
	}
	return &toyModel{Model: inner, LMHead: nn.NewLinear(32, 16, false), Cache: tensor.Zeros([]int{3})}
}

func TestParameterNamesAreHuggingFaceNames(t *testing.T) {
	m := newToy()
	got := nn.ParameterNames(m)
	want := []string{
		"model.embed_tokens.weight",
		"model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
		"model.layers.0.self_attn.o_proj.weight", "model.layers.0.self_attn.o_proj.bias",
		"model.layers.0.input_layernorm.weight",
		"model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight",
		"model.layers.1.self_attn.o_proj.weight", "model.layers.1.self_attn.o_proj.bias",
		"model.layers.1.input_layernorm.weight",
		"model.norm.weight", "lm_head.weight",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("names:\n got %v\nwant %v", got, want)
	}
	if n := nn.CountParameters(m); n != 16*32+2*(3*32*32+32+32)+32+32*16 {
		t.Fatalf("count %d", n)
	}
}

func TestFreezeUnfreeze(t *testing.T) {
	m := newToy()
	nn.Freeze(m)
	if n := len(nn.TrainableParameters(m)); n != 0 {
		t.Fatalf("after Freeze: %d trainable", n)
	}
	nn.Unfreeze(m.Model.Layers[1])
	got := nn.TrainableNames(m)
	if len(got) != 5 || !strings.HasPrefix(got[0], "model.layers.1.") {
		t.Fatalf("after Unfreeze(layers.1): %v", got)
	}
	nn.Unfreeze(m)
	nn.Freeze(m, "bias")
	for _, name := range nn.TrainableNames(m) {
		if strings.HasSuffix(name, ".bias") {
			t.Fatalf("bias %s still trainable", name)
		}
	}
	if len(nn.TrainableNames(m)) != 11 {
		t.Fatalf("freeze(bias): %v", nn.TrainableNames(m))
	}
}

func TestUpdateReportsBadNames(t *testing.T) {
	m := newToy()
	params := nn.Parameters(m)
	// Complete and right: accepted, and the new arrays are installed.
	fresh := map[string]*tensor.Array{}
	for k, v := range params {
		fresh[k] = tensor.OnesLike(v)
	}
	if err := nn.Update(m, fresh); err != nil {
		t.Fatal(err)
	}
	if nn.Parameters(m)["model.norm.weight"] != fresh["model.norm.weight"] {
		t.Fatal("Update did not install the array")
	}
	bad := map[string]*tensor.Array{}
	for k, v := range fresh {
		bad[k] = v
	}
	delete(bad, "lm_head.weight")
	bad["model.layers.0.self_attn.v_proj.weight"] = tensor.Zeros([]int{32, 32})
	bad["model.norm.weight"] = tensor.Zeros([]int{9})
	before := nn.Parameters(m)["model.norm.weight"]
	err := nn.Update(m, bad)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"unexpected parameters: model.layers.0.self_attn.v_proj.weight", "missing parameters: lm_head.weight", "model.norm.weight (module has [32], got [9])"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q lacks %q", err, want)
		}
	}
	if nn.Parameters(m)["model.norm.weight"] != before {
		t.Fatal("a failed Update changed the module")
	}
	// UpdatePartial allows missing names but not unknown ones.
	if err := nn.UpdatePartial(m, map[string]*tensor.Array{"model.norm.weight": tensor.Zeros([]int{32})}); err != nil {
		t.Fatal(err)
	}
	if err := nn.UpdatePartial(m, map[string]*tensor.Array{"model.nrom.weight": tensor.Zeros([]int{32})}); err == nil || !strings.Contains(err.Error(), "model.nrom.weight") {
		t.Fatalf("typo accepted: %v", err)
	}
	if err := nn.Update(42, nil); err == nil || !strings.Contains(err.Error(), "pointer to a struct") {
		t.Fatalf("non-module: %v", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := newToy()
	if err := nn.Quantize(m, 32, 4, func(path string, _ any) bool { return path == "lm_head" }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "toy.safetensors")
	if err := nn.SaveWeights(m, path); err != nil {
		t.Fatal(err)
	}
	ids := tensor.New([][]int32{{1, 2, 3}})
	forward := func(m *toyModel) *tensor.Array {
		h := m.Model.EmbedTokens.Forward(ids)
		for _, l := range m.Model.Layers {
			h = l.SelfAttn.OProj.Forward(l.SelfAttn.QProj.Forward(l.InputLayernorm.Forward(h)))
		}
		return m.LMHead.Forward(m.Model.Norm.Forward(h))
	}
	other := newToy()
	if err := nn.LoadWeights(other, path, true); err == nil || !strings.Contains(err.Error(), "lm_head.scales") {
		t.Fatalf("loading quantized weights into a float head: %v", err)
	}
	if err := nn.Quantize(other, 32, 4, func(path string, _ any) bool { return path == "lm_head" }); err != nil {
		t.Fatal(err)
	}
	if err := nn.LoadWeights(other, path, true); err != nil {
		t.Fatal(err)
	}
	assertSame(t, "reloaded model", forward(other), forward(m))
	names := nn.ParameterNames(other)
	sort.Strings(names)
	if names[len(names)-1] != "model.norm.weight" || !contains(names, "lm_head.biases") {
		t.Fatalf("names after quantize: %v", names)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestQuantizeErrors(t *testing.T) {
	type concrete struct {
		nn.Base
		Proj *nn.Linear
	}
	err := nn.Quantize(&concrete{Proj: nn.NewLinear(64, 8, false)}, 64, 4, nil)
	if err == nil || !strings.Contains(err.Error(), "proj is declared *nn.Linear") {
		t.Fatalf("concrete field: %v", err)
	}
	cases := []struct {
		group, bits int
		mode, want  string
	}{
		{64, 7, "affine", "bits 7"},
		{48, 4, "affine", "groupSize 48"},
		{64, 4, "mxfp4", "groupSize 64"},
		{32, 8, "nvfp4", "groupSize 32"},
		{32, 4, "int4", `mode "int4"`},
	}
	for _, c := range cases {
		err := nn.QuantizeMode(newToy(), c.group, c.bits, c.mode, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	// Input features not a multiple of the group size: named, with the path.
	m := nn.NewSequential(nn.NewLinear(96, 8, false))
	if err := nn.Quantize(m, 64, 4, nil); err == nil || !strings.Contains(err.Error(), "layers.0") || !strings.Contains(err.Error(), "groupSize 64") {
		t.Fatalf("96 features in groups of 64: %v", err)
	}
}

func TestDropoutFollowsTrainingMode(t *testing.T) {
	m := nn.NewSequential(nn.NewDropout(0.5))
	x := tensor.Ones([]int{1000})
	y := m.Forward(x)
	zeros := tensor.Sum(tensor.Equal(y, 0)).Int()
	if zeros < 400 || zeros > 600 {
		t.Fatalf("training dropout zeroed %d of 1000", zeros)
	}
	if kept := tensor.Sum(y).Float(); kept < 800 || kept > 1200 {
		t.Fatalf("survivors not rescaled: sum %g", kept)
	}
	nn.SetTraining(m, false)
	assertSame(t, "eval dropout", m.Forward(x), x)
	if err := tensor.Try(func() { nn.NewDropout(1) }); err == nil || !strings.Contains(err.Error(), "p must be") {
		t.Fatalf("p = 1: %v", err)
	}
}

func TestLoadWeightsNonStrictLoadsTheCommonNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "partial.safetensors")
	norm := tensor.Full([]int{32}, 3.0)
	err := tensor.SaveSafetensors(path, map[string]*tensor.Array{
		"model.norm.weight":                      norm,
		"model.rotary_emb.inv_freq":              tensor.Ones([]int{16}), // a buffer some checkpoints carry
		"model.layers.0.self_attn.q_proj.weight": tensor.Zeros([]int{32, 32}),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := newToy()
	if err := nn.LoadWeights(m, path, true); err == nil || !strings.Contains(err.Error(), "model.rotary_emb.inv_freq") || !strings.Contains(err.Error(), "missing parameters") {
		t.Fatalf("strict: %v", err)
	}
	if err := nn.LoadWeights(m, path, false); err != nil {
		t.Fatal(err)
	}
	assertSame(t, "loaded norm", m.Model.Norm.Weight, norm)
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	if err := tensor.SaveSafetensors(bad, map[string]*tensor.Array{"model.norm.weight": tensor.Ones([]int{31})}, nil); err != nil {
		t.Fatal(err)
	}
	if err := nn.LoadWeights(m, bad, false); err == nil || !strings.Contains(err.Error(), "model.norm.weight (module has [32], got [31])") {
		t.Fatalf("wrong shape, non-strict: %v", err)
	}
	if err := nn.LoadWeights(m, filepath.Join(t.TempDir(), "none.safetensors"), false); err == nil {
		t.Fatal("missing file: no error")
	}
}

func TestSummary(t *testing.T) {
	m := nn.NewSequential(nn.NewLinear(4, 3, true))
	nn.Freeze(m, "bias")
	want := "parameter        shape  dtype    trainable\n" +
		"layers.0.weight  [3 4]  float32  yes\n" +
		"layers.0.bias    [3]    float32  -\n" +
		"2 parameters, 15 values, 12 trainable\n"
	if got := nn.Summary(m); got != want {
		t.Fatalf("summary:\n%s\nwant:\n%s", got, want)
	}
}

// Quantize reaches every Linear and Embedding held in interface fields,
// in lists and nested structs, and freezes what it quantizes.
func TestQuantizeWholeModel(t *testing.T) {
	m := newToy()
	ids := tensor.New([][]int32{{1, 2, 3}})
	floatEmb := m.Model.EmbedTokens.Forward(ids)
	if err := nn.Quantize(m, 32, 8, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Model.EmbedTokens.(*nn.QuantizedEmbedding); !ok {
		t.Fatalf("embed_tokens is %T", m.Model.EmbedTokens)
	}
	for i, l := range m.Model.Layers {
		for _, p := range []nn.Layer{l.SelfAttn.QProj, l.SelfAttn.KProj, l.SelfAttn.OProj} {
			if _, ok := p.(*nn.QuantizedLinear); !ok {
				t.Fatalf("layer %d projection is %T", i, p)
			}
		}
	}
	// 8-bit groups of 32 reproduce the embedding closely.
	assertClose(t, "8-bit embedding", m.Model.EmbedTokens.Forward(ids), floatEmb, 0, 2e-2)
	want := []string{"model.layers.0.input_layernorm.weight", "model.layers.1.input_layernorm.weight", "model.norm.weight"}
	if got := nn.TrainableNames(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("trainable after Quantize: %v", got)
	}
	nn.Unfreeze(m)
	if got := nn.TrainableNames(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("Unfreeze made quantized weights trainable: %v", got)
	}
	nn.SetDtype(m, tensor.Float16)
	ps := nn.Parameters(m)
	if ps["lm_head.weight"].Dtype() != tensor.Uint32 || ps["lm_head.scales"].Dtype() != tensor.Float16 || ps["model.norm.weight"].Dtype() != tensor.Float16 {
		t.Fatalf("SetDtype: weight %v, scales %v, norm %v", ps["lm_head.weight"].Dtype(), ps["lm_head.scales"].Dtype(), ps["model.norm.weight"].Dtype())
	}
}

func TestLayerInputErrorsNameTheInput(t *testing.T) {
	q, err := nn.QuantizedLinearFrom(nn.NewLinear(64, 8, false), 64, 4, "affine")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		want string
		f    func()
	}{
		{"input x has 5 features on its last axis; the layer takes 64", func() { nn.NewLinear(64, 8, true).Forward(tensor.Zeros([]int{2, 5})) }},
		{"input x has 63 features on its last axis; the layer takes 64", func() { q.Forward(tensor.Zeros([]int{63})) }},
		{"ids must be integers, got float32", func() { nn.NewEmbedding(4, 8).Forward(tensor.Zeros([]int{3})) }},
		{"weight", func() { nn.NewRMSNorm(8, 0).Forward(tensor.Zeros([]int{2, 7})) }},
	}
	for _, c := range cases {
		if err := tensor.Try(c.f); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("want %q, got %v", c.want, err)
		}
	}
}

func TestDictOfModules(t *testing.T) {
	type heads struct {
		nn.Base
		Heads map[string]*nn.Linear
	}
	m := &heads{Heads: map[string]*nn.Linear{"value": nn.NewLinear(4, 1, false), "policy": nn.NewLinear(4, 3, true)}}
	want := []string{"heads.policy.weight", "heads.policy.bias", "heads.value.weight"}
	if got := nn.ParameterNames(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("names %v", got)
	}
	z := tensor.Zeros([]int{1, 4})
	if err := nn.UpdatePartial(m, map[string]*tensor.Array{"heads.value.weight": z}); err != nil {
		t.Fatal(err)
	}
	if m.Heads["value"].Weight != z {
		t.Fatal("update through a map did not reach the module")
	}
}

// Quantized layers never train, also when built as struct literals (as a
// checkpoint loader does) rather than by the constructors.
func TestQuantizedLiteralsAreFrozen(t *testing.T) {
	q := must(nn.QuantizedLinearFrom(nn.NewLinear(64, 8, true), 64, 4, "affine"))
	m := nn.NewSequential(&nn.QuantizedLinear{Weight: q.Weight, Scales: q.Scales, Biases: q.Biases, Bias: q.Bias, GroupSize: 64, Bits: 4, Mode: "affine"},
		nn.NewLinear(8, 2, false))
	nn.Unfreeze(m)
	if got := nn.TrainableNames(m); !reflect.DeepEqual(got, []string{"layers.1.weight"}) {
		t.Fatalf("trainable: %v", got)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
