package tensor

import "github.com/mlx-go/mlx-go/tensor/cgo"

// MemoryInfo is MLX's allocator state, in bytes.
type MemoryInfo struct {
	Active, Peak, Cache uint64 // in use by arrays, highest Active so far, cached for reuse
	Limit, CacheLimit   uint64
}

// Memory reports MLX's allocator state.
func Memory() MemoryInfo {
	a, p, c := cgo.MemoryStats()
	l, cl := cgo.MemoryLimits()
	return MemoryInfo{Active: a, Peak: p, Cache: c, Limit: l, CacheLimit: cl}
}

// ActiveMemory is the number of bytes held by arrays.
func ActiveMemory() uint64 { a, _, _ := cgo.MemoryStats(); return a }

// PeakMemory is the highest ActiveMemory since start or ResetPeakMemory.
func PeakMemory() uint64 { _, p, _ := cgo.MemoryStats(); return p }

// CacheMemory is the number of bytes MLX keeps cached for reuse.
func CacheMemory() uint64 { _, _, c := cgo.MemoryStats(); return c }

// SetMemoryLimit sets MLX's memory limit, returning the previous one.
func SetMemoryLimit(bytes uint64) uint64 { return cgo.SetMemoryLimit(bytes) }

// SetCacheLimit sets the limit of MLX's buffer cache, returning the previous one.
func SetCacheLimit(bytes uint64) uint64 { return cgo.SetCacheLimit(bytes) }

// ClearCache releases MLX's cached buffers.
func ClearCache() { cgo.ClearCache() }

// ResetPeakMemory starts peak tracking afresh.
func ResetPeakMemory() { cgo.ResetPeakMemory() }

// Version is the version of the linked libmlx.
func Version() string { return cgo.Version() }

// Seed seeds MLX's global random key sequence (mx.random.seed).
func Seed(seed uint64) { cgo.Seed(seed) }
