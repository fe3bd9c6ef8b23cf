package lm

import (
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/tensor"
)

// BenchmarkDecodeGraph times only building one decode step's graph (the
// host work that precedes AsyncEval), not evaluating it: on a GPU the
// device runs the step while the host builds the next, so this is what
// decode speed on small models comes down to, with AsyncEval's encoding.
// ns/op includes evaluating; build-ns/tok is the building alone.
// go test -run - -bench DecodeGraph ./models/lm
func BenchmarkDecodeGraph(b *testing.B) {
	for _, name := range []string{"llama-bf16", "qwen3-bf16", "llama-4bit", "gemma3_text-bf16"} {
		b.Run(name, func(b *testing.B) {
			m := loadLLM(b, name).Model
			prompt := make([]int, 20)
			for i := range prompt {
				prompt[i] = 5 + 7*i
			}
			tensor.RunOnCompileThread(func() {
				o := resolve(nil)
				var st *stepper
				var y *tensor.Array
				start := func() {
					var err error
					if st, err = newStepper(m, &o); err != nil {
						b.Fatal(err)
					}
					rest, err := st.prefill(prompt, func() error { return nil }, nil)
					if err != nil {
						b.Fatal(err)
					}
					y = st.step(tensor.FromInts(rest, len(rest)))
					tensor.Eval(y)
				}
				start()
				n := 0
				var build time.Duration
				for b.Loop() {
					t0 := time.Now()
					next := st.step(y)
					build += time.Since(t0)
					tensor.Eval(next)
					y.Free()
					y = next
					if n++; n%200 == 0 { // keep the cache short
						st.cache.Free()
						st.free()
						start()
					}
				}
				st.cache.Free()
				b.ReportMetric(float64(build.Nanoseconds())/float64(b.N), "build-ns/tok")
			})
		})
	}
}
