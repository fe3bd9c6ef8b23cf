package fast_test

import (
	"path/filepath"
	"testing"

	goldenfile "github.com/mlx-go/mlx-go/internal/golden"
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
