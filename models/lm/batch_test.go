package lm

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

var batchPrompts = []string{promptText, "Hello", strings.Repeat("Pack my box with five dozen liquor jugs. ", 3)}

// Each row of a batch generates what its prompt generates alone (greedy,
// also with a repetition penalty, stop tokens and stop strings), across
// Gemma 3's sliding window, chunked prefill and quantized weights.
func TestBatchGenerateMatchesSingle(t *testing.T) {
	for _, model := range []string{"llama-fp32", "gemma3_text-fp32", "qwen3-4bit"} {
		t.Run(model, func(t *testing.T) {
			l := loadLLM(t, model)
			solo, err := l.Generate(t.Context(), batchPrompts[0], MaxTokens(24), StopTokens()).IDs()
			if err != nil {
				t.Fatal(err)
			}
			stopText, err := l.Generate(t.Context(), batchPrompts[1], MaxTokens(24), StopTokens()).Text()
			if err != nil {
				t.Fatal(err)
			}
			for name, opts := range map[string][]Option{
				"greedy":     {MaxTokens(24), StopTokens()},
				"chunked":    {MaxTokens(24), StopTokens(), PrefillStepSize(7)},
				"repetition": {MaxTokens(24), StopTokens(), RepetitionPenalty(1.8, 6)},
				"stops":      {MaxTokens(24), StopTokens(solo[9]), StopStrings(stopText[len(stopText)/2:][:3])},
			} {
				got, err := l.BatchGenerateText(t.Context(), batchPrompts, opts...)
				if err != nil {
					t.Fatal(err)
				}
				for i, p := range batchPrompts {
					g := l.Generate(t.Context(), p, opts...)
					text, err := g.Text()
					if err != nil {
						t.Fatal(err)
					}
					ids, _ := l.Generate(t.Context(), p, opts...).IDs()
					if !slices.Equal(got[i].IDs, ids) || got[i].Text != text || got[i].FinishReason != g.Metrics().FinishReason {
						t.Errorf("%s, prompt %d: batch %v %q (%s)\nalone %v %q (%s)", name, i, got[i].IDs, got[i].Text,
							got[i].FinishReason, ids, text, g.Metrics().FinishReason)
					}
				}
			}
		})
	}
}

// Classify's rows are each prompt's own next-token logits.
func TestClassifyMatchesSingle(t *testing.T) {
	fp32 := 1e-4
	if tensor.DefaultDevice() == tensor.GPU {
		// MLX's CUDA backend multiplies float32 as TF32 and picks kernels
		// by row count, so a batch row and the prompt alone round apart:
		// measured up to 1.3e-2 on logits of magnitude ~10.
		fp32 = 3e-2
	}
	for model, tol := range map[string]float64{"qwen2-fp32": fp32, "gemma3-fp32": fp32, "llama-bf16": 0.05} {
		t.Run(model, func(t *testing.T) {
			l := loadLLM(t, model)
			logits, err := l.ClassifyText(t.Context(), batchPrompts, PrefillStepSize(16))
			if err != nil {
				t.Fatal(err)
			}
			if logits.Dim(0) != len(batchPrompts) || logits.Dim(1) != l.Model.Config().VocabSize {
				t.Fatalf("logits shape %v", logits.Shape())
			}
			for i, p := range batchPrompts {
				ids := l.Encode(p)
				alone := l.Model.Forward(tensor.FromInts(ids, 1, len(ids)), nil)
				alone = tensor.AsType(alone.Slice(1, len(ids)-1, len(ids), 1), tensor.Float32)
				row := tensor.Reshape(logits.Slice(0, i, i+1, 1), []int{1, 1, -1})
				if d := maxAbsDiff(t, row, alone); d > tol {
					t.Errorf("prompt %d: max |dlogit| %.3g > %.3g", i, d, tol)
				}
				if tensor.Argmax(row).Int() != tensor.Argmax(alone).Int() {
					t.Errorf("prompt %d: argmax differs", i)
				}
			}
		})
	}
	l := loadLLM(t, "qwen2-fp32")
	if _, err := l.Classify(t.Context(), [][]int{{1, 2}, {}}); err == nil {
		t.Error("empty prompt: no error")
	}
	if _, err := l.BatchGenerate(t.Context(), [][]int{{1}}, MaxKVSize(8)); err == nil {
		t.Error("MaxKVSize in a batch: no error")
	}
}
