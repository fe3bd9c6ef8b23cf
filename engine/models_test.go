package engine

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/models/checkpoint"
)

func TestModelsCommandListsCheckpoints(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "tiny-llama")
	if err := checkpoint.Write(dir, checkpoint.Options{Arch: "llama"}); err != nil {
		t.Fatal(err)
	}
	info, err := models.Info(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := newTestEngine(t)
	r := mustEval(t, e, ":models "+root)
	if !strings.Contains(r.Value.Text, info.String()) || !strings.Contains(r.Value.Text, dir) {
		t.Errorf(":models printed\n%s\nwant the line %q", r.Value.Text, info.String())
	}
	r = mustEval(t, e, ":models "+t.TempDir())
	if !strings.HasPrefix(r.Value.Text, "no models under") {
		t.Errorf("empty dir: %q", r.Value.Text)
	}
}
