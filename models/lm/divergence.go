package lm

import (
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Divergence compares two generations from the same prompt (greedy ones
// from two backends or kernels, say): at is the first position where they
// differ, and ulps how far apart this model's logits for the two tokens
// are there, in units of the last place of a bfloat16 at the larger one.
// A few units is a near tie, which summing in another (equally correct)
// order can decide either way; many is a real difference. parted is false
// when one is a prefix of the other.
func (l *LLM) Divergence(prompt, a, b []int) (at int, ulps float64, parted bool, err error) {
	for at < len(a) && at < len(b) && a[at] == b[at] {
		at++
	}
	if at == len(a) || at == len(b) {
		return at, 0, false, nil
	}
	err = tensor.Try(func() {
		ids := append(append([]int(nil), prompt...), a[:at]...)
		logits := l.Model.Forward(tensor.FromInts(ids, 1, len(ids)), nil)
		vocab := logits.Shape()[2]
		row := tensor.AsType(logits, tensor.Float32).Float32s()
		row = row[len(row)-vocab:]
		x, y := float64(row[a[at]]), float64(row[b[at]])
		unit := math.Ldexp(1, int(math.Floor(math.Log2(math.Max(math.Abs(x), math.Abs(y)))))-7)
		ulps = math.Abs(x-y) / unit
	})
	return at, ulps, true, err
}
