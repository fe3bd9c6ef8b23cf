package kernel_test

import (
	"path/filepath"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// TestNotebooksRunWithNbclient executes every notebook in notebooks/ the
// way nbconvert and CI tools do (nbclient) on the installed kernel, and
// checks each cell's output.
func TestNotebooksRunWithNbclient(t *testing.T) {
	runPython(t, "notebooks.py", filepath.Join(testutil.Root(), "notebooks"))
}
