package main

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// kernelResult is one fused kernel at one LLM shape: its time and what
// that achieves against the card's measured limit (bytes for the kernels
// that stream memory, FLOPs for those that multiply).
type kernelResult struct {
	name, shape string
	seconds     float64
	rate        float64 // bytes/s or FLOP/s
	flops       bool
	ofPeak      float64
}

// benchKernels times RMSNorm, RoPE, SDPA and quantized matmul at the shapes
// an 8B model uses (hidden 4096, 32/8 heads of 128, MLP 14336, 4-bit).
func benchKernels(bandwidth, matmulPeak float64) ([]kernelResult, error) {
	var out []kernelResult
	err := tensor.Try(func() {
		memBound := func(name, shape string, bytes float64, fn func() *tensor.Array) {
			d := timeBest(20, func() { fn().Eval().Free() }).Seconds()
			out = append(out, kernelResult{name, shape, d, bytes / d, false, bytes / d / bandwidth})
		}
		computeBound := func(name, shape string, flops float64, fn func() *tensor.Array) {
			d := timeBest(20, func() { fn().Eval().Free() }).Seconds()
			out = append(out, kernelResult{name, shape, d, flops / d, true, flops / d / matmulPeak})
		}

		x := randomBF16(1, 4, 2048, 4096)
		w := randomBF16(2, 4096)
		memBound("rms_norm", "4x2048x4096 bf16", float64(2*x.Nbytes()+w.Nbytes()),
			func() *tensor.Array { return fast.RMSNorm(x, w, 1e-5) })

		q := randomBF16(3, 4, 32, 2048, 128)
		memBound("rope", "4x32x2048x128 bf16", float64(2*q.Nbytes()),
			func() *tensor.Array { return fast.RoPE(q, 128, false, 500000, 1, 0) })

		q1 := randomBF16(4, 1, 32, 1, 128)
		k := randomBF16(5, 1, 8, 8192, 128)
		v := randomBF16(6, 1, 8, 8192, 128)
		memBound("sdpa decode", "q 1x32x1x128, kv 1x8x8192x128", float64(k.Nbytes()+v.Nbytes()),
			func() *tensor.Array { return fast.ScaledDotProductAttention(q1, k, v, 1/math.Sqrt(128), nil) })

		qp := randomBF16(7, 1, 32, 2048, 128)
		kp := randomBF16(8, 1, 8, 2048, 128)
		vp := randomBF16(9, 1, 8, 2048, 128)
		// Causal: half of the L x L scores and products are computed.
		computeBound("sdpa prefill (causal)", "1x32x2048x128, 8 kv heads", 2*2*32*2048*2048*128/2,
			func() *tensor.Array { return fast.CausalAttention(qp, kp, vp, 1/math.Sqrt(128)) })

		wq := tensor.Quantize(randomBF16(10, 14336, 4096), tensor.GroupSize(64), tensor.Bits(4))
		tensor.Eval(wq...)
		qbytes := float64(wq[0].Nbytes() + wq[1].Nbytes() + wq[2].Nbytes())
		// A decode product takes ~20 us, as long as a host round trip: one
		// evaluation times 32 of them, over 8 copies of the weights (264 MB,
		// more than L2 holds) so that each reads its weights from memory.
		copies := [][]*tensor.Array{wq}
		for i := range 7 {
			c := tensor.Quantize(randomBF16(uint64(20+i), 14336, 4096), tensor.GroupSize(64), tensor.Bits(4))
			tensor.Eval(c...)
			copies = append(copies, c)
		}
		xd := randomBF16(11, 1, 4096)
		const calls = 32
		d := timeBest(10, func() {
			outs := make([]*tensor.Array, calls)
			for i := range outs {
				c := copies[i%len(copies)]
				outs[i] = tensor.QuantizedMatmul(xd, c[0], c[1], tensor.Biases(c[2]))
			}
			tensor.Eval(outs...)
			tensor.Free(outs...)
		}).Seconds() / calls
		out = append(out, kernelResult{"quantized matmul decode", "1x4096 @ 4096x14336 4-bit", d, qbytes / d, false, qbytes / d / bandwidth})
		for _, c := range copies[1:] {
			tensor.Free(c...)
		}
		xp := randomBF16(12, 2048, 4096)
		computeBound("quantized matmul prefill", "2048x4096 @ 4096x14336 4-bit", 2*2048*4096*14336,
			func() *tensor.Array { return tensor.QuantizedMatmul(xp, wq[0], wq[1], tensor.Biases(wq[2])) })
	})
	return out, err
}

func printKernels(ks []kernelResult) {
	fmt.Printf("%-26s %-32s %10s %14s %8s\n", "kernel", "shape", "time us", "achieved", "of peak")
	for _, k := range ks {
		fmt.Printf("%-26s %-32s %10.1f %14s %7.0f%%\n", k.name, k.shape, k.seconds*1e6, k.rateString(), k.ofPeak*100)
	}
}

func (k kernelResult) rateString() string {
	if k.flops {
		return fmt.Sprintf("%.1f TFLOP/s", k.rate/1e12)
	}
	return fmt.Sprintf("%.0f GB/s", k.rate/1e9)
}
