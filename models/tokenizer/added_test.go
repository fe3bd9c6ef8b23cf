package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Added tokens with every matching option, checked against HF: normalized
// ones (found in normalized text, e.g. after Gemma's space -> U+2581),
// lstrip/rstrip (eat neighbouring spaces) and single_word (only whole
// words).
func TestAddedTokenOptionsMatchHF(t *testing.T) {
	extra := []map[string]any{
		{"content": "hello world", "normalized": true, "special": false},
		{"content": "<mask>", "lstrip": true, "special": true},
		{"content": "[SEP]", "rstrip": true, "special": true},
		{"content": "cat", "single_word": true, "special": false, "normalized": false},
		{"content": "ation", "special": false, "normalized": true},
		{"content": "caf\u00e9", "special": false, "normalized": true}, // NFC (Qwen2) composes e+U+0301
	}
	texts := []string{
		"say hello world now", "hello  world", "hello worldly", "a <mask> b   <mask>c", "x [SEP]   y[SEP]",
		"cat concat cat. category (cat)", "nation station ation", "hello world<mask>[SEP]cat",
		"cafe\u0301 caf\u00e9 cafe",
	}
	for _, fam := range families {
		t.Run(fam, func(t *testing.T) {
			var f map[string]any
			data, _ := os.ReadFile(assetPath(fam))
			if err := json.Unmarshal(data, &f); err != nil {
				t.Fatal(err)
			}
			base, err := Load(assetPath(fam))
			if err != nil {
				t.Fatal(err)
			}
			// Ids as HF assigns them: the vocab's id for a known string,
			// else the next free one.
			added := f["added_tokens"].([]any)
			next := base.VocabSize()
			for _, e := range extra {
				id, ok := base.TokenID(e["content"].(string))
				if !ok {
					id = next
					next++
				}
				tok := map[string]any{"id": id, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false}
				for k, v := range e {
					tok[k] = v
				}
				added = append(added, tok)
			}
			f["added_tokens"] = added
			path := filepath.Join(t.TempDir(), "tokenizer.json")
			out, _ := json.Marshal(f)
			os.WriteFile(path, out, 0o644)
			tok, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want := hfEncode(t, path, texts)
			for i, text := range texts {
				if got := tok.Encode(text, false); !slices.Equal(got, want[i].IDs) {
					t.Errorf("Encode(%q):\n got %v\nwant %v", text, got, want[i].IDs)
				}
				if got := tok.Decode(want[i].IDsSpecial, true); got != want[i].DecodedSkip {
					t.Errorf("Decode(%v, skip) = %q, want %q", want[i].IDsSpecial, got, want[i].DecodedSkip)
				}
			}
		})
	}
}
