package optim

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Schedule maps the optimizer's step count (a uint64 scalar, counted from
// 0 before the first update) to a learning rate, as mlx.optimizers
// schedules do. They compute with arrays, op for op like Python's.
type Schedule func(step *tensor.Array) *tensor.Array

// ExponentialDecay is init · rate^step.
func ExponentialDecay(init, rate float64) Schedule {
	return func(step *tensor.Array) *tensor.Array { return tensor.Multiply(init, tensor.Power(rate, step)) }
}

// StepDecay is init · rate^(step / stepSize), stepSize > 0.
func StepDecay(init, rate float64, stepSize int) (Schedule, error) {
	if stepSize < 1 {
		return nil, fmt.Errorf("optim.StepDecay: stepSize must be > 0, got %d", stepSize)
	}
	return func(step *tensor.Array) *tensor.Array {
		return tensor.Multiply(init, tensor.Power(rate, tensor.FloorDivide(step, stepSize)))
	}, nil
}

// CosineDecay goes from init to end over decaySteps along a half cosine,
// then stays at end.
func CosineDecay(init float64, decaySteps int, end float64) (Schedule, error) {
	if decaySteps < 1 {
		return nil, fmt.Errorf("optim.CosineDecay: decaySteps must be > 0, got %d", decaySteps)
	}
	return func(step *tensor.Array) *tensor.Array {
		s := tensor.Minimum(step, decaySteps)
		decay := tensor.Multiply(0.5, tensor.Add(1.0, tensor.Cos(tensor.Multiply(math.Pi/float64(decaySteps), s))))
		return tensor.Add(end, tensor.Multiply(decay, init-end))
	}, nil
}

// LinearSchedule goes linearly from init to end over steps (warm-up), then
// stays at end.
func LinearSchedule(init, end float64, steps int) (Schedule, error) {
	if steps < 1 {
		return nil, fmt.Errorf("optim.LinearSchedule: steps must be > 0, got %d", steps)
	}
	return func(step *tensor.Array) *tensor.Array {
		s := tensor.Minimum(step, steps)
		return tensor.Add(tensor.Multiply(s, (end-init)/float64(steps)), init)
	}, nil
}

// JoinSchedules runs schedules[i+1] from boundaries[i] on, each seeing the
// steps since its boundary (e.g. linear warm-up, then cosine decay).
func JoinSchedules(schedules []Schedule, boundaries []int) (Schedule, error) {
	if len(schedules) == 0 {
		return nil, fmt.Errorf("optim.JoinSchedules: no schedules")
	}
	if len(schedules) != len(boundaries)+1 {
		return nil, fmt.Errorf("optim.JoinSchedules: %d boundaries for %d schedules (want %d)", len(boundaries), len(schedules), len(schedules)-1)
	}
	return func(step *tensor.Array) *tensor.Array {
		out := schedules[0](step)
		for i, b := range boundaries {
			out = tensor.Where(tensor.Less(step, b), out, schedules[i+1](tensor.Subtract(step, b)))
		}
		return out
	}, nil
}
