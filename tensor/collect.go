package tensor

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Memory pressure. Go's GC sees the Array structs, not MLX's buffers: a loop
// making 4 KiB arrays looks to Go like a loop making 128-byte structs. So
// every checkEvery new arrays (and after each Eval) we compare MLX's active
// memory and the number of live arrays with their levels just after the last
// collection, and start one when either has grown by its level or its floor,
// whichever is more (the way GOGC paces the Go heap). The collection runs in
// the background; its cleanups queue the unreachable arrays' handles, which
// the next MLX call frees (cgo.FreeLater).
const (
	checkEvery      = 512
	memGrowthFloor  = 64 << 20
	liveGrowthFloor = 20_000
)

var (
	made        atomic.Int64 // Arrays ever made
	freed       atomic.Int64 // Arrays freed by Free
	collections atomic.Int64 // collections this package started

	collectMu   sync.Mutex // guards the levels below and collectDone
	collecting  atomic.Bool
	collectDone chan struct{} // closed when the running collection ends
	baseMem     uint64
	baseLive    int64
	baseKnown   bool // false until first measured
)

func collectIfNeeded() {
	if !collectMu.TryLock() {
		return
	}
	active, _, _ := cgo.MemoryStats()
	n := LiveArrays()
	if !baseKnown {
		baseMem, baseLive, baseKnown = active, n, true
		collectMu.Unlock()
		return
	}
	memGrowth, liveGrowth := active-min(active, baseMem), n-baseLive
	memStep, liveStep := max(baseMem, memGrowthFloor), max(baseLive, liveGrowthFloor)
	if collecting.Load() {
		// Making arrays faster than the cleanups free them: wait for the
		// collection (as Go's GC makes allocating goroutines assist), so
		// memory stays within twice the step. Not inside a traced function,
		// which holds MLX while the collection needs it to free.
		done := collectDone
		collectMu.Unlock()
		if (memGrowth >= 2*memStep || liveGrowth >= 2*liveStep) && !cgo.InCallback() {
			<-done
		}
		return
	}
	if memGrowth >= memStep || liveGrowth >= liveStep {
		collecting.Store(true)
		collectDone = make(chan struct{})
		go collect(collectDone)
	}
	collectMu.Unlock()
}

// collect runs a collection, waits for its cleanups to release what it
// found, and records the levels the next collection is paced from.
func collect(done chan struct{}) {
	defer close(done)
	made0 := made.Load()
	runtime.GC()
	collections.Add(1)
	// The collection only queues cleanups; the levels it leaves are known
	// once the cleanups have run and their handles are freed.
	waitForCleanups()
	cgo.FlushFrees()
	active, _, _ := cgo.MemoryStats()
	// Arrays made since the collection started were not its to free: most
	// are the next collection's garbage, so they do not count in the level
	// the next one is paced from (memory is taken in proportion).
	n := LiveArrays()
	survivors := max(n-(made.Load()-made0), 0)
	if n > 0 {
		active = uint64(float64(active) * float64(survivors) / float64(n))
	}
	collectMu.Lock()
	baseMem, baseLive, baseKnown = active, survivors, true
	collectMu.Unlock()
	collecting.Store(false)
}

// waitForCleanups waits until the runtime has run every cleanup queued so
// far (the collections' sweeps queue them; goroutines run them later).
func waitForCleanups() {
	samples := []metrics.Sample{{Name: "/gc/cleanups/queued:cleanups"}, {Name: "/gc/cleanups/executed:cleanups"}}
	for range 10_000 { // 5 s at most: a cleanup elsewhere may block
		metrics.Read(samples)
		if samples[0].Value.Kind() != metrics.KindUint64 || samples[1].Value.Uint64() >= samples[0].Value.Uint64() {
			return
		}
		time.Sleep(500 * time.Microsecond)
	}
}

// Collections is the number of garbage collections the package started
// because MLX memory or the number of live arrays grew.
func Collections() int64 { return collections.Load() }

// LiveArrays is the number of Arrays not yet freed (explicitly or by the GC).
// Arrays the GC found unreachable count until their handles are freed.
func LiveArrays() int64 { return made.Load() - freed.Load() - cgo.FreedLater() }
