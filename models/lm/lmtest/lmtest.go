// Package lmtest gives tests a tiny model on disk, written the way a
// user's download would be laid out (models/checkpoint: config.json,
// safetensors, tokenizer.json), and loaded from there.
package lmtest

import (
	"path/filepath"
	"testing"

	"github.com/mlx-go/mlx-go/models/checkpoint"
	"github.com/mlx-go/mlx-go/models/lm"
)

// TinyDir writes the tiny random-weight Llama checkpoint into a folder of
// t's temporary directory and returns the folder.
func TinyDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tiny")
	if err := checkpoint.Write(dir, checkpoint.Options{Arch: "llama"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Tiny is TinyDir loaded with lm.LoadLLM.
func Tiny(t testing.TB) (dir string, m *lm.LLM) {
	t.Helper()
	dir = TinyDir(t)
	m, err := lm.LoadLLM(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}
