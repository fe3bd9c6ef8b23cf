package tokenizer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A split regex we do not hand-write goes through regexp2. Here: Llama 3's
// pattern with digits in pairs, checked against HF on the same corpus.
func TestRegexpFallbackMatchesHF(t *testing.T) {
	data, err := os.ReadFile(assetPath("llama3"))
	if err != nil {
		t.Fatal(err)
	}
	const from, to = `\\p{N}{1,3}`, `\\p{N}{1,2}`
	if !strings.Contains(string(data), from) {
		t.Fatal("llama3 asset has no digit rule to change")
	}
	path := filepath.Join(t.TempDir(), "tokenizer.json")
	os.WriteFile(path, []byte(strings.Replace(string(data), from, to, 1)), 0o644)
	tok, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	corpus := hardCorpus(tok.SpecialTokens())
	want := hfEncode(t, path, corpus)
	for i, text := range corpus {
		if got := tok.Encode(text, false); !slices.Equal(got, want[i].IDs) {
			t.Errorf("Encode(%q):\n got %v\nwant %v", text, got, want[i].IDs)
		}
	}
}
