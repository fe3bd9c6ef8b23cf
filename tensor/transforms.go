package tensor

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Func is a function of arrays that MLX can transform: Grad, VJP, JVP,
// Checkpoint and Compile all take one. MLX calls it with tracer arrays to
// record the graph; it must use only tensor ops on its arguments (and on
// arrays it closes over), must not start goroutines that call MLX and wait
// for them, and should not Free its arguments.
//
// A panic inside f (an op failing, an index out of range...) does not cross
// MLX's C++ code: it is caught and the transform panics with an *Error
// naming the transform and carrying f's panic text.
type Func func(args []*Array) []*Array

// goFunc adapts f to the bridge: handles in (owned by us), handles out (the
// bridge copies them for MLX; our arrays stay ours and the GC frees them).
func goFunc(op string, f Func) cgo.GoFunc {
	return func(in []cgo.Handle) ([]cgo.Handle, error) {
		args := make([]*Array, len(in))
		for i, h := range in {
			args[i] = newArray(h)
		}
		outs := f(args)
		hs := make([]cgo.Handle, len(outs))
		for i, o := range outs {
			if o == nil || o.h.IsNil() {
				return nil, fmt.Errorf("the function's output %d is %s", i, describe(o))
			}
			hs[i] = o.h
		}
		return hs, nil
	}
}

// transformError is the *Error a failed transform panics with.
func transformError(op string, err error, inputs []*Array) *Error {
	var pe *cgo.PanicError
	if errors.As(err, &pe) {
		return &Error{Op: op, Inputs: describeAll(inputs), Msg: "the traced function panicked: " + pe.Error()}
	}
	return newError(op, err, inputs)
}

func describeAll(as []*Array) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = describe(a)
	}
	return out
}

func wrapAll(hs []cgo.Handle) []*Array {
	out := make([]*Array, len(hs))
	for i, h := range hs {
		out[i] = newArray(h)
	}
	return out
}

// VJP runs f on primals and returns its outputs and the vector-Jacobian
// products of those outputs with cotangents (one per output), as mx.vjp.
func VJP(f Func, primals, cotangents []*Array) (outs, vjps []*Array) {
	o, v, err := cgo.VJP(goFunc("vjp", f), handles("vjp", primals), handles("vjp", cotangents), defaultStream())
	if err != nil {
		panic(transformError("vjp", err, append(append([]*Array{}, primals...), cotangents...)))
	}
	return wrapAll(o), wrapAll(v)
}

// JVP runs f on primals and returns its outputs and the Jacobian-vector
// products with tangents (one per primal), as mx.jvp.
func JVP(f Func, primals, tangents []*Array) (outs, jvps []*Array) {
	o, v, err := cgo.JVP(goFunc("jvp", f), handles("jvp", primals), handles("jvp", tangents), defaultStream())
	if err != nil {
		panic(transformError("jvp", err, append(append([]*Array{}, primals...), tangents...)))
	}
	return wrapAll(o), wrapAll(v)
}

// ValueAndGrad returns a function that computes f and the gradient of f's
// first output (a scalar) with respect to the arguments at argnums (default:
// the first), as mx.value_and_grad.
func ValueAndGrad(f Func, argnums ...int) func(args ...*Array) (values []*Array, grads []*Array) {
	if len(argnums) == 0 {
		argnums = []int{0}
	}
	nums := append([]int(nil), argnums...)
	return func(args ...*Array) ([]*Array, []*Array) {
		for _, n := range nums {
			if n < 0 || n >= len(args) {
				panic(&Error{Op: "value_and_grad", Inputs: describeAll(args),
					Msg: fmt.Sprintf("argnum %d is out of range for %d arguments", n, len(args))})
			}
		}
		v, g, err := cgo.ValueAndGrad(goFunc("value_and_grad", scalarFirst(f)), nums, handles("value_and_grad", args), defaultStream())
		if err != nil {
			panic(transformError("value_and_grad", err, args))
		}
		return wrapAll(v), wrapAll(g)
	}
}

// scalarFirst checks, as Python MLX does, that f's first output is the
// scalar being differentiated: MLX's own message would be about cotangents.
func scalarFirst(f Func) Func {
	return func(args []*Array) []*Array {
		outs := f(args)
		if len(outs) == 0 || outs[0] == nil || outs[0].h.IsNil() || outs[0].Ndim() != 0 {
			var got string
			if len(outs) == 0 {
				got = "no outputs"
			} else {
				got = "a first output " + describe(outs[0])
			}
			panic(&Error{Op: "value_and_grad", Msg: "the function must return a scalar array first (the value to differentiate), got " + got})
		}
		return outs
	}
}

// Grad returns a function that computes the gradient of f's first output (a
// scalar) with respect to the arguments at argnums (default: the first), one
// gradient per argnum, as mx.grad. Grad of a Grad gives second derivatives.
func Grad(f Func, argnums ...int) func(args ...*Array) []*Array {
	vg := ValueAndGrad(f, argnums...)
	return func(args ...*Array) []*Array {
		_, g := vg(args...)
		return g
	}
}

// Grad1 is Grad for a function of one array to a scalar array.
func Grad1(f func(*Array) *Array) func(*Array) *Array {
	g := Grad(Unary(f))
	return func(x *Array) *Array { return g(x)[0] }
}

// ValueAndGrad1 is ValueAndGrad for a function of one array to a scalar array.
func ValueAndGrad1(f func(*Array) *Array) func(*Array) (value, grad *Array) {
	vg := ValueAndGrad(Unary(f))
	return func(x *Array) (*Array, *Array) {
		v, g := vg(x)
		return v[0], g[0]
	}
}

// Unary turns a function of one array into a Func.
func Unary(f func(*Array) *Array) Func {
	return func(args []*Array) []*Array {
		if len(args) != 1 {
			panic(&Error{Op: "call", Msg: fmt.Sprintf("function of one array called with %d arrays", len(args))})
		}
		return []*Array{f(args[0])}
	}
}

// Checkpoint returns f with gradient checkpointing: in a backward pass its
// intermediates are recomputed instead of kept, as mx.checkpoint. Results
// and gradients equal those of f.
func Checkpoint(f Func) Func {
	fn, err := cgo.Checkpoint(goFunc("checkpoint", f))
	if err != nil {
		panic(newError("checkpoint", err, nil))
	}
	return funcOf("checkpoint", newMLXFunc(fn))
}

// Compiled is a Go function compiled by MLX: the first call with new input
// shapes and dtypes traces the function (calls it with tracers), later calls
// run the recorded, fused graph without calling it again.
type Compiled struct {
	fn *mlxFunc
}

// NewCompiled compiles f (see Compile). Free releases it; a Compiled that is
// no longer reachable is released by the garbage collector.
func NewCompiled(f Func, shapeless bool) *Compiled {
	fn, err := cgo.Compile(goFunc("compile", f), shapeless)
	if err != nil {
		panic(newError("compile", err, nil))
	}
	return &Compiled{newMLXFunc(fn)}
}

// Call runs the compiled function.
func (c *Compiled) Call(args ...*Array) []*Array { return c.fn.call("compile", args) }

// Func is c as a Func, for use with the other transforms.
func (c *Compiled) Func() Func { return funcOf("compile", c.fn) }

// Free releases the compiled graphs now; calling c afterwards panics.
func (c *Compiled) Free() { c.fn.free() }

// Compile compiles f with MLX, as mx.compile. With shapeless, one trace
// serves inputs of any shape (of the same dtypes and ranks); otherwise a new
// shape traces again. The compiled function is released when the returned
// Func becomes unreachable; use NewCompiled to free it explicitly.
func Compile(f Func, shapeless bool) Func { return NewCompiled(f, shapeless).Func() }

// SetCompileEnabled turns compilation on or off for functions compiled
// afterwards (mx.enable_compile / mx.disable_compile); a function compiled
// while disabled just runs f.
func SetCompileEnabled(on bool) { cgo.SetCompileEnabled(on) }

// mlxFunc owns an MLX-held function and frees it when unreachable.
type mlxFunc struct {
	fn      *cgo.Func
	cleanup runtime.Cleanup
}

func newMLXFunc(fn *cgo.Func) *mlxFunc {
	m := &mlxFunc{fn: fn}
	m.cleanup = runtime.AddCleanup(m, (*cgo.Func).Free, fn)
	return m
}

func (m *mlxFunc) call(op string, args []*Array) []*Array {
	out, err := m.fn.Call(handles(op, args), defaultStream())
	if err != nil {
		panic(transformError(op, err, args))
	}
	return wrapAll(out)
}

func (m *mlxFunc) free() {
	m.cleanup.Stop()
	m.fn.Free()
}

func funcOf(op string, m *mlxFunc) Func {
	return func(args []*Array) []*Array { return m.call(op, args) }
}

// RunOnCompileThread runs fn, and waits for it, on the OS thread compiled
// functions live on (MLX caches compiled graphs per thread); a panic in fn
// is raised again in the caller. Loops that call compiled functions many
// times, such as generation, run there whole: each call then skips the
// hand-off between threads, and the loop keeps to one OS thread, which
// GPU backends reward. fn must not wait for another goroutine that calls
// a compiled function: that one would wait for fn.
func RunOnCompileThread(fn func()) { cgo.RunOnCompileThread(fn) }

// OnCompileThread reports whether a compiled function called now runs
// right away: the caller runs on the compile thread (inside
// RunOnCompileThread) or inside a transform. Elsewhere each call is handed
// to the compile thread, which costs tens of microseconds.
func OnCompileThread() bool { return cgo.OnCompileThread() }
