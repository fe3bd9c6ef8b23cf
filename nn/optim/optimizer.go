// Package optim is mlx.optimizers for Go: SGD, Adam, AdamW, RMSprop and
// Adagrad with the same update arithmetic (op for op, so runs match Python
// MLX bit for bit), learning-rate schedules, clipping by global norm, and
// optimizer state saved and loaded as safetensors.
//
// Gradients and parameters are maps from dotted parameter names (see
// nn.Parameters) to arrays. Everything is non-generic for the REPL.
package optim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Optimizer updates parameters from their gradients.
type Optimizer interface {
	// Update applies grads to model's parameters of the same names.
	Update(model any, grads map[string]*tensor.Array) error
	// ApplyGradients returns the updated parameters for the names in grads.
	ApplyGradients(grads, params map[string]*tensor.Array) (map[string]*tensor.Array, error)
	// LearningRate is the rate the last update used (or the first will).
	LearningRate() *tensor.Array
	// SetLearningRate fixes the rate (dropping its schedule).
	SetLearningRate(lr float64)
	// Steps is the number of updates applied.
	Steps() int
	// State is the optimizer's state flattened as Python's tree_flatten
	// names it: "step", "learning_rate", "<param>.<slot>" (e.g. "weight.m").
	State() map[string]*tensor.Array
	// SetState replaces the state (from State or LoadState).
	SetState(state map[string]*tensor.Array) error
}

// rule is one optimizer's per-parameter arithmetic.
type rule interface {
	slots() []string // per-parameter state names, e.g. m and v
	apply(o *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array
}

// base is what every optimizer shares (Python's Optimizer class).
type base struct {
	name        string
	r           rule
	step        *tensor.Array // uint64 scalar
	lr          *tensor.Array
	schedule    Schedule
	state       map[string]map[string]*tensor.Array
	initialized bool
}

func newBase(name string, r rule, lr float64, schedule Schedule) *base {
	b := &base{name: name, r: r, step: tensor.New(uint64(0)), schedule: schedule, state: map[string]map[string]*tensor.Array{}}
	if schedule != nil {
		b.lr = schedule(b.step)
	} else {
		b.lr = tensor.New(float32(lr))
	}
	return b
}

func (o *base) Update(model any, grads map[string]*tensor.Array) error {
	params := nn.Parameters(model)
	updated, err := o.ApplyGradients(grads, params)
	if err != nil {
		return err
	}
	return nn.UpdatePartial(model, updated)
}

func (o *base) ApplyGradients(grads, params map[string]*tensor.Array) (map[string]*tensor.Array, error) {
	var missing []string
	for name := range grads {
		if params[name] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("optim.%s: gradients for unknown parameters: %s", o.name, strings.Join(missing, ", "))
	}
	for name, g := range grads {
		if p := params[name]; !sameShape(g.Shape(), p.Shape()) {
			return nil, fmt.Errorf("optim.%s: gradient %s has shape %v, parameter has %v", o.name, name, g.Shape(), p.Shape())
		}
	}
	if !o.initialized {
		o.init(grads)
	}
	if o.schedule != nil {
		o.lr = o.schedule(o.step)
	}
	o.step = tensor.Add(o.step, 1)
	out := make(map[string]*tensor.Array, len(grads))
	var err error
	for _, name := range sortedNames(grads) {
		st := o.state[name]
		if st == nil {
			st = o.zeros(params[name])
			o.state[name] = st
		}
		err = tensor.Try(func() { out[name] = o.r.apply(o, grads[name], params[name], st) })
		if err != nil {
			return nil, fmt.Errorf("optim.%s: parameter %s: %w", o.name, name, err)
		}
	}
	return out, nil
}

func (o *base) init(params map[string]*tensor.Array) {
	for name, p := range params {
		if o.state[name] == nil {
			o.state[name] = o.zeros(p)
		}
	}
	o.initialized = true
}

func (o *base) zeros(p *tensor.Array) map[string]*tensor.Array {
	st := map[string]*tensor.Array{}
	for _, s := range o.r.slots() {
		st[s] = tensor.ZerosLike(p)
	}
	return st
}

func (o *base) LearningRate() *tensor.Array { return o.lr }

func (o *base) SetLearningRate(lr float64) {
	o.schedule = nil
	o.lr = tensor.New(float32(lr))
}

func (o *base) Steps() int { return o.step.Int() }

func (o *base) State() map[string]*tensor.Array {
	out := map[string]*tensor.Array{"step": o.step, "learning_rate": o.lr}
	for name, st := range o.state {
		for s, a := range st {
			out[name+"."+s] = a
		}
	}
	return out
}

func (o *base) SetState(state map[string]*tensor.Array) error {
	step, lr := state["step"], state["learning_rate"]
	if step == nil || lr == nil {
		return fmt.Errorf("optim.%s: state needs step and learning_rate", o.name)
	}
	slots := map[string]bool{}
	for _, s := range o.r.slots() {
		slots[s] = true
	}
	per := map[string]map[string]*tensor.Array{}
	for k, a := range state {
		if k == "step" || k == "learning_rate" {
			continue
		}
		i := strings.LastIndex(k, ".")
		if i < 0 || !slots[k[i+1:]] {
			return fmt.Errorf("optim.%s: state entry %q is not <parameter>.<%s>", o.name, k, strings.Join(o.r.slots(), "|"))
		}
		if per[k[:i]] == nil {
			per[k[:i]] = map[string]*tensor.Array{}
		}
		per[k[:i]][k[i+1:]] = a
	}
	for name, st := range per {
		if len(st) != len(slots) {
			return fmt.Errorf("optim.%s: state of %s has %d of its %d slots", o.name, name, len(st), len(slots))
		}
	}
	o.step, o.lr, o.state = step.AsType(tensor.Uint64), lr, per
	o.initialized = len(per) > 0
	return nil
}

// SaveState writes an optimizer's State to a safetensors file (the names
// Python's tree_flatten(optimizer.state) gives).
func SaveState(o Optimizer, path string) error {
	if err := tensor.SaveSafetensors(path, o.State(), nil); err != nil {
		return fmt.Errorf("optim.SaveState: %w", err)
	}
	return nil
}

// LoadState reads a state written by SaveState into o.
func LoadState(o Optimizer, path string) error {
	st, _, err := tensor.LoadSafetensors(path)
	if err != nil {
		return fmt.Errorf("optim.LoadState: %w", err)
	}
	return o.SetState(st)
}

func sortedNames(m map[string]*tensor.Array) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
