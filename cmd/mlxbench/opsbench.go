package main

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

//go:embed opsbench.py
var opsPeerScript string

// runOps (-suite ops) times the ops one Llama layer's prefill is made of,
// at Llama-3.2-1B's shapes for a 511-token chunk, in mlx-go and in Python
// MLX: when generation is slower on a device, this says which op is.
func runOps(python string) error {
	fmt.Printf("%-28s %10s %10s %7s\n", "op", "mlx-go us", "Python us", "ratio")
	py := map[string]string{}
	out, err := exec.Command(python, "-c", opsPeerScript).Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "python side:", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if name, t, ok := strings.Cut(line, "\t"); ok {
			py[name] = t
		}
	}
	return tensor.Try(func() {
		const l = 511
		x, wq := randomBF16(1, 1, l, 2048), randomBF16(2, 2048, 2048)
		q, k, v := randomBF16(3, 1, 32, l, 64), randomBF16(4, 1, 8, l, 64), randomBF16(5, 1, 8, l, 64)
		g, u, nw := randomBF16(6, 1, l, 8192), randomBF16(7, 1, l, 8192), randomBF16(8, 2048)
		freqs := tensor.Power(500000.0, tensor.Divide(tensor.Arange(0, 64, tensor.Step(2)), 64.0)).Eval()
		swiglu := tensor.Compile(func(a []*tensor.Array) []*tensor.Array {
			return []*tensor.Array{tensor.Multiply(nn.SiLU(a[0]), a[1])}
		}, true)
		ops := []struct {
			name string
			fn   func() *tensor.Array
		}{
			{"matmul x@W.T 511x2048x2048", func() *tensor.Array { return tensor.Matmul(x, tensor.Transpose(wq)) }},
			{"rms_norm 511x2048", func() *tensor.Array { return fast.RMSNorm(x, nw, 1e-5) }},
			{"rope 32x511x64", func() *tensor.Array { return fast.RoPE(q, 64, false, 500000, 1, 0) }},
			{"rope freqs 32x511x64", func() *tensor.Array { return fast.RoPEWithFreqs(q, 64, false, 1, 0, freqs) }},
			{"sdpa causal 32/8x511x64", func() *tensor.Array { return fast.CausalAttention(q, k, v, 1/math.Sqrt(64)) }},
			{"swiglu plain 511x8192", func() *tensor.Array { return tensor.Multiply(nn.SiLU(g), u) }},
			{"swiglu compiled 511x8192", func() *tensor.Array { return swiglu([]*tensor.Array{g, u})[0] }},
		}
		for _, op := range ops {
			us := float64(timeBest(10, func() { op.fn().Eval().Free() }).Nanoseconds()) / 1000
			theirs := py[op.name]
			pyUS, _ := strconv.ParseFloat(theirs, 64) // 0 when Python gave none
			fmt.Printf("%-28s %10.1f %10s %6.2fx\n", op.name, us, theirs, pyUS/us)
		}
	})
}
