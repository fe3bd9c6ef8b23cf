// Package testutil finds the repository root and the project's Python (the
// .venv that scripts/setup.sh made), for tests that compare with Python MLX.
package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Root is the repository root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Python is the project's virtualenv Python; the test fails if it is missing
// (run scripts/setup.sh), never skips.
func Python(t testing.TB) string {
	t.Helper()
	p := filepath.Join(Root(), ".venv", "bin", "python")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("no project Python at %s: run ./scripts/setup.sh", p)
	}
	return p
}

// RunPython runs a Python script with the project's Python and returns stdout.
func RunPython(t testing.TB, script string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(Python(t), append([]string{"-c", script}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	return out
}
