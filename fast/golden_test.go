package fast_test

import (
	"path/filepath"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// golden is a file written by tests/golden/gen_nn_golden.py from Python MLX.
type golden = testutil.Golden

// loadGolden reads testdata/name.
func loadGolden(t *testing.T, name string) golden {
	return testutil.LoadGolden(t, filepath.Join("testdata", name))
}

// The Go call and Python's run the same libmlx kernels on the CPU: most
// results must match bit for bit (assertSame), a few within a tolerance.
var (
	assertSame  = testutil.AssertSame
	assertClose = testutil.AssertClose
)
