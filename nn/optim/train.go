package optim

import (
	"fmt"

	"github.com/mlx-go/mlx-go/interrupt"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Trainer is the usual training step: loss and gradients by
// nn.ValueAndGrad, optional clipping by global norm, one optimizer update,
// then evaluation of the loss, parameters and optimizer state (so the
// graph never grows across steps).
type Trainer struct {
	Model       any
	Opt         Optimizer
	MaxGradNorm float64 // > 0: clip gradients to this global norm first
	// AccumulateSteps > 1 sums the gradients of that many Steps and
	// updates once with their mean, as mlx-lm's grad_accumulation_steps
	// (in the gradients' own dtype, as mlx-lm does).
	AccumulateSteps int
	valueGrad       func(args ...*tensor.Array) (*tensor.Array, map[string]*tensor.Array)
	acc             map[string]*tensor.Array
	accN            int
}

// NewTrainer makes a Trainer for loss(args), a scalar computed with model.
func NewTrainer(model any, loss func(args []*tensor.Array) *tensor.Array, opt Optimizer) *Trainer {
	return &Trainer{Model: model, Opt: opt, valueGrad: nn.ValueAndGrad(model, loss)}
}

// Step runs one training step on args and returns the loss (evaluated).
func (t *Trainer) Step(args ...*tensor.Array) (*tensor.Array, error) {
	var loss *tensor.Array
	var grads map[string]*tensor.Array
	if err := tensor.Try(func() { loss, grads = t.valueGrad(args...) }); err != nil {
		return nil, fmt.Errorf("optim.Trainer.Step: %w", err)
	}
	toEval := []*tensor.Array{loss}
	if t.AccumulateSteps > 1 {
		if t.acc == nil {
			t.acc = grads
		} else {
			for k, g := range grads {
				t.acc[k] = tensor.Add(t.acc[k], g)
			}
		}
		t.accN++
		if t.accN < t.AccumulateSteps {
			for _, g := range t.acc {
				toEval = append(toEval, g)
			}
			if err := tensor.Try(func() { tensor.Eval(toEval...) }); err != nil {
				return nil, fmt.Errorf("optim.Trainer.Step: %w", err)
			}
			return loss, nil
		}
		grads = map[string]*tensor.Array{}
		for k, g := range t.acc {
			grads[k] = tensor.Divide(g, t.AccumulateSteps)
		}
		t.acc, t.accN = nil, 0
	}
	if t.MaxGradNorm > 0 {
		var err error
		if grads, _, err = ClipGradNorm(grads, t.MaxGradNorm); err != nil {
			return nil, err
		}
	}
	if err := t.Opt.Update(t.Model, grads); err != nil {
		return nil, err
	}
	for _, a := range nn.Parameters(t.Model) {
		toEval = append(toEval, a)
	}
	for _, a := range t.Opt.State() {
		toEval = append(toEval, a)
	}
	if err := tensor.Try(func() { tensor.Eval(toEval...) }); err != nil {
		return nil, fmt.Errorf("optim.Trainer.Step: %w", err)
	}
	return loss, nil
}

// Run does steps training steps, taking each step's arguments from batch
// and passing each loss to report (may be nil). It stops early, with
// interrupt.ErrInterrupted, when the REPL or kernel is interrupted.
func (t *Trainer) Run(steps int, batch func(step int) []*tensor.Array, report func(step int, loss float64)) error {
	for i := 0; i < steps; i++ {
		if err := interrupt.Check(); err != nil {
			return err
		}
		loss, err := t.Step(batch(i)...)
		if err != nil {
			return fmt.Errorf("step %d: %w", i, err)
		}
		if report != nil {
			report(i, loss.Float())
		}
	}
	return nil
}
