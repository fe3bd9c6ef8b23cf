package tensor

import (
	"runtime"
	"sync"
	"sync/atomic"

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
	live        atomic.Int64 // Arrays made, less those freed by Free (see LiveArrays)
	collections atomic.Int64 // collections this package started

	collectMu  sync.Mutex // guards the levels below
	collecting atomic.Bool
	baseMem    uint64
	baseLive   int64
	baseKnown  bool // false until measured after the last collection
)

func collectIfNeeded() {
	if collecting.Load() || !collectMu.TryLock() {
		return
	}
	defer collectMu.Unlock()
	active, _, _ := cgo.MemoryStats()
	n := LiveArrays()
	if !baseKnown {
		baseMem, baseLive, baseKnown = active, n, true
		return
	}
	if active-min(active, baseMem) < max(baseMem, memGrowthFloor) && n-baseLive < max(baseLive, liveGrowthFloor) {
		return
	}
	collecting.Store(true)
	go func() {
		runtime.GC()
		collections.Add(1)
		collectMu.Lock()
		baseKnown = false // measured at the next check, once cleanups ran
		collectMu.Unlock()
		collecting.Store(false)
	}()
}

// Collections is the number of garbage collections the package started
// because MLX memory or the number of live arrays grew.
func Collections() int64 { return collections.Load() }

// LiveArrays is the number of Arrays not yet freed (explicitly or by the GC).
// Arrays the GC found unreachable count until their handles are freed.
func LiveArrays() int64 { return live.Load() - cgo.FreedLater() }
