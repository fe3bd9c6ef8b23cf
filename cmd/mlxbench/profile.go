package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
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
	if err := tensor.Try(encodeCosts); err != nil {
		return err
	}
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
			// Decode as generation runs it (on the compile thread, so the
			// compiled blocks are used), unpipelined: building the graph,
			// MLX encoding it (AsyncEval returns once every kernel is
			// queued) and waiting for the device are timed apart.
			var build, encode, wait time.Duration
			tok := tensor.FromInts([]int{1}, 1, 1)
			const steps = 64
			var dot string
			tensor.RunOnCompileThread(func() {
				for i := range steps {
					t0 := time.Now()
					logits := l.Model.Forward(tok, cache)
					next := tensor.Argmax(logits, tensor.Axis(-1))
					t1 := time.Now()
					tensor.AsyncEval(next)
					t2 := time.Now()
					tensor.Eval(next)
					build, encode, wait = build+t1.Sub(t0), encode+t2.Sub(t1), wait+time.Since(t2)
					if i == steps-1 && rep == 0 {
						dot = tensor.ExportToDot(l.Model.Forward(next, cache))
					}
					tok = next
				}
			})
			fmt.Printf("decode unpipelined (rep %d): build %.3f ms/token, encode (AsyncEval) %.3f, wait %.3f\n", rep, ms(build)/steps, ms(encode)/steps, ms(wait)/steps)
			if dot != "" {
				fmt.Printf("one decode step's graph: %s\n", primitiveCounts(dot))
			}
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

var dotLabel = regexp.MustCompile(`label ="([^"]+)"`)

// primitiveCounts is a DOT graph's primitives by name, most first, with
// the total: what MLX encodes per token.
func primitiveCounts(dot string) string {
	n, total := map[string]int{}, 0
	for _, m := range dotLabel.FindAllStringSubmatch(dot, -1) {
		n[m[1]]++
		total++
	}
	names := slices.Sorted(maps.Keys(n))
	slices.SortStableFunc(names, func(a, b string) int { return n[b] - n[a] })
	parts := []string{fmt.Sprint(total, " primitives")}
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s %d", k, n[k]))
	}
	return strings.Join(parts, ", ")
}

// encodeCosts prints what MLX's evaluation costs the host per primitive,
// for a view (Reshape: no kernel) and for a kernel (Add), from chains of
// 400 of each: AsyncEval returns once the chain is queued, so its time is
// the host's alone. Decoding small models waits on this per-token cost.
func encodeCosts() {
	const n = 400
	x := tensor.Ones([]int{1, 1, 2048}, tensor.Bfloat16).Eval()
	chains := []struct {
		name string
		link func(y *tensor.Array, i int) *tensor.Array
	}{
		{"view (Reshape)", func(y *tensor.Array, i int) *tensor.Array {
			if i%2 == 0 {
				return tensor.Reshape(y, []int{1, 2048, 1})
			}
			return tensor.Reshape(y, []int{1, 1, 2048})
		}},
		{"kernel (Add)", func(y *tensor.Array, _ int) *tensor.Array { return tensor.Add(y, x) }},
	}
	for _, c := range chains {
		best := time.Duration(1 << 62)
		for range 5 {
			y := x
			for i := range n {
				y = c.link(y, i)
			}
			t0 := time.Now()
			tensor.AsyncEval(y)
			best = min(best, time.Since(t0))
			tensor.Eval(y)
		}
		fmt.Printf("encode cost per primitive, %s: %.2f us (best of 5 chains of %d)\n", c.name, float64(best.Nanoseconds())/1e3/n, n)
	}
}
