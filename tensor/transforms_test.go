package tensor_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

// The transforms are checked against Python MLX running the same functions
// on the same inputs: transformsPeer prints every result by name, and the Go
// side must match bit for bit (both run MLX's CPU kernels).
const transformsPeer = `
import json
import mlx.core as mx

mx.set_default_device(mx.cpu)
out = {}
def put(name, *arrays):
    for i, a in enumerate(arrays):
        out[f"{name}/{i}"] = a.astype(mx.float32).reshape(-1).tolist()

x = mx.array([0.1, 0.5, -1.2, 2.0, 3.3])
f = lambda x: mx.sum(mx.sin(x) * mx.square(x))
put("grad", mx.grad(f)(x))
v, g = mx.value_and_grad(f)(x)
put("value_and_grad", v, g)

s = mx.array(0.7)
h = lambda x: mx.power(x, 3) * mx.sin(x)
put("grad2", mx.grad(mx.grad(h))(s))
put("grad3", mx.grad(mx.grad(mx.grad(h)))(s))

w = mx.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]])
xs = mx.array([[1.0, 2.0, -1.0], [0.5, -0.5, 3.0]])
b = mx.array([0.1, -0.2])
def loss(w, xs, b):
    return mx.sum(mx.square(mx.tanh(mx.matmul(xs, w) + b)))
v, (gw, gb) = mx.value_and_grad(loss, argnums=(0, 2))(w, xs, b)
put("argnums02", v, gw, gb)
put("argnums1", mx.grad(loss, argnums=1)(w, xs, b))

p1 = mx.array([1.0, 2.0, 3.0])
p2 = mx.array([0.5, -1.0, 4.0])
def two(a, b):
    return a * b, mx.sin(a) + b
outs, vjps = mx.vjp(lambda a, b: list(two(a, b)), [p1, p2], [mx.array([1.0, 0.5, -2.0]), mx.array([3.0, 1.0, 0.25])])
put("vjp_out", *outs)
put("vjp", *vjps)
outs, jvps = mx.jvp(lambda a, b: list(two(a, b)), [p1, p2], [mx.array([0.1, 0.2, 0.3]), mx.array([1.0, -1.0, 0.5])])
put("jvp_out", *outs)
put("jvp", *jvps)

def fused(x, y):
    return mx.exp(x) * y + 1.0
c = mx.compile(fused)
put("compiled", c(p1, p2))
put("compiled_grad", *mx.grad(lambda a, b: mx.sum(c(a, b)), argnums=(0, 1))(p1, p2))

def deep(x):
    for _ in range(4):
        x = mx.tanh(x) * 1.5
    return mx.sum(x)
put("checkpoint_grad", mx.grad(mx.checkpoint(deep))(x))

mx.random.seed(42)
put("random", mx.random.uniform(shape=(3,)))
print(json.dumps(out))
`

var (
	peerOnce    sync.Once
	peerResults map[string][]float64
)

// peer runs transformsPeer once per test binary.
func peer(t *testing.T) map[string][]float64 {
	t.Helper()
	peerOnce.Do(func() {
		// The peer runs where Go's arrays do: on a GPU, the same kernels.
		script := strings.Replace(transformsPeer, "mx.set_default_device(mx.cpu)",
			"mx.set_default_device(mx."+strings.ToLower(tensor.DefaultDevice().String())+")", 1)
		out := testutil.RunPython(t, script)
		if err := json.Unmarshal(out, &peerResults); err != nil {
			t.Fatalf("peer output %q: %v", out, err)
		}
	})
	if peerResults == nil {
		t.Fatal("the Python peer failed earlier")
	}
	return peerResults
}

// samePython checks each array against the peer's results name/0, name/1...
func samePython(t *testing.T, name string, got ...*tensor.Array) {
	t.Helper()
	want := peer(t)
	for i, a := range got {
		key := fmt.Sprintf("%s/%d", name, i)
		w, ok := want[key]
		if !ok {
			t.Fatalf("%s: the peer has no result %s", name, key)
		}
		g := a.Float32s()
		if len(g) != len(w) {
			t.Fatalf("%s: %d values, Python has %d", key, len(g), len(w))
		}
		for j := range g {
			if !samePeerValue(g[j], float32(w[j])) {
				t.Errorf("%s[%d] = %v, Python MLX gives %v", key, j, g[j], float32(w[j]))
			}
		}
	}
	if extra := fmt.Sprintf("%s/%d", name, len(got)); want[extra] != nil {
		t.Errorf("%s: Python has more results (%s) than Go returned", name, extra)
	}
}

// samePeerValue: bit for bit on the CPU; on a GPU within a few float32
// units, which reductions by atomics leave to chance.
func samePeerValue(got, want float32) bool {
	if math.Float32bits(got) == math.Float32bits(want) {
		return true
	}
	if tensor.DefaultDevice() != tensor.GPU {
		return false
	}
	return math.Abs(float64(got)-float64(want)) <= 4*0x1p-23*math.Max(math.Abs(float64(want)), 1e-6)
}

func vec(v ...float32) *tensor.Array { return tensor.FromFloat32s(v, len(v)) }

var x5 = []float32{0.1, 0.5, -1.2, 2.0, 3.3}

func sinTimesSquare(x *tensor.Array) *tensor.Array {
	return tensor.Sum(tensor.Sin(x).Multiply(tensor.Square(x)))
}

func TestGradMatchesPython(t *testing.T) {
	x := vec(x5...)
	samePython(t, "grad", tensor.Grad1(sinTimesSquare)(x))
	v, g := tensor.ValueAndGrad1(sinTimesSquare)(x)
	samePython(t, "value_and_grad", v, g)
}

func TestNestedGrad(t *testing.T) {
	h := func(x *tensor.Array) *tensor.Array { return tensor.Power(x, 3).Multiply(tensor.Sin(x)) }
	s := tensor.New(float32(0.7))
	samePython(t, "grad2", tensor.Grad1(tensor.Grad1(h))(s))
	samePython(t, "grad3", tensor.Grad1(tensor.Grad1(tensor.Grad1(h)))(s))
}

func lossWXB(args []*tensor.Array) []*tensor.Array {
	w, xs, b := args[0], args[1], args[2]
	return []*tensor.Array{tensor.Sum(tensor.Square(tensor.Tanh(tensor.Matmul(xs, w).Add(b))))}
}

func TestGradWithArgnums(t *testing.T) {
	w := tensor.New([][]float32{{0.5, -0.3}, {0.2, 0.8}, {-0.6, 0.1}})
	xs := tensor.New([][]float32{{1, 2, -1}, {0.5, -0.5, 3}})
	b := vec(0.1, -0.2)
	v, g := tensor.ValueAndGrad(lossWXB, 0, 2)(w, xs, b)
	if len(v) != 1 || len(g) != 2 {
		t.Fatalf("value_and_grad gave %d values and %d grads, want 1 and 2", len(v), len(g))
	}
	samePython(t, "argnums02", v[0], g[0], g[1])
	samePython(t, "argnums1", tensor.Grad(lossWXB, 1)(w, xs, b)...)
}

func twoOutputs(args []*tensor.Array) []*tensor.Array {
	a, b := args[0], args[1]
	return []*tensor.Array{a.Multiply(b), tensor.Sin(a).Add(b)}
}

func TestVJPAndJVPMatchPython(t *testing.T) {
	p := []*tensor.Array{vec(1, 2, 3), vec(0.5, -1, 4)}
	outs, vjps := tensor.VJP(twoOutputs, p, []*tensor.Array{vec(1, 0.5, -2), vec(3, 1, 0.25)})
	samePython(t, "vjp_out", outs...)
	samePython(t, "vjp", vjps...)
	outs, jvps := tensor.JVP(twoOutputs, p, []*tensor.Array{vec(0.1, 0.2, 0.3), vec(1, -1, 0.5)})
	samePython(t, "jvp_out", outs...)
	samePython(t, "jvp", jvps...)
}

func fused(args []*tensor.Array) []*tensor.Array {
	return []*tensor.Array{tensor.Exp(args[0]).Multiply(args[1]).Add(1.0)}
}

func TestCompileMatchesPython(t *testing.T) {
	c := tensor.Compile(fused, false)
	a, b := vec(1, 2, 3), vec(0.5, -1, 4)
	samePython(t, "compiled", c([]*tensor.Array{a, b})...)
	loss := func(args []*tensor.Array) []*tensor.Array { return []*tensor.Array{tensor.Sum(c(args)[0])} }
	samePython(t, "compiled_grad", tensor.Grad(loss, 0, 1)(a, b)...)
}

// counting wraps f and counts how often MLX traces (calls) it.
func counting(f tensor.Func) (tensor.Func, func() int) {
	var mu sync.Mutex
	n := 0
	return func(args []*tensor.Array) []*tensor.Array {
			mu.Lock()
			n++
			mu.Unlock()
			return f(args)
		}, func() int {
			mu.Lock()
			defer mu.Unlock()
			return n
		}
}

func TestCompileRetracesOnlyWhenNeeded(t *testing.T) {
	double := func(args []*tensor.Array) []*tensor.Array { return []*tensor.Array{args[0].Multiply(2).Add(args[0])} }
	for _, shapeless := range []bool{false, true} {
		f, traces := counting(double)
		c := tensor.NewCompiled(f, shapeless)
		for i, n := range []int{3, 3, 5, 5, 3} {
			x := tensor.Arange(0, float64(n), tensor.Float32)
			got := c.Call(x)[0].Float32s()
			for j, v := range got {
				if v != 3*float32(j) {
					t.Fatalf("shapeless=%v call %d: element %d = %v, want %v", shapeless, i, j, v, 3*float32(j))
				}
			}
		}
		// Python MLX: one trace per new shape, or one in all when shapeless.
		want := 2
		if shapeless {
			want = 1
		}
		if traces() != want {
			t.Errorf("shapeless=%v: traced %d times, want %d", shapeless, traces(), want)
		}
		c.Free()
		if err := tensor.Try(func() { c.Call(vec(1)) }); err == nil || !strings.Contains(err.Error(), "freed") {
			t.Errorf("calling a freed compiled function: got %v, want an error saying it was freed", err)
		}
	}
}

func TestCompileTracesOnceAcrossGoroutines(t *testing.T) {
	f, traces := counting(fused)
	c := tensor.NewCompiled(f, false)
	defer c.Free()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				c.Call(vec(1, 2, 3), vec(0.5, -1, 4))[0].Eval()
			}
		})
	}
	wg.Wait()
	if traces() != 1 {
		t.Errorf("160 calls from 8 goroutines traced %d times, want 1", traces())
	}
}

func TestCompileDisabledRunsTheFunction(t *testing.T) {
	tensor.SetCompileEnabled(false)
	f, traces := counting(fused)
	c := tensor.NewCompiled(f, false)
	tensor.SetCompileEnabled(true)
	defer c.Free()
	for range 3 {
		c.Call(vec(1, 2, 3), vec(0.5, -1, 4))
	}
	if traces() != 3 {
		t.Errorf("compiled while disabled: the function ran %d times for 3 calls, want 3", traces())
	}
	samePython(t, "compiled", c.Call(vec(1, 2, 3), vec(0.5, -1, 4))...)
}

func deep(x *tensor.Array) *tensor.Array {
	for range 4 {
		x = tensor.Tanh(x).Multiply(1.5)
	}
	return tensor.Sum(x)
}

func TestCheckpointGivesTheSameGradients(t *testing.T) {
	x := vec(x5...)
	plain := tensor.Grad1(deep)(x)
	ck := tensor.Checkpoint(tensor.Unary(deep))
	checkpointed := tensor.Grad(ck)(x)[0]
	samePython(t, "checkpoint_grad", checkpointed)
	samePython(t, "checkpoint_grad", plain)
}

// A panic in the traced function must come back as an *Error from the
// transform, for every transform, and leave MLX usable.
func TestPanicInsideTracedFunction(t *testing.T) {
	badShapes := func(args []*tensor.Array) []*tensor.Array {
		return []*tensor.Array{tensor.Sum(tensor.Matmul(args[0], args[0]))} // [3] @ [3] is fine; [2,3]@[2,3] is not
	}
	goPanic := func(args []*tensor.Array) []*tensor.Array {
		var s []int
		_ = s[len(args)+3] // a runtime error, not an *Error
		return args
	}
	m := tensor.New([][]float32{{1, 2, 3}, {4, 5, 6}})
	cases := []struct {
		name, want string
		run        func()
	}{
		{"grad/mlx error", "matmul", func() { tensor.Grad(badShapes)(m) }},
		{"grad/go panic", "index out of range", func() { tensor.Grad(goPanic)(m) }},
		{"vjp", "index out of range", func() { tensor.VJP(goPanic, []*tensor.Array{m}, []*tensor.Array{m}) }},
		{"jvp", "matmul", func() { tensor.JVP(badShapes, []*tensor.Array{m}, []*tensor.Array{m}) }},
		{"compile", "index out of range", func() { tensor.Compile(goPanic, false)([]*tensor.Array{m}) }},
		{"checkpoint", "matmul", func() { tensor.Checkpoint(badShapes)([]*tensor.Array{m}) }},
		{"nested grad", "index out of range", func() {
			tensor.Grad(func(a []*tensor.Array) []*tensor.Array { return tensor.Grad(goPanic)(a...) })(m)
		}},
		{"nil output", "output 1 is nil", func() {
			tensor.VJP(func(a []*tensor.Array) []*tensor.Array { return []*tensor.Array{a[0], nil} }, []*tensor.Array{m}, []*tensor.Array{m, m})
		}},
		{"nil loss", "scalar", func() {
			tensor.Grad(func([]*tensor.Array) []*tensor.Array { return []*tensor.Array{nil} })(m)
		}},
		{"non-scalar loss", "scalar", func() { tensor.Grad(twoOutputs)(m, m) }},
		{"argnum out of range", "argnum 2", func() { tensor.Grad(fused, 2)(m, m) }},
	}
	for _, c := range cases {
		err := tensor.Try(c.run)
		var e *tensor.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want a *tensor.Error", c.name, err)
			continue
		}
		if !strings.Contains(e.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.name, e.Error(), c.want)
		}
	}
	// MLX still works, transforms included.
	samePython(t, "grad", tensor.Grad1(sinTimesSquare)(vec(x5...)))
}

// MLX makes some arrays (a transform's tracers, random keys) on the calling
// thread's default stream; they must still evaluate on another thread, as a
// goroutine may move between threads at any time.
func TestArraysEvaluateOnAnotherThread(t *testing.T) {
	grads := make(chan []*tensor.Array)
	release := make(chan struct{})
	go func() {
		runtime.LockOSThread() // keep this thread busy until the other reads
		defer runtime.UnlockOSThread()
		x := vec(x5...)
		g := tensor.Grad1(sinTimesSquare)(x)
		_, vjps := tensor.VJP(twoOutputs, []*tensor.Array{vec(1, 2, 3), vec(0.5, -1, 4)},
			[]*tensor.Array{vec(1, 0.5, -2), vec(3, 1, 0.25)})
		tensor.Seed(42)
		r := tensor.RandomUniform([]int{3})
		grads <- append([]*tensor.Array{g, r}, vjps...)
		<-release
	}()
	got := <-grads
	defer close(release)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := tensor.Try(func() {
		samePython(t, "grad", got[0])
		samePython(t, "random", got[1])
		samePython(t, "vjp", got[2:]...)
	}); err != nil {
		t.Fatal(err)
	}
}

// Compiled and checkpointed functions nobody references any more are freed
// by the GC (on the compile thread for compiled ones); new ones still work.
func TestDroppedFunctionsAreReleased(t *testing.T) {
	for i := range 50 {
		c := tensor.Compile(fused, i%2 == 0)
		c([]*tensor.Array{vec(1), vec(2)})
		ck := tensor.Checkpoint(fused)
		ck([]*tensor.Array{vec(1), vec(2)})
	}
	runtime.GC()
	settle()
	samePython(t, "compiled", tensor.Compile(fused, false)([]*tensor.Array{vec(1, 2, 3), vec(0.5, -1, 4)})...)
}
