package tensor_test

import (
	"fmt"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// Benchmarks (make bench). tests/bench/dispatch compares graph building
// with Python MLX in one run.

// buildChain adds n ops to x: add, multiply by a Go scalar, exp, sum with
// options, repeated (the graph tests/bench/dispatch times).
func buildChain(x, b *tensor.Array, n int) *tensor.Array {
	for range n / 4 {
		x = tensor.Add(x, b)
		x = tensor.Multiply(x, -0.5)
		x = tensor.Exp(x)
		x = tensor.Sum(x, tensor.Axis(1), tensor.KeepDims(true))
	}
	return x
}

func chainInputs() (x, b *tensor.Array) {
	x = tensor.Ones([]int{4, 4})
	b = tensor.Ones([]int{4, 4})
	tensor.Eval(x, b)
	return x, b
}

// BenchmarkGraphBuild is the cost of adding one op to a graph, without
// evaluating (the arrays are released by the GC, which is part of the cost).
func BenchmarkGraphBuild(b *testing.B) {
	x, y := chainInputs()
	for b.Loop() {
		buildChain(x, y, 4)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*4), "ns/graph-op")
}

// BenchmarkGraph1000 builds a 1000-op graph and evaluates it.
func BenchmarkGraph1000(b *testing.B) {
	x, y := chainInputs()
	for b.Loop() {
		buildChain(x, y, 1000).Eval()
	}
}

// BenchmarkGraph1000BuildOnly builds a 1000-op graph and drops it.
func BenchmarkGraph1000BuildOnly(b *testing.B) {
	x, y := chainInputs()
	for b.Loop() {
		buildChain(x, y, 1000)
	}
}

func BenchmarkMatmul(b *testing.B) {
	for _, n := range []int{64, 256, 1024} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x := tensor.RandomNormal([]int{n, n})
			y := tensor.RandomNormal([]int{n, n})
			tensor.Eval(x, y)
			for b.Loop() {
				tensor.Matmul(x, y).Eval().Free()
			}
			b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSoftmax is softmax over vocabulary-sized logits (4 rows).
func BenchmarkSoftmax(b *testing.B) {
	for _, v := range []int{32 << 10, 128 << 10, 256 << 10} {
		b.Run(fmt.Sprintf("%dk", v>>10), func(b *testing.B) {
			logits := tensor.RandomNormal([]int{4, v})
			tensor.Eval(logits)
			b.SetBytes(int64(4 * v * 4))
			for b.Loop() {
				tensor.Softmax(logits, tensor.Axis(-1)).Eval().Free()
			}
		})
	}
}
