package optim

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// AdamaxConfig configures Adamax (betas 0 = 0.9, 0.999; Eps 0 = 1e-8).
type AdamaxConfig struct {
	LearningRate float64
	Schedule     Schedule
	Beta1, Beta2 float64
	Eps          float64
}

// Adamax is Adam with the infinity norm: v = max(β2·v, |g|); w = w - λ·m/(v + ε).
type Adamax struct {
	*base
	cfg AdamaxConfig
}

// NewAdamax makes an Adamax optimizer.
func NewAdamax(cfg AdamaxConfig) (*Adamax, error) {
	if cfg.Beta1 == 0 && cfg.Beta2 == 0 {
		cfg.Beta1, cfg.Beta2 = 0.9, 0.999
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if err := checkBetas("Adamax", cfg.Beta1, cfg.Beta2); err != nil {
		return nil, err
	}
	o := &Adamax{cfg: cfg}
	o.base = newBase("Adamax", o, cfg.LearningRate, cfg.Schedule)
	return o, nil
}

func (o *Adamax) slots() []string { return []string{"m", "v"} }

func (o *Adamax) apply(b *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array {
	c := o.cfg
	lr := b.lr.AsType(g.Dtype())
	m := tensor.Add(tensor.Multiply(c.Beta1, st["m"]), tensor.Multiply(1-c.Beta1, g))
	v := tensor.Maximum(tensor.Multiply(c.Beta2, st["v"]), tensor.Abs(g))
	st["m"], st["v"] = m, v
	return tensor.Subtract(p, tensor.Divide(tensor.Multiply(lr, m), tensor.Add(v, c.Eps)))
}

// LionConfig configures Lion (betas 0 = 0.9, 0.99).
type LionConfig struct {
	LearningRate float64
	Schedule     Schedule
	Beta1, Beta2 float64
	WeightDecay  float64
}

// Lion steps by the sign of an interpolated momentum:
// w = w - λ·sign(β1·m + (1-β1)·g); m = β2·m + (1-β2)·g.
type Lion struct {
	*base
	cfg LionConfig
}

// NewLion makes a Lion optimizer.
func NewLion(cfg LionConfig) (*Lion, error) {
	if cfg.Beta1 == 0 && cfg.Beta2 == 0 {
		cfg.Beta1, cfg.Beta2 = 0.9, 0.99
	}
	if err := checkBetas("Lion", cfg.Beta1, cfg.Beta2); err != nil {
		return nil, err
	}
	o := &Lion{cfg: cfg}
	o.base = newBase("Lion", o, cfg.LearningRate, cfg.Schedule)
	return o, nil
}

func (o *Lion) slots() []string { return []string{"m"} }

func (o *Lion) apply(b *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array {
	c := o.cfg
	lr := b.lr.AsType(g.Dtype())
	m := st["m"]
	interp := tensor.Add(tensor.Multiply(c.Beta1, m), tensor.Multiply(1-c.Beta1, g))
	st["m"] = tensor.Add(tensor.Multiply(c.Beta2, m), tensor.Multiply(1-c.Beta2, g))
	if c.WeightDecay > 0 {
		p = tensor.Multiply(tensor.Subtract(1, tensor.Multiply(lr, c.WeightDecay)), p)
	}
	return tensor.Subtract(p, tensor.Multiply(lr, tensor.Sign(interp)))
}

// AdaDeltaConfig configures AdaDelta (Rho 0 = 0.9, Eps 0 = 1e-6).
type AdaDeltaConfig struct {
	LearningRate float64
	Schedule     Schedule
	Rho, Eps     float64
}

// AdaDelta scales steps by the ratio of running RMS of updates and gradients.
type AdaDelta struct {
	*base
	cfg AdaDeltaConfig
}

// NewAdaDelta makes an AdaDelta optimizer.
func NewAdaDelta(cfg AdaDeltaConfig) (*AdaDelta, error) {
	if cfg.Rho == 0 {
		cfg.Rho = 0.9
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-6
	}
	if cfg.Rho < 0 || cfg.Eps <= 0 {
		return nil, fmt.Errorf("optim.NewAdaDelta: Rho must be >= 0 and Eps > 0 (got %g, %g)", cfg.Rho, cfg.Eps)
	}
	o := &AdaDelta{cfg: cfg}
	o.base = newBase("AdaDelta", o, cfg.LearningRate, cfg.Schedule)
	return o, nil
}

func (o *AdaDelta) slots() []string { return []string{"v", "u"} }

func (o *AdaDelta) apply(b *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array {
	c := o.cfg
	lr := b.lr.AsType(g.Dtype())
	v := tensor.Add(tensor.Multiply(c.Rho, st["v"]), tensor.Multiply(1-c.Rho, tensor.Square(g)))
	d := tensor.Multiply(tensor.Divide(tensor.Sqrt(tensor.Add(st["u"], c.Eps)), tensor.Sqrt(tensor.Add(v, c.Eps))), g)
	u := tensor.Add(tensor.Multiply(c.Rho, st["u"]), tensor.Multiply(1-c.Rho, tensor.Square(d)))
	st["v"], st["u"] = v, u
	return tensor.Subtract(p, tensor.Multiply(lr, d))
}

func checkBetas(name string, b1, b2 float64) error {
	for i, b := range []float64{b1, b2} {
		if b < 0 || b >= 1 {
			return fmt.Errorf("optim.New%s: Beta%d must be in [0, 1), got %g", name, i+1, b)
		}
	}
	return nil
}
