// Command dispatch measures what it costs to build an MLX graph from Go and
// from Python MLX, in one run on the same machine, and prints the ratio.
//
// Both sides, and MLX's C++ API itself as the floor under both, build the
// same graph (add, multiply by a scalar, exp, sum with options: four ops per
// step) without evaluating it, many times, and report
// the best of five rounds in CPU nanoseconds per op (CPU time, not wall
// time, so that other work on a shared machine disturbs the ratio less). The Go side includes
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
	"syscall"
	"time"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

func buildGraph(x, b *tensor.Array, n int) *tensor.Array {
	for range n / 4 {
		x = tensor.Add(x, b)
		x = tensor.Multiply(x, -0.5)
		x = tensor.Exp(x)
		x = tensor.Sum(x, tensor.Axis(1), tensor.KeepDims(true))
	}
	return x
}

// buildGraphFreeing builds the same graph and frees every array it made at
// the end, newest first, the way Python's reference counts drop them.
func buildGraphFreeing(x, b *tensor.Array, n int) {
	made := make([]*tensor.Array, 0, n)
	for range n / 4 {
		x = tensor.Add(x, b)
		made = append(made, x)
		x = tensor.Multiply(x, -0.5)
		made = append(made, x)
		x = tensor.Exp(x)
		made = append(made, x)
		x = tensor.Sum(x, tensor.Axis(1), tensor.KeepDims(true))
		made = append(made, x)
	}
	for i := len(made) - 1; i >= 0; i-- {
		made[i].Free()
	}
}

// cpuTime is the CPU time this process has used, all threads together (the
// GC, cleanups and MLX's own threads included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// goNsPerOp is the best of five rounds, in CPU time per op; each round ends
// when the GC has released every array the round made.
func goNsPerOp(ops, reps int, explicitFree bool) float64 {
	b := tensor.Ones([]int{4, 4}, tensor.CPU)
	x0 := tensor.Ones([]int{4, 4}, tensor.CPU)
	tensor.Eval(b, x0)
	buildGraph(x0, b, ops)
	waitReleased(tensor.LiveArrays() - int64(ops))
	base := tensor.LiveArrays()
	best := 0.0
	for range 5 {
		t0 := cpuTime()
		for range reps {
			if explicitFree {
				buildGraphFreeing(x0, b, ops)
			} else {
				buildGraph(x0, b, ops)
			}
		}
		waitReleased(base)
		ns := float64((cpuTime() - t0).Nanoseconds()) / float64(reps*ops)
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
		time.Sleep(100 * time.Microsecond) // cleanups run on their own goroutine
	}
	tensor.ActiveMemory() // frees the handles the cleanups queued
}

// pythonNsPerOp runs the peer; it also returns the value of its graph.
var (
	python = flag.String("python", filepath.Join(testutil.Root(), ".venv", "bin", "python"), "the Python with MLX")
	script = flag.String("script", filepath.Join(testutil.Root(), "tests", "bench", "dispatch", "dispatch.py"), "the Python peer")
)

func pythonNsPerOp(ops, reps int) (float64, []float64) {
	cmd := exec.Command(*python, *script, fmt.Sprint(ops), fmt.Sprint(reps))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("python peer: %v (run ./scripts/setup.sh)", err)
	}
	var r struct {
		NsPerOp float64   `json:"ns_per_op"`
		Value   []float64 `json:"value"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		log.Fatalf("python peer printed %q: %v", out, err)
	}
	return r.NsPerOp, r.Value
}

// sameGraph checks that Go built the graph Python built: the same values,
// bit for bit.
func sameGraph(ops int, python []float64) error {
	b := tensor.Ones([]int{4, 4}, tensor.CPU)
	x0 := tensor.Ones([]int{4, 4}, tensor.CPU)
	got := buildGraph(x0, b, ops).Float32s()
	if len(got) != len(python) {
		return fmt.Errorf("Go's graph has %d values, Python's %d", len(got), len(python))
	}
	for i := range got {
		if got[i] != float32(python[i]) {
			return fmt.Errorf("value %d: Go %v, Python %v", i, got[i], python[i])
		}
	}
	return nil
}

func main() {
	ops := flag.Int("ops", 1000, "ops per graph (a multiple of 4)")
	reps := flag.Int("reps", 200, "graphs per round")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the Go side to this file")
	goOnly := flag.Bool("go-only", false, "measure only the Go side")
	explicitFree := flag.Bool("free", false, "Go frees each graph explicitly instead of leaving it to the GC")
	trials := flag.Int("trials", 3, "times Go, Python and C++ each measure, taking turns")
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
	tensor.SetDefaultDevice(tensor.CPU) // as the Python peer does
	if *goOnly {
		goNs := goNsPerOp(*ops, *reps, *explicitFree)
		stopProfile(*profile)
		fmt.Printf("Go %.0f ns/op\n", goNs)
		return
	}
	// On a shared machine other work comes and goes: the sides take turns,
	// trials times, and each keeps its best.
	var goNs, pyNs, cppNs float64
	var pyValue []float64
	for i := range *trials {
		g := goNsPerOp(*ops, *reps, *explicitFree)
		p, v := pythonNsPerOp(*ops, *reps)
		c := cppNsPerOp(*ops, *reps)
		if i == 0 || g < goNs {
			goNs = g
		}
		if i == 0 || p < pyNs {
			pyNs, pyValue = p, v
		}
		if i == 0 || c < cppNs {
			cppNs = c
		}
	}
	stopProfile(*profile)
	if err := sameGraph(*ops, pyValue); err != nil {
		log.Fatalf("the Go and Python graphs differ: %v", err)
	}
	fmt.Printf("graph build, %d ops x %d graphs, CPU ns per op, best of %d trials x 5 rounds (MLX %s, %s/%s)\n",
		*ops, *reps, *trials, tensor.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("  Go          %8.0f\n", goNs)
	fmt.Printf("  Python      %8.0f\n", pyNs)
	fmt.Printf("  C++ (MLX)   %8.0f   the same graph with no binding: the floor for both\n", cppNs)
	fmt.Printf("  ratio Go/Python = %.2fx (goal <= 0.33x; C++/Python = %.2fx)\n", goNs/pyNs, cppNs/pyNs)
	fmt.Printf("  binding overhead over C++: Go %.0f ns/op, Python %.0f ns/op\n", goNs-cppNs, pyNs-cppNs)
}

func stopProfile(path string) {
	if path != "" {
		pprof.StopCPUProfile()
	}
}
