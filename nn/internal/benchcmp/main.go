// Command benchcmp times the fused kernels against their composed forms,
// QuantizedLinear against Linear and one training step, in Go and in Python
// MLX (same libmlx, same shapes, same timing rule), and prints one table:
//
//	go run ./nn/internal/benchcmp            # all cases
//	go run ./nn/internal/benchcmp -run sdpa  # cases whose name contains sdpa
//
// Each figure is the median wall time of one evaluated call after warm-up,
// best of two rounds that alternate Go and Python so that both see the same
// machine load; GB/s counts the bytes a kernel must at least read and write.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

// benchCase is one timed computation: the Go closure and the Python
// expression (over the same named inputs) that compute the same thing.
type benchCase struct {
	name   string
	bytes  float64 // minimum memory traffic of one call
	goFn   func() []*tensor.Array
	python string // statement defining f(); inputs come from setup
	setup  string // Python statements making the inputs
}

func main() {
	run := flag.String("run", "", "only cases whose name contains this")
	minTime := flag.Duration("time", 400*time.Millisecond, "minimum timing per case and side")
	flag.Parse()
	tensor.SetDefaultDevice(tensor.CPU)
	var cases []benchCase
	for _, c := range allCases() {
		if strings.Contains(c.name, *run) {
			cases = append(cases, c)
		}
	}
	py, err := startPython(cases, *minTime)
	if err != nil {
		fmt.Fprintln(os.Stderr, "python:", err)
		os.Exit(1)
	}
	fmt.Printf("MLX %s, device %s; median per call, best of 2 alternating rounds (Go, Python, Go, Python)\n", tensor.Version(), tensor.DefaultDevice())
	fmt.Printf("%-34s %12s %9s %12s %9s %8s\n", "case", "Go", "GB/s", "Python", "GB/s", "Go/Py")
	for _, c := range cases {
		g, p := time.Duration(math.MaxInt64), math.Inf(1)
		for round := 0; round < 2; round++ {
			g = min(g, timeIt(c.goFn, *minTime))
			if t, err := py.time(c.name); err == nil {
				p = min(p, t)
			} else {
				fmt.Fprintln(os.Stderr, "python:", err)
			}
		}
		ratio := "-"
		if !math.IsInf(p, 1) {
			ratio = fmt.Sprintf("%.2f", g.Seconds()/p)
		}
		fmt.Printf("%-34s %12s %9s %12s %9s %8s\n", c.name, g.Round(time.Microsecond), gbps(c.bytes, g.Seconds()),
			time.Duration(p*1e9).Round(time.Microsecond), gbps(c.bytes, p), ratio)
	}
}

func gbps(bytes, sec float64) string {
	if bytes == 0 || sec <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", bytes/sec/1e9)
}

// timeIt is the median of evaluated calls after two warm-up calls.
func timeIt(f func() []*tensor.Array, minTime time.Duration) time.Duration {
	for i := 0; i < 2; i++ {
		tensor.Eval(f()...)
	}
	var ts []time.Duration
	start := time.Now()
	for len(ts) < 5 || time.Since(start) < minTime {
		t0 := time.Now()
		tensor.Eval(f()...)
		ts = append(ts, time.Since(t0))
		if len(ts) >= 200 {
			break
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return ts[len(ts)/2]
}

// pyDriver sets every case up once, then times the case named on each
// input line and answers with its median seconds.
const pyDriver = `
import json, sys, time, math
import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
mx.set_default_device(mx.cpu)
spec = json.loads(sys.argv[1])
min_time = float(sys.argv[2])
fns = {}
for c in spec:
    env = {"mx": mx, "nn": nn, "optim": optim, "math": math}
    exec(c["setup"], env)
    exec(c["python"], env)
    fns[c["name"]] = env["f"]
print("ready", flush=True)
for line in sys.stdin:
    f = fns[line.strip()]
    for _ in range(2):
        mx.eval(f())
    ts = []
    start = time.perf_counter()
    while len(ts) < 5 or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        mx.eval(f())
        ts.append(time.perf_counter() - t0)
        if len(ts) >= 200:
            break
    ts.sort()
    print(ts[len(ts) // 2], flush=True)
`

type pyProc struct {
	in  io.Writer
	out *bufio.Scanner
}

func startPython(cases []benchCase, minTime time.Duration) (*pyProc, error) {
	var spec []map[string]string
	for _, c := range cases {
		spec = append(spec, map[string]string{"name": c.name, "python": c.python, "setup": c.setup})
	}
	js, _ := json.Marshal(spec)
	py := filepath.Join(testutil.Root(), ".venv", "bin", "python")
	cmd := exec.Command(py, "-c", pyDriver, string(js), fmt.Sprint(minTime.Seconds()))
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
		return nil, err
	}
	p := &pyProc{in: in, out: bufio.NewScanner(out)}
	if !p.out.Scan() || p.out.Text() != "ready" {
		return nil, fmt.Errorf("driver did not start")
	}
	return p, nil
}

func (p *pyProc) time(name string) (float64, error) {
	if _, err := fmt.Fprintln(p.in, name); err != nil {
		return 0, err
	}
	if !p.out.Scan() {
		return 0, fmt.Errorf("driver stopped")
	}
	return strconv.ParseFloat(strings.TrimSpace(p.out.Text()), 64)
}
