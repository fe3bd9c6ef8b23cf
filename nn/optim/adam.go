package optim

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// AdamConfig configures Adam and AdamW; Schedule, when set, replaces
// LearningRate. Betas default to (0.9, 0.999) and Eps to 1e-8 when zero.
type AdamConfig struct {
	LearningRate   float64
	Schedule       Schedule
	Beta1, Beta2   float64
	Eps            float64
	WeightDecay    float64 // AdamW only (default 0.01 there)
	BiasCorrection bool
}

// Adam is m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; w = w - λ·m/(√v + ε),
// with optional bias correction.
type Adam struct {
	*base
	cfg   AdamConfig
	decay bool // AdamW: decoupled weight decay
}

// NewAdam makes an Adam optimizer.
func NewAdam(cfg AdamConfig) (*Adam, error) { return newAdam("Adam", cfg, false) }

// NewAdamW makes an AdamW optimizer: Adam on w·(1 - λ·WeightDecay).
func NewAdamW(cfg AdamConfig) (*Adam, error) {
	if cfg.WeightDecay == 0 {
		cfg.WeightDecay = 0.01
	}
	return newAdam("AdamW", cfg, true)
}

func newAdam(name string, cfg AdamConfig, decay bool) (*Adam, error) {
	if cfg.Beta1 == 0 && cfg.Beta2 == 0 {
		cfg.Beta1, cfg.Beta2 = 0.9, 0.999
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if err := checkBetas(name, cfg.Beta1, cfg.Beta2); err != nil {
		return nil, err
	}
	if cfg.Eps < 0 {
		return nil, fmt.Errorf("optim.New%s: Eps must be >= 0, got %g", name, cfg.Eps)
	}
	o := &Adam{cfg: cfg, decay: decay}
	o.base = newBase(name, o, cfg.LearningRate, cfg.Schedule)
	return o, nil
}

func (o *Adam) slots() []string { return []string{"m", "v"} }

func (o *Adam) apply(b *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array {
	c := o.cfg
	lr := b.lr.AsType(g.Dtype())
	if o.decay {
		p = tensor.Multiply(p, tensor.Subtract(1, tensor.Multiply(lr, c.WeightDecay)))
	}
	m := tensor.Add(tensor.Multiply(c.Beta1, st["m"]), tensor.Multiply(1-c.Beta1, g))
	v := tensor.Add(tensor.Multiply(c.Beta2, st["v"]), tensor.Multiply(1-c.Beta2, tensor.Square(g)))
	st["m"], st["v"] = m, v
	if c.BiasCorrection {
		c1 := tensor.Divide(lr, tensor.Subtract(1, tensor.Power(c.Beta1, b.step))).AsType(g.Dtype())
		c2 := tensor.Rsqrt(tensor.Subtract(1, tensor.Power(c.Beta2, b.step))).AsType(g.Dtype())
		num := tensor.Multiply(c1, m)
		den := tensor.Add(tensor.Multiply(tensor.Sqrt(v), c2), c.Eps)
		return tensor.Subtract(p, tensor.Divide(num, den))
	}
	return tensor.Subtract(p, tensor.Divide(tensor.Multiply(lr, m), tensor.Add(tensor.Sqrt(v), c.Eps)))
}

// RMSpropConfig configures RMSprop (Alpha 0 = 0.99, Eps 0 = 1e-8).
type RMSpropConfig struct {
	LearningRate float64
	Schedule     Schedule
	Alpha, Eps   float64
}

// RMSprop is v = α·v + (1-α)·g²; w = w - λ·g/(√v + ε).
type RMSprop struct {
	*base
	cfg RMSpropConfig
}

// NewRMSprop makes an RMSprop optimizer.
func NewRMSprop(cfg RMSpropConfig) (*RMSprop, error) {
	if cfg.Alpha == 0 {
		cfg.Alpha = 0.99
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if cfg.Alpha < 0 || cfg.Eps <= 0 {
		return nil, fmt.Errorf("optim.NewRMSprop: Alpha must be >= 0 and Eps > 0 (got %g, %g)", cfg.Alpha, cfg.Eps)
	}
	o := &RMSprop{cfg: cfg}
	o.base = newBase("RMSprop", o, cfg.LearningRate, cfg.Schedule)
	return o, nil
}

func (o *RMSprop) slots() []string { return []string{"v"} }

func (o *RMSprop) apply(b *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array {
	lr := b.lr.AsType(g.Dtype())
	v := tensor.Add(tensor.Multiply(o.cfg.Alpha, st["v"]), tensor.Multiply(1-o.cfg.Alpha, tensor.Square(g)))
	st["v"] = v
	return tensor.Subtract(p, tensor.Divide(tensor.Multiply(lr, g), tensor.Add(tensor.Sqrt(v), o.cfg.Eps)))
}

// AdagradConfig configures Adagrad (Eps 0 = 1e-8).
type AdagradConfig struct {
	LearningRate float64
	Schedule     Schedule
	Eps          float64
}

// Adagrad is v = v + g²; w = w - λ·g/(√v + ε).
type Adagrad struct {
	*base
	cfg AdagradConfig
}

// NewAdagrad makes an Adagrad optimizer.
func NewAdagrad(cfg AdagradConfig) (*Adagrad, error) {
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if cfg.Eps <= 0 {
		return nil, fmt.Errorf("optim.NewAdagrad: Eps must be > 0, got %g", cfg.Eps)
	}
	o := &Adagrad{cfg: cfg}
	o.base = newBase("Adagrad", o, cfg.LearningRate, cfg.Schedule)
	return o, nil
}

func (o *Adagrad) slots() []string { return []string{"v"} }

func (o *Adagrad) apply(b *base, g, p *tensor.Array, st map[string]*tensor.Array) *tensor.Array {
	lr := b.lr.AsType(g.Dtype())
	v := tensor.Add(st["v"], tensor.Square(g))
	st["v"] = v
	return tensor.Subtract(p, tensor.Divide(tensor.Multiply(lr, g), tensor.Add(tensor.Sqrt(v), o.cfg.Eps)))
}
