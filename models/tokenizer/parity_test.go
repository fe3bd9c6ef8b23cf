package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// The tiny tokenizers cmd/mkcheckpoint ships (built by
// tests/golden/gen_tokenizer_assets.py): two byte-level BPE families and one
// SentencePiece-style BPE with byte fallback.
var families = []string{"llama3", "qwen2", "gemma"}

func assetPath(family string) string {
	return filepath.Join(testutil.Root(), "models", "checkpoint", "assets", family, "tokenizer.json")
}

type peerResult struct {
	Pieces      []string `json:"pieces"`
	IDs         []int    `json:"ids"`
	IDsSpecial  []int    `json:"ids_special"`
	Decoded     string   `json:"decoded"`
	DecodedSkip string   `json:"decoded_skip"`
}

// hfEncode runs HF tokenizers on the same file and corpus.
func hfEncode(t testing.TB, tokPath string, corpus []string) []peerResult {
	t.Helper()
	dir := t.TempDir()
	cpath := filepath.Join(dir, "corpus.json")
	data, _ := json.Marshal(corpus)
	if err := os.WriteFile(cpath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "hf_encode.py"))
	if err != nil {
		t.Fatal(err)
	}
	var res []peerResult
	if err := json.Unmarshal(testutil.RunPython(t, string(script), tokPath, cpath), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(corpus) {
		t.Fatalf("peer returned %d results for %d texts", len(res), len(corpus))
	}
	return res
}

func TestParityWithHFTokenizers(t *testing.T) {
	for _, fam := range families {
		t.Run(fam, func(t *testing.T) {
			tok, err := Load(assetPath(fam))
			if err != nil {
				t.Fatal(err)
			}
			corpus := hardCorpus(tok.SpecialTokens())
			want := hfEncode(t, assetPath(fam), corpus)
			for i, text := range corpus {
				w := want[i]
				// The pre-tokenizer alone (the hand-written split regex),
				// on the whole text: special tokens are plain text here.
				if got := tok.preTokenize(text); !slices.Equal(got, w.Pieces) && !(len(got) == 0 && len(w.Pieces) == 0) {
					t.Errorf("pre-tokenize(%q):\n got %q\nwant %q", text, got, w.Pieces)
				}
				if got := tok.Encode(text, false); !slices.Equal(got, w.IDs) {
					t.Errorf("Encode(%q):\n got %v\nwant %v", text, got, w.IDs)
					continue
				}
				got := tok.Encode(text, true)
				if !slices.Equal(got, w.IDsSpecial) {
					t.Errorf("Encode(%q, special):\n got %v\nwant %v", text, got, w.IDsSpecial)
					continue
				}
				if d := tok.Decode(got, false); d != w.Decoded {
					t.Errorf("Decode(%v) = %q, want %q", got, d, w.Decoded)
				}
				if d := tok.Decode(got, true); d != w.DecodedSkip {
					t.Errorf("Decode(%v, skip) = %q, want %q", got, d, w.DecodedSkip)
				}
				// Round trip: where HF gives the text back, so must we
				// (already implied above; this names the property).
				if w.DecodedSkip == text && tok.Decode(tok.Encode(text, false), false) != text {
					t.Errorf("round trip of %q failed", text)
				}
			}
		})
	}
}

// Byte-level BPE loses nothing: every text comes back exactly.
func TestByteLevelRoundTrip(t *testing.T) {
	for _, fam := range []string{"llama3"} {
		tok, err := Load(assetPath(fam))
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range hardCorpus(tok.SpecialTokens()) {
			if got := tok.Decode(tok.Encode(text, false), false); got != text {
				t.Errorf("%s: round trip %q -> %q", fam, text, got)
			}
		}
	}
}

// Streaming never shows broken UTF-8 and adds up to Decode's text.
func TestStreamNeverBreaksUTF8(t *testing.T) {
	for _, fam := range families {
		tok, err := Load(assetPath(fam))
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range hardCorpus(tok.SpecialTokens()) {
			ids := tok.Encode(text, true)
			for _, skip := range []bool{false, true} {
				st := tok.NewStream(skip)
				var b strings.Builder
				for _, id := range ids {
					piece := st.Add(id)
					if !utf8.ValidString(piece) || strings.ContainsRune(piece, utf8.RuneError) && !strings.ContainsRune(text, utf8.RuneError) {
						t.Fatalf("%s: stream of %q emitted broken piece %q", fam, text, piece)
					}
					b.WriteString(piece)
				}
				b.WriteString(st.Flush())
				if want := tok.Decode(ids, skip); b.String() != want {
					t.Errorf("%s: stream of %q = %q, Decode = %q", fam, text, b.String(), want)
				}
			}
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "tokenizer.json")
	os.WriteFile(bad, []byte(`{"model": {"type": "Unigram", "vocab": []}}`), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "Unigram") {
		t.Errorf("unigram: %v", err)
	}
	os.WriteFile(bad, []byte(`{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Digits"}}`), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), `"Digits"`) {
		t.Errorf("digits: %v", err)
	}
	os.WriteFile(bad, []byte(`{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a", "b"]]}}`), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "merge 0") {
		t.Errorf("bad merge: %v", err)
	}
	os.WriteFile(bad, []byte(`{"model": `), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("truncated: %v", err)
	}
}

// One Tokenizer serves many goroutines (run with -race).
func TestConcurrentEncode(t *testing.T) {
	tok, err := Load(assetPath("llama3"))
	if err != nil {
		t.Fatal(err)
	}
	corpus := hardCorpus(tok.SpecialTokens())
	want := make([][]int, len(corpus))
	for i, s := range corpus {
		want[i] = tok.Encode(s, true)
	}
	done := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for i := range corpus {
				j := (i*7 + g) % len(corpus)
				if got := tok.Encode(corpus[j], true); !slices.Equal(got, want[j]) {
					done <- corpus[j]
					return
				}
			}
			done <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if bad := <-done; bad != "" {
			t.Errorf("concurrent Encode(%q) differs", bad)
		}
	}
}
