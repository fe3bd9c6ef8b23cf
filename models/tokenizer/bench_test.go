package tokenizer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// benchText is ~200 KB of Python's licence text and the hard corpus.
func benchText(b0 testing.TB, tok *Tokenizer) string {
	var b strings.Builder
	stdlib := strings.TrimSpace(string(testutil.RunPython(b0, "import sysconfig; print(sysconfig.get_paths()['stdlib'])")))
	lic, err := os.ReadFile(filepath.Join(stdlib, "LICENSE.txt"))
	if err != nil {
		b0.Fatal(err)
	}
	for b.Len() < 200_000 {
		b.Write(lic)
		b.WriteString(strings.Join(hardCorpus(tok.SpecialTokens()), "\n"))
	}
	return b.String()
}

// BenchmarkEncodeVsHF encodes the same text with this package and with HF
// tokenizers (Rust, through its Python binding, best of 5 runs, one thread)
// and reports both throughputs: go-MB/s and hf-MB/s.
func BenchmarkEncodeVsHF(b *testing.B) {
	for _, fam := range families {
		b.Run(fam, func(b *testing.B) {
			tok, err := Load(assetPath(fam))
			if err != nil {
				b.Fatal(err)
			}
			text := benchText(b, tok)
			path := filepath.Join(b.TempDir(), "bench.txt")
			os.WriteFile(path, []byte(text), 0o644)
			script, _ := os.ReadFile(filepath.Join("testdata", "hf_bench.py"))
			var hfSec float64
			var hfTokens int
			out := testutil.RunPython(b, string(script), assetPath(fam), path, "5")
			if _, err := fmt.Sscan(string(out), &hfSec, &hfTokens); err != nil {
				b.Fatalf("peer output %q: %v", out, err)
			}
			n := 0
			b.SetBytes(int64(len(text)))
			b.ResetTimer()
			for b.Loop() {
				n = len(tok.Encode(text, false))
			}
			b.StopTimer()
			if n != hfTokens {
				b.Fatalf("Go gives %d tokens, HF %d", n, hfTokens)
			}
			goSec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(len(text))/goSec/1e6, "go-MB/s")
			b.ReportMetric(float64(len(text))/hfSec/1e6, "hf-MB/s")
		})
	}
}

// BenchmarkSplitter compares the hand-written Llama 3 splitter with the
// same regex run by regexp2 (the fallback engine), on the same text.
func BenchmarkSplitter(b *testing.B) {
	tok, err := Load(assetPath("llama3"))
	if err != nil {
		b.Fatal(err)
	}
	text := benchText(b, tok)
	pattern := llama3Pattern
	hand, _ := patternMatcher(patternJSON{Regex: &pattern})
	re, err := regexp2.Compile(llama3Pattern, regexp2.None)
	if err != nil {
		b.Fatal(err)
	}
	engine := regexpMatches(re, true)
	if !slices.Equal(hand(text), engine(text)) {
		b.Fatal("hand-written splitter and regexp2 disagree on the benchmark text")
	}
	for _, c := range []struct {
		name string
		find findAll
	}{{"hand-written", hand}, {"regexp2", engine}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				c.find(text)
			}
		})
	}
}
