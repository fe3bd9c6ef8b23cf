package tensor_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// Many goroutines build graphs, evaluate them and read results at once,
// some sharing an input array; every value must be right. Run with -race:
//
//	go test -race -run Concurrency ./tensor
func TestConcurrencyOpsAndEvals(t *testing.T) {
	const goroutines, iterations = 16, 200
	shared := tensor.Arange(0, 8, tensor.Float32) // read by every goroutine
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			errs <- concurrentWorker(g, iterations, shared)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// concurrentWorker checks, for each i: sum((shared*2 + g + i) * mask) where
// mask keeps elements 0..k, against the same sum computed in Go.
func concurrentWorker(g, iterations int, shared *tensor.Array) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("goroutine %d: %v", g, p)
		}
	}()
	for i := range iterations {
		k := (g + i) % 8
		mask := tensor.Less(tensor.Arange(0, 8, tensor.Float32), float64(k+1))
		y := shared.Multiply(2).Add(g + i)
		s := tensor.Sum(tensor.Where(mask, y, 0.0))
		if i%3 == 0 {
			tensor.Eval(s)
		} else if i%3 == 1 {
			tensor.AsyncEval(s)
		}
		want := 0.0
		for j := 0; j <= k; j++ {
			want += float64(2*j + g + i)
		}
		if got := s.Float(); got != want {
			return fmt.Errorf("goroutine %d iteration %d: sum = %v, want %v", g, i, got, want)
		}
		if i%2 == 0 { // free some explicitly, leave the rest to the GC
			s.Free()
			y.Free()
		}
	}
	return nil
}

// Transforms (which call back into Go while holding MLX) run concurrently
// with plain ops in other goroutines and with each other.
func TestConcurrencyTransformsWithOps(t *testing.T) {
	compiled := tensor.NewCompiled(fused, false)
	defer compiled.Free()
	shared := tensor.Arange(0, 8, tensor.Float32)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 4 {
		wg.Go(func() { errs <- concurrentWorker(g, 100, shared) })
	}
	run := func(name string, g int, f func(i int) error) {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					errs <- fmt.Errorf("%s %d: %v", name, g, p)
				}
			}()
			for i := range 100 {
				if err := f(i); err != nil {
					errs <- fmt.Errorf("%s %d iteration %d: %v", name, g, i, err)
					return
				}
			}
		})
	}
	square := func(x *tensor.Array) *tensor.Array { return tensor.Sum(x.Multiply(x)) }
	for g := range 4 {
		run("grad", g, func(i int) error {
			x := vec(float32(g), float32(i), -1)
			got := tensor.Grad1(square)(x).Float32s()
			want := []float32{2 * float32(g), 2 * float32(i), -2}
			return sameFloats(got, want)
		})
		run("grad of grad", g, func(i int) error {
			cube := func(x *tensor.Array) *tensor.Array { return x.Multiply(x).Multiply(x) }
			x := tensor.New(float32(i % 7))
			got := tensor.Grad1(tensor.Grad1(cube))(x).Float32s()
			return sameFloats(got, []float32{6 * float32(i%7)})
		})
		run("compiled", g, func(i int) error {
			out := compiled.Call(vec(0, 0), vec(float32(g), float32(i)))[0].Float32s()
			return sameFloats(out, []float32{float32(g) + 1, float32(i) + 1}) // exp(0)*y + 1
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func sameFloats(got, want []float32) error {
	if len(got) != len(want) {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Errorf("got %v, want %v", got, want)
		}
	}
	return nil
}
