package tensor

import "sync"

// Scalars that ops meet (x.Multiply(0.5), tensor.Where(m, x, 0)) are made
// into 0-d arrays. The same few values come back again and again, in loops
// especially, so the arrays of the first scalarCacheSize distinct (value,
// dtype) pairs are kept and shared: an op on a kept scalar makes no array
// and frees none. MLX arrays never change once made, and a kept array is
// never handed to the caller, so sharing is invisible. Kept arrays are not
// counted by LiveArrays, and are never freed (a few hundred bytes each).
const scalarCacheSize = 512

type scalarKey struct {
	d Dtype
	v any // a Go bool or number: comparable, and typed (int 2 and int64 2 differ)
}

var scalarCache = struct {
	sync.Mutex
	m map[scalarKey]*Array
}{m: map[scalarKey]*Array{}}

// weakScalar returns the 0-d array of v as dtype d, and the temporary to
// free after the op (nil when the array is a kept one).
func weakScalar(op string, v any, d Dtype) (*Array, *Array) {
	k := scalarKey{d, v}
	scalarCache.Lock()
	a := scalarCache.m[k]
	scalarCache.Unlock()
	if a != nil {
		return a, nil
	}
	a = scalarOf(op, v, d)
	scalarCache.Lock()
	defer scalarCache.Unlock()
	if kept := scalarCache.m[k]; kept != nil { // another goroutine was first
		return kept, a
	}
	if len(scalarCache.m) >= scalarCacheSize || v != v { // a NaN key would never be found again
		return a, a
	}
	a.cleanup.Stop() // kept for good: the map holds it
	made.Add(-1)     // not the caller's: not counted
	scalarCache.m[k] = a
	return a, nil
}
