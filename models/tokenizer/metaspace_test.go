package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// SentencePiece tokenizers in their other tokenizer.json spellings, on the
// Gemma-style vocabulary, checked against HF: Llama 2's legacy normalizer
// (Prepend + Replace, Strip decoder) and the Metaspace pre-tokenizer and
// decoder (Mistral, newer Llama 2 files) with each prepend scheme.
func TestSentencePieceVariantsMatchHF(t *testing.T) {
	meta := func(scheme string, split bool) map[string]any {
		return map[string]any{"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": scheme, "split": split}
	}
	replace := func(from, to string) map[string]any {
		return map[string]any{"type": "Replace", "pattern": map[string]any{"String": from}, "content": to}
	}
	fallbackFuse := []any{map[string]any{"type": "ByteFallback"}, map[string]any{"type": "Fuse"}}
	variants := map[string][3]any{ // normalizer, pre_tokenizer, decoder
		"llama2-legacy": {
			map[string]any{"type": "Sequence", "normalizers": []any{map[string]any{"type": "Prepend", "prepend": "\u2581"}, replace(" ", "\u2581")}},
			nil,
			map[string]any{"type": "Sequence", "decoders": []any{replace("\u2581", " "), fallbackFuse[0], fallbackFuse[1],
				map[string]any{"type": "Strip", "content": " ", "start": 1, "stop": 0}}},
		},
		"metaspace-first": {nil, meta("first", false),
			map[string]any{"type": "Sequence", "decoders": append([]any{meta("first", false)}, fallbackFuse...)}},
		"metaspace-always-split": {nil, meta("always", true),
			map[string]any{"type": "Sequence", "decoders": append([]any{meta("always", true)}, fallbackFuse...)}},
		"metaspace-never": {nil, meta("never", true),
			map[string]any{"type": "Sequence", "decoders": append([]any{meta("never", true)}, fallbackFuse...)}},
	}
	data, err := os.ReadFile(assetPath("gemma"))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			var f map[string]any
			json.Unmarshal(data, &f)
			f["normalizer"], f["pre_tokenizer"], f["decoder"] = v[0], v[1], v[2]
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
				w := want[i]
				if got := tok.preTokenize(text); !slices.Equal(got, w.Pieces) && !(len(got) == 0 && len(w.Pieces) == 0) {
					t.Errorf("pre-tokenize(%q):\n got %q\nwant %q", text, got, w.Pieces)
				}
				if got := tok.Encode(text, true); !slices.Equal(got, w.IDsSpecial) {
					t.Errorf("Encode(%q):\n got %v\nwant %v", text, got, w.IDsSpecial)
					continue
				}
				if got := tok.Decode(w.IDsSpecial, false); got != w.Decoded {
					t.Errorf("Decode(%v) = %q, want %q", w.IDsSpecial, got, w.Decoded)
				}
				if got := tok.Decode(w.IDsSpecial, true); got != w.DecodedSkip {
					t.Errorf("Decode(%v, skip) = %q, want %q", w.IDsSpecial, got, w.DecodedSkip)
				}
			}
		})
	}
}
