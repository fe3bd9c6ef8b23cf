package optim_test

import (
	"fmt"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/nn/optim"
	"github.com/mlx-go/mlx-go/tensor"
)

// A training loop: a model, a loss over its parameters, an optimizer with a
// warm-up then cosine schedule, and Trainer.Run.
func Example() {
	tensor.Seed(0)
	model := nn.NewSequential(nn.NewLinear(8, 32, true), nn.Func(nn.SiLU), nn.NewLinear(32, 1, true))
	x := tensor.RandomNormal([]int{128, 8})
	y := tensor.Sum(x, tensor.Axis(1), tensor.KeepDims(true)) // learn the sum of the features

	warmup, _ := optim.LinearSchedule(0, 1e-2, 10)
	decay, _ := optim.CosineDecay(1e-2, 190, 1e-4)
	schedule, _ := optim.JoinSchedules([]optim.Schedule{warmup, decay}, []int{10})
	opt, _ := optim.NewAdamW(optim.AdamConfig{Schedule: schedule, WeightDecay: 0.01})

	loss := func(args []*tensor.Array) *tensor.Array { return nn.MSELoss(model.Forward(args[0]), args[1]) }
	trainer := optim.NewTrainer(model, loss, opt)
	var first, last float64
	err := trainer.Run(200, func(int) []*tensor.Array { return []*tensor.Array{x, y} }, func(step int, l float64) {
		if step == 0 {
			first = l
		}
		last = l
	})
	fmt.Println(err, last < first/20, opt.Steps())
	// Output: <nil> true 200
}
