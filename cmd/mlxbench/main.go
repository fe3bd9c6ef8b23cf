// Command mlxbench times generation in mlx-go and in mlx-lm (Python) on
// the same random-weight checkpoints, in one run, and prints prefill and
// decode speeds, time to first token and peak memory with their ratios.
// The models are the shapes of Llama-3.2-1B and Gemma3-1B scaled down
// (see shapes.go) so a small CPU runs them; weights are bf16 or 4-bit.
//
//	go run ./cmd/mlxbench -prompt 96 -gen 24 -reps 2
package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	promptLen := flag.Int("prompt", 96, "prompt tokens")
	gen := flag.Int("gen", 24, "generated tokens")
	reps := flag.Int("reps", 3, "timed runs per side, alternating (after one warm-up each); medians are reported")
	out := flag.String("dir", "", "where to write the checkpoints (default: a temporary directory)")
	python := flag.String("python", filepath.Join(".venv", "bin", "python"), "Python with mlx-lm")
	only := flag.String("only", "", "comma-separated subset of model/kind names to run (e.g. llama-3.2-1b/4-bf16)")
	suite := flag.String("suite", "cpu", "cpu: the scaled-down models below; cuda: the real model sizes on the GPU (suite_cuda.go); profile: host vs device time of one (profile.go)")
	profile := flag.String("profile", "cpu.pprof", "with -suite profile: where the CPU profile goes")
	md := flag.String("md", "", "with -suite cuda: record the results in this Markdown file (BENCHMARKS.md)")
	decodeOnly := flag.Bool("decode-only", false, "with -suite cuda: only the 512-token prompt and its decode, no kernel table (to try a setting quickly)")
	flag.Parse()
	dir := *out
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "mlxbench-"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
	}
	if *suite == "ops" {
		if err := runOps(*python); err != nil {
			fail(err)
		}
		return
	}
	if *suite == "profile" {
		if err := runProfile(dir, *only, *profile); err != nil {
			fail(err)
		}
		return
	}
	if *suite == "cuda" {
		if err := runSuite(*python, dir, *reps, *only, *md, *decodeOnly); err != nil {
			fail(err)
		}
		return
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
			ours, theirs, err := bench(*python, mdir, *promptLen, *gen, *reps)
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

// sample is one timed run.
type sample struct {
	PrefillTPS float64 `json:"prefill_tps"`
	DecodeTPS  float64 `json:"decode_tps"`
	TTFT       float64 `json:"ttft_s"`
	Peak       float64 `json:"peak_bytes"`
}

func (r *result) add(s sample) {
	r.PrefillTPS = append(r.PrefillTPS, s.PrefillTPS)
	r.DecodeTPS = append(r.DecodeTPS, s.DecodeTPS)
	r.TTFT = append(r.TTFT, s.TTFT)
	r.Peak = append(r.Peak, s.Peak)
}

// bench times both sides in alternation (one warm-up each, then reps
// pairs), so both see the same load on a shared machine.
func bench(python, dir string, promptLen, gen, reps int) (ours, theirs result, err error) {
	l, err := lm.LoadLLM(dir)
	if err != nil {
		return ours, theirs, err
	}
	rng := rand.New(rand.NewPCG(7, 7))
	prompt := make([]int, promptLen)
	for i := range prompt {
		prompt[i] = rng.IntN(l.Tokenizer.VocabSize())
	}
	peer, err := startPeer(python, dir, prompt, gen)
	if err != nil {
		return ours, theirs, err
	}
	defer peer.close()
	for rep := 0; rep <= reps; rep++ {
		// Go frees arrays when they are collected, Python by reference
		// count at once: without a collection here, arrays the harness
		// dropped earlier were still live when a run reset MLX's peak, and
		// were counted in its peak memory (tiny models: 2.1 MB against
		// 1.0 MB, the same 1.0 MB with this collection).
		runtime.GC()
		g := l.GenerateIDs(context.Background(), prompt, lm.MaxTokens(gen), lm.StopTokens())
		if _, err := g.IDs(); err != nil {
			return ours, theirs, err
		}
		s, err := peer.run()
		if err != nil {
			return ours, theirs, err
		}
		if rep == 0 {
			continue // warm-up
		}
		m := g.Metrics()
		ours.add(sample{m.PrefillTokensPerSec, m.DecodeTokensPerSec, m.TimeToFirstToken.Seconds(), float64(m.PeakMemory)})
		theirs.add(s)
	}
	return ours, theirs, nil
}

// peer is the mlx-lm process, driven one run at a time.
type peer struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

func startPeer(python, dir string, prompt []int, gen int) (*peer, error) {
	ids, _ := json.Marshal(prompt)
	cmd := exec.Command(python, "-c", peerScript, dir, string(ids), fmt.Sprint(gen))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("mlx-lm: %w", err)
	}
	p := &peer{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	if !p.out.Scan() || p.out.Text() != "ready" {
		p.close()
		return nil, fmt.Errorf("mlx-lm did not start (%q)", p.out.Text())
	}
	return p, nil
}

func (p *peer) run() (sample, error) {
	var s sample
	if _, err := fmt.Fprintln(p.in, "run"); err != nil {
		return s, err
	}
	if !p.out.Scan() {
		return s, fmt.Errorf("mlx-lm stopped: %v", p.out.Err())
	}
	return s, json.Unmarshal(p.out.Bytes(), &s)
}

func (p *peer) close() {
	p.in.Close()
	p.cmd.Wait()
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
