// Package tensor is MLX for Go: n-dimensional arrays, the ops of Python's
// mlx.core, automatic differentiation and compilation of Go functions.
//
//	a := tensor.New([][]float32{{1, 2}, {3, 4}})
//	b := a.Multiply(2).Add(1)               // lazy: builds a graph
//	fmt.Println(tensor.Sum(b, tensor.Axis(1))) // printing evaluates it
//
// Arrays are lazy, as in Python MLX: an op records a node of a graph and
// returns at once; the graph is computed when data is read (Float32s, Item,
// String...), on Eval, or in the background after AsyncEval.
//
// # Ops and options
//
// Ops take their required arguments positionally and the rest as options,
// the Go spelling of Python's keyword arguments:
//
//	tensor.Sum(a, tensor.Axis(1), tensor.KeepDims(true))
//	tensor.Zeros([]int{2, 3}, tensor.Float16, tensor.CPU)
//
// A Dtype, a Device or a Stream is itself an option. Each op also has a
// method form (a.Add(b)). Where Python takes an array or a number, Go does
// too (arguments of type any): Go numbers are weak scalars, as Python's are,
// and take the dtype of the array they meet, so a float16 array times 2
// stays float16. An op given an option it does not take panics naming the
// options it does take.
//
// # Errors
//
// Ops panic with an *Error naming the op, its inputs as dtype[shape] and
// MLX's message, the way Go panics on an index out of range: expressions
// chain without an error check per op, and a mistake is reported where it
// happened. Try turns such a panic into an error:
//
//	err := tensor.Try(func() { tensor.Matmul(a, b) })
//
// Functions that touch the outside world (loading and saving files) return
// an error instead. The transforms (Grad, VJP, JVP, Checkpoint, Compile)
// catch any panic inside the function they trace, so that it never unwinds
// through MLX's C++ frames, and panic with an *Error naming the transform.
//
// # Goroutines, threads and streams
//
// Every function of the package may be called from any goroutine. MLX's
// graph is not safe to change from several threads at once (Python relies
// on its GIL), so one process-wide lock serialises the calls into MLX; the
// computation itself runs on MLX's own threads. Each op is given an explicit
// stream (one per device, shared, or one made with NewStream): MLX's default
// streams belong to OS threads, and goroutines move between threads.
//
// A function being transformed runs while its transform holds the lock, on
// the same thread; the ops it calls are recognised and do not wait for the
// lock. It must therefore not hand MLX work to another goroutine and wait
// for it. MLX keeps compiled graphs per OS thread, so compiled functions are
// traced, called and freed on one dedicated thread: a function compiled
// once is traced once, whichever goroutines call it.
//
// # Lifetime and memory
//
// An Array owns a reference to an MLX array. Free releases it at once;
// using it afterwards panics, and freeing twice is harmless. An Array that
// becomes unreachable without Free is released after a garbage collection,
// by a cleanup, so programs need not call Free at all.
//
// Go's collector does not see MLX's memory: a 1 GB array is, to Go, a small
// struct. So the package watches MLX's active memory and the number of live
// arrays, and starts a collection when either has grown past its level after
// the previous collection by that level or by a floor (64 MB, 20 000
// arrays), whichever is larger; a goroutine that makes arrays faster than
// the collection's cleanups free them waits for it at twice that growth. A
// loop making arrays without Free thus stays bounded (memory_test.go proves
// it with Go's own collector switched off). The handles of collected arrays
// are freed in batches by the next call into MLX, on its thread. Free is
// still the way to return large buffers promptly, and Memory, ActiveMemory,
// LiveArrays, Collections, SetMemoryLimit and SetCacheLimit show and bound
// what MLX holds.
//
// # Transforms
//
// Grad, ValueAndGrad, VJP, JVP, Checkpoint and Compile take a Func, a Go
// function from arrays to arrays, and work as their Python namesakes do
// (gradients of gradients included); Grad1 and ValueAndGrad1 are the
// one-array forms:
//
//	df := tensor.Grad1(func(x *tensor.Array) *tensor.Array { return tensor.Sum(x.Multiply(x)) })
//	df(x) // 2x
//
// None of them is generic, so that the REPL's interpreter can call them.
package tensor
