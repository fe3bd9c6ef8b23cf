package tensor_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// dispatch runs one golden case through the public Go API, the way a user
// writes the call: positional arguments from the case's lower-case keys,
// options (tensor.Axis, tensor.KeepDims...) from its capitalised keys.
var dispatch = map[string]func(c *call) []*tensor.Array{
	// creation
	"arange": func(c *call) []*tensor.Array {
		return one(tensor.Arange(c.float("start"), c.float("stop"), c.opts()...))
	},
	"linspace": func(c *call) []*tensor.Array {
		return one(tensor.Linspace(c.float("start"), c.float("stop"), c.opts()...))
	},
	"zeros":         func(c *call) []*tensor.Array { return one(tensor.Zeros(c.ints("shape"), c.opts()...)) },
	"ones":          func(c *call) []*tensor.Array { return one(tensor.Ones(c.ints("shape"), c.opts()...)) },
	"full":          func(c *call) []*tensor.Array { return one(tensor.Full(c.ints("shape"), c.v(0), c.opts()...)) },
	"zeros_like":    unary(tensor.ZerosLike),
	"ones_like":     unary(tensor.OnesLike),
	"full_like":     func(c *call) []*tensor.Array { return one(tensor.FullLike(c.a(0), c.v(1), c.opts()...)) },
	"eye":           func(c *call) []*tensor.Array { return one(tensor.Eye(c.int("n"), c.opts()...)) },
	"identity":      func(c *call) []*tensor.Array { return one(tensor.Identity(c.int("n"), c.opts()...)) },
	"tri":           func(c *call) []*tensor.Array { return one(tensor.Tri(c.int("n"), c.opts()...)) },
	"astype":        func(c *call) []*tensor.Array { return one(tensor.AsType(c.a(0), c.dtype("dtype"), c.opts()...)) },
	"view":          func(c *call) []*tensor.Array { return one(tensor.View(c.a(0), c.dtype("dtype"), c.opts()...)) },
	"copy":          unary(tensor.Copy),
	"contiguous":    unary(tensor.Contiguous),
	"stop_gradient": unary(tensor.StopGradient),

	// unary math
	"abs": unary(tensor.Abs), "negative": unary(tensor.Negative), "sign": unary(tensor.Sign),
	"exp": unary(tensor.Exp), "expm1": unary(tensor.Expm1), "log": unary(tensor.Log),
	"log1p": unary(tensor.Log1p), "log2": unary(tensor.Log2), "log10": unary(tensor.Log10),
	"sqrt": unary(tensor.Sqrt), "rsqrt": unary(tensor.Rsqrt), "square": unary(tensor.Square),
	"reciprocal": unary(tensor.Reciprocal), "sin": unary(tensor.Sin), "cos": unary(tensor.Cos),
	"tan": unary(tensor.Tan), "arcsin": unary(tensor.Arcsin), "arccos": unary(tensor.Arccos),
	"arctan": unary(tensor.Arctan), "sinh": unary(tensor.Sinh), "cosh": unary(tensor.Cosh),
	"tanh": unary(tensor.Tanh), "arcsinh": unary(tensor.Arcsinh), "arccosh": unary(tensor.Arccosh),
	"arctanh": unary(tensor.Arctanh), "degrees": unary(tensor.Degrees), "radians": unary(tensor.Radians),
	"erf": unary(tensor.Erf), "erfinv": unary(tensor.Erfinv), "sigmoid": unary(tensor.Sigmoid),
	"floor": unary(tensor.Floor), "ceil": unary(tensor.Ceil), "trunc": unary(tensor.Trunc),
	"round": unary(tensor.Round), "isnan": unary(tensor.Isnan), "isinf": unary(tensor.Isinf),
	"isfinite": unary(tensor.Isfinite), "isposinf": unary(tensor.Isposinf), "isneginf": unary(tensor.Isneginf),
	"logical_not": unary(tensor.LogicalNot), "bitwise_invert": unary(tensor.BitwiseInvert),
	"conjugate": unary(tensor.Conjugate), "real": unary(tensor.Real), "imag": unary(tensor.Imag),

	// binary (Go numbers are weak scalars, like Python's)
	"add": binary(tensor.Add), "subtract": binary(tensor.Subtract), "multiply": binary(tensor.Multiply),
	"divide": binary(tensor.Divide), "floor_divide": binary(tensor.FloorDivide),
	"remainder": binary(tensor.Remainder), "power": binary(tensor.Power), "maximum": binary(tensor.Maximum),
	"minimum": binary(tensor.Minimum), "logaddexp": binary(tensor.Logaddexp), "arctan2": binary(tensor.Arctan2),
	"equal": binary(tensor.Equal), "not_equal": binary(tensor.NotEqual), "greater": binary(tensor.Greater),
	"greater_equal": binary(tensor.GreaterEqual), "less": binary(tensor.Less), "less_equal": binary(tensor.LessEqual),
	"logical_and": binary(tensor.LogicalAnd), "logical_or": binary(tensor.LogicalOr),
	"logical_xor": binary(tensor.LogicalXor), "bitwise_and": binary(tensor.BitwiseAnd),
	"bitwise_or": binary(tensor.BitwiseOr), "bitwise_xor": binary(tensor.BitwiseXor),
	"left_shift": binary(tensor.LeftShift), "right_shift": binary(tensor.RightShift),
	"divmod":      func(c *call) []*tensor.Array { return tensor.Divmod(c.v(0), c.v(1), c.opts()...) },
	"array_equal": arrays2(tensor.ArrayEqual),
	"allclose":    arrays2(tensor.Allclose),
	"isclose":     arrays2(tensor.Isclose),
	"where":       func(c *call) []*tensor.Array { return one(tensor.Where(c.a(0), c.v(1), c.v(2), c.opts()...)) },
	"clip":        func(c *call) []*tensor.Array { return one(tensor.Clip(c.a(0), c.v(1), c.v(2), c.opts()...)) },
	"nan_to_num":  unary(tensor.NaNToNum),

	// reductions and scans
	"sum": unary(tensor.Sum), "mean": unary(tensor.Mean), "prod": unary(tensor.Prod), "max": unary(tensor.Max),
	"min": unary(tensor.Min), "all": unary(tensor.All), "any": unary(tensor.Any), "logsumexp": unary(tensor.Logsumexp),
	"var": unary(tensor.Var), "std": unary(tensor.Std), "median": unary(tensor.Median),
	"count_nonzero": unary(tensor.CountNonzero), "argmax": unary(tensor.Argmax), "argmin": unary(tensor.Argmin),
	"cumsum": unary(tensor.Cumsum), "cumprod": unary(tensor.Cumprod), "cummax": unary(tensor.Cummax),
	"cummin": unary(tensor.Cummin), "logcumsumexp": unary(tensor.Logcumsumexp),

	// shape
	"reshape": func(c *call) []*tensor.Array { return one(tensor.Reshape(c.a(0), c.ints("shape"), c.opts()...)) },
	"flatten": unary(tensor.Flatten),
	"unflatten": func(c *call) []*tensor.Array {
		return one(tensor.Unflatten(c.a(0), c.int("axis"), c.ints("shape"), c.opts()...))
	},
	"transpose": unary(tensor.Transpose),
	"swapaxes": func(c *call) []*tensor.Array {
		return one(tensor.Swapaxes(c.a(0), c.int("axis1"), c.int("axis2"), c.opts()...))
	},
	"moveaxis": func(c *call) []*tensor.Array {
		return one(tensor.Moveaxis(c.a(0), c.int("source"), c.int("destination"), c.opts()...))
	},
	"squeeze":          unary(tensor.Squeeze),
	"expand_dims":      func(c *call) []*tensor.Array { return one(tensor.ExpandDims(c.a(0), c.ints("axes"), c.opts()...)) },
	"broadcast_to":     func(c *call) []*tensor.Array { return one(tensor.BroadcastTo(c.a(0), c.ints("shape"), c.opts()...)) },
	"broadcast_arrays": func(c *call) []*tensor.Array { return tensor.BroadcastArrays(c.list(0), c.opts()...) },
	"concatenate":      func(c *call) []*tensor.Array { return one(tensor.Concatenate(c.list(0), c.opts()...)) },
	"stack":            func(c *call) []*tensor.Array { return one(tensor.Stack(c.list(0), c.opts()...)) },
	"split":            func(c *call) []*tensor.Array { return tensor.Split(c.a(0), c.int("sections"), c.opts()...) },
	"split_at":         func(c *call) []*tensor.Array { return tensor.SplitAt(c.a(0), c.ints("indices"), c.opts()...) },
	"tile":             func(c *call) []*tensor.Array { return one(tensor.Tile(c.a(0), c.ints("reps"), c.opts()...)) },
	"repeat":           func(c *call) []*tensor.Array { return one(tensor.Repeat(c.a(0), c.int("repeats"), c.opts()...)) },
	"pad": func(c *call) []*tensor.Array {
		return one(tensor.Pad(c.a(0), c.ints("axes"), c.ints("low"), c.ints("high"), c.opts()...))
	},
	"roll":       func(c *call) []*tensor.Array { return one(tensor.Roll(c.a(0), c.ints("shift"), c.opts()...)) },
	"flip":       unary(tensor.Flip),
	"diag":       unary(tensor.Diag),
	"diagonal":   unary(tensor.Diagonal),
	"trace":      unary(tensor.Trace),
	"tril":       unary(tensor.Tril),
	"triu":       unary(tensor.Triu),
	"atleast_1d": unary(tensor.Atleast1D),
	"atleast_2d": unary(tensor.Atleast2D),
	"atleast_3d": unary(tensor.Atleast3D),
	"meshgrid":   func(c *call) []*tensor.Array { return tensor.Meshgrid(c.list(0), c.opts()...) },
	"as_strided": func(c *call) []*tensor.Array {
		return one(tensor.AsStrided(c.a(0), c.ints("shape"), c.ints("strides"), c.opts()...))
	},

	// indexing
	"slice": func(c *call) []*tensor.Array {
		return one(tensor.Slice(c.a(0), c.ints("start"), c.ints("stop"), c.ints("strides"), c.opts()...))
	},
	"slice_dynamic": func(c *call) []*tensor.Array {
		return one(tensor.SliceDynamic(c.a(0), c.a(1), c.ints("axes"), c.ints("sizes"), c.opts()...))
	},
	"slice_update": func(c *call) []*tensor.Array {
		return one(tensor.SliceUpdate(c.a(0), c.a(1), c.ints("start"), c.ints("stop"), c.ints("strides"), c.opts()...))
	},
	"slice_update_dynamic": func(c *call) []*tensor.Array {
		return one(tensor.SliceUpdateDynamic(c.a(0), c.a(1), c.a(2), c.ints("axes"), c.opts()...))
	},
	"take": func(c *call) []*tensor.Array { return one(tensor.Take(c.a(0), c.a(1), c.opts()...)) },
	"take_along_axis": func(c *call) []*tensor.Array {
		return one(tensor.TakeAlongAxis(c.a(0), c.a(1), c.int("axis"), c.opts()...))
	},
	"put_along_axis": func(c *call) []*tensor.Array {
		return one(tensor.PutAlongAxis(c.a(0), c.a(1), c.v(2), c.int("axis"), c.opts()...))
	},
	"gather": func(c *call) []*tensor.Array {
		return one(tensor.Gather(c.a(0), c.list(1), c.ints("axes"), c.ints("slice_sizes"), c.opts()...))
	},
	"scatter":      scatter(tensor.Scatter),
	"scatter_add":  scatter(tensor.ScatterAdd),
	"scatter_prod": scatter(tensor.ScatterProd),
	"scatter_max":  scatter(tensor.ScatterMax),
	"scatter_min":  scatter(tensor.ScatterMin),
	"scatter_add_axis": func(c *call) []*tensor.Array {
		return one(tensor.ScatterAddAxis(c.a(0), c.a(1), c.a(2), c.int("axis"), c.opts()...))
	},
	"masked_scatter": func(c *call) []*tensor.Array { return one(tensor.MaskedScatter(c.a(0), c.a(1), c.a(2), c.opts()...)) },

	// products, conv, quantization
	"matmul":    arrays2(tensor.Matmul),
	"addmm":     func(c *call) []*tensor.Array { return one(tensor.Addmm(c.a(0), c.a(1), c.a(2), c.opts()...)) },
	"tensordot": arrays2(tensor.Tensordot),
	"tensordot_axes": func(c *call) []*tensor.Array {
		return one(tensor.TensordotAxes(c.a(0), c.a(1), c.ints("axes_a"), c.ints("axes_b"), c.opts()...))
	},
	"inner":  arrays2(tensor.Inner),
	"outer":  arrays2(tensor.Outer),
	"kron":   arrays2(tensor.Kron),
	"einsum": func(c *call) []*tensor.Array { return one(tensor.Einsum(c.str("subscripts"), c.all(), c.opts()...)) },
	"conv1d": arrays2(tensor.Conv1d),
	"conv2d": arrays2(tensor.Conv2d),
	"quantize": func(c *call) []*tensor.Array {
		return tensor.Quantize(c.a(0), c.opts()...)
	},
	"dequantize": func(c *call) []*tensor.Array { return one(tensor.Dequantize(c.a(0), c.a(1), c.opts()...)) },
	"quantized_matmul": func(c *call) []*tensor.Array {
		return one(tensor.QuantizedMatmul(c.a(0), c.a(1), c.a(2), c.opts()...))
	},

	// softmax, sorting, selection
	"softmax":      unary(tensor.Softmax),
	"sort":         unary(tensor.Sort),
	"argsort":      unary(tensor.Argsort),
	"topk":         func(c *call) []*tensor.Array { return one(tensor.Topk(c.a(0), c.int("k"), c.opts()...)) },
	"partition":    func(c *call) []*tensor.Array { return one(tensor.Partition(c.a(0), c.int("kth"), c.opts()...)) },
	"argpartition": func(c *call) []*tensor.Array { return one(tensor.Argpartition(c.a(0), c.int("kth"), c.opts()...)) },
	"searchsorted": arrays2(tensor.Searchsorted),

	// random, always with an explicit key
	"random_key": func(c *call) []*tensor.Array { return one(tensor.RandomKey(c.uint64("seed"), c.opts()...)) },
	"random_split": func(c *call) []*tensor.Array {
		a, b := tensor.RandomSplit(c.a(0), c.opts()...)
		return []*tensor.Array{a, b}
	},
	"random_split_n": func(c *call) []*tensor.Array { return one(tensor.RandomSplitN(c.a(0), c.int("num"), c.opts()...)) },
	"random_bits":    func(c *call) []*tensor.Array { return one(tensor.RandomBits(c.ints("shape"), c.opts()...)) },
	"random_uniform": func(c *call) []*tensor.Array { return one(tensor.RandomUniform(c.ints("shape"), c.opts()...)) },
	"random_normal":  func(c *call) []*tensor.Array { return one(tensor.RandomNormal(c.ints("shape"), c.opts()...)) },
	"random_randint": func(c *call) []*tensor.Array {
		return one(tensor.RandomRandint(c.v(0), c.v(1), c.ints("shape"), c.opts()...))
	},
	"random_bernoulli":   func(c *call) []*tensor.Array { return one(tensor.RandomBernoulli(c.ints("shape"), c.opts()...)) },
	"random_categorical": unary(tensor.RandomCategorical),
	"random_truncated_normal": func(c *call) []*tensor.Array {
		return one(tensor.RandomTruncatedNormal(c.v(0), c.v(1), c.ints("shape"), c.opts()...))
	},
	"random_gumbel":      func(c *call) []*tensor.Array { return one(tensor.RandomGumbel(c.ints("shape"), c.opts()...)) },
	"random_permutation": func(c *call) []*tensor.Array { return one(tensor.RandomPermutation(c.int("n"), c.opts()...)) },
	"random_permute":     unary(tensor.RandomPermute),

	// linalg
	"norm":       unary(tensor.Norm),
	"norm_named": func(c *call) []*tensor.Array { return one(tensor.NormNamed(c.a(0), c.str("ord"), c.opts()...)) },
	"inv":        unary(tensor.Inv),
	"pinv":       unary(tensor.Pinv),
	"qr": func(c *call) []*tensor.Array {
		q, r := tensor.QR(c.a(0), c.opts()...)
		return []*tensor.Array{q, r}
	},
	"svd":              func(c *call) []*tensor.Array { return tensor.SVD(c.a(0), c.opts()...) },
	"cholesky":         unary(tensor.Cholesky),
	"solve":            arrays2(tensor.Solve),
	"solve_triangular": arrays2(tensor.SolveTriangular),
	"eigh": func(c *call) []*tensor.Array {
		w, v := tensor.Eigh(c.a(0), c.opts()...)
		return []*tensor.Array{w, v}
	},
	"eigvalsh": unary(tensor.Eigvalsh),
	"det":      unary(tensor.Det),
	"cross":    arrays2(tensor.Cross),

	// fft
	"fft": unary(tensor.FFT), "ifft": unary(tensor.IFFT), "rfft": unary(tensor.RFFT), "irfft": unary(tensor.IRFFT),
	"fft2": unary(tensor.FFT2), "ifft2": unary(tensor.IFFT2), "fftn": unary(tensor.FFTN), "ifftn": unary(tensor.IFFTN),
	"rfftn": unary(tensor.RFFTN), "irfftn": unary(tensor.IRFFTN),

	// fused kernels
	"fast_rms_norm":   func(c *call) []*tensor.Array { return one(tensor.FastRMSNorm(c.a(0), c.float("eps"), c.opts()...)) },
	"fast_layer_norm": func(c *call) []*tensor.Array { return one(tensor.FastLayerNorm(c.a(0), c.float("eps"), c.opts()...)) },
	"fast_quantized_matmul_add": func(c *call) []*tensor.Array {
		return one(tensor.FastQuantizedMatmulAdd(c.a(0), c.a(1), c.a(2), c.a(3), c.a(4), c.int("group_size"), c.int("bits"), c.opts()...))
	},
	"fast_quantized_matmul_swiglu": func(c *call) []*tensor.Array {
		return one(tensor.FastQuantizedMatmulSwiGLU(c.a(0), c.a(1), c.a(2), c.a(3), c.int("group_size"), c.int("bits"), c.opts()...))
	},
	"fast_rope": func(c *call) []*tensor.Array {
		return one(tensor.FastRope(c.a(0), c.int("dims"), c.bool("traditional"), c.float("scale"), c.int("offset"), c.opts()...))
	},
	"fast_rope_dynamic": func(c *call) []*tensor.Array {
		return one(tensor.FastRopeDynamic(c.a(0), c.int("dims"), c.bool("traditional"), c.float("scale"), c.a(1), c.opts()...))
	},
	"fast_sdpa": func(c *call) []*tensor.Array {
		return one(tensor.FastSDPA(c.a(0), c.a(1), c.a(2), c.float("scale"), c.str("mask_mode"), c.opts()...))
	},
}

func one(a *tensor.Array) []*tensor.Array { return []*tensor.Array{a} }

func unary(f func(*tensor.Array, ...tensor.Opt) *tensor.Array) func(*call) []*tensor.Array {
	return func(c *call) []*tensor.Array { return one(f(c.a(0), c.opts()...)) }
}

func binary(f func(any, any, ...tensor.Opt) *tensor.Array) func(*call) []*tensor.Array {
	return func(c *call) []*tensor.Array { return one(f(c.v(0), c.v(1), c.opts()...)) }
}

func arrays2(f func(*tensor.Array, *tensor.Array, ...tensor.Opt) *tensor.Array) func(*call) []*tensor.Array {
	return func(c *call) []*tensor.Array { return one(f(c.a(0), c.a(1), c.opts()...)) }
}

func scatter(f func(*tensor.Array, []*tensor.Array, *tensor.Array, []int, ...tensor.Opt) *tensor.Array) func(*call) []*tensor.Array {
	return func(c *call) []*tensor.Array { return one(f(c.a(0), c.list(1), c.a(2), c.ints("axes"), c.opts()...)) }
}

// A call is one golden case's arguments as Go values.
type call struct {
	t      *testing.T
	in     []any // *tensor.Array, []*tensor.Array, a Go number or bool, or nil
	kw     map[string]any
	usedIn map[int]bool    // inputs the Go call took
	usedKw map[string]bool // arguments the Go call took
}

// unused names the inputs and arguments of the case that the Go call did
// not take: a case must not claim more than the Go side tests.
func (c *call) unused() []string {
	var out []string
	for i := range c.in {
		if !c.usedIn[i] {
			out = append(out, fmt.Sprintf("input %d", i))
		}
	}
	for k := range c.kw {
		if !c.usedKw[k] {
			out = append(out, "argument "+k)
		}
	}
	return out
}

func newCall(t *testing.T, gc goldenCase) *call {
	c := &call{t: t, kw: gc.Kw, usedIn: map[int]bool{}, usedKw: map[string]bool{}}
	for _, in := range gc.Inputs {
		switch {
		case in.Array != nil:
			c.in = append(c.in, fromGolden(t, *in.Array))
		case in.Arrays != nil:
			var list []*tensor.Array
			for _, a := range in.Arrays {
				list = append(list, fromGolden(t, a))
			}
			c.in = append(c.in, list)
		case in.None:
			c.in = append(c.in, nil)
		default:
			c.in = append(c.in, goScalar(t, in.Kind, in.Scalar))
		}
	}
	return c
}

// goScalar is the Go value a user would write for a Python scalar: an int
// literal, a float literal, a bool or a complex.
func goScalar(t *testing.T, kind string, v any) any {
	switch kind {
	case "int":
		n, err := v.(json.Number).Int64()
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	case "float":
		return num(t, v)
	case "bool":
		return v.(bool)
	case "complex":
		parts := v.([]any)
		return complex(num(t, parts[0]), num(t, parts[1]))
	}
	t.Fatalf("unknown scalar kind %q", kind)
	return nil
}

func num(t *testing.T, v any) float64 {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			t.Fatal(err)
		}
		return f
	case string: // JSON has no infinities
		switch x {
		case "inf":
			return math.Inf(1)
		case "-inf":
			return math.Inf(-1)
		}
	}
	t.Fatalf("not a number: %v", v)
	return 0
}

func (c *call) a(i int) *tensor.Array {
	c.usedIn[i] = true
	a, ok := c.in[i].(*tensor.Array)
	if !ok {
		c.t.Fatalf("input %d is %T, want an array", i, c.in[i])
	}
	return a
}

// v is input i as the op's scalar parameter takes it: an array, a Go
// number, or nil for an absent optional.
func (c *call) v(i int) any {
	c.usedIn[i] = true
	return c.in[i]
}

func (c *call) list(i int) []*tensor.Array {
	c.usedIn[i] = true
	l, ok := c.in[i].([]*tensor.Array)
	if !ok {
		c.t.Fatalf("input %d is %T, want an array list", i, c.in[i])
	}
	return l
}

// all is every input, for ops taking a list of operands (einsum).
func (c *call) all() []*tensor.Array {
	out := make([]*tensor.Array, len(c.in))
	for i := range c.in {
		out[i] = c.a(i)
	}
	return out
}

func (c *call) need(k string) any {
	c.usedKw[k] = true
	v, ok := c.kw[k]
	if !ok {
		c.t.Fatalf("case has no argument %q", k)
	}
	return v
}

func (c *call) float(k string) float64 { return num(c.t, c.need(k)) }
func (c *call) str(k string) string    { return c.need(k).(string) }
func (c *call) bool(k string) bool     { return c.need(k).(bool) }
func (c *call) ints(k string) []int    { return toInts(c.t, c.need(k)) }
func (c *call) dtype(k string) tensor.Dtype {
	d, err := tensor.ParseDtype(c.str(k))
	if err != nil {
		c.t.Fatal(err)
	}
	return d
}

func (c *call) int(k string) int {
	n, err := c.need(k).(json.Number).Int64()
	if err != nil {
		c.t.Fatal(err)
	}
	return int(n)
}

func (c *call) uint64(k string) uint64 {
	var u uint64
	if err := json.Unmarshal([]byte(c.need(k).(json.Number).String()), &u); err != nil {
		c.t.Fatal(err)
	}
	return u
}

func toInts(t *testing.T, v any) []int {
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("want a list of ints, got %v", v)
	}
	out := make([]int, len(list))
	for i, x := range list {
		n, err := x.(json.Number).Int64()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = int(n)
	}
	return out
}

// opts turns the case's capitalised keys into Go options, plus tensor.CPU:
// the golden outputs are Python MLX's CPU results.
func (c *call) opts() []tensor.Opt {
	out := []tensor.Opt{tensor.CPU}
	for k, v := range c.kw {
		if k == "" || strings.ToUpper(k[:1]) != k[:1] {
			continue // a positional argument
		}
		c.usedKw[k] = true
		if v == nil {
			continue // Python's None: the option is absent
		}
		make, ok := optionMakers[k]
		if !ok {
			c.t.Fatalf("no Go option for key %q", k)
		}
		out = append(out, make(c, v))
	}
	return out
}

// ref resolves {"input": i} to inputs[i]; other values are Go scalars.
func (c *call) ref(v any) any {
	if m, ok := v.(map[string]any); ok {
		n, _ := m["input"].(json.Number).Int64()
		c.usedIn[int(n)] = true
		return c.in[n]
	}
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil && !strings.ContainsAny(n.String(), ".eE") {
			return int(i)
		}
		return num(c.t, n)
	}
	return v
}

var optionMakers = map[string]func(c *call, v any) tensor.Opt{
	"Axis":     func(c *call, v any) tensor.Opt { return tensor.Axis(toInts(c.t, v)...) },
	"Axes":     func(c *call, v any) tensor.Opt { return tensor.Axes(toInts(c.t, v)...) },
	"Stride":   func(c *call, v any) tensor.Opt { return tensor.Stride(toInts(c.t, v)...) },
	"Padding":  func(c *call, v any) tensor.Opt { return tensor.Padding(toInts(c.t, v)...) },
	"Dilation": func(c *call, v any) tensor.Opt { return tensor.Dilation(toInts(c.t, v)...) },
	"Shape":    func(c *call, v any) tensor.Opt { return tensor.Shape(toInts(c.t, v)...) },

	"KeepDims":   func(c *call, v any) tensor.Opt { return tensor.KeepDims(v.(bool)) },
	"Reverse":    func(c *call, v any) tensor.Opt { return tensor.Reverse(v.(bool)) },
	"Inclusive":  func(c *call, v any) tensor.Opt { return tensor.Inclusive(v.(bool)) },
	"Endpoint":   func(c *call, v any) tensor.Opt { return tensor.Endpoint(v.(bool)) },
	"EqualNaN":   func(c *call, v any) tensor.Opt { return tensor.EqualNaN(v.(bool)) },
	"Sparse":     func(c *call, v any) tensor.Opt { return tensor.Sparse(v.(bool)) },
	"Precise":    func(c *call, v any) tensor.Opt { return tensor.Precise(v.(bool)) },
	"ComputeUV":  func(c *call, v any) tensor.Opt { return tensor.ComputeUV(v.(bool)) },
	"Upper":      func(c *call, v any) tensor.Opt { return tensor.Upper(v.(bool)) },
	"Transposed": func(c *call, v any) tensor.Opt { return tensor.Transposed(v.(bool)) },

	"Step":   func(c *call, v any) tensor.Opt { return tensor.Step(num(c.t, v)) },
	"NaN":    func(c *call, v any) tensor.Opt { return tensor.NaN(num(c.t, v)) },
	"PosInf": func(c *call, v any) tensor.Opt { return tensor.PosInf(num(c.t, v)) },
	"NegInf": func(c *call, v any) tensor.Opt { return tensor.NegInf(num(c.t, v)) },
	"RTol":   func(c *call, v any) tensor.Opt { return tensor.RTol(num(c.t, v)) },
	"ATol":   func(c *call, v any) tensor.Opt { return tensor.ATol(num(c.t, v)) },
	"Loc":    func(c *call, v any) tensor.Opt { return tensor.Loc(num(c.t, v)) },
	"Scale":  func(c *call, v any) tensor.Opt { return tensor.Scale(num(c.t, v)) },
	"Alpha":  func(c *call, v any) tensor.Opt { return tensor.Alpha(num(c.t, v)) },
	"Beta":   func(c *call, v any) tensor.Opt { return tensor.Beta(num(c.t, v)) },
	"Ord":    func(c *call, v any) tensor.Opt { return tensor.Ord(num(c.t, v)) },
	"Base":   func(c *call, v any) tensor.Opt { return tensor.Base(num(c.t, v)) },

	"Num":       func(c *call, v any) tensor.Opt { return tensor.Num(intOf(c, v)) },
	"Cols":      func(c *call, v any) tensor.Opt { return tensor.Cols(intOf(c, v)) },
	"Offset":    func(c *call, v any) tensor.Opt { return tensor.Offset(intOf(c, v)) },
	"Decimals":  func(c *call, v any) tensor.Opt { return tensor.Decimals(intOf(c, v)) },
	"Ddof":      func(c *call, v any) tensor.Opt { return tensor.Ddof(intOf(c, v)) },
	"StartAxis": func(c *call, v any) tensor.Opt { return tensor.StartAxis(intOf(c, v)) },
	"EndAxis":   func(c *call, v any) tensor.Opt { return tensor.EndAxis(intOf(c, v)) },
	"Axis1":     func(c *call, v any) tensor.Opt { return tensor.Axis1(intOf(c, v)) },
	"Axis2":     func(c *call, v any) tensor.Opt { return tensor.Axis2(intOf(c, v)) },
	"DotAxes":   func(c *call, v any) tensor.Opt { return tensor.DotAxes(intOf(c, v)) },
	"Groups":    func(c *call, v any) tensor.Opt { return tensor.Groups(intOf(c, v)) },
	"GroupSize": func(c *call, v any) tensor.Opt { return tensor.GroupSize(intOf(c, v)) },
	"Bits":      func(c *call, v any) tensor.Opt { return tensor.Bits(intOf(c, v)) },
	"Width":     func(c *call, v any) tensor.Opt { return tensor.Width(intOf(c, v)) },
	"N":         func(c *call, v any) tensor.Opt { return tensor.N(intOf(c, v)) },

	"PadMode":  func(c *call, v any) tensor.Opt { return tensor.PadMode(v.(string)) },
	"Indexing": func(c *call, v any) tensor.Opt { return tensor.Indexing(v.(string)) },
	"Side":     func(c *call, v any) tensor.Opt { return tensor.Side(v.(string)) },
	"UPLO":     func(c *call, v any) tensor.Opt { return tensor.UPLO(v.(string)) },
	"Mode":     func(c *call, v any) tensor.Opt { return tensor.Mode(v.(string)) },

	"Dtype": func(c *call, v any) tensor.Opt {
		d, err := tensor.ParseDtype(v.(string))
		if err != nil {
			c.t.Fatal(err)
		}
		return d
	},

	"Key":    func(c *call, v any) tensor.Opt { return tensor.Key(c.ref(v).(*tensor.Array)) },
	"Weight": func(c *call, v any) tensor.Opt { return tensor.Weight(c.ref(v).(*tensor.Array)) },
	"Bias":   func(c *call, v any) tensor.Opt { return tensor.Bias(c.ref(v).(*tensor.Array)) },
	"Biases": func(c *call, v any) tensor.Opt { return tensor.Biases(c.ref(v).(*tensor.Array)) },
	"Freqs":  func(c *call, v any) tensor.Opt { return tensor.Freqs(c.ref(v).(*tensor.Array)) },
	"Mask":   func(c *call, v any) tensor.Opt { return tensor.Mask(c.ref(v).(*tensor.Array)) },
	"Sinks":  func(c *call, v any) tensor.Opt { return tensor.Sinks(c.ref(v).(*tensor.Array)) },

	"Low":      func(c *call, v any) tensor.Opt { return tensor.Low(c.ref(v)) },
	"High":     func(c *call, v any) tensor.Opt { return tensor.High(c.ref(v)) },
	"P":        func(c *call, v any) tensor.Opt { return tensor.P(c.ref(v)) },
	"PadValue": func(c *call, v any) tensor.Opt { return tensor.PadValue(c.ref(v)) },
}

func intOf(c *call, v any) int {
	n, err := v.(json.Number).Int64()
	if err != nil {
		c.t.Fatal(err)
	}
	return int(n)
}
