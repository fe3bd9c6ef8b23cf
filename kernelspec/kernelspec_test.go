package kernelspec

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallWritesSpecForAnyBinaryPath(t *testing.T) {
	dir := t.TempDir()
	binary := `/opt/my "odd" dir/mlx kernel\bin`
	spec, err := Install(dir, binary)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(spec, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Argv          []string `json:"argv"`
		Language      string   `json:"language"`
		InterruptMode string   `json:"interrupt_mode"`
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		t.Fatalf("kernel.json: %v\n%s", err, raw)
	}
	if len(k.Argv) != 3 || k.Argv[0] != binary || k.Argv[2] != "{connection_file}" {
		t.Fatalf("argv %q", k.Argv)
	}
	if k.Language != "go" || k.InterruptMode != "message" {
		t.Fatalf("spec %+v", k)
	}
	if _, err := Uninstall(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Uninstall(dir); err == nil {
		t.Fatal("second uninstall found a spec")
	}
}
