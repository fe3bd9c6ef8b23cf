package lm

import (
	"fmt"
	"time"

	"github.com/mlx-go/mlx-go/tensor"
)

// Metrics are mlx-lm's verbose-output numbers for one generation.
type Metrics struct {
	PromptTokens     int           // prompt tokens processed (a reused cache's are not counted)
	GeneratedTokens  int           // tokens generated, a final stop token included (mlx-lm's count)
	TimeToFirstToken time.Duration // start to the first generated token: prefill plus one step
	// PrefillTokensPerSec is PromptTokens / TimeToFirstToken (mlx-lm's
	// prompt_tps); DecodeTokensPerSec is GeneratedTokens over the time
	// from the first token to the last (mlx-lm's generation_tps).
	PrefillTokensPerSec float64
	DecodeTokensPerSec  float64
	PeakMemory          uint64 // bytes: MLX's peak since the generation started
	ActiveMemory        uint64 // bytes held by arrays at the end
	FinishReason        string // "stop", "length", "caller" (the consumer stopped), "cancelled"
}

// finish records the end of a generation after n tokens.
func (m *Metrics) finish(n int, decodeStart time.Time, reason string) {
	m.GeneratedTokens = n
	if n > 0 {
		m.DecodeTokensPerSec = float64(n) / time.Since(decodeStart).Seconds()
	}
	m.PeakMemory = tensor.PeakMemory()
	m.ActiveMemory = tensor.ActiveMemory()
	m.FinishReason = reason
}

// String is mlx-lm's verbose summary.
func (m Metrics) String() string {
	return fmt.Sprintf("Prompt: %d tokens, %.3f tokens-per-sec\nGeneration: %d tokens, %.3f tokens-per-sec\nPeak memory: %.3f GB",
		m.PromptTokens, m.PrefillTokensPerSec, m.GeneratedTokens, m.DecodeTokensPerSec, float64(m.PeakMemory)/1e9)
}
