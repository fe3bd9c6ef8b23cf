package tensor_test

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// Arrays are lazy; printing evaluates them and shows what Python MLX shows.
func Example() {
	a := tensor.New([][]float32{{1, 2}, {3, 4}})
	b := a.Multiply(2).Add(1) // weak scalars: b stays float32
	fmt.Println(tensor.Sum(b, tensor.Axis(1)))
	fmt.Println(b.Shape(), b.Dtype())
	// Output:
	// array([8, 16], dtype=float32)
	// [2 2] float32
}

// Options are Go's keyword arguments; a Dtype or Device is an option too.
func Example_options() {
	a := tensor.Arange(0, 6, tensor.Float32).Reshape([]int{2, 3})
	fmt.Println(tensor.Sum(a, tensor.Axis(0), tensor.KeepDims(true)))
	fmt.Println(tensor.Zeros([]int{2}, tensor.Int32, tensor.CPU))
	// Output:
	// array([[3, 5, 7]], dtype=float32)
	// array([0, 0], dtype=int32)
}

// Ops panic with *tensor.Error; Try turns the panic into an error.
func ExampleTry() {
	a := tensor.Ones([]int{2, 3})
	err := tensor.Try(func() { tensor.Matmul(a, a) })
	fmt.Println(err != nil)
	var e *tensor.Error = err.(*tensor.Error)
	fmt.Println(e.Op, e.Inputs)
	// Output:
	// true
	// matmul [float32[2,3] float32[2,3]]
}

// The derivative of sum(x³) is 3x².
func ExampleGrad1() {
	cubeSum := func(x *tensor.Array) *tensor.Array { return tensor.Sum(tensor.Power(x, 3)) }
	fmt.Println(tensor.Grad1(cubeSum)(tensor.New([]float32{1, 2, 3})))
	// Output:
	// array([3, 12, 27], dtype=float32)
}

// Gradients of gradients: the second derivative of x³ is 6x.
func ExampleGrad1_nested() {
	cube := func(x *tensor.Array) *tensor.Array { return tensor.Power(x, 3) }
	d2 := tensor.Grad1(tensor.Grad1(cube))
	fmt.Println(d2(tensor.New(float32(2))))
	// Output:
	// array(12, dtype=float32)
}

// A loss of several arguments, differentiated with respect to two of them.
func ExampleValueAndGrad() {
	loss := func(args []*tensor.Array) []*tensor.Array {
		w, x, b := args[0], args[1], args[2]
		return []*tensor.Array{tensor.Sum(tensor.Square(x.Multiply(w).Add(b)))}
	}
	w, x, b := tensor.New(float32(2)), tensor.New([]float32{1, 2}), tensor.New(float32(1))
	values, grads := tensor.ValueAndGrad(loss, 0, 2)(w, x, b)
	fmt.Println(values[0])
	fmt.Println(grads[0], grads[1])
	// Output:
	// array(34, dtype=float32)
	// array(26, dtype=float32) array(16, dtype=float32)
}

// VJP and JVP give vector-Jacobian and Jacobian-vector products.
func ExampleVJP() {
	square := func(args []*tensor.Array) []*tensor.Array { return []*tensor.Array{args[0].Multiply(args[0])} }
	x := tensor.New([]float32{1, 2, 3})
	_, vjps := tensor.VJP(square, []*tensor.Array{x}, []*tensor.Array{tensor.New([]float32{1, 1, 0.5})})
	_, jvps := tensor.JVP(square, []*tensor.Array{x}, []*tensor.Array{tensor.New([]float32{1, 0, 0})})
	fmt.Println(vjps[0])
	fmt.Println(jvps[0])
	// Output:
	// array([2, 4, 3], dtype=float32)
	// array([2, 0, 0], dtype=float32)
}

// A compiled function is traced on its first call and on each new input
// shape; later calls reuse the fused graph.
func ExampleCompile() {
	traces := 0
	gelu := func(args []*tensor.Array) []*tensor.Array {
		traces++
		x := args[0]
		return []*tensor.Array{x.Multiply(tensor.Sigmoid(x.Multiply(1.702)))}
	}
	c := tensor.NewCompiled(gelu, false)
	defer c.Free()
	for range 3 {
		c.Call(tensor.New([]float32{-1, 0, 1}))
	}
	c.Call(tensor.New([]float32{1, 2}))
	fmt.Println("traces:", traces)
	fmt.Println(c.Call(tensor.New([]float32{0, 0}))[0])
	// Output:
	// traces: 2
	// array([0, 0], dtype=float32)
}

// Free releases MLX memory at once; unreachable arrays are released by the
// garbage collector anyway. (On a GPU the release can trail by the moment
// MLX's completion handler takes to let go of the evaluated buffer, so the
// example uses the CPU.)
func ExampleArray_Free() {
	before := tensor.ActiveMemory()
	a := tensor.Zeros([]int{1024, 1024}, tensor.CPU).Eval() // 4 MB
	fmt.Println(tensor.ActiveMemory()-before >= 4<<20)
	a.Free()
	fmt.Println(tensor.ActiveMemory() < before+4<<20)
	// Output:
	// true
	// true
}
