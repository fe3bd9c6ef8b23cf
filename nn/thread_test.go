package nn_test

import (
	"runtime"
	"testing"
)

// pinThread keeps the test on one OS thread. MLX 0.32 gives each thread
// its own default stream, and nodes that MLX creates without an explicit
// stream (the global random key's splits, parts of the gradient graph)
// land on the building thread's stream; evaluating them from another
// thread fails with "There is no Stream(cpu, N) in current thread". The
// tensor package does not yet pin its default stream per thread (reported).
func pinThread(t testing.TB) {
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
}
