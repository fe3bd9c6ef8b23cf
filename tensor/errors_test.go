package tensor_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// pythonErrors evaluates each Python MLX expression (on the CPU) and returns
// the message it fails with; an expression that succeeds fails the test.
func pythonErrors(t *testing.T, exprs []string) []string {
	t.Helper()
	var msgs []*string
	pythonJSON(t, `
mx.set_default_device(mx.cpu)
out = []
for e in json.load(sys.stdin):
    try:
        mx.eval(eval(e))
        out.append(None)
    except Exception as err:
        out.append(str(err))
print(json.dumps(out))
`, exprs, &msgs)
	out := make([]string, len(msgs))
	for i, m := range msgs {
		if m == nil {
			t.Fatalf("Python MLX accepted %s; the case expects an error", exprs[i])
		}
		out[i] = *m
	}
	return out
}

// catch runs f and returns the *tensor.Error it panicked with.
func catch(t *testing.T, name string, f func()) *tensor.Error {
	t.Helper()
	err := tensor.Try(f)
	var te *tensor.Error
	if !errors.As(err, &te) {
		t.Fatalf("%s: got %v, want a *tensor.Error", name, err)
	}
	return te
}

// TestMLXErrorsNameOpInputsAndMessage: bad input that MLX refuses becomes
// a *tensor.Error naming the op, each input as dtype[shape], and MLX's own
// message (taken from Python MLX for the same call); the process goes on.
func TestMLXErrorsNameOpInputsAndMessage(t *testing.T) {
	a23 := tensor.Zeros([]int{2, 3})
	a4 := tensor.Zeros([]int{4}, tensor.Int32)
	i22 := tensor.Ones([]int{2, 2}, tensor.Int32)
	cases := []struct {
		name, op string
		inputs   []string
		py       string
		f        func()
	}{
		{"shape_mismatch", "add", []string{"float32[2,3]", "int32[4]"},
			"mx.add(mx.zeros((2, 3)), mx.zeros((4,), dtype=mx.int32))", func() { tensor.Add(a23, a4) }},
		{"shape_mismatch_method", "multiply", []string{"float32[2,3]", "int32[4]"},
			"mx.zeros((2, 3)) * mx.zeros((4,), dtype=mx.int32)", func() { a23.Multiply(a4) }},
		{"matmul_shapes", "matmul", []string{"float32[2,3]", "float32[2,3]"},
			"mx.matmul(mx.zeros((2, 3)), mx.zeros((2, 3)))", func() { tensor.Matmul(a23, a23) }},
		{"bad_dtype_matmul", "matmul", []string{"int32[2,2]", "int32[2,2]"},
			"mx.matmul(mx.ones((2, 2), dtype=mx.int32), mx.ones((2, 2), dtype=mx.int32))", func() { tensor.Matmul(i22, i22) }},
		{"bad_dtype_bitwise", "bitwise_and", []string{"float32[2,3]", "float32[2,3]"},
			"mx.bitwise_and(mx.zeros((2, 3)), mx.zeros((2, 3)))", func() { tensor.BitwiseAnd(a23, a23) }},
		{"bad_axis", "sum", []string{"float32[2,3]"},
			"mx.sum(mx.zeros((2, 3)), axis=5)", func() { tensor.Sum(a23, tensor.Axis(5)) }},
		{"bad_axis_negative", "argmax", []string{"float32[2,3]"},
			"mx.argmax(mx.zeros((2, 3)), axis=-3)", func() { tensor.Argmax(a23, tensor.Axis(-3)) }},
		{"axis_out_of_range", "swapaxes", []string{"float32[2,3]"},
			"mx.swapaxes(mx.zeros((2, 3)), 0, 5)", func() { tensor.Swapaxes(a23, 0, 5) }},
		{"reshape_size", "reshape", []string{"float32[2,3]"},
			"mx.zeros((2, 3)).reshape(4, 2)", func() { tensor.Reshape(a23, []int{4, 2}) }},
		{"float_indices", "take", []string{"float32[2,3]", "float32[2,3]"},
			"mx.take(mx.zeros((2, 3)), mx.zeros((2, 3)))", func() { tensor.Take(a23, a23) }},
		{"concat_shapes", "concatenate", []string{"float32[2,3]", "int32[4]"},
			"mx.concatenate([mx.zeros((2, 3)), mx.zeros((4,), dtype=mx.int32)])", func() { tensor.Concatenate([]*tensor.Array{a23, a4}) }},
	}
	var exprs []string
	for _, c := range cases {
		exprs = append(exprs, c.py)
	}
	msgs := pythonErrors(t, exprs)
	for i, c := range cases {
		te := catch(t, c.name, c.f)
		if te.Op != c.op {
			t.Errorf("%s: op %q, want %q", c.name, te.Op, c.op)
		}
		if strings.Join(te.Inputs, " ") != strings.Join(c.inputs, " ") {
			t.Errorf("%s: inputs %v, want %v", c.name, te.Inputs, c.inputs)
		}
		if !strings.Contains(te.Msg, msgs[i]) {
			t.Errorf("%s: message %q does not carry MLX's %q", c.name, te.Msg, msgs[i])
		}
		want := c.op + "(" + strings.Join(c.inputs, ", ") + "): "
		if !strings.HasPrefix(te.Error(), want) {
			t.Errorf("%s: Error() = %q, want it to start %q", c.name, te.Error(), want)
		}
	}
	// The process and MLX are still fine.
	if got := tensor.Sum(tensor.Add(a23, 1)).Item(); got != float64(6) {
		t.Errorf("after the errors, sum(zeros+1) = %v", got)
	}
}

// TestEvalErrorsSurfaceOnRead: a failure inside MLX's lazy evaluation
// (here LAPACK on a singular matrix) surfaces at the read as a *tensor.Error
// carrying MLX's message, naming the reader and the array.
func TestEvalErrorsSurfaceOnRead(t *testing.T) {
	msgs := pythonErrors(t, []string{"mx.linalg.inv(mx.zeros((2, 2)))"})
	inv := tensor.Inv(tensor.Zeros([]int{2, 2}), tensor.CPU)
	te := catch(t, "singular", func() { inv.Float32s() })
	if te.Op != "float32s" || len(te.Inputs) != 1 || te.Inputs[0] != "float32[2,2]" || !strings.Contains(te.Msg, msgs[0]) {
		t.Errorf("got %q (op %q, inputs %v), want float32s(float32[2,2]) carrying %q", te, te.Op, te.Inputs, msgs[0])
	}
	if got := tensor.Inv(tensor.Eye(2, tensor.CPU), tensor.CPU).Float32s(); got[0] != 1 || got[3] != 1 {
		t.Errorf("after the error, inv(eye) = %v", got)
	}
}

// TestGoSideErrors: misuse the Go API catches before MLX: freed and nil
// arrays, unknown options, options of the wrong type, bad dtypes and axes.
func TestGoSideErrors(t *testing.T) {
	freed := tensor.Ones([]int{2})
	freed.Free()
	freed.Free() // twice is harmless
	var nilArr *tensor.Array
	a := tensor.Zeros([]int{2, 3})
	cases := []struct {
		name, op, msg string
		f             func()
	}{
		{"use_after_free", "add", "array used after Free", func() { tensor.Add(freed, 1) }},
		{"use_after_free_method", "sum", "array used after Free", func() { freed.Sum() }},
		{"use_after_free_shape", "shape", "array used after Free", func() { freed.Shape() }},
		{"use_after_free_read", "float32s", "array used after Free", func() { freed.Float32s() }},
		{"nil_array", "sum", "nil *Array", func() { tensor.Sum(nilArr) }},
		{"freed_option_array", "random_uniform", "array used after Free", func() { tensor.RandomUniform([]int{2}, tensor.Key(freed)) }},
		{"freed_optional_scalar", "clip", "array used after Free", func() { tensor.Clip(a, freed, nil) }},
		{"nil_read", "int32s", "nil *Array", func() { nilArr.Int32s() }},
		{"nil_item", "item", "nil *Array", func() { nilArr.Item() }},
		{"nil_operand", "add", "nil *Array", func() { tensor.Add(a, nilArr) }},
		{"nil_in_list", "concatenate", "nil *Array", func() { tensor.Concatenate([]*tensor.Array{a, nilArr}) }},
		{"unknown_option", "sum", "does not take option Step (it takes Axis, KeepDims", func() { tensor.Sum(a, tensor.Step(1)) }},
		{"option_on_optionless_op", "abs", "does not take option KeepDims (it takes only a Device or Stream)",
			func() { tensor.Abs(a, tensor.KeepDims(true)) }},
		{"dtype_where_none_taken", "matmul", "does not take option dtype", func() { tensor.Matmul(a, a, tensor.Float16) }},
		{"wrong_option_type", "argmax", "option Axis wants one int, got []int", func() { tensor.Argmax(a, tensor.Axis(0, 1)) }},
		{"wrong_scalar_type", "random_uniform", "cannot make an array from string", func() { tensor.RandomUniform([]int{2}, tensor.Low("x")) }},
		{"bad_scalar", "add", "cannot make an array from struct", func() { tensor.Add(a, struct{}{}) }},
		{"bad_dtype", "astype", "", func() { tensor.AsType(a, tensor.Dtype(99)) }},
		{"dim_out_of_range", "dim", "axis out of range", func() { a.Dim(5) }},
		{"item_not_single", "item", "item needs an array of one element, this one has 6", func() { a.Item() }},
		{"wrong_bits_reader", "float16_bits", "array is not float16", func() { a.Float16Bits() }},
	}
	for _, c := range cases {
		te := catch(t, c.name, c.f)
		if te.Op != c.op || !strings.Contains(te.Msg, c.msg) {
			t.Errorf("%s: got %q (op %q), want op %q with a message containing %q", c.name, te, te.Op, c.op, c.msg)
		}
	}
	// Dtype names from text are an error value (parsing touches input),
	// naming the bad name and the valid ones.
	if _, err := tensor.ParseDtype("float99"); err == nil || !strings.Contains(err.Error(), `"float99"`) ||
		!strings.Contains(err.Error(), "bfloat16") {
		t.Errorf("ParseDtype(float99) = %v, want an error naming it and the valid dtypes", err)
	}
	// bad_dtype: the message must name the bad dtype code.
	if te := catch(t, "bad_dtype", func() { tensor.AsType(a, tensor.Dtype(99)) }); !strings.Contains(te.Msg, "99") {
		t.Errorf("bad dtype error %q does not name the dtype code", te)
	}
	// Try passes through panics that are not tensor errors.
	defer func() {
		if r := recover(); r != "not a tensor error" {
			t.Errorf("Try swallowed or changed a foreign panic: %v", r)
		}
	}()
	tensor.Try(func() { panic("not a tensor error") })
}
