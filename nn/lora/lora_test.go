package lora_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/nn/lora"
	"github.com/mlx-go/mlx-go/nn/optim"
	"github.com/mlx-go/mlx-go/tensor"
)

func sub(g golden, prefix string) map[string]*tensor.Array {
	out := map[string]*tensor.Array{}
	for k, v := range g {
		if strings.HasPrefix(k, prefix) {
			out[strings.TrimPrefix(k, prefix)] = v
		}
	}
	return out
}

// Forward and fuse against mlx_lm.tuner.lora.LoRALinear on the same
// weights, on a float and on a 4-bit quantized base.
func TestLoRAMatchesPython(t *testing.T) {
	g := loadGolden(t, "lora.safetensors")
	x := g.Get(t, "x")
	for _, name := range []string{"float", "quant"} {
		var base nn.Layer = nn.NewLinear(64, 48, true)
		if name == "quant" {
			base = must(nn.NewQuantizedLinear(64, 48, true, 32, 4, "affine"))
		}
		l := must(lora.FromBase(base, 8, 0, 20))
		if err := nn.Update(l, sub(g, name+".param.")); err != nil {
			t.Fatal(err)
		}
		assertSame(t, name+" forward", l.Forward(x), g.Get(t, name+".out"))
		fused := must(l.Fuse(false))
		for k, v := range sub(g, name+".fused.param.") {
			assertSame(t, name+" fused "+k, nn.Parameters(fused)[k], v)
		}
		assertSame(t, name+" fused forward", fused.Forward(x), g.Get(t, name+".fused_out"))
		if name == "quant" {
			deq := must(l.Fuse(true))
			if _, ok := deq.(*nn.Linear); !ok {
				t.Fatalf("dequantized fuse gave %T", deq)
			}
			for k, v := range sub(g, "quant.dequantized.param.") {
				assertSame(t, "dequantized fuse "+k, nn.Parameters(deq)[k], v)
			}
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

type mlp struct {
	nn.Base
	GateProj nn.Layer
	DownProj nn.Layer
}

type decoderLayer struct {
	nn.Base
	MLP *mlp `nn:"mlp"`
}

type toyModel struct {
	nn.Base
	Layers []*decoderLayer
	Head   nn.Layer `nn:"lm_head"`
}

func (m *toyModel) Forward(x *tensor.Array) *tensor.Array {
	for _, l := range m.Layers {
		x = tensor.Add(x, l.MLP.DownProj.Forward(nn.SiLU(l.MLP.GateProj.Forward(x))))
	}
	return m.Head.Forward(x)
}

func newQuantizedToy(t *testing.T, seed uint64) *toyModel {
	tensor.Seed(seed)
	m := &toyModel{Head: nn.NewLinear(64, 8, false)}
	for i := 0; i < 3; i++ {
		m.Layers = append(m.Layers, &decoderLayer{MLP: &mlp{GateProj: nn.NewLinear(64, 128, false), DownProj: nn.NewLinear(128, 64, false)}})
	}
	if err := nn.Quantize(m, 32, 4, nil); err != nil {
		t.Fatal(err)
	}
	return m
}

var cfg = lora.Config{NumLayers: 2, Parameters: lora.Parameters{Rank: 4, Scale: 2, Keys: []string{"mlp.gate_proj", "mlp.down_proj"}}}

// LoRA on a frozen quantized model: training moves the adapters and
// nothing else, and the loss falls; the saved adapters reload into a fresh
// copy of the base model and give the same outputs.
func TestLoRATrainsOnlyAdaptersAndRoundTrips(t *testing.T) {
	m := newQuantizedToy(t, 7)
	adapted, err := lora.Apply(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"layers.1.mlp.gate_proj", "layers.1.mlp.down_proj", "layers.2.mlp.gate_proj", "layers.2.mlp.down_proj"}
	if !reflect.DeepEqual(adapted, want) {
		t.Fatalf("adapted %v, want the last 2 layers: %v", adapted, want)
	}
	trainable := nn.TrainableNames(m)
	if len(trainable) != 8 {
		t.Fatalf("trainable: %v", trainable)
	}
	for _, n := range trainable {
		if !strings.HasSuffix(n, ".lora_a") && !strings.HasSuffix(n, ".lora_b") {
			t.Fatalf("%s is trainable", n)
		}
	}
	before := nn.Parameters(m)
	tensor.Seed(8)
	x := tensor.RandomNormal([]int{32, 64})
	y := tensor.RandomRandint(0, 8, []int{32})
	loss := func(args []*tensor.Array) *tensor.Array {
		return nn.CrossEntropy(m.Forward(args[0]), args[1], nn.Reduce("mean"))
	}
	tr := optim.NewTrainer(m, loss, must(optim.NewAdam(optim.AdamConfig{LearningRate: 2e-3})))
	var first, last float64
	if err := tr.Run(40, func(int) []*tensor.Array { return []*tensor.Array{x, y} }, func(i int, l float64) {
		if i == 0 {
			first = l
		}
		last = l
	}); err != nil {
		t.Fatal(err)
	}
	if !(last < first*0.7) {
		t.Fatalf("loss %g -> %g", first, last)
	}
	after := nn.Parameters(m)
	for k, v := range before {
		changed := !tensor.ArrayEqual(v, after[k]).Bool()
		isAdapter := strings.HasSuffix(k, ".lora_a") || strings.HasSuffix(k, ".lora_b")
		if changed != isAdapter {
			t.Fatalf("%s changed=%v", k, changed)
		}
	}

	dir := t.TempDir()
	if err := lora.SaveAdapters(m, dir, cfg); err != nil {
		t.Fatal(err)
	}
	var js map[string]any
	raw, _ := os.ReadFile(filepath.Join(dir, "adapter_config.json"))
	if err := json.Unmarshal(raw, &js); err != nil {
		t.Fatal(err)
	}
	lp, _ := js["lora_parameters"].(map[string]any)
	if js["fine_tune_type"] != "lora" || js["num_layers"] != 2.0 || lp["rank"] != 4.0 || lp["scale"] != 2.0 {
		t.Fatalf("adapter_config.json is not mlx-lm's layout: %s", raw)
	}
	saved, _, err := tensor.LoadSafetensors(filepath.Join(dir, "adapters.safetensors"))
	if err != nil || len(saved) != 8 {
		t.Fatalf("adapters.safetensors: %d tensors, %v", len(saved), err)
	}

	fresh := newQuantizedToy(t, 7)
	if _, err := lora.LoadAdapters(fresh, dir); err != nil {
		t.Fatal(err)
	}
	assertSame(t, "reloaded adapters", fresh.Forward(x), m.Forward(x))

	// Fusing folds the adapters in: close to the adapted outputs (the
	// quantized base is re-quantized with the update, so not bit-exact).
	if err := lora.Fuse(fresh, true); err != nil {
		t.Fatal(err)
	}
	if _, ok := fresh.Layers[2].MLP.GateProj.(*nn.Linear); !ok {
		t.Fatalf("fused layer is %T", fresh.Layers[2].MLP.GateProj)
	}
	adaptedOut := m.Forward(x)
	tol := 1e-4
	if tensor.DefaultDevice() == tensor.GPU {
		// The fused model is float32 matmuls, which a GPU runs in TF32
		// (10-bit mantissa) while the quantized kernel accumulates in
		// float32: measured 0.04 apart on an H200, so the bound is a few
		// TF32 units of the output's scale.
		tol = 4 * 0x1p-11 * tensor.Max(tensor.Abs(adaptedOut)).Float()
	}
	assertClose(t, "fused (dequantized) model", fresh.Forward(x), adaptedOut, tol, tol)
}

func TestApplyErrors(t *testing.T) {
	m := newQuantizedToy(t, 1)
	if _, err := lora.Apply(m, lora.Config{Parameters: lora.Parameters{Rank: 4, Scale: 1, Keys: []string{"attn.q_proj"}}}); err == nil || !strings.Contains(err.Error(), "no Linear") {
		t.Fatalf("no match: %v", err)
	}
	if _, err := lora.Apply(m, lora.Config{Parameters: lora.Parameters{Rank: 0, Keys: []string{"lm_head"}}}); err == nil || !strings.Contains(err.Error(), "rank") {
		t.Fatalf("rank 0: %v", err)
	}
	if _, err := lora.Apply(m, lora.Config{Parameters: lora.Parameters{Rank: 4, Keys: []string{"lm_head"}}}); err == nil || !strings.Contains(err.Error(), "alpha") {
		t.Fatalf("no scale: %v", err)
	}
	withAlpha := newQuantizedToy(t, 1)
	if _, err := lora.Apply(withAlpha, lora.Config{Parameters: lora.Parameters{Rank: 4, Alpha: 16, Keys: []string{"lm_head"}}}); err != nil {
		t.Fatal(err)
	}
	if s := withAlpha.Head.(*lora.Linear).Scale; s != 4 {
		t.Fatalf("alpha 16 / rank 4 gave scale %g", s)
	}
	type concrete struct {
		nn.Base
		Proj *nn.Linear
	}
	if _, err := lora.Apply(&concrete{Proj: nn.NewLinear(4, 4, false)}, lora.Config{Parameters: lora.Parameters{Rank: 2, Scale: 1, Keys: []string{"proj"}}}); err == nil || !strings.Contains(err.Error(), "declare it nn.Layer") {
		t.Fatalf("concrete field: %v", err)
	}
	// Glob keys reach modules by full path.
	m2 := newQuantizedToy(t, 1)
	got, err := lora.Apply(m2, lora.Config{Parameters: lora.Parameters{Rank: 2, Scale: 1, Keys: []string{"layers.*.mlp.down_proj", "lm_head"}}})
	if err != nil || len(got) != 4 {
		t.Fatalf("glob: %v %v", got, err)
	}
	if _, err := lora.LoadAdapters(m2, t.TempDir()); err == nil || !strings.Contains(err.Error(), "adapter_config.json") {
		t.Fatalf("empty dir: %v", err)
	}
}

// Adapters trained and saved here load into mlx-lm (load_adapters on the
// same quantized base model in Python) and give the same outputs.
func TestAdaptersLoadInMLXLM(t *testing.T) {
	m := newQuantizedToy(t, 11)
	dir := t.TempDir()
	if err := nn.SaveWeights(m, filepath.Join(dir, "base.safetensors")); err != nil {
		t.Fatal(err)
	}
	if _, err := lora.Apply(m, cfg); err != nil {
		t.Fatal(err)
	}
	// Non-zero adapters, so that they matter.
	for _, p := range m.Layers[1:] {
		for _, l := range []nn.Layer{p.MLP.GateProj, p.MLP.DownProj} {
			a := l.(*lora.Linear)
			a.LoraB = tensor.Multiply(tensor.RandomNormal(a.LoraB.Shape()), 0.05)
		}
	}
	adapters := filepath.Join(dir, "adapters")
	if err := lora.SaveAdapters(m, adapters, cfg); err != nil {
		t.Fatal(err)
	}
	x := tensor.RandomNormal([]int{4, 64})
	if err := tensor.SaveSafetensors(filepath.Join(dir, "io.safetensors"), map[string]*tensor.Array{"x": x, "y": m.Forward(x)}, nil); err != nil {
		t.Fatal(err)
	}
	out := testutil.RunPython(t, `
import sys
import mlx.core as mx
import mlx.nn as nn
from mlx_lm.tuner.utils import load_adapters

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate_proj = nn.Linear(64, 128, bias=False)
        self.down_proj = nn.Linear(128, 64, bias=False)

class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = MLP()

class Toy(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Layer() for _ in range(3)]
        self.lm_head = nn.Linear(64, 8, bias=False)
    def __call__(self, x):
        for l in self.layers:
            x = x + l.mlp.down_proj(nn.silu(l.mlp.gate_proj(x)))
        return self.lm_head(x)

d = sys.argv[1]
m = Toy()
nn.quantize(m, 32, 4)
m.load_weights(d + "/base.safetensors")
load_adapters(m, d + "/adapters")
io = mx.load(d + "/io.safetensors")
y = m(io["x"])
print("same" if mx.array_equal(y, io["y"]).item() else "differs by %g" % mx.abs(y - io["y"]).max().item())
`, dir)
	if got := strings.TrimSpace(string(out)); got != "same" {
		t.Fatalf("mlx-lm with our adapters: %s", got)
	}
}
