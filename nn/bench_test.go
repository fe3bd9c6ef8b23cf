package nn_test

import (
	"fmt"
	"testing"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// QuantizedLinear (4-bit, groups of 64) against Linear on a 4096x4096
// weight: one token (weight-bound; SetBytes is the weight read) and 32.
func BenchmarkQuantizedLinear(b *testing.B) {
	lin := nn.NewLinear(4096, 4096, false)
	q, err := nn.QuantizedLinearFrom(lin, 64, 4, "affine")
	if err != nil {
		b.Fatal(err)
	}
	tensor.Eval(lin.Weight, q.Weight, q.Scales, q.Biases)
	for _, rows := range []int{1, 32} {
		x := tensor.RandomNormal([]int{rows, 4096})
		tensor.Eval(x)
		for _, c := range []struct {
			name  string
			layer nn.Layer
			bytes int
		}{{"linear", lin, lin.Weight.Nbytes()}, {"q4", q, q.Weight.Nbytes() + q.Scales.Nbytes() + q.Biases.Nbytes()}} {
			b.Run(fmt.Sprintf("%s/x%d", c.name, rows), func(b *testing.B) {
				b.SetBytes(int64(c.bytes))
				for i := 0; i < b.N; i++ {
					tensor.Eval(c.layer.Forward(x))
				}
			})
		}
	}
}
