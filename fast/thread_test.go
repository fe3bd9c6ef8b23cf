package fast_test

import (
	"runtime"
	"testing"
)

// pinThread keeps a test or benchmark on one OS thread: MLX 0.32 keeps a
// default stream per thread, and nodes MLX makes without an explicit
// stream must be evaluated on the thread that made them (see nn's tests).
func pinThread(t testing.TB) {
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
}
