package tensor_test

import (
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// Compiled functions called inside RunOnCompileThread give the results
// they give outside it, and a panic inside reaches the caller.
func TestRunOnCompileThread(t *testing.T) {
	double := tensor.Compile(func(a []*tensor.Array) []*tensor.Array {
		return []*tensor.Array{tensor.Multiply(a[0], 2)}
	}, true)
	x := tensor.Arange(0, 5, tensor.Float32)
	want := double([]*tensor.Array{x})[0].Float64s()
	var got []float64
	tensor.RunOnCompileThread(func() {
		for i := 0; i < 3; i++ { // repeated calls take the direct path
			got = double([]*tensor.Array{x})[0].Float64s()
		}
	})
	for i := range want {
		if got[i] != want[i] || want[i] != 2*float64(i) {
			t.Fatalf("inside %v, outside %v", got, want)
		}
	}
	err := tensor.Try(func() {
		tensor.RunOnCompileThread(func() { tensor.Reshape(x, []int{7}) })
	})
	if err == nil {
		t.Fatal("a bad reshape inside RunOnCompileThread did not reach the caller as an error")
	}
	// The compile thread survives it.
	tensor.RunOnCompileThread(func() { got = double([]*tensor.Array{x})[0].Float64s() })
	if got[4] != 8 {
		t.Fatalf("after the error: %v", got)
	}
}

// The cost of calling a compiled function from an ordinary goroutine (a
// hand-off to the compile thread and back) and from inside
// RunOnCompileThread (a direct call).
func BenchmarkCompiledCall(b *testing.B) {
	double := tensor.Compile(func(a []*tensor.Array) []*tensor.Array {
		return []*tensor.Array{tensor.Multiply(a[0], 2)}
	}, true)
	x := tensor.Arange(0, 5, tensor.Float32)
	b.Run("handed-off", func(b *testing.B) {
		for b.Loop() {
			double([]*tensor.Array{x})[0].Free()
		}
	})
	b.Run("on-compile-thread", func(b *testing.B) {
		tensor.RunOnCompileThread(func() {
			for b.Loop() {
				double([]*tensor.Array{x})[0].Free()
			}
		})
	})
}
