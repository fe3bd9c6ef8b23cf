package optim

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// SGDConfig configures SGD; Schedule, when set, replaces LearningRate.
type SGDConfig struct {
	LearningRate float64
	Schedule     Schedule
	Momentum     float64
	WeightDecay  float64 // L2 penalty added to the gradient
	Dampening    float64
	Nesterov     bool
}

// SGD is stochastic gradient descent with optional momentum:
// v = μ·v + (1-τ)·g;  w = w - λ·v (or λ·(g + μ·v) with Nesterov).
type SGD struct {
	*base
	cfg SGDConfig
}

// NewSGD makes an SGD optimizer.
func NewSGD(cfg SGDConfig) (*SGD, error) {
	if cfg.Nesterov && (cfg.Momentum <= 0 || cfg.Dampening != 0) {
		return nil, fmt.Errorf("optim.NewSGD: Nesterov needs Momentum > 0 and Dampening 0 (got %g, %g)", cfg.Momentum, cfg.Dampening)
	}
	o := &SGD{cfg: cfg}
	o.base = newBase("SGD", o, cfg.LearningRate, cfg.Schedule)
	return o, nil
}

// slots: Python keeps a velocity v even without momentum (then unused).
func (o *SGD) slots() []string { return []string{"v"} }

func (o *SGD) apply(b *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array {
	c := o.cfg
	if c.WeightDecay != 0 {
		g = tensor.Add(g, tensor.Multiply(c.WeightDecay, p))
	}
	lr := b.lr.AsType(g.Dtype())
	if c.Momentum <= 0 {
		return tensor.Subtract(p, tensor.Multiply(lr, g))
	}
	v := tensor.Multiply(c.Momentum, st["v"])
	if c.Dampening > 0 {
		v = tensor.Add(v, tensor.Multiply(1-c.Dampening, g))
	} else {
		v = tensor.Add(v, g)
	}
	update := v
	if c.Nesterov {
		update = tensor.Add(g, tensor.Multiply(c.Momentum, v))
	}
	st["v"] = v
	return tensor.Subtract(p, tensor.Multiply(lr, update))
}
