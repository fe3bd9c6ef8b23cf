// Package testutil finds the repository root and the project's Python (the
// .venv that scripts/setup.sh made), for tests that compare with Python MLX.
package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Root is the repository root: the nearest folder above the working
// directory whose go.mod declares this module (a test binary runs in its
// package's folder, also when it was built on another machine and carried
// to a GPU host), else the folder this file was compiled from.
func Root() string {
	if dir, err := os.Getwd(); err == nil {
		for d := dir; ; d = filepath.Dir(d) {
			if mod, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
				if strings.HasPrefix(string(mod), "module "+modulePath+"\n") {
					return d
				}
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

const modulePath = "github.com/mlx-go/mlx-go"

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
