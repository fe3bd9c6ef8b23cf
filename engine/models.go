package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlx-go/mlx-go/models"
)

// defaultModelsDir is where :models looks without an argument:
// $MLX_MODELS, else the Hugging Face cache ($HF_HOME/hub or
// ~/.cache/huggingface/hub).
func defaultModelsDir() string {
	if d := os.Getenv("MLX_MODELS"); d != "" {
		return d
	}
	if d := os.Getenv("HF_HOME"); d != "" {
		return filepath.Join(d, "hub")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	return filepath.Join(home, ".cache", "huggingface", "hub")
}

// cmdModels lists the loadable models under a directory (models.Discover),
// one line each, with the problems of those that cannot be loaded.
func (e *Engine) cmdModels(ctx context.Context, arg string) Result {
	dir := expandHome(arg)
	if dir == "" {
		dir = defaultModelsDir()
	}
	found, err := models.Discover(dir)
	if len(found) == 0 && err != nil {
		return cmdError("models: %v", err)
	}
	var b strings.Builder
	if len(found) == 0 {
		fmt.Fprintf(&b, "no models under %s", dir)
	}
	for _, m := range found {
		fmt.Fprintf(&b, "%s\n    %s\n", m, m.Path)
	}
	if err != nil {
		fmt.Fprintf(&b, "not loadable:\n%v", err)
	}
	return textValue(strings.TrimRight(b.String(), "\n"))
}
