package tokenizer

import (
	"encoding/json"
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
		if got := tok.preTokenize(text); !slices.Equal(got, want[i].Pieces) && !(len(got) == 0 && len(want[i].Pieces) == 0) {
			t.Errorf("pre-tokenize(%q):\n got %q\nwant %q", text, got, want[i].Pieces)
		}
		if got := tok.Encode(text, false); !slices.Equal(got, want[i].IDs) {
			t.Errorf("Encode(%q):\n got %v\nwant %v", text, got, want[i].IDs)
		}
	}
}

// GPT-2 style: the ByteLevel pre-tokenizer's own regex (use_regex) with
// add_prefix_space, on the Llama 3 vocabulary, checked against HF.
func TestGPT2ByteLevelMatchesHF(t *testing.T) {
	data, err := os.ReadFile(assetPath("llama3"))
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	f["pre_tokenizer"] = map[string]any{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}
	out, _ := json.Marshal(f)
	path := filepath.Join(t.TempDir(), "tokenizer.json")
	os.WriteFile(path, out, 0o644)
	tok, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	corpus := hardCorpus(tok.SpecialTokens())
	want := hfEncode(t, path, corpus)
	for i, text := range corpus {
		if got := tok.preTokenize(text); !slices.Equal(got, want[i].Pieces) && !(len(got) == 0 && len(want[i].Pieces) == 0) {
			t.Errorf("pre-tokenize(%q):\n got %q\nwant %q", text, got, want[i].Pieces)
		}
		if got := tok.Encode(text, false); !slices.Equal(got, want[i].IDs) {
			t.Errorf("Encode(%q):\n got %v\nwant %v", text, got, want[i].IDs)
		}
	}
}
