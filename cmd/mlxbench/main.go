// Command mlxbench times generation in mlx-go and in mlx-lm (Python) on
// the same random-weight checkpoints, in one run, and prints prefill and
// decode speeds, time to first token and peak memory with their ratios.
// The models are the shapes of Llama-3.2-1B and Gemma3-1B scaled down
// (see shapes.go) so a small CPU runs them; weights are bf16 or 4-bit.
//
//	go run ./cmd/mlxbench -prompt 256 -gen 64 -reps 3
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mlx-go/mlx-go/models/lm"
)

//go:embed mlxlm_bench.py
var peerScript string

type result struct {
	PrefillTPS []float64 `json:"prefill_tps"`
	DecodeTPS  []float64 `json:"decode_tps"`
	TTFT       []float64 `json:"ttft_s"`
	Peak       []float64 `json:"peak_bytes"`
}

func main() {
	promptLen := flag.Int("prompt", 256, "prompt tokens")
	gen := flag.Int("gen", 64, "generated tokens")
	reps := flag.Int("reps", 3, "timed runs per side (after one warm-up); medians are reported")
	out := flag.String("dir", "", "where to write the checkpoints (default: a temporary directory)")
	python := flag.String("python", filepath.Join(".venv", "bin", "python"), "Python with mlx-lm")
	only := flag.String("only", "", "comma-separated subset of model/kind names to run (e.g. llama-3.2-1b/4-bf16)")
	flag.Parse()
	dir := *out
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "mlxbench-"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
	}
	fmt.Printf("mlxbench: prompt %d tokens, %d generated, median of %d runs each side\n", *promptLen, *gen, *reps)
	fmt.Printf("%-24s %-6s %12s %12s %10s %10s\n", "model", "side", "prefill t/s", "decode t/s", "TTFT ms", "peak MB")
	for _, s := range shapes {
		for _, kind := range []struct {
			name  string
			bits  int
			dtype string
		}{{"bf16", 0, "bfloat16"}, {"4bit", 4, "bfloat16"}} {
			name := s.name + "-" + kind.name
			if *only != "" && !slices.Contains(strings.Split(*only, ","), name) {
				continue
			}
			mdir := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
			if err := writeScaled(mdir, s, kind.dtype, kind.bits); err != nil {
				fail(err)
			}
			ours, prompt, err := benchGo(mdir, *promptLen, *gen, *reps)
			if err != nil {
				fail(err)
			}
			theirs, err := benchPython(*python, mdir, prompt, *gen, *reps)
			if err != nil {
				fail(err)
			}
			row(name, "mlx-go", ours)
			row(name, "mlx-lm", theirs)
			fmt.Printf("%-24s %-6s %11.2fx %11.2fx %9.2fx %9.2fx\n", "", "ratio",
				median(ours.PrefillTPS)/median(theirs.PrefillTPS), median(ours.DecodeTPS)/median(theirs.DecodeTPS),
				median(theirs.TTFT)/median(ours.TTFT), median(theirs.Peak)/median(ours.Peak))
		}
	}
	fmt.Println("ratios: >1 means mlx-go is better (TTFT and peak memory: mlx-lm's over ours)")
	for _, s := range shapes {
		fmt.Printf("%s scaled from %s\n", s.name, s.real)
	}
}

func benchGo(dir string, promptLen, gen, reps int) (result, []int, error) {
	l, err := lm.LoadLLM(dir)
	if err != nil {
		return result{}, nil, err
	}
	rng := rand.New(rand.NewPCG(7, 7))
	prompt := make([]int, promptLen)
	for i := range prompt {
		prompt[i] = rng.IntN(l.Tokenizer.VocabSize())
	}
	var r result
	for rep := 0; rep <= reps; rep++ {
		g := l.GenerateIDs(context.Background(), prompt, lm.MaxTokens(gen), lm.StopTokens())
		if _, err := g.IDs(); err != nil {
			return r, nil, err
		}
		if rep == 0 {
			continue // warm-up
		}
		m := g.Metrics()
		r.PrefillTPS = append(r.PrefillTPS, m.PrefillTokensPerSec)
		r.DecodeTPS = append(r.DecodeTPS, m.DecodeTokensPerSec)
		r.TTFT = append(r.TTFT, m.TimeToFirstToken.Seconds())
		r.Peak = append(r.Peak, float64(m.PeakMemory))
	}
	return r, prompt, nil
}

func benchPython(python, dir string, prompt []int, gen, reps int) (result, error) {
	ids, _ := json.Marshal(prompt)
	cmd := exec.Command(python, "-c", peerScript, dir, string(ids), fmt.Sprint(gen), fmt.Sprint(reps))
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("mlx-lm: %w", err)
	}
	var r result
	return r, json.Unmarshal(outb, &r)
}

func row(name, side string, r result) {
	fmt.Printf("%-24s %-6s %12.1f %12.1f %10.1f %10.1f\n", name, side, median(r.PrefillTPS), median(r.DecodeTPS),
		median(r.TTFT)*1000, median(r.Peak)/1e6)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mlxbench:", err)
	os.Exit(1)
}
