package kernel_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// installedSpec is what jupyter_client reports about one kernelspec.
type installedSpec struct {
	ResourceDir string `json:"resource_dir"`
	Spec        struct {
		Argv          []string `json:"argv"`
		DisplayName   string   `json:"display_name"`
		Language      string   `json:"language"`
		InterruptMode string   `json:"interrupt_mode"`
	} `json:"spec"`
}

// listSpecs asks jupyter_client which kernelspecs it finds with env.
func listSpecs(t *testing.T, env []string) map[string]installedSpec {
	t.Helper()
	cmd := exec.Command(testutil.Python(t), "-c",
		"import json; from jupyter_client.kernelspec import KernelSpecManager as M; print(json.dumps(M().get_all_specs()))")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("listing kernelspecs: %v", err)
	}
	var specs map[string]installedSpec
	if err := json.Unmarshal(out, &specs); err != nil {
		t.Fatal(err)
	}
	return specs
}

func mlxkernel(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// install --user / --sys-prefix / --prefix each make Jupyter list "mlx-go"
// with argv running this binary; uninstall removes it again.
func TestInstallAndUninstall(t *testing.T) {
	home := t.TempDir()
	venv := t.TempDir()
	prefixDir := t.TempDir()
	base := append(os.Environ(), "HOME="+home, "XDG_DATA_HOME=", "JUPYTER_DATA_DIR=", "JUPYTER_PATH=",
		"JUPYTER_PLATFORM_DIRS=1", "VIRTUAL_ENV="+venv, "CONDA_PREFIX=")
	for _, tc := range []struct {
		flags []string
		env   []string
		dir   string
	}{
		{[]string{"--user"}, nil, filepath.Join(home, ".local", "share", "jupyter", "kernels", "mlx-go")},
		{nil, nil, filepath.Join(home, ".local", "share", "jupyter", "kernels", "mlx-go")},
		{[]string{"--sys-prefix"}, []string{"JUPYTER_PATH=" + filepath.Join(venv, "share", "jupyter")},
			filepath.Join(venv, "share", "jupyter", "kernels", "mlx-go")},
		{[]string{"--prefix", prefixDir}, []string{"JUPYTER_PATH=" + filepath.Join(prefixDir, "share", "jupyter")},
			filepath.Join(prefixDir, "share", "jupyter", "kernels", "mlx-go")},
	} {
		env := append(append([]string(nil), base...), tc.env...)
		if out, err := mlxkernel(t, env, append([]string{"install"}, tc.flags...)...); err != nil {
			t.Fatalf("install %v: %v\n%s", tc.flags, err, out)
		}
		spec, ok := listSpecs(t, env)["mlx-go"]
		if !ok {
			t.Fatalf("install %v: Jupyter does not list mlx-go", tc.flags)
		}
		if spec.ResourceDir != tc.dir {
			t.Fatalf("install %v: spec in %s, want %s", tc.flags, spec.ResourceDir, tc.dir)
		}
		if a := spec.Spec.Argv; len(a) != 3 || a[0] != binary || a[1] != "-f" || a[2] != "{connection_file}" {
			t.Fatalf("install %v: argv %q", tc.flags, a)
		}
		if spec.Spec.Language != "go" || spec.Spec.InterruptMode != "message" || spec.Spec.DisplayName == "" {
			t.Fatalf("install %v: spec %+v", tc.flags, spec.Spec)
		}
		for _, logo := range []string{"logo-32x32.png", "logo-64x64.png"} {
			b, err := os.ReadFile(filepath.Join(tc.dir, logo))
			if err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
				t.Fatalf("install %v: %s missing or not a PNG (%v)", tc.flags, logo, err)
			}
		}
		if out, err := mlxkernel(t, env, append([]string{"uninstall"}, tc.flags...)...); err != nil {
			t.Fatalf("uninstall %v: %v\n%s", tc.flags, err, out)
		}
		if _, ok := listSpecs(t, env)["mlx-go"]; ok {
			t.Fatalf("uninstall %v: Jupyter still lists mlx-go", tc.flags)
		}
	}
}

// Wrong use of install and uninstall fails with a message that says why.
func TestInstallErrors(t *testing.T) {
	env := append(os.Environ(), "VIRTUAL_ENV=", "CONDA_PREFIX=")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"install", "--user", "--prefix", "/tmp/x"}, "choose one of"},
		{[]string{"install", "--sys-prefix"}, "needs an active Python environment"},
		{[]string{"install", "--bogus"}, "flag provided but not defined"},
		{[]string{"uninstall", "--prefix", t.TempDir()}, "no mlx-go kernelspec"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"-f", filepath.Join(t.TempDir(), "missing.json")}, "connection file"},
	} {
		out, err := mlxkernel(t, env, tc.args...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Fatalf("mlxkernel %v: err %v, output %q; want an error saying %q", tc.args, err, out, tc.want)
		}
	}
}
