package optim_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/nn/optim"
	"github.com/mlx-go/mlx-go/tensor"
)

const steps = 10

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The optimizers of tests/golden/gen_nn_golden.py's optimizer_cases.
func optimizers() map[string]optim.Optimizer {
	sched := must(optim.JoinSchedules([]optim.Schedule{
		must(optim.LinearSchedule(0, 0.05, 3)), must(optim.CosineDecay(0.05, 7, 0.001)),
	}, []int{3}))
	return map[string]optim.Optimizer{
		"sgd":          must(optim.NewSGD(optim.SGDConfig{LearningRate: 0.1})),
		"sgd_momentum": must(optim.NewSGD(optim.SGDConfig{LearningRate: 0.05, Momentum: 0.9, WeightDecay: 0.01, Dampening: 0.1})),
		"sgd_nesterov": must(optim.NewSGD(optim.SGDConfig{LearningRate: 0.05, Momentum: 0.8, Nesterov: true})),
		"adam":         must(optim.NewAdam(optim.AdamConfig{LearningRate: 0.01})),
		"adam_bc":      must(optim.NewAdam(optim.AdamConfig{LearningRate: 0.01, Beta1: 0.8, Beta2: 0.95, BiasCorrection: true})),
		"adamw":        must(optim.NewAdamW(optim.AdamConfig{LearningRate: 0.01, WeightDecay: 0.05})),
		"adamw_sched":  must(optim.NewAdamW(optim.AdamConfig{Schedule: sched, WeightDecay: 0.1})),
		"rmsprop":      must(optim.NewRMSprop(optim.RMSpropConfig{LearningRate: 0.01, Alpha: 0.9})),
		"adagrad":      must(optim.NewAdagrad(optim.AdagradConfig{LearningRate: 0.1})),
		"adamax":       must(optim.NewAdamax(optim.AdamaxConfig{LearningRate: 0.02, Beta1: 0.85, Beta2: 0.99})),
		"lion":         must(optim.NewLion(optim.LionConfig{LearningRate: 0.01, WeightDecay: 0.1})),
		"adadelta":     must(optim.NewAdaDelta(optim.AdaDeltaConfig{LearningRate: 0.5, Rho: 0.8})),
	}
}

func grads(g golden, t *testing.T, i int) map[string]*tensor.Array {
	return map[string]*tensor.Array{"weight": g.Get(t, fmt.Sprintf("grad.%d.weight", i)), "bias": g.Get(t, fmt.Sprintf("grad.%d.bias", i))}
}

func initial(g golden, t *testing.T) *nn.Linear {
	m := nn.NewLinear(5, 4, true)
	if err := nn.Update(m, map[string]*tensor.Array{"weight": g.Get(t, "init.param.weight"), "bias": g.Get(t, "init.param.bias")}); err != nil {
		t.Fatal(err)
	}
	return m
}

// Ten updates of each optimizer from the same start with the same
// gradients: parameters and the whole state equal Python's bit for bit.
func TestTenStepsMatchPython(t *testing.T) {
	g := loadGolden(t, "optim.safetensors")
	for name, o := range optimizers() {
		m := initial(g, t)
		for i := 0; i < steps; i++ {
			if err := o.Update(m, grads(g, t, i)); err != nil {
				t.Fatal(err)
			}
		}
		for k, v := range nn.Parameters(m) {
			assertSame(t, name+" "+k, v, g.Get(t, name+".param."+k))
		}
		st := o.State()
		n := 0
		for k, want := range g {
			if strings.HasPrefix(k, name+".state.") {
				n++
				got, ok := st[strings.TrimPrefix(k, name+".state.")]
				if !ok {
					t.Fatalf("%s: no state %s (have %d entries)", name, k, len(st))
				}
				assertSame(t, k, got, want)
			}
		}
		if n != len(st) {
			t.Fatalf("%s: %d state entries, Python has %d", name, len(st), n)
		}
	}
}

func TestSchedulesMatchPython(t *testing.T) {
	g := loadGolden(t, "optim.safetensors")
	scheds := map[string]optim.Schedule{
		"linear":      must(optim.LinearSchedule(1e-4, 1e-2, 10)),
		"cosine":      must(optim.CosineDecay(0.1, 12, 0.01)),
		"step":        must(optim.StepDecay(0.1, 0.5, 4)),
		"exponential": optim.ExponentialDecay(0.1, 0.9),
		"joined": must(optim.JoinSchedules([]optim.Schedule{must(optim.LinearSchedule(0, 0.1, 5)), must(optim.CosineDecay(0.1, 10, 0))},
			[]int{5})),
	}
	for name, f := range scheds {
		var vals []*tensor.Array
		for s := 0; s < 20; s++ {
			vals = append(vals, f(tensor.New(uint64(s))))
		}
		assertSame(t, "schedule "+name, tensor.Stack(vals), g.Get(t, "sched."+name))
	}
}

func TestClipGradNormMatchesPython(t *testing.T) {
	g := loadGolden(t, "optim.safetensors")
	clipped, norm, err := optim.ClipGradNorm(grads(g, t, 0), 1.5)
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, "norm", norm, g.Get(t, "clip.norm"))
	assertSame(t, "weight", clipped["weight"], g.Get(t, "clip.weight"))
	assertSame(t, "bias", clipped["bias"], g.Get(t, "clip.bias"))
}

// Saving the state after 5 steps and loading it into a fresh optimizer
// continues exactly where the first would have gone.
func TestStateSaveLoadResumes(t *testing.T) {
	g := loadGolden(t, "optim.safetensors")
	for _, name := range []string{"adamw_sched", "sgd_momentum"} {
		o := optimizers()[name]
		m := initial(g, t)
		for i := 0; i < 5; i++ {
			if err := o.Update(m, grads(g, t, i)); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(t.TempDir(), "opt.safetensors")
		if err := optim.SaveState(o, path); err != nil {
			t.Fatal(err)
		}
		weights := filepath.Join(t.TempDir(), "w.safetensors")
		if err := nn.SaveWeights(m, weights); err != nil {
			t.Fatal(err)
		}
		resumed := optimizers()[name]
		if err := optim.LoadState(resumed, path); err != nil {
			t.Fatal(err)
		}
		m2 := nn.NewLinear(5, 4, true)
		if err := nn.LoadWeights(m2, weights, true); err != nil {
			t.Fatal(err)
		}
		if resumed.Steps() != 5 {
			t.Fatalf("resumed at step %d", resumed.Steps())
		}
		for i := 5; i < steps; i++ {
			if err := resumed.Update(m2, grads(g, t, i)); err != nil {
				t.Fatal(err)
			}
		}
		for k, v := range nn.Parameters(m2) {
			assertSame(t, name+" resumed "+k, v, g.Get(t, name+".param."+k))
		}
	}
}

func TestOptimizerErrors(t *testing.T) {
	if _, err := optim.NewSGD(optim.SGDConfig{LearningRate: 0.1, Nesterov: true}); err == nil || !strings.Contains(err.Error(), "Nesterov") {
		t.Fatalf("nesterov without momentum: %v", err)
	}
	if _, err := optim.NewAdam(optim.AdamConfig{LearningRate: 0.1, Beta1: 1, Beta2: 0.9}); err == nil || !strings.Contains(err.Error(), "Beta1") {
		t.Fatalf("beta1 = 1: %v", err)
	}
	if _, err := optim.CosineDecay(0.1, 0, 0); err == nil || !strings.Contains(err.Error(), "decaySteps") {
		t.Fatalf("decaySteps 0: %v", err)
	}
	if _, err := optim.JoinSchedules([]optim.Schedule{optim.ExponentialDecay(1, 0.5)}, []int{3}); err == nil || !strings.Contains(err.Error(), "boundaries") {
		t.Fatalf("boundaries: %v", err)
	}
	o := must(optim.NewAdam(optim.AdamConfig{LearningRate: 0.1}))
	m := nn.NewLinear(2, 2, true)
	err := o.Update(m, map[string]*tensor.Array{"wieght": tensor.Zeros([]int{2, 2})})
	if err == nil || !strings.Contains(err.Error(), "wieght") {
		t.Fatalf("unknown gradient name: %v", err)
	}
	err = o.Update(m, map[string]*tensor.Array{"weight": tensor.Zeros([]int{3, 2})})
	if err == nil || !strings.Contains(err.Error(), "gradient weight has shape [3 2]") {
		t.Fatalf("gradient shape: %v", err)
	}
	if err := o.SetState(map[string]*tensor.Array{"step": tensor.New(uint64(1))}); err == nil || !strings.Contains(err.Error(), "learning_rate") {
		t.Fatalf("bad state: %v", err)
	}
	if _, _, err := optim.ClipGradNorm(nil, -1); err == nil || !strings.Contains(err.Error(), "maxNorm") {
		t.Fatalf("negative maxNorm: %v", err)
	}
}
