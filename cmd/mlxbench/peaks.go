package main

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/tensor"
)

// The limits decode rates and kernels are measured against are read off
// the card by this run itself, not taken from a data sheet: what a
// device-to-device pass moves and what a large bf16 matrix product does.

// timeBest runs fn (which must evaluate its result) n times after two
// warm-ups and returns the fastest run: the card's capability, not the
// noise of a shared host.
func timeBest(n int, fn func()) time.Duration {
	fn()
	fn()
	best := time.Duration(1 << 62)
	for range n {
		start := time.Now()
		fn()
		best = min(best, time.Since(start))
	}
	return best
}

// randomBF16 is an evaluated bf16 array of standard normal draws from seed.
func randomBF16(seed uint64, shape ...int) *tensor.Array {
	return tensor.AsType(tensor.RandomNormal(shape, tensor.Key(tensor.RandomKey(seed))), tensor.Bfloat16).Eval()
}

// measureCopyBandwidth is bytes read plus bytes written per second by an
// elementwise pass over 2 GiB of bf16 (MLX's copy primitive only shares
// the buffer, so a negation stands in for the copy kernel).
func measureCopyBandwidth() (float64, error) {
	var bps float64
	err := tensor.Try(func() {
		n := 1 << 30
		a := tensor.Zeros([]int{n}, tensor.Bfloat16).Eval()
		defer a.Free()
		d := timeBest(10, func() { tensor.Negative(a).Eval().Free() })
		bps = float64(2*a.Nbytes()) / d.Seconds()
	})
	return bps, err
}

// measureMatmulPeak is the bf16 FLOP rate of an 8192^3 product on random data.
func measureMatmulPeak() (float64, error) {
	var flops float64
	err := tensor.Try(func() {
		n := 8192
		a, b := randomBF16(1, n, n), randomBF16(2, n, n)
		defer a.Free()
		defer b.Free()
		d := timeBest(10, func() { tensor.Matmul(a, b).Eval().Free() })
		flops = 2 * float64(n) * float64(n) * float64(n) / d.Seconds()
	})
	return flops, err
}

// decodeWeightBytes is what one decode step must read of the weights:
// every tensor in the checkpoint, except that an untied embedding table
// is only gathered (one row), while a tied one is read whole as the
// output projection. (KV-cache reads come on top; at 512+128 positions
// they are a few percent of the weights and are left out.)
func decodeWeightBytes(dir string) (int64, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.safetensors"))
	if err != nil || len(files) == 0 {
		return 0, err
	}
	var total, embed int64
	for _, f := range files {
		headers, _, err := models.ReadSafetensorsHeader(f)
		if err != nil {
			return 0, err
		}
		for _, h := range headers {
			total += h.End - h.Begin
			if strings.Contains(h.Name, "embed_tokens") {
				embed += h.End - h.Begin
			}
		}
	}
	cfg, err := models.ReadConfig(dir)
	if err != nil {
		return 0, err
	}
	if !cfg.TieWordEmbeddings {
		total -= embed
	}
	return total, nil
}
