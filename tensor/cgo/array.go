package cgo

/*
#include <stdlib.h>
#include "bridge.h"

// These keep no pointer they are given and never call back into Go (see
// ops_gen.go). Eval and Read may run a graph, so they are left to cgo's
// default handling of callbacks.
#cgo noescape mlxgo_array_free
#cgo nocallback mlxgo_array_free
#cgo noescape mlxgo_array_from_data
#cgo nocallback mlxgo_array_from_data
#cgo noescape mlxgo_array_from_scalar
#cgo nocallback mlxgo_array_from_scalar
#cgo noescape mlxgo_array_copy_handle
#cgo nocallback mlxgo_array_copy_handle
#cgo noescape mlxgo_array_ndim
#cgo nocallback mlxgo_array_ndim
#cgo noescape mlxgo_array_shape
#cgo nocallback mlxgo_array_shape
#cgo noescape mlxgo_array_dtype
#cgo nocallback mlxgo_array_dtype
#cgo noescape mlxgo_array_id
#cgo nocallback mlxgo_array_id
#cgo noescape mlxgo_memory_stats
#cgo nocallback mlxgo_memory_stats
#cgo noescape mlxgo_array_read
#cgo noescape mlxgo_eval
#cgo noescape mlxgo_async_eval
*/
import "C"

import "unsafe"

// Free releases an array handle.
func Free(h Handle) {
	if h.p == nil {
		return
	}
	l := lock()
	C.mlxgo_array_free(h.c())
	unlock(l)
}

// FromData makes an array from raw element bytes (row-major) of the given dtype code.
func FromData(data unsafe.Pointer, shape []int, dtype int) (Handle, error) {
	cs := cInts(shape)
	var res C.mlxgo_array
	l := lock()
	st := C.mlxgo_array_from_data(&res, data, intsPtr(cs), C.int(len(cs)), C.int(dtype))
	err := statusError(st)
	unlock(l)
	return Handle{unsafe.Pointer(res)}, err
}

// FromScalar makes a 0-d array of the given dtype from a float or complex value.
func FromScalar(re, im float64, dtype int) (Handle, error) {
	var res C.mlxgo_array
	l := lock()
	st := C.mlxgo_array_from_scalar(&res, C.double(re), C.double(im), C.int(dtype))
	err := statusError(st)
	unlock(l)
	return Handle{unsafe.Pointer(res)}, err
}

// CopyHandle returns a second handle to the same array.
func CopyHandle(h Handle) (Handle, error) {
	var res C.mlxgo_array
	l := lock()
	st := C.mlxgo_array_copy_handle(&res, h.c())
	err := statusError(st)
	unlock(l)
	return Handle{unsafe.Pointer(res)}, err
}

// Meta returns shape and dtype code.
func Meta(h Handle) (shape []int, dtype int) {
	l := lock()
	nd := int(C.mlxgo_array_ndim(h.c()))
	cs := make([]C.int, nd)
	C.mlxgo_array_shape(h.c(), intsPtr(cs))
	dtype = int(C.mlxgo_array_dtype(h.c()))
	unlock(l)
	shape = make([]int, nd)
	for i, x := range cs {
		shape[i] = int(x)
	}
	return shape, dtype
}

// DtypeOf returns the dtype code of h.
func DtypeOf(h Handle) int {
	l := lock()
	d := int(C.mlxgo_array_dtype(h.c()))
	unlock(l)
	return d
}

// Read evaluates h and copies its elements in row-major order into dst.
func Read(h Handle, dst unsafe.Pointer, nbytes int) error {
	l := lock()
	st := C.mlxgo_array_read(h.c(), dst, C.size_t(nbytes))
	err := statusError(st)
	unlock(l)
	return err
}

// String is MLX's own text for the array (Python's repr).
func String(h Handle) (string, error) {
	var out *C.char
	l := lock()
	st := C.mlxgo_array_tostring(h.c(), &out)
	err := statusError(st)
	unlock(l)
	if err != nil {
		return "", err
	}
	s := C.GoString(out)
	C.mlxgo_free_string(out)
	return s, nil
}

// ExportToDot is the unevaluated graph behind hs in Graphviz DOT.
func ExportToDot(hs []Handle) (string, error) {
	c := cHandles(hs)
	var out *C.char
	l := lock()
	st := C.mlxgo_export_to_dot(handlesPtr(c), C.int(len(c)), &out)
	err := statusError(st)
	unlock(l)
	if err != nil {
		return "", err
	}
	s := C.GoString(out)
	C.mlxgo_free_string(out)
	return s, nil
}

// ID is the identity of the underlying graph node.
func ID(h Handle) uintptr {
	var id C.uintptr_t
	l := lock()
	C.mlxgo_array_id(h.c(), &id)
	unlock(l)
	return uintptr(id)
}

// IsEvaluated reports whether h has been scheduled or computed.
func IsEvaluated(h Handle) bool {
	l := lock()
	r := C.mlxgo_array_is_evaluated(h.c())
	unlock(l)
	return r != 0
}

// Eval computes the arrays.
func Eval(hs []Handle) error {
	c := cHandles(hs)
	l := lock()
	st := C.mlxgo_eval(handlesPtr(c), C.int(len(c)))
	err := statusError(st)
	unlock(l)
	return err
}

// AsyncEval schedules the arrays for computation and returns at once.
func AsyncEval(hs []Handle) error {
	c := cHandles(hs)
	l := lock()
	st := C.mlxgo_async_eval(handlesPtr(c), C.int(len(c)))
	err := statusError(st)
	unlock(l)
	return err
}

// DeviceAvailable reports whether the device (0 cpu, 1 gpu) can run ops.
func DeviceAvailable(device int) bool {
	l := lock()
	r := C.mlxgo_device_available(C.int(device))
	unlock(l)
	return r != 0
}

// NewStream makes a stream on the device that any thread may use.
func NewStream(device int) (Stream, error) {
	var s C.mlxgo_stream
	l := lock()
	st := C.mlxgo_new_stream(&s, C.int(device))
	err := statusError(st)
	unlock(l)
	return Stream{int(s.index), int(s.device)}, err
}

// Synchronize waits for all work queued on s.
func Synchronize(s Stream) error {
	l := lock()
	st := C.mlxgo_synchronize(s.c())
	err := statusError(st)
	unlock(l)
	return err
}

// MemoryStats returns MLX's active, peak and cache bytes, after freeing the
// handles queued by FreeLater.
func MemoryStats() (active, peak, cache uint64) {
	var a, p, c C.size_t
	l := lock()
	if !l {
		freePendingLocked()
	}
	C.mlxgo_memory_stats(&a, &p, &c)
	unlock(l)
	return uint64(a), uint64(p), uint64(c)
}

// MemoryLimits returns MLX's memory and cache limits.
func MemoryLimits() (memory, cache uint64) {
	var m, c C.size_t
	l := lock()
	C.mlxgo_memory_limits(&m, &c)
	unlock(l)
	return uint64(m), uint64(c)
}

// SetMemoryLimit sets MLX's memory limit and returns the previous one.
func SetMemoryLimit(n uint64) uint64 {
	var prev C.size_t
	l := lock()
	C.mlxgo_set_memory_limit(C.size_t(n), &prev)
	unlock(l)
	return uint64(prev)
}

// SetCacheLimit sets MLX's buffer-cache limit and returns the previous one.
func SetCacheLimit(n uint64) uint64 {
	var prev C.size_t
	l := lock()
	C.mlxgo_set_cache_limit(C.size_t(n), &prev)
	unlock(l)
	return uint64(prev)
}

// ClearCache frees MLX's cached buffers.
func ClearCache() {
	l := lock()
	C.mlxgo_clear_cache()
	unlock(l)
}

// ResetPeakMemory resets the peak-memory counter.
func ResetPeakMemory() {
	l := lock()
	C.mlxgo_reset_peak_memory()
	unlock(l)
}

// Version is the linked libmlx version.
func Version() string {
	var out *C.char
	l := lock()
	C.mlxgo_version(&out)
	unlock(l)
	defer C.mlxgo_free_string(out)
	return C.GoString(out)
}

// Seed seeds MLX's global random key sequence.
func Seed(seed uint64) {
	l := lock()
	C.mlxgo_random_seed(C.uint64_t(seed))
	unlock(l)
}
