// Command dispatch measures what it costs to build an MLX graph from Go and
// from Python MLX, in one run on the same machine, and prints the ratio.
//
// Both sides build the same graph (add, multiply by a scalar, exp, sum with
// options: four ops per step) without evaluating it, many times, and report
// the best of five rounds in nanoseconds per op. The Go side includes
// releasing every array, through the garbage collector's cleanups as a user
// who never calls Free would rely on, so nothing is left unaccounted.
//
//	go run ./tests/bench/dispatch [-ops 1000] [-reps 200] [-cpuprofile go.prof]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

func buildGraph(x, b *tensor.Array, n int) *tensor.Array {
	for range n / 4 {
		x = tensor.Add(x, b)
		x = tensor.Multiply(x, 0.5)
		x = tensor.Exp(x)
		x = tensor.Sum(x, tensor.Axis(1), tensor.KeepDims(true))
	}
	return x
}

// goNsPerOp is the best of five rounds; each round ends when the GC has
// released every array the round made.
func goNsPerOp(ops, reps int) float64 {
	b := tensor.Ones([]int{4, 4}, tensor.CPU)
	x0 := tensor.Ones([]int{4, 4}, tensor.CPU)
	tensor.Eval(b, x0)
	buildGraph(x0, b, ops)
	waitReleased(tensor.LiveArrays() - int64(ops))
	base := tensor.LiveArrays()
	best := 0.0
	for range 5 {
		t0 := time.Now()
		for range reps {
			buildGraph(x0, b, ops)
		}
		waitReleased(base)
		ns := float64(time.Since(t0).Nanoseconds()) / float64(reps*ops)
		if best == 0 || ns < best {
			best = ns
		}
	}
	return best
}

// waitReleased collects until at most n arrays are live.
func waitReleased(n int64) {
	for tensor.LiveArrays() > n {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

func pythonNsPerOp(ops, reps int) float64 {
	script := filepath.Join(testutil.Root(), "tests", "bench", "dispatch", "dispatch.py")
	python := filepath.Join(testutil.Root(), ".venv", "bin", "python")
	cmd := exec.Command(python, script, fmt.Sprint(ops), fmt.Sprint(reps))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("python peer: %v (run ./scripts/setup.sh)", err)
	}
	var r struct {
		NsPerOp float64 `json:"ns_per_op"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		log.Fatalf("python peer printed %q: %v", out, err)
	}
	return r.NsPerOp
}

func main() {
	ops := flag.Int("ops", 1000, "ops per graph (a multiple of 4)")
	reps := flag.Int("reps", 200, "graphs per round")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the Go side to this file")
	goOnly := flag.Bool("go-only", false, "measure only the Go side")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
	}
	goNs := goNsPerOp(*ops, *reps)
	if *profile != "" {
		pprof.StopCPUProfile()
	}
	if *goOnly {
		fmt.Printf("Go %.0f ns/op\n", goNs)
		return
	}
	pyNs := pythonNsPerOp(*ops, *reps)
	fmt.Printf("graph build, %d ops x %d graphs, best of 5 (MLX %s, %s/%s)\n", *ops, *reps, tensor.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("  Go     %8.0f ns/op\n", goNs)
	fmt.Printf("  Python %8.0f ns/op\n", pyNs)
	fmt.Printf("  ratio Go/Python = %.2fx (goal <= 0.33x)\n", goNs/pyNs)
}
