package tensor_test

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/tensor"
)

// A loop that makes 100k arrays with real 4 KiB buffers and never calls
// Free must not keep them all: the package's collections (driven by MLX
// memory and the live-array count, which Go's GC cannot see) and cleanups
// keep MLX's active memory and LiveArrays bounded.
func TestMemoryStaysBoundedWithoutFree(t *testing.T) {
	const (
		n      = 100_000
		floats = 1024 // 4 KiB each: 400 MB in all if nothing were freed
	)
	// Go's own collector is switched off, so that only the package's policy
	// can bound memory: what this test proves does not rest on how much Go
	// memory the loop happens to allocate.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	settle()
	startMem, startLive := tensor.ActiveMemory(), tensor.LiveArrays()
	startCollections := tensor.Collections()
	buf := make([]float32, floats)
	var peakMem uint64
	var peakLive int64
	for i := range n {
		buf[0] = float32(i)
		a := tensor.FromFloat32s(buf, floats)
		if i%1000 == 0 {
			// Use the array so the buffer is real and the value right.
			if got := a.Float32s()[0]; got != float32(i) {
				t.Fatalf("array %d holds %v", i, got)
			}
			peakMem = max(peakMem, tensor.ActiveMemory()-min(startMem, tensor.ActiveMemory()))
			peakLive = max(peakLive, tensor.LiveArrays()-startLive)
		}
	}
	t.Logf("made %d arrays of %d bytes: peak active memory +%d MB, peak live arrays +%d, %d collections",
		n, 4*floats, peakMem>>20, peakLive, tensor.Collections()-startCollections)
	// Unbounded would be 400 MB and 100k arrays; the policy collects after
	// 64 MB or 20k arrays of growth, so allow twice that for collections
	// running in the background while the loop goes on.
	if peakMem > 160<<20 {
		t.Errorf("active memory grew by %d MB (of %d MB made): not bounded", peakMem>>20, n*4*floats>>20)
	}
	if peakLive > 45_000 {
		t.Errorf("live arrays grew by %d (of %d made): not bounded", peakLive, n)
	}
	// Once unreachable, everything goes back.
	settle()
	if d := tensor.LiveArrays() - startLive; d > 100 {
		t.Errorf("%d arrays still live after collection", d)
	}
	if d := tensor.ActiveMemory() - min(startMem, tensor.ActiveMemory()); d > 1<<20 {
		t.Errorf("active memory still %d KB above the start after collection", d>>10)
	}
}

// Explicit Free releases at once, with no collection involved.
func TestFreeReleasesAtOnce(t *testing.T) {
	settle()
	before := tensor.ActiveMemory()
	a := tensor.FromFloat32s(make([]float32, 1<<20), 1<<20) // 4 MB
	if got := tensor.ActiveMemory() - before; got < 4<<20 {
		t.Fatalf("a 4 MB array raised active memory by only %d bytes", got)
	}
	live := tensor.LiveArrays()
	a.Free()
	if got := tensor.ActiveMemory(); got > before {
		t.Errorf("after Free active memory is %d, was %d before the array", got, before)
	}
	if tensor.LiveArrays() != live-1 {
		t.Errorf("LiveArrays went from %d to %d on Free, want one less", live, tensor.LiveArrays())
	}
	a.Free() // harmless
	if err := tensor.Try(func() { a.Add(1) }); err == nil {
		t.Error("using a freed array did not fail")
	}
}

// settle collects until the unreachable arrays are released.
func settle() {
	for range 20 {
		before := tensor.LiveArrays()
		runtime.GC()
		time.Sleep(5 * time.Millisecond) // cleanups run on their own goroutine
		tensor.ActiveMemory()            // frees the handles they queued
		if tensor.LiveArrays() == before {
			return
		}
	}
}
