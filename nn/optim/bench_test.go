package optim_test

import (
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/nn/optim"
	"github.com/mlx-go/mlx-go/tensor"
)

// One AdamW training step (forward, backward, update, evaluation) of a
// 512-2048-512 MLP on a batch of 64.
func BenchmarkTrainStep(b *testing.B) {
	m := nn.NewSequential(nn.NewLinear(512, 2048, true), nn.Func(nn.GELU), nn.NewLinear(2048, 512, true))
	x, y := tensor.RandomNormal([]int{64, 512}), tensor.RandomNormal([]int{64, 512})
	tr := optim.NewTrainer(m, func(a []*tensor.Array) *tensor.Array { return nn.MSELoss(m.Forward(a[0]), a[1]) },
		must(optim.NewAdamW(optim.AdamConfig{LearningRate: 1e-3})))
	if _, err := tr.Step(x, y); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Step(x, y); err != nil {
			b.Fatal(err)
		}
	}
}
