// Package golden reads the reference arrays that the scripts in tests/golden
// write from Python MLX, and compares results with them.
package golden

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

// File is a safetensors file of reference arrays written from Python MLX
// by a script under tests/golden/.
type File map[string]*tensor.Array

// Load reads the golden file at path. The committed files were written on
// the CPU, where Go and Python run the same kernels bit for bit; on a GPU
// the kernels round differently (TF32 products, other reduction orders),
// so there the file is written afresh by its script with Python MLX on
// the same GPU, and the comparison stays bit for bit.
func Load(t testing.TB, path string) File {
	t.Helper()
	if tensor.DefaultDevice() == tensor.GPU {
		path = onThisDevice(t, path)
	}
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
// On a GPU it allows the last bits that atomics leave to chance.
func AssertSame(t testing.TB, what string, got, want *tensor.Array) {
	t.Helper()
	if got.Dtype() != want.Dtype() {
		t.Fatalf("%s: dtype %v, Python has %v", what, got.Dtype(), want.Dtype())
	}
	if tensor.DefaultDevice() == tensor.GPU {
		// Even on one GPU, Python's run and ours can differ in the last
		// bits: reductions and scatter-adds (gradients of gathers) use
		// atomics, whose order varies from run to run (measured 3e-8 on
		// gradients of magnitude ~1).
		if !slices.Equal(got.Shape(), want.Shape()) {
			t.Fatalf("%s: shape %v, Python has %v", what, got.Shape(), want.Shape())
		}
		rtol, atol := 1e-5, 1e-6
		// In half precision those last bits are whole units of the 8- or
		// 11-bit mantissa of the partial sums, so they scale with the
		// tensor's largest values, not with each (small) result: measured
		// on an H200 in the first gradient of a bf16 MLP, 1.2e-4 where
		// values reach ~0.03. Two units allow for a training run carrying
		// such a difference a few steps.
		eps := 0.0
		switch got.Dtype() {
		case tensor.Bfloat16:
			eps = 0x1p-7
		case tensor.Float16:
			eps = 0x1p-10
		}
		if eps > 0 {
			scale := tensor.Max(tensor.Abs(want.AsType(tensor.Float32))).Float()
			rtol, atol = 2*eps, 2*eps*scale
		}
		AssertClose(t, what, got, want, rtol, atol)
		return
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

// regenerated is the folder the golden script wrote into on this device,
// once per test binary.
var regenerated struct {
	once sync.Once
	dir  string
	err  error
}

// onThisDevice is path as tests/golden/gen_nn_golden.py (the script that
// writes every safetensors golden file) writes it when run now, on the
// default device, into a temporary folder laid out like the repository.
func onThisDevice(t testing.TB, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(testutil.Root(), abs)
	if err != nil {
		t.Fatal(err)
	}
	python := testutil.Python(t)
	regenerated.once.Do(func() {
		dir, err := os.MkdirTemp("", "golden-gpu-")
		if err != nil {
			regenerated.err = err
			return
		}
		cmd := exec.Command(python, filepath.Join(testutil.Root(), "tests", "golden", "gen_nn_golden.py"))
		cmd.Env = append(os.Environ(), "GOLDEN_OUT="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			regenerated.err = &scriptError{err, string(out)}
			return
		}
		regenerated.dir = dir
	})
	if regenerated.err != nil {
		t.Fatalf("writing the golden files on this GPU: %v", regenerated.err)
	}
	return filepath.Join(regenerated.dir, rel)
}

type scriptError struct {
	err    error
	output string
}

func (e *scriptError) Error() string { return e.err.Error() + "\n" + e.output }
