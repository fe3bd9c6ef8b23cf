package symbols

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedTablesAreCurrent regenerates the tables into a temporary
// folder and fails if any committed table differs (a package's API changed
// without `go generate ./symbols`).
func TestGeneratedTablesAreCurrent(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./gen", "-o", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, out)
	}
	fresh, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(fresh) == 0 {
		t.Fatalf("generator wrote nothing (%v)", err)
	}
	for _, f := range fresh {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Base(f))
		if err != nil {
			t.Errorf("%s is missing: run go generate ./symbols", filepath.Base(f))
			continue
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale: run go generate ./symbols", filepath.Base(f))
		}
	}
}

func TestTablesAreRegistered(t *testing.T) {
	for _, path := range []string{"github.com/mlx-go/mlx-go/tensor/tensor", "github.com/mlx-go/mlx-go/interrupt/interrupt"} {
		if len(Symbols[path]) == 0 {
			t.Errorf("no symbols for %s", path)
		}
	}
}
