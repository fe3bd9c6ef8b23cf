package tensor

import (
	"path/filepath"
	"testing"
)

func TestScratchST(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.safetensors")
	for _, h := range []string{
		`{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}`,
		`{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}`,
		`{"w": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}}`,
		`{"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}}`,
		`{"w": {"dtype": "F32", "shape": [2147483648], "data_offsets": [0, 8589934592]}}`,
		`{"w": {"dtype": "F32", "shape": "x", "data_offsets": [0, 8]}}`,
		`{"w": {"dtype": 5, "shape": [2], "data_offsets": [0, 8]}}`,
		`{"w": {"shape": [2], "data_offsets": [0, 8]}}`,
		`{"w": 3}`,
		`[1,2,3]`,
		`{"__metadata__": {"a": 1}}`,
		`{"__metadata__": "x"}`,
		`{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0]}}`,
		`{"w": {"dtype": "F32", "shape": [2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2], "data_offsets": [0, 8]}}`,
		`{"w": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}}`,
		`{"w": {"dtype": "F32", "shape": [1e10], "data_offsets": [0, 8]}}`,
	} {
		safetensorsFile(t, p, h, make([]byte, 8))
		a, m, err := LoadSafetensors(p)
		t.Logf("%s -> %v %v %v", h, a, m, err)
	}
}
