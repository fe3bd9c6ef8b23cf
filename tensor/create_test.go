package tensor_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// A creation case is a Go constructor call and the Python MLX expression a
// user would write for the same array; the two must agree in dtype, shape
// and bytes.
type creationCase struct {
	name string
	got  func() *tensor.Array
	py   string
}

var creationCases = []creationCase{
	// New: Python's literal typing (float64 -> float32, int -> int32).
	{"new_float_1d", func() *tensor.Array { return tensor.New([]float32{1.5, -2}) }, "mx.array([1.5, -2.0])"},
	{"new_float64_nested", func() *tensor.Array { return tensor.New([][]float64{{1, 2}, {3, 4.5}}) }, "mx.array([[1, 2], [3, 4.5]])"},
	{"new_int", func() *tensor.Array { return tensor.New([]int{1, 2, 3}) }, "mx.array([1, 2, 3])"},
	{"new_int32_3d", func() *tensor.Array { return tensor.New([][][]int32{{{1, 2}}, {{3, 4}}}) }, "mx.array([[[1, 2]], [[3, 4]]])"},
	{"new_int8", func() *tensor.Array { return tensor.New([]int8{-1, 2, 127}) }, "mx.array([-1, 2, 127], dtype=mx.int8)"},
	{"new_int16", func() *tensor.Array { return tensor.New([][]int16{{-300}, {300}}) }, "mx.array([[-300], [300]], dtype=mx.int16)"},
	{"new_int64", func() *tensor.Array { return tensor.New([]int64{-1 << 40, 5}) }, "mx.array([-(1 << 40), 5], dtype=mx.int64)"},
	{"new_uint8", func() *tensor.Array { return tensor.New([]uint8{0, 255}) }, "mx.array([0, 255], dtype=mx.uint8)"},
	{"new_uint16", func() *tensor.Array { return tensor.New([]uint16{0, 65535}) }, "mx.array([0, 65535], dtype=mx.uint16)"},
	{"new_uint32", func() *tensor.Array { return tensor.New([]uint32{0, 1 << 31}) }, "mx.array([0, 1 << 31], dtype=mx.uint32)"},
	{"new_uint64", func() *tensor.Array { return tensor.New([]uint64{math.MaxUint64}) }, "mx.array(np.array([2**64 - 1], dtype=np.uint64))"},
	{"new_uint", func() *tensor.Array { return tensor.New([]uint{7}) }, "mx.array([7], dtype=mx.uint64)"},
	{"new_bool_nested", func() *tensor.Array { return tensor.New([][]bool{{true, false}, {false, true}}) }, "mx.array([[True, False], [False, True]])"},
	{"new_complex64", func() *tensor.Array { return tensor.New([]complex64{1 + 2i, -0.5i}) }, "mx.array([1 + 2j, 0 - 0.5j])"},
	{"new_complex128", func() *tensor.Array { return tensor.New([]complex128{3 - 1i}) }, "mx.array([3 - 1j])"},
	{"new_go_array", func() *tensor.Array { return tensor.New([2][3]float32{{1, 2, 3}, {4, 5, 6}}) }, "mx.array([[1.0, 2, 3], [4, 5, 6]])"},
	{"new_big_int_is_int64", func() *tensor.Array { return tensor.New([][]int{{1}, {1 << 40}}) }, "mx.array([[1], [2**40]])"},
	{"new_scalar_big_int", func() *tensor.Array { return tensor.New(-1<<31 - 1) }, "mx.array(-2**31 - 1)"},
	{"new_scalar_float", func() *tensor.Array { return tensor.New(3.5) }, "mx.array(3.5)"},
	{"new_scalar_int", func() *tensor.Array { return tensor.New(7) }, "mx.array(7)"},
	{"new_scalar_bool", func() *tensor.Array { return tensor.New(false) }, "mx.array(False)"},
	{"new_scalar_int64", func() *tensor.Array { return tensor.New(int64(5)) }, "mx.array(5, dtype=mx.int64)"},
	{"new_scalar_complex", func() *tensor.Array { return tensor.New(complex(0, 1)) }, "mx.array(1j)"},
	{"scalar", func() *tensor.Array { return tensor.Scalar(2.25) }, "mx.array(2.25)"},
	{"new_empty", func() *tensor.Array { return tensor.New([]float32{}) }, "mx.array([])"},
	{"new_empty_inner", func() *tensor.Array { return tensor.New([][]float32{{}}) }, "mx.array([[]])"},
	{"new_dtype_option", func() *tensor.Array { return tensor.New([]int{1, 2, 3}, tensor.Float16) }, "mx.array([1, 2, 3], dtype=mx.float16)"},
	{"new_bf16_option", func() *tensor.Array { return tensor.New([]float64{0.1, 1e10}, tensor.Bfloat16) }, "mx.array([0.1, 1e10], dtype=mx.bfloat16)"},
	{"new_from_array_clones", func() *tensor.Array { return tensor.New(tensor.New([]int{4, 5})) }, "mx.array(mx.array([4, 5]))"},

	// Typed constructors, with and without a shape.
	{"from_float32s", func() *tensor.Array { return tensor.FromFloat32s([]float32{1, 2, 3, 4, 5, 6}, 2, 3) },
		"mx.array(np.arange(1, 7, dtype=np.float32).reshape(2, 3))"},
	{"from_float64s", func() *tensor.Array { return tensor.FromFloat64s([]float64{1.0 / 3, 2}) },
		"mx.array(np.array([1 / 3, 2]), dtype=mx.float64)"},
	{"from_int8s", func() *tensor.Array { return tensor.FromInt8s([]int8{-128, 127}, 2, 1) },
		"mx.array([[-128], [127]], dtype=mx.int8)"},
	{"from_int16s", func() *tensor.Array { return tensor.FromInt16s([]int16{-1, 1}) }, "mx.array([-1, 1], dtype=mx.int16)"},
	{"from_int32s", func() *tensor.Array { return tensor.FromInt32s([]int32{1, 2, 3, 4}, 2, 2) }, "mx.array([[1, 2], [3, 4]])"},
	{"from_int64s", func() *tensor.Array { return tensor.FromInt64s([]int64{math.MinInt64}) },
		"mx.array(np.array([-(2**63)], dtype=np.int64))"},
	{"from_ints", func() *tensor.Array { return tensor.FromInts([]int{-5, 9}, 1, 2) }, "mx.array([[-5, 9]])"},
	{"from_uint8s", func() *tensor.Array { return tensor.FromUint8s([]uint8{1, 2, 3}) }, "mx.array([1, 2, 3], dtype=mx.uint8)"},
	{"from_uint16s", func() *tensor.Array { return tensor.FromUint16s([]uint16{9}) }, "mx.array([9], dtype=mx.uint16)"},
	{"from_uint32s", func() *tensor.Array { return tensor.FromUint32s([]uint32{4294967295}) },
		"mx.array([4294967295], dtype=mx.uint32)"},
	{"from_uint64s", func() *tensor.Array { return tensor.FromUint64s([]uint64{1, 2}, 2, 1, 1) },
		"mx.array([[[1]], [[2]]], dtype=mx.uint64)"},
	{"from_bools", func() *tensor.Array { return tensor.FromBools([]bool{true, false, true}) }, "mx.array([True, False, True])"},
	{"from_complex64s", func() *tensor.Array { return tensor.FromComplex64s([]complex64{1 - 1i, 2}) }, "mx.array([1 - 1j, 2 + 0j])"},
	{"from_float16_bits", func() *tensor.Array { return tensor.FromFloat16Bits([]uint16{0x3c00, 0xc000, 0x7c00, 0x0001}) },
		"mx.array(np.array([0x3c00, 0xc000, 0x7c00, 0x0001], dtype=np.uint16)).view(mx.float16)"},
	{"from_bfloat16_bits", func() *tensor.Array { return tensor.FromBfloat16Bits([]uint16{0x3f80, 0xbf00, 0x7f80, 0x0001}, 2, 2) },
		"mx.array(np.array([0x3f80, 0xbf00, 0x7f80, 0x0001], dtype=np.uint16)).view(mx.bfloat16).reshape(2, 2)"},
	{"from_empty_shape", func() *tensor.Array { return tensor.FromFloat32s(nil, 0, 3) }, "mx.zeros((0, 3))"},

	// Filled and structured arrays, with options and method forms.
	{"zeros_int16", func() *tensor.Array { return tensor.Zeros([]int{2, 3}, tensor.Int16) }, "mx.zeros((2, 3), dtype=mx.int16)"},
	{"zeros_scalar", func() *tensor.Array { return tensor.Zeros(nil) }, "mx.zeros(())"},
	{"ones", func() *tensor.Array { return tensor.Ones([]int{2}) }, "mx.ones(2)"},
	{"ones_complex", func() *tensor.Array { return tensor.Ones([]int{2}, tensor.Complex64) }, "mx.ones(2, dtype=mx.complex64)"},
	{"full_int", func() *tensor.Array { return tensor.Full([]int{2, 2}, 3) }, "mx.full((2, 2), 3)"},
	{"full_bf16", func() *tensor.Array { return tensor.Full([]int{2}, 2.5, tensor.Bfloat16) }, "mx.full((2,), 2.5, dtype=mx.bfloat16)"},
	{"full_bool", func() *tensor.Array { return tensor.Full([]int{3}, true) }, "mx.full((3,), True)"},
	{"full_array", func() *tensor.Array { return tensor.Full([]int{2, 2}, tensor.New([]int8{1, -1})) },
		"mx.full((2, 2), mx.array([1, -1], dtype=mx.int8))"},
	{"arange_int", func() *tensor.Array { return tensor.Arange(0, 10, tensor.Step(3), tensor.Int32) },
		"mx.arange(0, 10, 3, dtype=mx.int32)"},
	{"arange_float", func() *tensor.Array { return tensor.Arange(0.5, 3) }, "mx.arange(0.5, 3.0)"},
	{"arange_negative_step", func() *tensor.Array { return tensor.Arange(2, -2, tensor.Step(-0.5)) }, "mx.arange(2.0, -2.0, -0.5)"},
	{"linspace", func() *tensor.Array { return tensor.Linspace(0, 1, tensor.Num(11)) }, "mx.linspace(0, 1, 11)"},
	{"linspace_no_endpoint", func() *tensor.Array { return tensor.Linspace(0, 1, tensor.Num(4), tensor.Endpoint(false)) },
		"mx.linspace(0, 1, 4, endpoint=False)"},
	{"linspace_f16", func() *tensor.Array { return tensor.Linspace(-1, 1, tensor.Num(5), tensor.Float16) },
		"mx.linspace(-1, 1, 5, dtype=mx.float16)"},
	{"eye", func() *tensor.Array { return tensor.Eye(3, tensor.Cols(2), tensor.Offset(-1)) }, "mx.eye(3, 2, k=-1)"},
	{"identity", func() *tensor.Array { return tensor.Identity(2, tensor.Int32) }, "mx.identity(2, dtype=mx.int32)"},
	{"tri", func() *tensor.Array { return tensor.Tri(3, tensor.Offset(-1)) }, "mx.tri(3, k=-1)"},
	{"tri_rect_bool", func() *tensor.Array { return tensor.Tri(2, tensor.Cols(4), tensor.Bool) }, "mx.tri(2, 4, dtype=mx.bool_)"},
	{"zeros_like", func() *tensor.Array { return tensor.ZerosLike(tensor.New([][]int{{1, 2}})) }, "mx.zeros_like(mx.array([[1, 2]]))"},
	{"ones_like_dtype", func() *tensor.Array { return tensor.OnesLike(tensor.New([]int{1, 2}), tensor.Float16) },
		"mx.ones((2,), dtype=mx.float16)"},
	{"full_like_weak", func() *tensor.Array { return tensor.FullLike(tensor.New([]int{1, 2}, tensor.Uint8), 9) },
		"mx.full_like(mx.array([1, 2], dtype=mx.uint8), 9)"},
	{"method_zeros_like", func() *tensor.Array { return tensor.New([]float32{1}, tensor.Bfloat16).ZerosLike() },
		"mx.zeros_like(mx.array([1.0], dtype=mx.bfloat16))"},
	{"method_full_like", func() *tensor.Array { return tensor.New([]bool{true}).FullLike(2.5) },
		"mx.full_like(mx.array([True]), 2.5)"},
}

// TestCreationMatchesPython runs every constructor and compares the array
// with Python MLX's for the same expression.
func TestCreationMatchesPython(t *testing.T) {
	var exprs []string
	var got []*tensor.Array
	for _, c := range creationCases {
		exprs = append(exprs, c.py)
		var a *tensor.Array
		if err := tensor.Try(func() { a = c.got() }); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got = append(got, a)
	}
	var want []goldenArray
	pythonJSON(t, `
def enc(a):
    mx.eval(a)
    raw = np.array(a.view(mx.uint16) if a.dtype == mx.bfloat16 else a).tobytes()
    return {"dtype": str(a.dtype).removeprefix("mlx.core."), "shape": list(a.shape), "data": base64.b64encode(raw).decode()}
print(json.dumps([enc(eval(e)) for e in json.load(sys.stdin)]))
`, exprs, &want)
	for i, c := range creationCases {
		g, w := got[i], want[i]
		switch {
		case g.Dtype().String() != w.Dtype:
			t.Errorf("%s: dtype %s, Python %s", c.name, g.Dtype(), w.Dtype)
		case !equalInts(g.Shape(), w.Shape):
			t.Errorf("%s: shape %v, Python %v", c.name, g.Shape(), w.Shape)
		case !bytes.Equal(rawBytes(g), decodeB64(t, w.Data)):
			t.Errorf("%s: got %v, Python %v", c.name, g, fromGolden(t, w))
		}
	}
}

// TestCreationRejectsBadInput: malformed Go data is a *tensor.Error that
// says what is wrong, never a crash.
func TestCreationRejectsBadInput(t *testing.T) {
	cases := []struct {
		name, op, wantMsg string
		f                 func()
	}{
		{"ragged", "array", "ragged nested slice", func() { tensor.New([][]float32{{1, 2}, {3}}) }},
		{"ragged_deep", "array", "ragged nested slice", func() { tensor.New([][][]int{{{1}, {2}}, {{3}, {}}}) }},
		{"string", "array", "cannot make an array from string", func() { tensor.New("abc") }},
		{"nil", "array", "cannot make an array from nil", func() { tensor.New(nil) }},
		{"interface_elems", "array", "elements must be numbers or bools", func() { tensor.New([]any{1, 2}) }},
		{"map", "array", "cannot make an array from map", func() { tensor.New(map[string]int{}) }},
		{"bad_option", "array", "does not take option Axis", func() { tensor.New([]int{1}, tensor.Axis(0)) }},
		{"shape_count", "from_float32s", "4 elements cannot have shape [3]", func() { tensor.FromFloat32s([]float32{1, 2, 3, 4}, 3) }},
		{"negative_dim", "from_int32s", "negative dimension", func() { tensor.FromInt32s([]int32{1, 2}, -1, -2) }},
		{"int_overflow", "from_ints", "does not fit int32", func() { tensor.FromInts([]int{1, 1 << 40}) }},
		{"full_string", "full", "string", func() { tensor.Full([]int{2}, "x") }},
	}
	for _, c := range cases {
		err := tensor.Try(c.f)
		var te *tensor.Error
		if !errors.As(err, &te) {
			t.Errorf("%s: got %v, want a *tensor.Error", c.name, err)
			continue
		}
		if te.Op != c.op || !strings.Contains(te.Msg, c.wantMsg) {
			t.Errorf("%s: error %q (op %q), want op %q and a message containing %q", c.name, te, te.Op, c.op, c.wantMsg)
		}
	}
	// MLX's own refusals carry MLX's words (Python gives the reference).
	mlxCases := []struct {
		name, op, py string
		f            func()
	}{
		{"negative_shape", "zeros", "mx.zeros((-1,))", func() { tensor.Zeros([]int{-1}) }},
		{"zero_step", "arange", "mx.arange(0, 10, 0)", func() { tensor.Arange(0, 10, tensor.Step(0)) }},
		{"negative_num", "linspace", "mx.linspace(0, 1, -1)", func() { tensor.Linspace(0, 1, tensor.Num(-1)) }},
	}
	var exprs []string
	for _, c := range mlxCases {
		exprs = append(exprs, c.py)
	}
	msgs := pythonErrors(t, exprs)
	for i, c := range mlxCases {
		err := tensor.Try(c.f)
		var te *tensor.Error
		if !errors.As(err, &te) || te.Op != c.op || !strings.Contains(te.Msg, msgs[i]) {
			t.Errorf("%s: got %v, want a *tensor.Error for %s carrying %q", c.name, err, c.op, msgs[i])
		}
	}
}
