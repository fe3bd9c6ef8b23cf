package repl

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// TestModernGoFilesMatchGoRun runs each modern-Go program with mlxrepl and
// with go run: the outputs must be equal.
func TestModernGoFilesMatchGoRun(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testutil.Root(), "engine", "testdata", "modern", "*.go"))
	if len(files) == 0 {
		t.Fatal("no modern-Go programs")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			want, err := exec.Command("go", "run", file).CombinedOutput()
			if err != nil {
				t.Fatalf("go run: %v\n%s", err, want)
			}
			got, err := exec.Command(binary, file).CombinedOutput()
			if err != nil {
				t.Fatalf("mlxrepl: %v\n%s", err, got)
			}
			if string(got) != string(want) {
				t.Errorf("mlxrepl %s\n%s\ngo run\n%s", filepath.Base(file), got, want)
			}
		})
	}
}

func TestEvalFlag(t *testing.T) {
	out, err := exec.Command(binary, "-e", "x := 6\nx * 7").Output()
	if err != nil || string(out) != "42\n" {
		t.Errorf("-e: %q %v", out, err)
	}
	cmd := exec.Command(binary, "-e", "undefinedThing")
	out, err = cmd.CombinedOutput()
	if err == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "undefined: undefinedThing") {
		t.Errorf("-e with an error: %q exit %d", out, cmd.ProcessState.ExitCode())
	}
}

func TestScriptOnPipeStopsAtFirstError(t *testing.T) {
	script := "x := 1\nfunc double(n int) int {\n\treturn 2 * n\n}\nfmt.Println(double(x))\ny := nope\nfmt.Println(\"not reached\")\n"
	cmd := exec.Command(binary)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("exit %v", err)
	}
	got := string(out)
	if !strings.HasPrefix(got, "2\n") || !strings.Contains(got, "6:6: undefined: nope") || strings.Contains(got, "not reached") {
		t.Errorf("output %q", got)
	}
	if strings.Contains(got, "\x1b[") {
		t.Errorf("colour on a pipe: %q", got)
	}
}

func TestFileArgumentErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.go")
	os.WriteFile(bad, []byte("package main\n\nfunc main() {\n\tvar m map[string]int\n\tm[\"a\"] = 1\n}\n"), 0o644)
	cmd := exec.Command(binary, bad)
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "runtime error: assignment to entry in nil map") ||
		strings.Contains(string(out), "1:1") {
		t.Errorf("runtime error in a file: exit %d, %q", cmd.ProcessState.ExitCode(), out)
	}
	cmd = exec.Command(binary, filepath.Join(dir, "missing.go"))
	out, _ = cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "no such file") {
		t.Errorf("missing file: exit %d, %q", cmd.ProcessState.ExitCode(), out)
	}
}
