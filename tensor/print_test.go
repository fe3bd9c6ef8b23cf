package tensor_test

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

// pyDecode rebuilds, in Python MLX, an array that Go encoded as a
// goldenArray: its bytes as uint8, viewed as the dtype, reshaped.
const pyDecode = `
import base64, json, sys
import numpy as np
import mlx.core as mx

# The references are host-side: printing, reading layouts, converting
# element types, which MLX does on the CPU. A GPU has no float64 and
# canonicalises NaN payloads when it converts.
mx.set_default_device(mx.cpu)

def decode(g):
    raw = np.frombuffer(base64.b64decode(g["data"]), dtype=np.uint8)
    x = mx.array(raw).view(getattr(mx, "bool_" if g["dtype"] == "bool" else g["dtype"]))
    return x.reshape(g["shape"])
`

// toGolden encodes a Go array the way the golden file does.
func toGolden(a *tensor.Array) goldenArray {
	return goldenArray{Dtype: a.Dtype().String(), Shape: a.Shape(), Data: base64.StdEncoding.EncodeToString(rawBytes(a))}
}

// pythonJSON runs script (after pyDecode) with input as JSON on stdin and
// decodes its JSON stdout into out.
func pythonJSON(t *testing.T, script string, input, out any) {
	t.Helper()
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testutil.Python(t), "-c", pyDecode+script)
	cmd.Stdin = strings.NewReader(string(in))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("python output: %v\n%s", err, stdout)
	}
}

type printCase struct {
	name string
	a    *tensor.Array
}

func printCases() []printCase {
	mixed := tensor.FromFloat32s([]float32{-2.5, 0, 1, 3.25, 100, -7}, 2, 3)
	small := tensor.FromFloat32s([]float32{0, 1, 2, 3, 100, 255}, 2, 3)
	specials := tensor.FromFloat32s([]float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.Copysign(0, -1)), 1e-8, 1e20})
	fractions := tensor.FromFloat32s([]float32{0.1, 1.0 / 3, -2.0 / 3, 1234.5678, 1e-3})
	seq := tensor.Arange(0, 24, tensor.Int32)
	cs := []printCase{
		{"float32_mixed", mixed},
		{"float64", tensor.FromFloat64s([]float64{1.0 / 3, -1e300, 2.5})},
		{"float16", tensor.AsType(mixed, tensor.Float16)},
		{"bfloat16", tensor.AsType(mixed, tensor.Bfloat16)},
		{"float16_fractions", tensor.AsType(fractions, tensor.Float16)},
		{"bfloat16_fractions", tensor.AsType(fractions, tensor.Bfloat16)},
		{"float32_fractions", fractions},
		{"int8", tensor.AsType(mixed, tensor.Int8)},
		{"int16", tensor.AsType(mixed, tensor.Int16)},
		{"int32_negative", tensor.FromInt32s([]int32{-5, 0, 17, -2147483648})},
		{"int64_extremes", tensor.FromInt64s([]int64{math.MinInt64, -1, math.MaxInt64})},
		{"uint8", tensor.AsType(small, tensor.Uint8)},
		{"uint16", tensor.AsType(small, tensor.Uint16)},
		{"uint32", tensor.FromUint32s([]uint32{0, 7, math.MaxUint32})},
		{"uint64", tensor.FromUint64s([]uint64{0, 1, math.MaxUint64})},
		{"bool", tensor.FromBools([]bool{true, false, false, true}, 2, 2)},
		{"complex64", tensor.FromComplex64s([]complex64{1 + 2i, -3.5 - 0.25i, 0, complex(float32(math.Inf(1)), 1)})},
		{"specials_f32", specials},
		{"specials_f16", tensor.AsType(specials, tensor.Float16)},
		{"specials_bf16", tensor.AsType(specials, tensor.Bfloat16)},
		{"scientific", tensor.FromFloat32s([]float32{1e-5, 1, 123456.789})},
		{"scalar_float", tensor.New(3.5)},
		{"scalar_int", tensor.New(7)},
		{"scalar_int64", tensor.New(int64(-9))},
		{"scalar_bool", tensor.New(true)},
		{"scalar_complex", tensor.New(complex(1, -1))},
		{"scalar_bf16", tensor.New(0.1, tensor.Bfloat16)},
		{"scalar_nan", tensor.New(math.NaN())},
		{"empty_1d", tensor.Zeros([]int{0})},
		{"empty_2d_int", tensor.Zeros([]int{2, 0}, tensor.Int32)},
		{"empty_bool", tensor.Zeros([]int{0, 3}, tensor.Bool)},
		{"three_d", tensor.Reshape(seq, []int{2, 3, 4})},
		{"four_d", tensor.Reshape(tensor.AsType(seq, tensor.Float32), []int{2, 1, 3, 4})},
		{"large_1d", tensor.Arange(0, 2000)},
		{"large_2d", tensor.Reshape(tensor.Arange(0, 10000, tensor.Int32), []int{100, 100})},
		{"large_3d", tensor.Reshape(tensor.Arange(0, 4000), []int{10, 20, 20})},
		{"large_edge_1000", tensor.Arange(0, 1000, tensor.Int32)},
		{"large_edge_1001", tensor.Arange(0, 1001, tensor.Int32)},
		{"random_normal", tensor.RandomNormal([]int{3, 4}, tensor.Key(tensor.RandomKey(3)))},
		{"transposed_view", tensor.Transpose(tensor.Reshape(seq, []int{4, 6}))},
		{"strided_view", tensor.Slice(tensor.Reshape(seq, []int{4, 6}), []int{0, 5}, []int{4, 0}, []int{2, -2})},
		{"tiny_and_one", tensor.FromFloat32s([]float32{1e-10, 1, -2.5})},
		{"big_and_one", tensor.FromFloat32s([]float32{1e7, 1, 0.5})},
		{"integers_as_float", tensor.FromFloat32s([]float32{1, -2, 30000})},
		{"large_f16", tensor.AsType(tensor.Arange(0, 1500), tensor.Float16)},
		{"large_bool", tensor.Greater(tensor.RandomNormal([]int{40, 40}, tensor.Key(tensor.RandomKey(1))), 0)},
		{"complex_nan", tensor.FromComplex64s([]complex64{complex(float32(math.NaN()), -1), complex(2, float32(math.Inf(-1)))})},
		{"bool_3d", tensor.Reshape(tensor.FromBools([]bool{true, false, true, true, false, false, true, false}), []int{2, 2, 2})},
		{"ones_1x1x1", tensor.Ones([]int{1, 1, 1}, tensor.Int8)},
		{"empty_middle", tensor.Zeros([]int{3, 0, 2})},
		{"int8_negative_3d", tensor.Reshape(tensor.AsType(tensor.Arange(-6, 6), tensor.Int8), []int{2, 3, 2})},
		{"broadcast_view", tensor.BroadcastTo(tensor.FromFloat32s([]float32{1.5, -2}, 2, 1), []int{2, 3})},
	}
	return cs
}

// TestStringMatchesPythonRepr: String() is exactly Python's repr() of the
// same array (Python rebuilds it from the same bytes).
func TestStringMatchesPythonRepr(t *testing.T) {
	cases := printCases()
	var in []goldenArray
	for _, c := range cases {
		in = append(in, toGolden(c.a))
	}
	var want []string
	pythonJSON(t, `
print(json.dumps([repr(decode(g)) for g in json.load(sys.stdin)]))
`, in, &want)
	for i, c := range cases {
		if got := c.a.String(); got != want[i] {
			t.Errorf("%s:\n got  %s\n want %s", c.name, got, want[i])
		}
	}
}

// TestStringOfNilAndFreed: printing never panics, even for arrays that
// cannot be used any more.
func TestStringOfNilAndFreed(t *testing.T) {
	var nilArr *tensor.Array
	if s := nilArr.String(); !strings.Contains(s, "nil") {
		t.Errorf("nil array prints %q", s)
	}
	a := tensor.New(1.0)
	a.Free()
	if s := a.String(); !strings.Contains(s, "freed") {
		t.Errorf("freed array prints %q", s)
	}
}
