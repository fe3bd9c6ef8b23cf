// Package cgo is mlx-go's C ABI over MLX's C++ API and the thin Go calls
// into it. Most of it is generated from ops.def (see gen/); the runtime part
// (handles, data, evaluation, memory, transforms) is written by hand.
//
// # Threads and streams
//
// MLX keeps default streams per OS thread, and goroutines migrate between
// threads, so this package never relies on default streams: every op is
// given an explicit stream created once per device with
// new_thread_unsafe_stream, which any thread may use. MLX's graph objects are
// not safe to mutate from several threads at once (Python serialises them
// with the GIL); one process-wide lock serialises every call into MLX in the
// same way. A Go function that MLX calls back during tracing (Grad, VJP,
// Compile, ...) runs on the thread that holds the lock; calls it makes are
// recognised as re-entrant by that thread's id and do not take the lock again.
//
// Errors: each C function returns a status; the message is kept per OS
// thread, so the calling goroutine is locked to its thread from the call until
// the message is read.
package cgo
