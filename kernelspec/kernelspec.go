// Package kernelspec writes and removes the Jupyter kernelspec that makes
// Jupyter list mlx-go: a folder "mlx-go" holding kernel.json (whose argv
// runs the installed mlxkernel binary) and the logos.
package kernelspec

//go:generate go run ./logogen

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"text/template"
)

// Name is the kernel's name: `jupyter kernelspec list` shows it and
// notebooks record it.
const Name = "mlx-go"

//go:embed kernel.json.tmpl logo-32x32.png logo-64x64.png
var files embed.FS

var kernelJSON = template.Must(template.ParseFS(files, "kernel.json.tmpl"))

// Install writes the kernelspec into kernelsDir/mlx-go (kernelsDir is a
// Jupyter data directory's "kernels" folder), with argv running binary.
// It returns the folder it wrote.
func Install(kernelsDir, binary string) (string, error) {
	dir := filepath.Join(kernelsDir, Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	quoted, _ := json.Marshal(binary)
	var spec bytes.Buffer
	if err := kernelJSON.ExecuteTemplate(&spec, "kernel.json.tmpl", map[string]any{"Binary": string(quoted)}); err != nil {
		return "", err
	}
	if !json.Valid(spec.Bytes()) {
		return "", fmt.Errorf("kernelspec: kernel.json template made invalid JSON")
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), spec.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	for _, logo := range []string{"logo-32x32.png", "logo-64x64.png"} {
		b, _ := files.ReadFile(logo)
		if err := os.WriteFile(filepath.Join(dir, logo), b, 0o644); err != nil {
			return "", fmt.Errorf("kernelspec: %w", err)
		}
	}
	return dir, nil
}

// Uninstall removes kernelsDir/mlx-go, and says so if it was not there.
func Uninstall(kernelsDir string) (string, error) {
	dir := filepath.Join(kernelsDir, Name)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		return dir, fmt.Errorf("no mlx-go kernelspec at %s", dir)
	}
	return dir, os.RemoveAll(dir)
}

// UserDir is the per-user kernels folder Jupyter searches: JUPYTER_DATA_DIR
// if set, else ~/Library/Jupyter on macOS and $XDG_DATA_HOME/jupyter
// (~/.local/share/jupyter) elsewhere.
func UserDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Join(d, "kernels"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for --user: %w", err)
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Jupyter", "kernels"), nil
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "jupyter", "kernels"), nil
}

// SysPrefixDir is the kernels folder of the active Python environment
// (virtualenv or conda), where that environment's Jupyter looks.
func SysPrefixDir() (string, error) {
	for _, v := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(v); p != "" {
			return PrefixDir(p), nil
		}
	}
	return "", fmt.Errorf("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX is unset); activate it, or use --prefix DIR")
}

// PrefixDir is the kernels folder under an installation prefix.
func PrefixDir(prefix string) string {
	return filepath.Join(prefix, "share", "jupyter", "kernels")
}
