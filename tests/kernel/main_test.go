// Package kernel_test proves mlxkernel with real Jupyter clients: the
// jupyter_kernel_test conformance suite, a Go client for the hard cases
// (interrupt, restart, forged and broken messages, a flood of executes),
// and a latency race against ipykernel. Every test runs the installed
// binary with the real engine.
package kernel_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// Set up once by TestMain.
var (
	binary      string // the built mlxkernel
	prefix      string // where `mlxkernel install --prefix` put the kernelspec
	jupyterEnv  []string
	scratchRoot string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tests/kernel setup:", err)
		code = 1
	}
	os.RemoveAll(scratchRoot)
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	var err error
	scratchRoot, err = os.MkdirTemp("", "mlxkernel-test-")
	if err != nil {
		return 1, err
	}
	binary = filepath.Join(scratchRoot, "bin", "mlxkernel")
	// MLXKERNEL_BIN tests a binary built elsewhere instead of building one.
	if prebuilt := os.Getenv("MLXKERNEL_BIN"); prebuilt != "" {
		binary = prebuilt
	} else {
		build := exec.Command("go", "build", "-o", binary, "./cmd/mlxkernel")
		build.Dir = testutil.Root()
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return 1, fmt.Errorf("go build ./cmd/mlxkernel: %w", err)
		}
	}
	prefix = filepath.Join(scratchRoot, "prefix")
	install := exec.Command(binary, "install", "--prefix", prefix)
	if out, err := install.CombinedOutput(); err != nil {
		return 1, fmt.Errorf("mlxkernel install: %v\n%s", err, out)
	}
	// A Jupyter of its own: finds the kernelspec just installed (and the
	// venv's ipykernel), keeps runtime files and config out of $HOME.
	jupyterEnv = append(os.Environ(),
		"JUPYTER_PATH="+filepath.Join(prefix, "share", "jupyter"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(scratchRoot, "runtime"),
		"JUPYTER_CONFIG_DIR="+filepath.Join(scratchRoot, "config"),
		"JUPYTER_DATA_DIR="+filepath.Join(scratchRoot, "data"),
		"IPYTHONDIR="+filepath.Join(scratchRoot, "ipython"),
		"JUPYTER_PLATFORM_DIRS=1",
		"MLXKERNEL_HISTORY="+filepath.Join(scratchRoot, "history.jsonl"),
		"PYTHONUNBUFFERED=1",
	)
	return m.Run(), nil
}

// runPython runs a Python file of this folder with the project's Python in
// the test's Jupyter environment, streaming its output into the test log.
func runPython(t *testing.T, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command(testutil.Python(t), append([]string{filepath.Join(testutil.Root(), "tests", "kernel", script)}, args...)...)
	cmd.Env = jupyterEnv
	out, err := cmd.CombinedOutput()
	t.Logf("%s output:\n%s", script, out)
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return string(out)
}
