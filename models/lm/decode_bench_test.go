package lm

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system time so far: on a shared machine
// it measures our work better than the wall clock.
func cpuTime() time.Duration {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// BenchmarkDecode times greedy decoding of the tiny test checkpoints, where
// per-token host work (building the step's graph, sampling, detokenizing)
// dominates, and reports the process's CPU time per token (all threads:
// MLX's worker included): go test -run - -bench Decode ./models/lm
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"llama-bf16", "gemma3_text-bf16"} {
		b.Run(name, func(b *testing.B) {
			l := loadLLM(b, name)
			prompt := l.Encode(promptText)
			const tokens = 64
			var cpu time.Duration
			for b.Loop() {
				start := cpuTime()
				g := l.GenerateIDs(context.Background(), prompt, MaxTokens(tokens), StopTokens())
				if _, err := g.IDs(); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - start
			}
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*tokens), "cpu-µs/tok")
		})
	}
}
