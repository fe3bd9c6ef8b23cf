// Package golden reads the reference arrays that the scripts in tests/golden
// write from Python MLX, and compares results with them.
package golden

import (
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// File is a safetensors file of reference arrays written from Python MLX
// by a script under tests/golden/.
type File map[string]*tensor.Array

// Load reads the golden file at path.
func Load(t testing.TB, path string) File {
	t.Helper()
	arrays, _, err := tensor.LoadSafetensors(path)
	if err != nil {
		t.Fatalf("golden file (regenerate with the scripts in tests/golden): %v", err)
	}
	return File(arrays)
}

// Get is the reference array named key.
func (g File) Get(t testing.TB, key string) *tensor.Array {
	t.Helper()
	a, ok := g[key]
	if !ok {
		t.Fatalf("golden has no %q: regenerate it with the scripts in tests/golden", key)
	}
	return a
}

// AssertSame fails unless got equals want bit for bit (same dtype, shape,
// values): the Go call and Python's run the same libmlx kernels on the CPU.
func AssertSame(t testing.TB, what string, got, want *tensor.Array) {
	t.Helper()
	if got.Dtype() != want.Dtype() {
		t.Fatalf("%s: dtype %v, Python has %v", what, got.Dtype(), want.Dtype())
	}
	if !tensor.ArrayEqual(got, want, tensor.EqualNaN(true)).Bool() {
		d := tensor.Max(tensor.Abs(tensor.Subtract(got.AsType(tensor.Float32), want.AsType(tensor.Float32)))).Float()
		t.Fatalf("%s: differs from Python MLX (shape %v vs %v, max abs diff %g)", what, got.Shape(), want.Shape(), d)
	}
}

// AssertClose fails unless got is within atol+rtol·|want| of want everywhere.
func AssertClose(t testing.TB, what string, got, want *tensor.Array, rtol, atol float64) {
	t.Helper()
	if !tensor.Allclose(got.AsType(tensor.Float32), want.AsType(tensor.Float32), tensor.RTol(rtol), tensor.ATol(atol)).Bool() {
		d := tensor.Max(tensor.Abs(tensor.Subtract(got.AsType(tensor.Float32), want.AsType(tensor.Float32)))).Float()
		t.Fatalf("%s: not within rtol %g atol %g (max abs diff %g)", what, rtol, atol, d)
	}
}
