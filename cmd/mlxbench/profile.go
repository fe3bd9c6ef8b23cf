package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/tensor"
)

// runProfile (-suite profile) splits one model's prefill and decode time
// into host work (building the graph) and device work (evaluating it),
// unpipelined, and writes a CPU profile of a pipelined generation: where
// the suite says mlx-go is slower, this says whether the host or the
// device is the reason.
func runProfile(dir, only, profilePath string) error {
	m := cudaSuite[0]
	for _, s := range cudaSuite {
		if s.name() == only {
			m = s
		}
	}
	for _, s := range shapes { // the CPU suite's small ones, to try it out
		if s.name+"-bf16" == only {
			m = suiteModel{s, 0}
		}
	}
	mdir := filepath.Join(dir, m.name())
	if err := writeScaled(mdir, m.shape, "bfloat16", m.bits); err != nil {
		return err
	}
	l, err := lm.LoadLLM(mdir)
	if err != nil {
		return err
	}
	fmt.Printf("profile of %s on %v\n", m.name(), tensor.DefaultDevice())
	prompt := make([]int, 512)
	for i := range prompt {
		prompt[i] = (i * 7919) % l.Tokenizer.VocabSize()
	}
	return tensor.Try(func() {
		for rep := range 3 {
			cache := l.Model.NewCache()
			in := tensor.FromInts(prompt[:511], 1, 511)
			t0 := time.Now()
			out := l.Model.Forward(in, cache)
			built := time.Since(t0)
			tensor.Eval(out)
			total := time.Since(t0)
			fmt.Printf("prefill 511 (rep %d): build %.2f ms, evaluate %.2f ms\n", rep, ms(built), ms(total-built))
			var buildSum, evalSum time.Duration
			tok := tensor.FromInts([]int{1}, 1, 1)
			const steps = 64
			for range steps {
				t0 := time.Now()
				logits := l.Model.Forward(tok, cache)
				next := tensor.Argmax(logits, tensor.Axis(-1))
				b := time.Since(t0)
				tensor.Eval(next)
				buildSum += b
				evalSum += time.Since(t0) - b
				tok = next
			}
			fmt.Printf("decode unpipelined (rep %d): build %.3f ms/token, evaluate %.3f ms/token\n", rep, ms(buildSum)/steps, ms(evalSum)/steps)
			cache.Free()
		}
		for _, step := range []int{512, 2048} {
			g := l.GenerateIDs(context.Background(), prompt, lm.MaxTokens(2), lm.StopTokens(), lm.PrefillStepSize(step))
			if _, err := g.IDs(); err != nil {
				panic(err)
			}
			mt := g.Metrics()
			fmt.Printf("Generate prompt 512, prefill step %d: TTFT %.2f ms\n", step, ms(mt.TimeToFirstToken))
		}
		// Where a prefill's time goes, host side: ten prompts, one token each.
		pf, err := os.Create(strings.TrimSuffix(profilePath, ".pprof") + "-prefill.pprof")
		if err != nil {
			panic(err)
		}
		pprof.StartCPUProfile(pf)
		var ttft time.Duration
		for range 10 {
			g := l.GenerateIDs(context.Background(), prompt, lm.MaxTokens(1), lm.StopTokens())
			if _, err := g.IDs(); err != nil {
				panic(err)
			}
			ttft += g.Metrics().TimeToFirstToken
		}
		pprof.StopCPUProfile()
		pf.Close()
		fmt.Printf("profiled prefills: mean TTFT %.2f ms\n", ms(ttft)/10)
		f, err := os.Create(profilePath)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		start := time.Now()
		g := l.GenerateIDs(context.Background(), prompt, lm.MaxTokens(256), lm.StopTokens())
		if _, err := g.IDs(); err != nil {
			panic(err)
		}
		pprof.StopCPUProfile()
		mt := g.Metrics()
		fmt.Printf("profiled Generate: TTFT %.2f ms, decode %.1f tok/s, %.2f s in all\n", ms(mt.TimeToFirstToken), mt.DecodeTokensPerSec, time.Since(start).Seconds())
	})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
