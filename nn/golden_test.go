package nn_test

import (
	"path/filepath"
	"testing"

	goldenfile "github.com/mlx-go/mlx-go/internal/golden"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// golden is a file written by tests/golden/gen_nn_golden.py from Python MLX.
type golden = goldenfile.File

// loadGolden reads testdata/name.
func loadGolden(t *testing.T, name string) golden {
	return goldenfile.Load(t, filepath.Join("testdata", name))
}

// The Go call and Python's run the same libmlx kernels on the CPU: most
// results must match bit for bit (assertSame), a few within a tolerance.
var (
	assertSame  = goldenfile.AssertSame
	assertClose = goldenfile.AssertClose
)

// params collects "<prefix>.param.<name>" entries as a parameter map.
func params(g golden, prefix string) map[string]*tensor.Array {
	out := map[string]*tensor.Array{}
	p := prefix + ".param."
	for k, v := range g {
		if len(k) > len(p) && k[:len(p)] == p {
			out[k[len(p):]] = v
		}
	}
	return out
}

func mustUpdate(t *testing.T, m any, params map[string]*tensor.Array) {
	t.Helper()
	if len(params) == 0 {
		t.Fatal("no parameters in golden file")
	}
	if err := nn.Update(m, params); err != nil {
		t.Fatal(err)
	}
}
