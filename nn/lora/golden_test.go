package lora_test

import (
	"path/filepath"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// golden is a file written by tests/golden/gen_nn_golden.py from Python MLX.
type golden map[string]*tensor.Array

// loadGolden reads testdata/name.
func loadGolden(t *testing.T, name string) golden {
	t.Helper()
	arrays, _, err := tensor.LoadSafetensors(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatalf("golden file (run tests/golden/gen_nn_golden.py): %v", err)
	}
	return golden(arrays)
}

func (g golden) get(t *testing.T, key string) *tensor.Array {
	t.Helper()
	a, ok := g[key]
	if !ok {
		t.Fatalf("golden has no %q: regenerate with tests/golden/gen_nn_golden.py", key)
	}
	return a
}

// assertSame fails unless got equals want bit for bit (same dtype, shape,
// values): the Go call and Python's run the same libmlx kernels on the CPU.
func assertSame(t *testing.T, what string, got, want *tensor.Array) {
	t.Helper()
	if got.Dtype() != want.Dtype() {
		t.Fatalf("%s: dtype %v, Python has %v", what, got.Dtype(), want.Dtype())
	}
	if !tensor.ArrayEqual(got, want, tensor.EqualNaN(true)).Bool() {
		d := tensor.Max(tensor.Abs(tensor.Subtract(got.AsType(tensor.Float32), want.AsType(tensor.Float32)))).Float()
		t.Fatalf("%s: differs from Python MLX (shape %v vs %v, max abs diff %g)", what, got.Shape(), want.Shape(), d)
	}
}

// assertClose fails unless got is within atol+rtol·|want| of want everywhere.
func assertClose(t *testing.T, what string, got, want *tensor.Array, rtol, atol float64) {
	t.Helper()
	if !tensor.Allclose(got.AsType(tensor.Float32), want.AsType(tensor.Float32), tensor.RTol(rtol), tensor.ATol(atol)).Bool() {
		d := tensor.Max(tensor.Abs(tensor.Subtract(got.AsType(tensor.Float32), want.AsType(tensor.Float32)))).Float()
		t.Fatalf("%s: not within rtol %g atol %g (max abs diff %g)", what, rtol, atol, d)
	}
}
