package checkpoint

import (
	"path/filepath"
	"strings"
	"testing"
)

// What the files hold is checked by the models tests (mlx-lm loads and
// runs every variant); here, bad options are refused with a clear error.
func TestWriteRejectsBadOptions(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Arch: "mistral"}, `unsupported architecture "mistral" (supported: gemma3, gemma3_text, llama, qwen2, qwen3)`},
		{Options{Arch: "llama", Dtype: "int8"}, `unsupported dtype "int8"`},
		{Options{Arch: "llama", Bits: 5}, "unsupported bits 5"},
		{Options{Arch: "llama", Shards: 1000}, "cannot split"},
		{Options{Arch: "llama", Bits: 4, GroupSize: 48}, "group"},
	} {
		err := Write(filepath.Join(dir, "m"), c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Write(%+v) = %v, want an error with %q", c.o, err, c.want)
		}
	}
}
