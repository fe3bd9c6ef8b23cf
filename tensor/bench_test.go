package tensor_test

import (
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// buildChain adds n ops to x: add, multiply by a Go scalar, exp, sum with
// options, repeated (the same graph tests/bench/dispatch times).
func buildChain(x, b *tensor.Array, n int) *tensor.Array {
	for range n / 4 {
		x = tensor.Add(x, b)
		x = tensor.Multiply(x, 0.5)
		x = tensor.Exp(x)
		x = tensor.Sum(x, tensor.Axis(1), tensor.KeepDims(true))
	}
	return x
}

// BenchmarkGraphBuild is the cost of adding one op to a graph (no evaluation).
func BenchmarkGraphBuild(b *testing.B) {
	x := tensor.Ones([]int{4, 4}, tensor.CPU)
	y := tensor.Ones([]int{4, 4}, tensor.CPU)
	tensor.Eval(x, y)
	b.ResetTimer()
	for b.Loop() {
		buildChain(x, y, 4)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*4), "ns/graph-op")
}
