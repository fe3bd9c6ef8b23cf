package tensor_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

var allDtypes = []tensor.Dtype{tensor.Bool, tensor.Uint8, tensor.Uint16, tensor.Uint32, tensor.Uint64,
	tensor.Int8, tensor.Int16, tensor.Int32, tensor.Int64, tensor.Float16, tensor.Float32, tensor.Float64,
	tensor.Bfloat16, tensor.Complex64}

// A reader is one of Array's data-out methods and the dtype whose bytes it
// returns (Python's reference is astype to that dtype).
type reader struct {
	name string
	as   tensor.Dtype
	read func(*tensor.Array) []byte
}

var readers = []reader{
	{"Float32s", tensor.Float32, func(a *tensor.Array) []byte { return asBytes(a.Float32s()) }},
	{"Float64s", tensor.Float64, func(a *tensor.Array) []byte { return asBytes(a.Float64s()) }},
	{"Int8s", tensor.Int8, func(a *tensor.Array) []byte { return asBytes(a.Int8s()) }},
	{"Int16s", tensor.Int16, func(a *tensor.Array) []byte { return asBytes(a.Int16s()) }},
	{"Int32s", tensor.Int32, func(a *tensor.Array) []byte { return asBytes(a.Int32s()) }},
	{"Int64s", tensor.Int64, func(a *tensor.Array) []byte { return asBytes(a.Int64s()) }},
	{"Ints", tensor.Int64, func(a *tensor.Array) []byte {
		v := a.Ints()
		out := make([]int64, len(v))
		for i, x := range v {
			out[i] = int64(x)
		}
		return asBytes(out)
	}},
	{"Uint8s", tensor.Uint8, func(a *tensor.Array) []byte { return asBytes(a.Uint8s()) }},
	{"Uint16s", tensor.Uint16, func(a *tensor.Array) []byte { return asBytes(a.Uint16s()) }},
	{"Uint32s", tensor.Uint32, func(a *tensor.Array) []byte { return asBytes(a.Uint32s()) }},
	{"Uint64s", tensor.Uint64, func(a *tensor.Array) []byte { return asBytes(a.Uint64s()) }},
	{"Bools", tensor.Bool, func(a *tensor.Array) []byte { return asBytes(a.Bools()) }},
	{"Complex64s", tensor.Complex64, func(a *tensor.Array) []byte { return asBytes(a.Complex64s()) }},
}

// A layout is a view of a [2,3,4] array, made in Go and, identically, by
// the Python expression over x.
type layout struct {
	name string
	view func(x *tensor.Array) *tensor.Array
	py   string
}

var layouts = []layout{
	{"contiguous", func(x *tensor.Array) *tensor.Array { return x }, "x"},
	{"transposed", func(x *tensor.Array) *tensor.Array { return tensor.Transpose(x, tensor.Axes(2, 0, 1)) }, "x.transpose(2, 0, 1)"},
	{"strided_negative", func(x *tensor.Array) *tensor.Array {
		return tensor.Slice(x, []int{0, 0, 3}, []int{2, 3, 0}, []int{1, 2, -2})
	}, "x[0:2, 0:3:2, 3:0:-2]"},
	{"broadcast", func(x *tensor.Array) *tensor.Array {
		return tensor.BroadcastTo(tensor.Slice(x, []int{0, 0, 0}, []int{1, 3, 1}, []int{1, 1, 1}), []int{2, 3, 4})
	}, "mx.broadcast_to(x[0:1, :, 0:1], (2, 3, 4))"},
	{"transposed_sliced", func(x *tensor.Array) *tensor.Array {
		return tensor.Slice(tensor.Swapaxes(x, 0, 1), []int{1, 0, 0}, []int{3, 2, 4}, []int{1, 1, 3})
	}, "x.swapaxes(0, 1)[1:3, :, ::3]"},
}

// baseArray is a [2,3,4] array of dtype d with small non-negative values
// (so that every conversion is defined), made through public ops.
func baseArray(d tensor.Dtype) *tensor.Array {
	x := tensor.Reshape(tensor.Multiply(tensor.Arange(0, 24), 0.75), []int{2, 3, 4})
	switch d {
	case tensor.Bool:
		return tensor.Equal(tensor.Remainder(tensor.AsType(x, tensor.Int32), 3), 0)
	case tensor.Complex64:
		return tensor.Add(tensor.AsType(x, tensor.Complex64), complex(0, 0.5))
	}
	return tensor.AsType(x, d)
}

// TestReadersOnViews: every reader returns row-major elements whatever the
// layout (transposed, strided with negative steps, broadcast), converted as
// Python MLX's astype converts them, for every source dtype.
func TestReadersOnViews(t *testing.T) {
	// The views are made of every dtype, float64 too, which MLX keeps to
	// the CPU: a GPU refuses any op on it.
	defer onCPU()()
	type job struct {
		Base   goldenArray `json:"base"`
		View   string      `json:"view"`
		Target string      `json:"target"`
	}
	var jobs []job
	type goResult struct {
		name string
		got  []byte
	}
	var results []goResult
	for _, d := range allDtypes {
		base := baseArray(d)
		for _, l := range layouts {
			v := l.view(base)
			for _, r := range readers {
				jobs = append(jobs, job{toGolden(base), l.py, r.as.String()})
				results = append(results, goResult{fmt.Sprintf("%s/%s/%s", d, l.name, r.name), r.read(v)})
			}
		}
	}
	var want []string
	pythonJSON(t, `
out = []
for j in json.load(sys.stdin):
    x = decode(j["base"])
    v = eval(j["view"]).astype(getattr(mx, "bool_" if j["target"] == "bool" else j["target"]))
    mx.eval(v)
    raw = np.array(v).tobytes()
    out.append(base64.b64encode(raw).decode())
print(json.dumps(out))
`, jobs, &want)
	for i, r := range results {
		w, _ := base64.StdEncoding.DecodeString(want[i])
		if !bytes.Equal(r.got, w) {
			t.Errorf("%s: Go bytes %v, Python %v", r.name, r.got, w)
		}
	}
	t.Logf("%d reader/layout/dtype combinations", len(results))
}

// TestHalfFloatsReadExactly: every one of the 65536 float16 and bfloat16
// bit patterns converts to float32 exactly as MLX does (NaNs, infinities,
// subnormals included), and the bit readers return the patterns unchanged.
func TestHalfFloatsReadExactly(t *testing.T) {
	all := make([]uint16, 1<<16)
	for i := range all {
		all[i] = uint16(i)
	}
	halves := map[string]*tensor.Array{
		"float16":  tensor.FromFloat16Bits(all),
		"bfloat16": tensor.FromBfloat16Bits(all),
	}
	var want map[string]string
	pythonJSON(t, `
bits = mx.array(np.arange(65536, dtype=np.uint16))
out = {}
for name in ("float16", "bfloat16"):
    f = bits.view(getattr(mx, name)).astype(mx.float32)
    mx.eval(f)
    out[name] = base64.b64encode(np.array(f).tobytes()).decode()
print(json.dumps(out))
`, nil, &want)
	for name, a := range halves {
		w, _ := base64.StdEncoding.DecodeString(want[name])
		got := a.Float32s()
		wf := view[float32](w, len(got))
		bad := 0
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(wf[i]) {
				if bad < 5 {
					t.Errorf("%s bits %#04x: Go %#08x, MLX %#08x", name, i, math.Float32bits(got[i]), math.Float32bits(wf[i]))
				}
				bad++
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of 65536 patterns differ", name, bad)
		}
		// Float64s widens the same float32 values exactly.
		for i, x := range a.Float64s() {
			if x != float64(got[i]) && !(math.IsNaN(x) && math.IsNaN(float64(got[i]))) {
				t.Fatalf("%s bits %#04x: Float64s %v, Float32s %v", name, i, x, got[i])
			}
		}
		var back []uint16
		if name == "float16" {
			back = a.Float16Bits()
		} else {
			back = a.Bfloat16Bits()
		}
		if !bytes.Equal(asBytes(back), asBytes(all)) {
			t.Errorf("%s: bit reader does not return the patterns it was given", name)
		}
	}
}

// TestItemMatchesPython: Item (and Float/Int/Bool) give Python's .item()
// for one-element arrays of every dtype, including one-element views.
func TestItemMatchesPython(t *testing.T) {
	defer onCPU()() // every dtype, float64 too: see TestReadersOnViews
	var ins []goldenArray
	var items []any
	var names []string
	for _, d := range allDtypes {
		base := baseArray(d)
		one := tensor.Slice(base, []int{1, 2, 3}, []int{2, 3, 4}, []int{1, 1, 1}) // element 23, a view
		ins = append(ins, toGolden(one))
		items = append(items, one.Item())
		names = append(names, d.String())
	}
	// Values a half float cannot hold exactly: Item is the exact widening.
	for _, d := range []tensor.Dtype{tensor.Float16, tensor.Bfloat16} {
		for _, v := range []float64{0.1, -1.0 / 3, 65504, 1e-7} {
			a := tensor.New(v, d)
			ins = append(ins, toGolden(a))
			items = append(items, a.Item())
			names = append(names, fmt.Sprintf("%s(%g)", d, v))
		}
	}
	var want []json.RawMessage
	pythonJSON(t, `
out = []
for g in json.load(sys.stdin):
    v = decode(g).item()
    out.append([v.real, v.imag] if isinstance(v, complex) else v)
print(json.dumps(out))
`, ins, &want)
	for i, got := range items {
		var w any
		dec := json.NewDecoder(bytes.NewReader(want[i]))
		dec.UseNumber()
		if err := dec.Decode(&w); err != nil {
			t.Fatal(err)
		}
		if !itemEqual(got, w) {
			t.Errorf("%s: Item() = %v (%T), Python .item() = %v", names[i], got, got, w)
		}
	}
	f := tensor.New(2.75, tensor.Bfloat16)
	if f.Float() != 2.75 || tensor.New(int64(-3)).Int() != -3 || !tensor.New(true).Bool() {
		t.Errorf("Float/Int/Bool accessors disagree with their values")
	}
	if err := tensor.Try(func() { tensor.Zeros([]int{2}).Item() }); err == nil {
		t.Errorf("Item on a 2-element array did not fail")
	}
}

func itemEqual(got, want any) bool {
	switch g := got.(type) {
	case bool:
		w, ok := want.(bool)
		return ok && w == g
	case int64:
		return want.(json.Number).String() == fmt.Sprint(g)
	case uint64:
		return want.(json.Number).String() == fmt.Sprint(g)
	case float64:
		w, err := want.(json.Number).Float64()
		return err == nil && w == g
	case complex64:
		parts := want.([]any)
		re, _ := parts[0].(json.Number).Float64()
		im, _ := parts[1].(json.Number).Float64()
		return float64(real(g)) == re && float64(imag(g)) == im
	}
	return false
}
