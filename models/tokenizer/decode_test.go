package tokenizer

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// Decoding arbitrary id sequences (what a sampled model emits): partial
// UTF-8 from byte-level tokens or <0xXX> byte-fallback tokens, special
// tokens anywhere. The text, U+FFFD replacements included, must equal HF's.
func TestDecodeRandomIDsMatchesHF(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("testdata", "hf_decode.py"))
	if err != nil {
		t.Fatal(err)
	}
	for _, fam := range families {
		t.Run(fam, func(t *testing.T) {
			tok, err := Load(assetPath(fam))
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(fam))))
			var lists [][]int
			for i := 0; i < 300; i++ {
				ids := make([]int, 1+rng.IntN(12))
				for j := range ids {
					ids[j] = rng.IntN(tok.VocabSize())
				}
				lists = append(lists, ids)
			}
			path := filepath.Join(t.TempDir(), "ids.json")
			data, _ := json.Marshal(lists)
			os.WriteFile(path, data, 0o644)
			var want [][2]string
			if err := json.Unmarshal(testutil.RunPython(t, string(script), assetPath(fam), path), &want); err != nil {
				t.Fatal(err)
			}
			replaced := 0
			for i, ids := range lists {
				if got := tok.Decode(ids, false); got != want[i][0] {
					t.Errorf("Decode(%v) = %q, want %q", ids, got, want[i][0])
				}
				if got := tok.Decode(ids, true); got != want[i][1] {
					t.Errorf("Decode(%v, skip) = %q, want %q", ids, got, want[i][1])
				}
				if strings.ContainsRune(want[i][0], utf8.RuneError) {
					replaced++
				}
			}
			if replaced == 0 {
				t.Errorf("no sequence needed U+FFFD: the lossy path was not exercised")
			}
			t.Logf("%d random sequences decoded identically, %d with U+FFFD", len(lists), replaced)
		})
	}
}
