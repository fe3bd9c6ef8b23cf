package nn

import (
	"reflect"

	"github.com/mlx-go/mlx-go/tensor"
)

// ValueAndGrad is mlx.nn.value_and_grad: it returns a function that runs
// loss(args) and its gradient with respect to m's trainable parameters, by
// dotted name. loss must compute from m's parameters as they are when it
// runs (the function swaps in MLX's tracers and restores them afterwards).
func ValueAndGrad(m any, loss func(args []*tensor.Array) *tensor.Array) func(args ...*tensor.Array) (*tensor.Array, map[string]*tensor.Array) {
	mustModule("nn.ValueAndGrad", m)
	return func(args ...*tensor.Array) (*tensor.Array, map[string]*tensor.Array) {
		ps := trainable(m)
		primals := values(ps)
		argnums := make([]int, len(ps))
		for i := range argnums {
			argnums[i] = i
		}
		f := func(in []*tensor.Array) []*tensor.Array {
			restore := install(ps, in)
			defer restore()
			return []*tensor.Array{loss(args)}
		}
		if len(ps) == 0 { // nothing to differentiate: just the value
			return loss(args), map[string]*tensor.Array{}
		}
		vals, grads := tensor.ValueAndGrad(f, argnums...)(primals...)
		out := make(map[string]*tensor.Array, len(ps))
		for i, p := range ps {
			out[p.name] = grads[i]
		}
		return vals[0], out
	}
}

func trainable(m any) []param {
	var ps []param
	for _, p := range walkModule(m).params {
		if p.trainable() {
			ps = append(ps, p)
		}
	}
	return ps
}

func values(ps []param) []*tensor.Array {
	out := make([]*tensor.Array, len(ps))
	for i, p := range ps {
		out[i] = p.field.Interface().(*tensor.Array)
	}
	return out
}

// install puts arrays into the parameter fields and returns the undo.
func install(ps []param, arrays []*tensor.Array) func() {
	old := values(ps)
	for i, p := range ps {
		p.field.Set(reflect.ValueOf(arrays[i]))
	}
	return func() {
		for i, p := range ps {
			p.field.Set(reflect.ValueOf(old[i]))
		}
	}
}

// Checkpointed runs its inner layer with gradient checkpointing: the
// backward pass recomputes the layer's intermediates instead of keeping
// them (mlx.nn.utils.checkpoint), trading compute for memory. Its
// parameters keep the inner layer's names.
type Checkpointed struct {
	Base
	Inner Layer `nn:",inline"`
}

// Checkpoint wraps a layer (a transformer block, say) with checkpointing.
func Checkpoint(l Layer) *Checkpointed { return &Checkpointed{Inner: l} }

// Forward is Inner.Forward(x), checkpointed.
func (c *Checkpointed) Forward(x *tensor.Array) *tensor.Array {
	ps := trainable(c.Inner)
	n := len(ps)
	f := tensor.Checkpoint(func(in []*tensor.Array) []*tensor.Array {
		restore := install(ps, in[:n])
		defer restore()
		return []*tensor.Array{c.Inner.Forward(in[n])}
	})
	return f(append(values(ps), x))[0]
}
