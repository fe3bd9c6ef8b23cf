"""Writes tensor/testdata/ops_golden.json: every op of tensor/cgo/ops.def run
by Python MLX on the CPU, for tensor/parity_test.go to replay through the Go
API and compare bit for bit.

    /work/main/.venv/bin/python tests/golden/gen_tensor_golden.py [OUT]

A case is {"name", "op", "inputs", "kw", "outputs" | "error"}:
  op      the op's name in ops.def
  inputs  arrays, Python scalars (weak, as Go numbers are) or array lists,
          in the order of the op's positional parameters
  kw      the other arguments. Lower-case keys are positional Go parameters
          (a shape, an axis); Capitalised keys are Go options, named as the
          option constructors (Axis, KeepDims, Dtype...). {"input": i} stands
          for inputs[i] (optional array options such as Key or Weight).
  outputs what MLX computed; "error" instead when MLX refused the input.

Inputs are random from a fixed numpy seed; random ops use explicit keys.
"""

import os
import sys

import mlx.core as mx
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_io import dump, encode_array, encode_input  # noqa: E402
from threefry import random_bits_reference  # noqa: E402

mx.set_default_device(mx.cpu)
rng = np.random.default_rng(20240601)
cases = []

F32, F16, BF16, F64 = mx.float32, mx.float16, mx.bfloat16, mx.float64
I8, I16, I32, I64 = mx.int8, mx.int16, mx.int32, mx.int64
U8, U16, U32, U64 = mx.uint8, mx.uint16, mx.uint32, mx.uint64
BOOL, C64 = mx.bool_, mx.complex64


def dtname(d):
    return str(d).removeprefix("mlx.core.")


def randn(shape, dtype=F32, lo=-2.0, hi=2.0):
    """Uniform floats in [lo, hi), or integers in [lo, hi) for int dtypes."""
    if dtype == BOOL:
        return mx.array(rng.random(shape) < 0.5)
    if dtype in (I8, I16, I32, I64, U8, U16, U32, U64):
        return mx.array(rng.integers(int(lo), int(hi), size=shape)).astype(dtype)
    if dtype == C64:
        re = rng.uniform(lo, hi, size=shape)
        im = rng.uniform(lo, hi, size=shape)
        return mx.array((re + 1j * im).astype(np.complex64))
    return mx.array(rng.uniform(lo, hi, size=shape).astype(np.float32)).astype(dtype)


def ints(shape, lo, hi, dtype=I32):
    return randn(shape, dtype, lo, hi)


def add(op, name, inputs, py, kw=None):
    """Runs py(*inputs) in Python MLX and records the case."""
    rec = {
        "name": f"{op}/{name}",
        "op": op,
        "inputs": [encode_input(v) for v in inputs],
        "kw": kw or {},
    }
    try:
        out = py(*inputs)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        mx.eval(outs)
        rec["outputs"] = [encode_array(o) for o in outs]
    except (ValueError, RuntimeError, TypeError, IndexError) as e:
        rec["error"] = str(e)
    cases.append(rec)


def inp(i):
    return {"input": i}


# ---------------------------------------------------------------- creation
def creation():
    add("arange", "float", [], lambda: mx.arange(0.0, 5.0), {"start": 0, "stop": 5})
    add("arange", "step", [], lambda: mx.arange(1.0, 2.0, 0.25), {"start": 1, "stop": 2, "Step": 0.25})
    add("arange", "neg_step", [], lambda: mx.arange(5.0, -1.0, -1.5), {"start": 5, "stop": -1, "Step": -1.5})
    add("arange", "int32", [], lambda: mx.arange(0, 7, 2, dtype=I32), {"start": 0, "stop": 7, "Step": 2, "Dtype": "int32"})
    add("arange", "f16", [], lambda: mx.arange(0.0, 3.0, 0.5, dtype=F16), {"start": 0, "stop": 3, "Step": 0.5, "Dtype": "float16"})
    add("arange", "empty", [], lambda: mx.arange(3.0, 3.0), {"start": 3, "stop": 3})
    add("linspace", "default", [], lambda: mx.linspace(0, 1), {"start": 0, "stop": 1})
    add("linspace", "num", [], lambda: mx.linspace(-1, 2, 7), {"start": -1, "stop": 2, "Num": 7})
    add("linspace", "f16", [], lambda: mx.linspace(0, 1, 5, dtype=F16), {"start": 0, "stop": 1, "Num": 5, "Dtype": "float16"})
    for d in (F32, I32, BOOL, BF16, C64, U8):
        add("zeros", dtname(d), [], lambda d=d: mx.zeros([2, 3], dtype=d), {"shape": [2, 3], "Dtype": dtname(d)})
        add("ones", dtname(d), [], lambda d=d: mx.ones([3, 1], dtype=d), {"shape": [3, 1], "Dtype": dtname(d)})
    add("zeros", "default", [], lambda: mx.zeros([4]), {"shape": [4]})
    add("zeros", "scalar_shape", [], lambda: mx.zeros([]), {"shape": []})
    add("ones", "empty", [], lambda: mx.ones([0, 2]), {"shape": [0, 2]})
    add("full", "float", [2.5], lambda v: mx.full([2, 2], v), {"shape": [2, 2]})
    add("full", "int", [7], lambda v: mx.full([3], v), {"shape": [3]})
    add("full", "bool", [True], lambda v: mx.full([2], v), {"shape": [2]})
    add("full", "dtype", [3], lambda v: mx.full([2, 1], v, dtype=F16), {"shape": [2, 1], "Dtype": "float16"})
    add("full", "array_bcast", [randn([3])], lambda v: mx.full([2, 3], v), {"shape": [2, 3]})
    for fn, op in ((mx.zeros_like, "zeros_like"), (mx.ones_like, "ones_like")):
        add(op, "f16", [randn([2, 2], F16)], fn, {})
        add(op, "int", [ints([3], 0, 9)], fn, {})
        add(op, "dtype", [randn([2])], lambda a, fn=fn: fn(a, dtype=I8), {"Dtype": "int8"})
    add("full_like", "weak_float_on_f16", [randn([2, 2], F16), 1.5], lambda a, v: mx.full_like(a, v), {})
    add("full_like", "weak_float_on_int", [ints([3], 0, 9), 2.5], lambda a, v: mx.full_like(a, v), {})
    add("full_like", "dtype", [ints([3], 0, 9), 2], lambda a, v: mx.full_like(a, v, dtype=F32), {"Dtype": "float32"})
    add("eye", "square", [], lambda: mx.eye(3), {"n": 3})
    add("eye", "rect_offset", [], lambda: mx.eye(3, 4, k=1), {"n": 3, "Cols": 4, "Offset": 1})
    add("eye", "neg_offset_int", [], lambda: mx.eye(4, k=-2, dtype=I32), {"n": 4, "Offset": -2, "Dtype": "int32"})
    add("identity", "f32", [], lambda: mx.identity(3), {"n": 3})
    add("identity", "bool", [], lambda: mx.identity(2, dtype=BOOL), {"n": 2, "Dtype": "bool"})
    add("tri", "square", [], lambda: mx.tri(3), {"n": 3})
    add("tri", "rect_offset", [], lambda: mx.tri(3, 5, k=1, dtype=I32), {"n": 3, "Cols": 5, "Offset": 1, "Dtype": "int32"})
    for src, dst in ((F32, F16), (F32, BF16), (F32, I32), (F32, U8), (F32, BOOL), (I32, F32), (BF16, F32),
                     (F16, BF16), (I64, I8), (BOOL, F32), (F32, C64), (C64, F32), (F32, F64), (U32, I16)):
        lo, hi = (-300, 300) if src in (I32, I64, F32) else (0, 4)
        a = randn([2, 3], src, lo, hi)
        add("astype", f"{dtname(src)}_to_{dtname(dst)}", [a], lambda a, dst=dst: a.astype(dst), {"dtype": dtname(dst)})
    add("astype", "nan_inf_to_int", [mx.array([np.nan, np.inf, -np.inf, 1.5])], lambda a: a.astype(I32), {"dtype": "int32"})
    add("astype", "empty", [randn([0, 3])], lambda a: a.astype(F16), {"dtype": "float16"})
    add("view", "f32_as_u32", [randn([2, 2])], lambda a: a.view(U32), {"dtype": "uint32"})
    add("view", "f32_as_u8", [randn([3])], lambda a: a.view(U8), {"dtype": "uint8"})
    add("view", "u8_as_i16", [ints([2, 4], 0, 255, U8)], lambda a: a.view(I16), {"dtype": "int16"})
    add("view", "bf16_as_u16", [randn([5], BF16)], lambda a: a.view(U16), {"dtype": "uint16"})
    add("view", "bad_size", [ints([3], 0, 9, U8)], lambda a: a.view(F32), {"dtype": "float32"})
    add("copy", "f32", [randn([2, 3])], lambda a: mx.array(a), {})
    add("copy", "bf16", [randn([4], BF16)], lambda a: mx.array(a), {})
    add("contiguous", "f32", [randn([2, 3])], mx.contiguous, {})
    add("contiguous", "int", [ints([5], -9, 9)], mx.contiguous, {})
    add("stop_gradient", "f32", [randn([3])], mx.stop_gradient, {})


# ---------------------------------------------------------------- unary
# domain of each op's test inputs: (lo, hi)
UNARY = {
    "abs": (-3, 3), "negative": (-3, 3), "sign": (-3, 3), "exp": (-3, 3), "expm1": (-1, 1),
    "log": (0.1, 5), "log1p": (-0.5, 3), "log2": (0.1, 5), "log10": (0.1, 5), "sqrt": (0, 5),
    "rsqrt": (0.1, 5), "square": (-3, 3), "reciprocal": (0.5, 3), "sin": (-3, 3), "cos": (-3, 3),
    "tan": (-1, 1), "arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9), "arctan": (-3, 3), "sinh": (-2, 2),
    "cosh": (-2, 2), "tanh": (-3, 3), "arcsinh": (-3, 3), "arccosh": (1, 4), "arctanh": (-0.9, 0.9),
    "degrees": (-3, 3), "radians": (-180, 180), "erf": (-2, 2), "erfinv": (-0.9, 0.9),
    "sigmoid": (-4, 4), "floor": (-3, 3), "ceil": (-3, 3), "trunc": (-3, 3), "round": (-3, 3),
    "isnan": (-3, 3), "isinf": (-3, 3), "isfinite": (-3, 3), "isposinf": (-3, 3), "isneginf": (-3, 3),
    "logical_not": (-2, 2), "bitwise_invert": (-50, 50), "conjugate": (-2, 2), "real": (-2, 2),
    "imag": (-2, 2),
}
SPECIALS = mx.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0], dtype=F32)


def unary():
    for op, (lo, hi) in UNARY.items():
        fn = getattr(mx, op)
        if op == "bitwise_invert":
            add(op, "int32", [ints([2, 3], lo, hi)], fn)
            add(op, "uint8", [ints([4], 0, 255, U8)], fn)
            add(op, "bool", [randn([4], BOOL)], fn)
            add(op, "float_error", [randn([2])], fn)
            continue
        if op in ("conjugate", "real", "imag"):
            add(op, "complex", [randn([2, 3], C64, lo, hi)], fn)
            add(op, "f32", [randn([3], F32, lo, hi)], fn)
            add(op, "empty_complex", [randn([0], C64)], fn)
            continue
        add(op, "f32", [randn([2, 3], F32, lo, hi)], fn)
        add(op, "f16", [randn([5], F16, lo, hi)], fn)
        add(op, "bf16", [randn([5], BF16, lo, hi)], fn)
        ilo, ihi = max(int(np.ceil(lo)), -3), max(int(np.floor(hi)), 1) + 1
        add(op, "int32", [ints([4], ilo, ihi)], fn)
        add(op, "scalar_0d", [mx.array(float(np.clip(0.5, lo, hi)))], fn)
        add(op, "empty", [randn([0, 2])], fn)
        add(op, "specials", [SPECIALS], fn)
        # Not every op takes these; where MLX refuses, the case records the
        # error and Go must refuse too.
        add(op, "complex", [randn([3], C64, max(lo, -1), min(hi, 1))], fn)
        add(op, "bool", [randn([3], BOOL)], fn)
        add(op, "f64", [randn([3], F64, lo, hi)], fn)
    add("abs", "int8_min", [mx.array([-128, -1, 5], dtype=I8)], mx.abs)
    add("negative", "uint8", [ints([3], 0, 255, U8)], mx.negative)
    add("negative", "bool_error", [randn([3], BOOL)], mx.negative)
    add("sqrt", "negative_nan", [mx.array([-1.0, 4.0])], mx.sqrt)
    add("round", "decimals", [randn([6], F32, -30, 30)], lambda a: mx.round(a, 2), {"Decimals": 2})
    add("round", "neg_decimals", [randn([6], F32, -300, 300)], lambda a: mx.round(a, -1), {"Decimals": -1})
    add("round", "half_even", [mx.array([0.5, 1.5, 2.5, -0.5, -1.5])], mx.round)
    add("isnan", "int_is_false", [ints([3], 0, 5)], mx.isnan)
    add("isinf", "bf16_specials", [SPECIALS.astype(BF16)], mx.isinf)


# ---------------------------------------------------------------- binary
BINARY_FLOAT = ["add", "subtract", "multiply", "divide", "power", "maximum", "minimum",
                "logaddexp", "arctan2", "floor_divide", "remainder", "divmod"]
COMPARE = ["equal", "not_equal", "greater", "greater_equal", "less", "less_equal"]
LOGICAL = ["logical_and", "logical_or", "logical_xor"]
BITWISE = ["bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift"]


def binary():
    for op in BINARY_FLOAT + COMPARE:
        fn = getattr(mx, op)
        pos = op in ("power", "divide", "floor_divide", "remainder", "divmod")
        lo = 0.5 if pos else -3
        add(op, "f32", [randn([2, 3], F32, lo, 3), randn([2, 3], F32, lo, 3)], fn)
        add(op, "broadcast", [randn([3, 1], F32, lo, 3), randn([1, 4], F32, lo, 3)], fn)
        add(op, "broadcast_rank", [randn([2, 1, 3], F32, lo, 3), randn([3], F32, lo, 3)], fn)
        add(op, "f16", [randn([4], F16, lo, 3), randn([4], F16, lo, 3)], fn)
        add(op, "bf16", [randn([4], BF16, lo, 3), randn([4], BF16, lo, 3)], fn)
        add(op, "int32", [ints([5], 1, 9), ints([5], 1, 9)], fn)
        add(op, "int_float_promote", [ints([3], 1, 9), randn([3], F32, lo, 3)], fn)
        add(op, "f16_f32_promote", [randn([3], F16, lo, 3), randn([3], F32, lo, 3)], fn)
        add(op, "bf16_f16_promote", [randn([3], BF16, lo, 3), randn([3], F16, lo, 3)], fn)
        add(op, "u8_i8_promote", [ints([3], 1, 9, U8), ints([3], 1, 9, I8)], fn)
        add(op, "f16_weak_float", [randn([3], F16, lo, 3), 1.75], fn)
        add(op, "bf16_weak_int", [randn([3], BF16, lo, 3), 2], fn)
        add(op, "int_weak_float", [ints([3], 1, 9), 2.5], fn)
        add(op, "u8_weak_int", [ints([3], 1, 9, U8), 3], fn)
        add(op, "weak_left", [2.0, randn([3], F16, lo, 3)], fn)
        add(op, "int_left_on_i16", [3, ints([3], 1, 9, I16)], fn)
        add(op, "empty", [randn([0, 3], F32, lo, 3), randn([1, 3], F32, lo, 3)], fn)
        add(op, "scalar_0d", [mx.array(1.5), randn([2], F32, lo, 3)], fn)
        add(op, "shape_mismatch", [randn([2, 3]), randn([4])], fn)
        if op not in ("logaddexp", "arctan2", "floor_divide", "remainder", "divmod"):
            add(op, "bool_weak_int", [randn([3], BOOL), 1], fn)
            add(op, "complex", [randn([3], C64, lo, 3), randn([3], C64, lo, 3)], fn)
            add(op, "f32_weak_complex", [randn([3], F32, lo, 3), 1 + 2j], fn)
        if op not in ("arctan2", "logaddexp"):
            add(op, "i64_u64_promote", [ints([3], 1, 9, I64), ints([3], 1, 9, U64)], fn)
    add("divide", "int_by_zero", [mx.array([1, -1, 0]), mx.array([0, 0, 0])], mx.divide)
    add("floor_divide", "negative", [ints([6], -9, 9), mx.array([2, -3, 4, -2, 3, 5])], mx.floor_divide)
    add("remainder", "negative_float", [randn([6], F32, -9, 9), mx.array([2.0, -3.0, 4.0, -2.0, 3.0, 1.5])], mx.remainder)
    add("remainder", "negative_int", [ints([6], -9, 9), mx.array([2, -3, 4, -2, 3, 5])], mx.remainder)
    add("power", "int_negative_exp", [mx.array([2, 3, 4]), mx.array([2, 0, 3])], mx.power)
    add("maximum", "nan", [mx.array([np.nan, 1.0, 2.0]), mx.array([0.0, np.nan, 1.0])], mx.maximum)
    add("minimum", "nan", [mx.array([np.nan, 1.0, 2.0]), mx.array([0.0, np.nan, 1.0])], mx.minimum)
    add("equal", "nan", [mx.array([np.nan, 1.0]), mx.array([np.nan, 1.0])], mx.equal)
    add("add", "weak_both", [2, 3], mx.add)
    add("add", "weak_float_int", [2.5, 3], mx.add)
    add("multiply", "weak_bool_bool_array", [randn([3], BOOL), True], mx.multiply)
    add("add", "i8_overflow_wraps", [mx.array([120, -120], dtype=I8), 10], mx.add)
    # Weak scalars that do not fit the array's dtype, or need its precision.
    add("add", "i8_weak_int_out_of_range", [mx.array([1, -1], dtype=I8), 300], mx.add)
    add("add", "u8_weak_negative_int", [mx.array([1, 200], dtype=U8), -1], mx.add)
    add("add", "weak_both_big_int_is_int64", [2**40, 3], mx.add)
    add("add", "i32_weak_big_int_overflow", [mx.array([1, 2]), 2**40], mx.add)
    add("add", "i64_weak_big_int", [mx.array([1, -1], dtype=I64), 2**40 + 1], mx.add)
    add("add", "f64_weak_float_precision", [randn([2], F64), 0.1], mx.add)
    add("multiply", "f16_weak_float_overflow", [randn([2], F16), 1e10], mx.multiply)
    add("add", "bf16_weak_float_rounding", [randn([3], BF16), 1.0 / 3], mx.add)
    add("subtract", "u32_weak_int", [mx.array([5, 7], dtype=U32), 6], mx.subtract)
    add("divide", "int_weak_int_true_division", [ints([3], 1, 9), 2], mx.divide)
    add("power", "int_weak_half", [ints([3], 1, 9), 0.5], mx.power)
    add("add", "f64_arrays", [randn([2, 2], F64), randn([2], F64)], mx.add)
    add("multiply", "f64_f32_promote", [randn([2], F64), randn([2], F32)], mx.multiply)
    for op in LOGICAL:
        fn = getattr(mx, op)
        add(op, "bool", [randn([2, 3], BOOL), randn([2, 3], BOOL)], fn)
        add(op, "broadcast", [randn([3, 1], BOOL), randn([1, 2], BOOL)], fn)
        add(op, "float", [mx.array([0.0, 1.0, -2.0, 0.0]), mx.array([0.0, 0.0, 3.0, 5.0])], fn)
        add(op, "weak_bool", [randn([4], BOOL), True], fn)
        add(op, "int", [ints([4], 0, 3), ints([4], 0, 3)], fn)
    for op in BITWISE:
        fn = getattr(mx, op)
        shift = op.endswith("shift")
        add(op, "int32", [ints([2, 3], -50, 50), ints([2, 3], 0, 5) if shift else ints([2, 3], -50, 50)], fn)
        add(op, "uint8", [ints([4], 0, 255, U8), ints([4], 0, 7, U8)], fn)
        add(op, "broadcast", [ints([3, 1], 0, 99), ints([1, 2], 0, 4)], fn)
        add(op, "weak_int", [ints([4], 0, 99, I16), 3], fn)
        add(op, "weak_left", [5, ints([4], 0, 4, U16)], fn)
        add(op, "i64", [ints([3], -999, 999, I64), ints([3], 0, 9, I64)], fn)
        add(op, "float_error", [randn([2]), randn([2])], fn)
        if not shift:
            add(op, "bool", [randn([4], BOOL), randn([4], BOOL)], fn)
    a = randn([2, 3])
    add("array_equal", "same", [a, mx.array(a)], mx.array_equal)
    add("array_equal", "differ", [a, randn([2, 3])], mx.array_equal)
    add("array_equal", "shape_differs", [a, randn([3, 2])], mx.array_equal)
    add("array_equal", "dtype_differs_equal_values", [mx.array([1, 2]), mx.array([1.0, 2.0])], mx.array_equal)
    nan = mx.array([np.nan, 1.0])
    add("array_equal", "nan", [nan, nan], mx.array_equal)
    add("array_equal", "nan_equal", [nan, nan], lambda a, b: mx.array_equal(a, b, equal_nan=True), {"EqualNaN": True})
    b = a + 1e-6
    add("allclose", "close", [a, b], mx.allclose)
    add("allclose", "far", [a, a + 0.1], mx.allclose)
    add("allclose", "tol", [a, a + 0.1], lambda x, y: mx.allclose(x, y, rtol=0, atol=0.2), {"RTol": 0, "ATol": 0.2})
    add("allclose", "nan", [nan, nan], lambda x, y: mx.allclose(x, y, equal_nan=True), {"EqualNaN": True})
    add("allclose", "broadcast", [randn([2, 3]), randn([3])], mx.allclose)
    c = mx.array([1.0, 2.0, np.nan, np.inf, 5.0])
    d = mx.array([1.0 + 1e-7, 2.1, np.nan, np.inf, 5.0001])
    add("isclose", "default", [c, d], mx.isclose)
    add("isclose", "equal_nan_rtol", [c, d], lambda x, y: mx.isclose(x, y, rtol=1e-3, equal_nan=True), {"RTol": 1e-3, "EqualNaN": True})
    add("isclose", "atol", [c, d], lambda x, y: mx.isclose(x, y, atol=0.5), {"ATol": 0.5})
    cond = randn([2, 3], BOOL)
    add("where", "arrays", [cond, randn([2, 3]), randn([2, 3])], mx.where)
    add("where", "broadcast", [randn([3, 1], BOOL), randn([1, 4]), randn([4])], mx.where)
    add("where", "weak_scalars_f16", [cond, randn([2, 3], F16), 0.5], mx.where)
    add("where", "weak_both", [cond, 1.5, 2], mx.where)
    add("where", "promote", [cond, ints([2, 3], 0, 9), randn([2, 3], F16)], mx.where)
    add("where", "int_cond", [ints([4], 0, 2), randn([4]), randn([4])], mx.where)
    add("clip", "both", [randn([6], F32, -3, 3), -1.0, 1.0], mx.clip)
    add("clip", "min_only", [randn([6], F32, -3, 3), 0.0, None], mx.clip)
    add("clip", "max_only_int", [ints([6], -9, 9), None, 3], mx.clip)
    add("clip", "arrays", [randn([2, 3], F32, -3, 3), randn([3], F32, -2, 0), randn([2, 1], F32, 0, 2)], mx.clip)
    add("clip", "f16_weak", [randn([4], F16, -3, 3), -1, 1.5], mx.clip)
    add("clip", "neither_error", [randn([3]), None, None], mx.clip)
    sp = mx.array([np.nan, np.inf, -np.inf, 1.5])
    add("nan_to_num", "default", [sp], mx.nan_to_num)
    add("nan_to_num", "values", [sp], lambda a: mx.nan_to_num(a, nan=-1.0, posinf=100.0, neginf=-100.0),
        {"NaN": -1.0, "PosInf": 100.0, "NegInf": -100.0})
    add("nan_to_num", "f16", [sp.astype(F16)], mx.nan_to_num)
    add("nan_to_num", "bf16_posinf", [sp.astype(BF16)], lambda a: mx.nan_to_num(a, posinf=7.0), {"PosInf": 7.0})
    add("nan_to_num", "int_passthrough", [ints([3], 0, 9)], mx.nan_to_num)


# ---------------------------------------------------------------- reductions
REDUCE = ["sum", "mean", "prod", "max", "min", "all", "any", "logsumexp", "var", "std", "median",
          "count_nonzero"]


def reductions():
    for op in REDUCE:
        fn = getattr(mx, op)
        a = randn([3, 4, 2], F32, -2, 2)
        add(op, "all_axes", [a], fn)
        add(op, "axis0", [a], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "neg_axis_keepdims", [a], lambda x, fn=fn: fn(x, axis=-1, keepdims=True), {"Axis": [-1], "KeepDims": True})
        add(op, "two_axes", [a], lambda x, fn=fn: fn(x, axis=[0, 2]), {"Axis": [0, 2]})
        add(op, "keepdims_all", [a], lambda x, fn=fn: fn(x, keepdims=True), {"KeepDims": True})
        add(op, "f16", [randn([4, 3], F16)], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        add(op, "bf16", [randn([4, 3], BF16)], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "int32", [ints([3, 4], -5, 6)], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        add(op, "uint8", [ints([6], 0, 255, U8)], fn)
        add(op, "bool", [randn([2, 3], BOOL)], lambda x, fn=fn: fn(x, axis=-1), {"Axis": [-1]})
        # Reducing an empty array along its non-empty axis. (MLX 0.32.4 on the
        # CPU can spin forever summing or multiplying over an axis of size 0,
        # in Python as in Go, so that is not a case; max, min, logsumexp and
        # median refuse it before evaluating, which is.)
        add(op, "empty_rows", [randn([0, 3])], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        if op in ("max", "min", "logsumexp", "median"):
            add(op, "empty_axis_error", [randn([0, 3])], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "scalar_0d", [mx.array(2.5)], fn)
        add(op, "bad_axis", [a], lambda x, fn=fn: fn(x, axis=3), {"Axis": [3]})
        if op in ("sum", "prod", "mean", "max", "min"):
            add(op, "complex", [randn([2, 2], C64, -1, 1)], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
    for op in ("var", "std"):
        fn = getattr(mx, op)
        add(op, "ddof", [randn([3, 5])], lambda x, fn=fn: fn(x, axis=1, ddof=1), {"Axis": [1], "Ddof": 1})
    add("sum", "nan", [mx.array([1.0, np.nan])], mx.sum)
    add("max", "nan", [mx.array([1.0, np.nan, 3.0])], mx.max)
    add("sum", "int8_promotes", [ints([10], 50, 120, I8)], mx.sum)
    for op in ("argmax", "argmin"):
        fn = getattr(mx, op)
        a = randn([3, 4], F32)
        add(op, "flat", [a], fn)
        add(op, "axis", [a], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        add(op, "neg_axis_keepdims", [a], lambda x, fn=fn: fn(x, axis=-2, keepdims=True), {"Axis": [-2], "KeepDims": True})
        add(op, "ties_int", [mx.array([[1, 3, 3], [2, 2, 0]])], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        add(op, "bf16", [randn([5], BF16)], fn)
        add(op, "nan", [mx.array([1.0, np.nan, 3.0])], fn)
        add(op, "bad_axis", [a], lambda x, fn=fn: fn(x, axis=2), {"Axis": [2]})


def scans():
    for op in ("cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"):
        fn = getattr(mx, op)
        a = randn([3, 4], F32, -1.5, 1.5)
        add(op, "flat", [a], fn)
        add(op, "axis1", [a], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        add(op, "neg_axis_reverse", [a], lambda x, fn=fn: fn(x, axis=-2, reverse=True), {"Axis": [-2], "Reverse": True})
        add(op, "exclusive", [a], lambda x, fn=fn: fn(x, axis=1, inclusive=False), {"Axis": [1], "Inclusive": False})
        add(op, "reverse_exclusive", [a], lambda x, fn=fn: fn(x, axis=0, reverse=True, inclusive=False),
            {"Axis": [0], "Reverse": True, "Inclusive": False})
        add(op, "f16", [randn([6], F16, -1, 1)], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "bf16", [randn([6], BF16, -1, 1)], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "int32", [ints([2, 5], -3, 4)], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        add(op, "bool", [randn([5], BOOL)], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "empty", [randn([0, 3])], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "bad_axis", [a], lambda x, fn=fn: fn(x, axis=2), {"Axis": [2]})


# ---------------------------------------------------------------- shape
def shape_ops():
    a = randn([2, 3, 4])
    add("reshape", "basic", [a], lambda x: x.reshape(4, 6), {"shape": [4, 6]})
    add("reshape", "infer", [a], lambda x: x.reshape(-1, 2), {"shape": [-1, 2]})
    add("reshape", "to_scalar", [randn([1, 1])], lambda x: x.reshape([]), {"shape": []})
    add("reshape", "empty", [randn([0, 4])], lambda x: x.reshape(2, 0, 3), {"shape": [2, 0, 3]})
    add("reshape", "bad_size", [a], lambda x: x.reshape(5, 5), {"shape": [5, 5]})
    add("reshape", "of_transposed", [a.transpose(2, 0, 1)], lambda x: x.reshape(4, 6), {"shape": [4, 6]})
    add("flatten", "all", [a], mx.flatten)
    add("flatten", "range", [a], lambda x: mx.flatten(x, 1, 2), {"StartAxis": 1, "EndAxis": 2})
    add("flatten", "neg", [a], lambda x: mx.flatten(x, start_axis=-2), {"StartAxis": -2})
    add("flatten", "scalar", [mx.array(3)], mx.flatten)
    add("unflatten", "basic", [randn([6, 2])], lambda x: mx.unflatten(x, 0, [2, 3]), {"axis": 0, "shape": [2, 3]})
    add("unflatten", "neg_infer", [randn([2, 12])], lambda x: mx.unflatten(x, -1, [3, -1]), {"axis": -1, "shape": [3, -1]})
    add("transpose", "default", [a], mx.transpose)
    add("transpose", "axes", [a], lambda x: mx.transpose(x, [1, 0, 2]), {"Axes": [1, 0, 2]})
    add("transpose", "neg_axes", [a], lambda x: mx.transpose(x, [-1, 0, 1]), {"Axes": [-1, 0, 1]})
    add("transpose", "bad_axes", [a], lambda x: mx.transpose(x, [0, 0, 1]), {"Axes": [0, 0, 1]})
    add("transpose", "bf16", [randn([2, 3], BF16)], mx.transpose)
    add("swapaxes", "basic", [a], lambda x: mx.swapaxes(x, 0, 2), {"axis1": 0, "axis2": 2})
    add("swapaxes", "neg", [a], lambda x: mx.swapaxes(x, -1, -2), {"axis1": -1, "axis2": -2})
    add("moveaxis", "basic", [a], lambda x: mx.moveaxis(x, 0, -1), {"source": 0, "destination": -1})
    add("moveaxis", "bad", [a], lambda x: mx.moveaxis(x, 3, 0), {"source": 3, "destination": 0})
    s = randn([1, 3, 1, 2])
    add("squeeze", "all", [s], mx.squeeze)
    add("squeeze", "axis", [s], lambda x: mx.squeeze(x, 2), {"Axis": [2]})
    add("squeeze", "neg_axes", [s], lambda x: mx.squeeze(x, [0, -2]), {"Axis": [0, -2]})
    add("squeeze", "not_one", [s], lambda x: mx.squeeze(x, 1), {"Axis": [1]})
    add("expand_dims", "front", [randn([3])], lambda x: mx.expand_dims(x, 0), {"axes": [0]})
    add("expand_dims", "many_neg", [randn([2, 3])], lambda x: mx.expand_dims(x, [0, -1]), {"axes": [0, -1]})
    add("expand_dims", "scalar", [mx.array(1.0)], lambda x: mx.expand_dims(x, 0), {"axes": [0]})
    add("broadcast_to", "basic", [randn([3, 1])], lambda x: mx.broadcast_to(x, [2, 3, 4]), {"shape": [2, 3, 4]})
    add("broadcast_to", "scalar", [mx.array(2, dtype=I16)], lambda x: mx.broadcast_to(x, [2, 2]), {"shape": [2, 2]})
    add("broadcast_to", "bad", [randn([3])], lambda x: mx.broadcast_to(x, [4]), {"shape": [4]})
    add("broadcast_arrays", "three", [[randn([3, 1]), randn([4]), mx.array(1.0)]], lambda xs: mx.broadcast_arrays(*xs))
    add("broadcast_arrays", "bad", [[randn([3]), randn([4])]], lambda xs: mx.broadcast_arrays(*xs))
    add("concatenate", "axis0", [[randn([2, 3]), randn([1, 3])]], lambda xs: mx.concatenate(xs))
    add("concatenate", "neg_axis", [[randn([2, 3]), randn([2, 1])]], lambda xs: mx.concatenate(xs, axis=-1), {"Axis": [-1]})
    add("concatenate", "promote", [[ints([2], 0, 9), randn([2], F16)]], lambda xs: mx.concatenate(xs))
    add("concatenate", "empty_part", [[randn([0, 3]), randn([2, 3])]], lambda xs: mx.concatenate(xs))
    add("concatenate", "bad_shapes", [[randn([2, 3]), randn([2, 4])]], lambda xs: mx.concatenate(xs))
    add("stack", "axis0", [[randn([2, 3]), randn([2, 3])]], lambda xs: mx.stack(xs))
    add("stack", "neg_axis", [[randn([2]), randn([2]), randn([2])]], lambda xs: mx.stack(xs, axis=-1), {"Axis": [-1]})
    add("stack", "bad", [[randn([2]), randn([3])]], lambda xs: mx.stack(xs))
    b = randn([6, 4])
    add("split", "sections", [b], lambda x: mx.split(x, 3), {"sections": 3})
    add("split", "axis", [b], lambda x: mx.split(x, 2, axis=-1), {"sections": 2, "Axis": [-1]})
    add("split", "uneven", [b], lambda x: mx.split(x, 4), {"sections": 4})
    add("split_at", "indices", [b], lambda x: mx.split(x, [1, 4]), {"indices": [1, 4]})
    add("split_at", "axis", [b], lambda x: mx.split(x, [3], axis=1), {"indices": [3], "Axis": [1]})
    add("tile", "basic", [randn([2, 2])], lambda x: mx.tile(x, [2, 3]), {"reps": [2, 3]})
    add("tile", "more_reps", [randn([3])], lambda x: mx.tile(x, [2, 1, 2]), {"reps": [2, 1, 2]})
    add("repeat", "flat", [randn([2, 2])], lambda x: mx.repeat(x, 2), {"repeats": 2})
    add("repeat", "axis", [ints([2, 3], 0, 9)], lambda x: mx.repeat(x, 3, axis=-1), {"repeats": 3, "Axis": [-1]})
    p = randn([2, 3])
    add("pad", "constant", [p], lambda x: mx.pad(x, [(1, 0), (0, 2)]), {"axes": [0, 1], "low": [1, 0], "high": [0, 2]})
    add("pad", "value", [p], lambda x: mx.pad(x, [(0, 0), (1, 1)], constant_values=-1.5),
        {"axes": [0, 1], "low": [0, 1], "high": [0, 1], "PadValue": -1.5})
    add("pad", "int_weak_value", [ints([2, 2], 0, 9, U8)], lambda x: mx.pad(x, 1, constant_values=7),
        {"axes": [0, 1], "low": [1, 1], "high": [1, 1], "PadValue": 7})
    add("pad", "edge", [p], lambda x: mx.pad(x, [(1, 1), (2, 0)], mode="edge"),
        {"axes": [0, 1], "low": [1, 2], "high": [1, 0], "PadMode": "edge"})
    add("pad", "reflect", [p], lambda x: mx.pad(x, [(1, 1), (2, 2)], mode="reflect"),
        {"axes": [0, 1], "low": [1, 2], "high": [1, 2], "PadMode": "reflect"})
    add("pad", "symmetric", [p], lambda x: mx.pad(x, [(1, 1), (1, 2)], mode="symmetric"),
        {"axes": [0, 1], "low": [1, 1], "high": [1, 2], "PadMode": "symmetric"})
    add("pad", "bad_mode", [p], lambda x: mx.pad(x, 1, mode="wrap"), {"axes": [0, 1], "low": [1, 1], "high": [1, 1], "PadMode": "wrap"})
    r = randn([3, 4])
    add("roll", "flat", [r], lambda x: mx.roll(x, 5), {"shift": [5]})
    add("roll", "axis", [r], lambda x: mx.roll(x, -1, axis=1), {"shift": [-1], "Axis": [1]})
    add("roll", "multi", [r], lambda x: mx.roll(x, [1, 2], axis=[0, 1]), {"shift": [1, 2], "Axis": [0, 1]})
    add("flip", "all", [r], lambda x: x[::-1, ::-1], {})
    add("flip", "axis", [r], lambda x: x[:, ::-1], {"Axis": [-1]})
    add("diag", "vector", [randn([3])], mx.diag)
    add("diag", "vector_offset", [randn([3])], lambda x: mx.diag(x, k=-1), {"Offset": -1})
    add("diag", "matrix", [randn([3, 4])], mx.diag)
    add("diag", "matrix_offset", [randn([3, 4])], lambda x: mx.diag(x, 1), {"Offset": 1})
    m = randn([2, 3, 3])
    add("diagonal", "default", [m], mx.diagonal)
    add("diagonal", "axes", [m], lambda x: mx.diagonal(x, 1, 1, 2), {"Offset": 1, "Axis1": 1, "Axis2": 2})
    add("trace", "default", [randn([3, 3])], mx.trace)
    add("trace", "axes_offset", [m], lambda x: mx.trace(x, -1, 1, 2), {"Offset": -1, "Axis1": 1, "Axis2": 2})
    add("trace", "int", [ints([3, 3], 0, 9)], mx.trace)
    for op in ("tril", "triu"):
        fn = getattr(mx, op)
        add(op, "default", [randn([3, 4])], fn)
        add(op, "offset", [randn([4, 4])], lambda x, fn=fn: fn(x, 1), {"Offset": 1})
        add(op, "batched_neg", [randn([2, 3, 3])], lambda x, fn=fn: fn(x, -1), {"Offset": -1})
        add(op, "bool", [randn([3, 3], BOOL)], fn)
    for op in ("atleast_1d", "atleast_2d", "atleast_3d"):
        fn = getattr(mx, op)
        add(op, "scalar", [mx.array(1.5)], fn)
        add(op, "vector", [randn([3])], fn)
        add(op, "matrix", [randn([2, 3])], fn)
        add(op, "rank4", [randn([1, 2, 1, 2])], fn)
    x, y = randn([3]), randn([2])
    add("meshgrid", "xy", [[x, y]], lambda xs: mx.meshgrid(*xs))
    add("meshgrid", "ij", [[x, y]], lambda xs: mx.meshgrid(*xs, indexing="ij"), {"Indexing": "ij"})
    add("meshgrid", "sparse", [[x, y, randn([2])]], lambda xs: mx.meshgrid(*xs, sparse=True), {"Sparse": True})
    add("meshgrid", "bad_indexing", [[x, y]], lambda xs: mx.meshgrid(*xs, indexing="zz"), {"Indexing": "zz"})
    st = randn([12])
    add("as_strided", "windows", [st], lambda v: mx.as_strided(v, [5, 3], [2, 1]), {"shape": [5, 3], "strides": [2, 1]})
    add("as_strided", "offset", [st], lambda v: mx.as_strided(v, [2, 2], [3, 1], 4), {"shape": [2, 2], "strides": [3, 1], "Offset": 4})
    add("as_strided", "broadcast", [randn([3])], lambda v: mx.as_strided(v, [2, 3], [0, 1]), {"shape": [2, 3], "strides": [0, 1]})


# ---------------------------------------------------------------- indexing
def indexing():
    a = randn([4, 5])
    add("slice", "basic", [a], lambda x: x[1:3, 0:5:2], {"start": [1, 0], "stop": [3, 5], "strides": [1, 2]})
    add("slice", "empty", [a], lambda x: x[2:2, :], {"start": [2, 0], "stop": [2, 5], "strides": [1, 1]})
    add("slice", "neg_stride", [a], lambda x: x[3:0:-1, :], {"start": [3, 0], "stop": [0, 5], "strides": [-1, 1]})
    add("slice", "int", [ints([6], 0, 9)], lambda x: x[1:6:2], {"start": [1], "stop": [6], "strides": [2]})
    add("slice_dynamic", "basic", [a, mx.array([1, 2])], lambda x, s: mx.slice(x, s, [0, 1], [2, 3]),
        {"axes": [0, 1], "sizes": [2, 3]})
    add("slice_dynamic", "one_axis", [a, mx.array([3])], lambda x, s: mx.slice(x, s, [1], [4, 2]), {"axes": [1], "sizes": [4, 2]})
    u = randn([2, 2])

    def upd(x, v, sl):
        y = mx.array(x)
        y[sl] = v
        return y
    add("slice_update", "basic", [a, u], lambda x, v: upd(x, v, (slice(1, 3), slice(2, 4))),
        {"start": [1, 2], "stop": [3, 4], "strides": [1, 1]})
    add("slice_update", "strided", [a, randn([2, 3])], lambda x, v: upd(x, v, (slice(0, 4, 2), slice(0, 5, 2))),
        {"start": [0, 0], "stop": [4, 5], "strides": [2, 2]})
    add("slice_update", "broadcast", [a, mx.array(9.0)], lambda x, v: upd(x, v, (slice(0, 1), slice(0, 5))),
        {"start": [0, 0], "stop": [1, 5], "strides": [1, 1]})
    add("slice_update_dynamic", "basic", [a, u, mx.array([2, 1])], lambda x, v, s: mx.slice_update(x, v, s, [0, 1]),
        {"axes": [0, 1]})
    add("slice_update_dynamic", "one_axis", [a, randn([4, 2]), mx.array([3])],
        lambda x, v, s: mx.slice_update(x, v, s, [1]), {"axes": [1]})
    idx = mx.array([[0, 3], [2, 2]])
    add("take", "flat", [a, idx], mx.take)
    add("take", "axis", [a, idx], lambda x, i: mx.take(x, i, axis=1), {"Axis": [1]})
    add("take", "neg_axis_neg_index", [a, mx.array([-1, 0])], lambda x, i: mx.take(x, i, axis=-2), {"Axis": [-2]})
    add("take", "scalar_index", [a, mx.array(2)], lambda x, i: mx.take(x, i, axis=0), {"Axis": [0]})
    add("take", "uint8_index", [a, mx.array([4, 1], dtype=U8)], lambda x, i: mx.take(x, i, axis=1), {"Axis": [1]})
    add("take", "float_index_error", [a, mx.array([1.0])], mx.take)
    ti = mx.array([[0, 2, 1, 1, 3]])
    add("take_along_axis", "axis0", [a, ti], lambda x, i: mx.take_along_axis(x, i, 0), {"axis": 0})
    add("take_along_axis", "argsort", [a, mx.argsort(a, axis=-1)], lambda x, i: mx.take_along_axis(x, i, -1), {"axis": -1})
    add("put_along_axis", "array_values", [a, mx.array([[1], [0], [4], [2]]), randn([4, 1])],
        lambda x, i, v: mx.put_along_axis(x, i, v, 1), {"axis": 1})
    add("put_along_axis", "weak_value", [randn([3, 3], F16), mx.array([[0, 1, 2]]), 5.5],
        lambda x, i, v: mx.put_along_axis(x, i, mx.array(v, dtype=x.dtype), 0), {"axis": 0})
    # gather/scatter have no Python function: the reference is Python
    # indexing, reshaped to gather's layout (index shape + slice sizes).
    g = randn([5, 3, 2])
    i0 = mx.array([0, 4, 2])
    i1 = mx.array([2, 0, 1])
    add("gather", "one_axis", [g, [i0]], lambda x, ii: x[ii[0]].reshape(3, 1, 3, 2), {"axes": [0], "slice_sizes": [1, 3, 2]})
    add("gather", "two_axes", [g, [i0, i1]], lambda x, ii: x[ii[0], ii[1]].reshape(3, 1, 1, 2),
        {"axes": [0, 1], "slice_sizes": [1, 1, 2]})
    add("gather", "partial_slice", [g, [i1]], lambda x, ii: x[:, ii[0], :1].transpose(1, 0, 2).reshape(3, 5, 1, 1),
        {"axes": [1], "slice_sizes": [5, 1, 1]})
    s = ints([5, 3], 0, 9).astype(F32)
    sidx = mx.array([3, 0])
    su = ints([2, 1, 3], 1, 5).astype(F32)

    def at(x, i, v, method):
        return getattr(x.at[i], method)(v)
    add("scatter", "rows", [s, [sidx], su], lambda x, ii, v: upd(x, v.reshape(2, 3), ii[0]), {"axes": [0]})
    dup = mx.array([1, 1, 4])
    du = ints([3, 1, 3], 1, 5).astype(F32)
    add("scatter_add", "dup_rows", [s, [dup], du], lambda x, ii, v: at(x, ii[0], v.reshape(3, 3), "add"), {"axes": [0]})
    add("scatter_prod", "dup_rows", [s, [dup], du], lambda x, ii, v: at(x, ii[0], v.reshape(3, 3), "multiply"), {"axes": [0]})
    add("scatter_max", "dup_rows", [s, [dup], du], lambda x, ii, v: at(x, ii[0], v.reshape(3, 3), "maximum"), {"axes": [0]})
    add("scatter_min", "dup_rows", [s, [dup], du], lambda x, ii, v: at(x, ii[0], v.reshape(3, 3), "minimum"), {"axes": [0]})
    pi, pj = mx.array([0, 2, 4]), mx.array([1, 1, 2])
    pu = ints([3, 1, 1], 1, 5).astype(F32)
    add("scatter_add", "points", [s, [pi, pj], pu], lambda x, ii, v: at(x, (ii[0], ii[1]), v.reshape(3), "add"), {"axes": [0, 1]})
    add("scatter", "int_points", [ints([3, 3], 0, 9), [mx.array([0, 2]), mx.array([2, 0])], mx.array([[[7]], [[8]]])],
        lambda x, ii, v: upd(x, v.reshape(2), (ii[0], ii[1])), {"axes": [0, 1]})
    # scatter_add_axis: the reference is numpy's add.at on integer-valued
    # floats, exact whatever the order of the additions.
    sa = ints([3, 4], 0, 5).astype(F32)
    sai = mx.array([[0, 1, 1, 3], [2, 2, 2, 0]])
    sav = ints([2, 4], 1, 5).astype(F32)

    def add_at(x, i, v, axis):
        out = np.array(x).copy()
        ii = np.array(i)
        vv = np.array(v)
        for r in range(ii.shape[0]):
            for c in range(ii.shape[1]):
                if axis == 1:
                    out[r, ii[r, c]] += vv[r, c]
                else:
                    out[ii[r, c], c] += vv[r, c]
        return mx.array(out)
    add("scatter_add_axis", "axis1", [sa[:2], sai, sav], lambda x, i, v: add_at(x, i, v, 1), {"axis": 1})
    add("scatter_add_axis", "axis0", [sa, sai % 3, sav], lambda x, i, v: add_at(x, i, v, 0), {"axis": 0})
    # masked_scatter: Python's boolean-mask assignment (a[mask] = src).
    ma = randn([3, 4])
    mask = randn([3, 4], BOOL)
    src = randn([12])
    add("masked_scatter", "basic", [ma, mask, src], lambda x, m, s_: upd(x, s_, m))
    add("masked_scatter", "leading_dims_mask", [ma, mx.array([True, False, True]), randn([2, 4])],
        lambda x, m, s_: upd(x, s_, m))
    add("masked_scatter", "int", [ints([2, 3], 0, 9), randn([2, 3], BOOL), ints([6], 10, 20)],
        lambda x, m, s_: upd(x, s_[: int(m.sum().item())], m))


# ---------------------------------------------------------------- linear algebra products
def products():
    add("matmul", "2d", [randn([3, 4]), randn([4, 2])], mx.matmul)
    add("matmul", "batched_broadcast", [randn([2, 1, 3, 4]), randn([3, 4, 2])], mx.matmul)
    add("matmul", "vec_mat", [randn([4]), randn([4, 3])], mx.matmul)
    add("matmul", "mat_vec", [randn([3, 4]), randn([4])], mx.matmul)
    add("matmul", "f16", [randn([2, 8], F16), randn([8, 3], F16)], mx.matmul)
    add("matmul", "bf16", [randn([2, 8], BF16), randn([8, 3], BF16)], mx.matmul)
    add("matmul", "transposed_input", [randn([4, 3]).T, randn([4, 2])], mx.matmul)
    add("matmul", "empty_k", [randn([2, 0]), randn([0, 3])], mx.matmul)
    add("matmul", "int_error", [ints([2, 2], 0, 3), ints([2, 2], 0, 3)], mx.matmul)
    add("matmul", "shape_mismatch", [randn([2, 3]), randn([4, 2])], mx.matmul)
    add("addmm", "default", [randn([3, 2]), randn([3, 4]), randn([4, 2])], mx.addmm)
    add("addmm", "alpha_beta_bcast", [randn([2]), randn([3, 4]), randn([4, 2])],
        lambda c, a, b: mx.addmm(c, a, b, alpha=0.5, beta=2.0), {"Alpha": 0.5, "Beta": 2.0})
    add("tensordot", "default", [randn([2, 3, 4]), randn([3, 4, 2])], mx.tensordot)
    add("tensordot", "one", [randn([2, 3]), randn([3, 4])], lambda a, b: mx.tensordot(a, b, axes=1), {"DotAxes": 1})
    add("tensordot", "zero_outer", [randn([2]), randn([3])], lambda a, b: mx.tensordot(a, b, axes=0), {"DotAxes": 0})
    add("tensordot_axes", "pairs", [randn([3, 2, 4]), randn([4, 5, 3])],
        lambda a, b: mx.tensordot(a, b, axes=[[0, 2], [2, 0]]), {"axes_a": [0, 2], "axes_b": [2, 0]})
    add("inner", "vectors", [randn([4]), randn([4])], mx.inner)
    add("inner", "matrices", [randn([2, 4]), randn([3, 4])], mx.inner)
    add("outer", "basic", [randn([3]), randn([2])], mx.outer)
    add("outer", "flattens", [randn([2, 2]), ints([2], 0, 9)], mx.outer)
    add("kron", "basic", [randn([2, 2]), randn([2, 3])], mx.kron)
    add("kron", "int", [ints([2], 0, 5), ints([3], 0, 5)], mx.kron)
    add("einsum", "matmul", [randn([2, 3]), randn([3, 4])], lambda a, b: mx.einsum("ij,jk->ik", a, b), {"subscripts": "ij,jk->ik"})
    add("einsum", "trace", [randn([3, 3])], lambda a: mx.einsum("ii", a), {"subscripts": "ii"})
    add("einsum", "batch_outer", [randn([2, 3]), randn([2, 4])], lambda a, b: mx.einsum("bi,bj->bij", a, b),
        {"subscripts": "bi,bj->bij"})
    add("einsum", "bad", [randn([2, 3])], lambda a: mx.einsum("ij,jk->ik", a), {"subscripts": "ij,jk->ik"})
    x1 = randn([2, 9, 3])
    w1 = randn([4, 3, 3])
    add("conv1d", "default", [x1, w1], mx.conv1d)
    add("conv1d", "stride_pad_dil", [x1, w1], lambda x, w: mx.conv1d(x, w, stride=2, padding=1, dilation=2),
        {"Stride": [2], "Padding": [1], "Dilation": [2]})
    add("conv1d", "groups", [randn([1, 6, 4]), randn([4, 3, 2])], lambda x, w: mx.conv1d(x, w, groups=2), {"Groups": 2})
    add("conv1d", "bad_channels", [x1, randn([4, 3, 2])], mx.conv1d)
    x2 = randn([1, 6, 5, 2])
    w2 = randn([3, 3, 2, 2])
    add("conv2d", "default", [x2, w2], mx.conv2d)
    add("conv2d", "stride_pad", [x2, w2], lambda x, w: mx.conv2d(x, w, stride=(2, 1), padding=(1, 0)),
        {"Stride": [2, 1], "Padding": [1, 0]})
    add("conv2d", "dilation", [x2, w2], lambda x, w: mx.conv2d(x, w, dilation=(1, 2)), {"Dilation": [1, 2]})
    qw = randn([8, 64])
    add("quantize", "default", [qw], lambda w: mx.quantize(w))
    add("quantize", "g32_b8", [qw], lambda w: mx.quantize(w, group_size=32, bits=8), {"GroupSize": 32, "Bits": 8})
    add("quantize", "b4_bf16", [qw.astype(BF16)], lambda w: mx.quantize(w, bits=4), {"Bits": 4})
    add("quantize", "mxfp4", [qw], lambda w: mx.quantize(w, mode="mxfp4"), {"Mode": "mxfp4"})
    add("quantize", "bad_group", [randn([2, 10])], lambda w: mx.quantize(w))
    wq, sc, bi = mx.quantize(qw, group_size=32, bits=4)
    add("dequantize", "affine", [wq, sc, bi], lambda w, s, b: mx.dequantize(w, s, b, group_size=32, bits=4),
        {"Biases": inp(2), "GroupSize": 32, "Bits": 4})
    add("dequantize", "to_f16", [wq, sc, bi], lambda w, s, b: mx.dequantize(w, s, b, group_size=32, bits=4, dtype=F16),
        {"Biases": inp(2), "GroupSize": 32, "Bits": 4, "Dtype": "float16"})
    wm, sm = mx.quantize(qw, mode="mxfp4")
    add("dequantize", "mxfp4", [wm, sm], lambda w, s: mx.dequantize(w, s, mode="mxfp4"), {"Mode": "mxfp4"})
    wq64, sc64, bi64 = mx.quantize(qw)
    add("quantized_matmul", "transposed", [randn([3, 64]), wq64, sc64, bi64],
        lambda x, w, s, b: mx.quantized_matmul(x, w, s, b), {"Biases": inp(3)})
    wq8, sc8, bi8 = mx.quantize(randn([64, 64]), group_size=32, bits=8)
    add("quantized_matmul", "not_transposed_b8", [randn([2, 64]), wq8, sc8, bi8],
        lambda x, w, s, b: mx.quantized_matmul(x, w, s, b, transpose=False, group_size=32, bits=8),
        {"Biases": inp(3), "Transposed": False, "GroupSize": 32, "Bits": 8})


# ---------------------------------------------------------------- softmax, sorting
def sorting():
    a = randn([3, 5])
    add("softmax", "all", [a], mx.softmax)
    add("softmax", "axis", [a], lambda x: mx.softmax(x, axis=-1), {"Axis": [-1]})
    add("softmax", "axes_precise", [a], lambda x: mx.softmax(x, axis=[0, 1], precise=True), {"Axis": [0, 1], "Precise": True})
    add("softmax", "f16", [randn([6], F16)], lambda x: mx.softmax(x, axis=0), {"Axis": [0]})
    add("softmax", "bf16_precise", [randn([6], BF16)], lambda x: mx.softmax(x, axis=0, precise=True), {"Axis": [0], "Precise": True})
    add("softmax", "inf", [mx.array([-np.inf, 0.0, 1.0])], mx.softmax)
    withdup = mx.array([[3.0, 1.0, 2.0, 1.0, np.nan], [0.0, -1.0, 5.0, 5.0, 2.0]])
    for op in ("sort", "argsort"):
        fn = getattr(mx, op)
        add(op, "last_axis", [a], fn)
        add(op, "axis0", [a], lambda x, fn=fn: fn(x, axis=0), {"Axis": [0]})
        add(op, "axis1", [a], lambda x, fn=fn: fn(x, axis=1), {"Axis": [1]})
        add(op, "dups_nan", [withdup], fn)
        add(op, "int", [ints([7], -5, 5)], fn)
        add(op, "bf16", [randn([6], BF16)], fn)
        add(op, "bool", [randn([6], BOOL)], fn)
        add(op, "empty", [randn([0])], fn)
    add("topk", "last", [a], lambda x: mx.topk(x, 2), {"k": 2})
    add("topk", "axis0", [a], lambda x: mx.topk(x, 1, axis=0), {"k": 1, "Axis": [0]})
    add("topk", "neg_axis", [a], lambda x: mx.topk(x, 3, axis=-1), {"k": 3, "Axis": [-1]})
    add("topk", "bf16", [randn([2, 6], BF16)], lambda x: mx.topk(x, 2), {"k": 2})
    add("topk", "too_big", [a], lambda x: mx.topk(x, 9), {"k": 9})
    for op in ("partition", "argpartition"):
        fn = getattr(mx, op)
        add(op, "last", [a], lambda x, fn=fn: fn(x, 2), {"kth": 2})
        add(op, "axis0", [a], lambda x, fn=fn: fn(x, 1, axis=0), {"kth": 1, "Axis": [0]})
        add(op, "neg_kth", [a], lambda x, fn=fn: fn(x, -1), {"kth": -1})
        add(op, "bad_kth", [a], lambda x, fn=fn: fn(x, 7), {"kth": 7})
        add(op, "int", [ints([8], 0, 5)], lambda x, fn=fn: fn(x, 3), {"kth": 3})
    srt = mx.sort(randn([6]))
    vals = mx.concatenate([randn([4]), srt[1:3]])
    add("searchsorted", "left", [srt, vals], mx.searchsorted)
    add("searchsorted", "right", [srt, vals], lambda a, v: mx.searchsorted(a, v, side="right"), {"Side": "right"})
    add("searchsorted", "int_2d_values", [mx.array([1, 3, 3, 7]), mx.array([[0, 3], [8, 5]])], mx.searchsorted)
    add("searchsorted", "bad_side", [srt, vals], lambda a, v: mx.searchsorted(a, v, side="middle"), {"Side": "middle"})


# ---------------------------------------------------------------- random
def check_threefry_model():
    """random_bits's reference is our numpy model; it must first reproduce
    MLX's own split (bits of shape [n, 2]) for several keys and sizes."""
    for seed in (0, 7, 42, 2**33 + 1):
        key = mx.random.key(seed)
        for n in (1, 2, 3, 5):
            want = np.array(mx.random.split(key, n)).tobytes()
            got = random_bits_reference(np.array(key), [n, 2], 4).tobytes()
            if want != got:
                raise SystemExit(f"threefry model disagrees with mx.random.split(key({seed}), {n})")


def random_ops():
    check_threefry_model()
    k = mx.random.key(42)
    k2 = mx.random.key(7)
    add("random_key", "seed", [], lambda: mx.random.key(42), {"seed": 42})
    add("random_key", "big_seed", [], lambda: mx.random.key(2**40 + 5), {"seed": 2**40 + 5})
    add("random_split", "pair", [k], lambda key: tuple(mx.random.split(key)))
    add("random_split_n", "three", [k], lambda key: mx.random.split(key, 3), {"num": 3})
    for width, dt in ((4, np.uint32), (2, np.uint16), (1, np.uint8)):
        for shape in ([5], [2, 3], [7]):
            name = f"w{width}_" + "x".join(map(str, shape))
            kw = {"shape": shape, "Key": inp(0)}
            if width != 4:
                kw["Width"] = width
            add("random_bits", name, [k2], lambda key, shape=shape, width=width, dt=dt:
                mx.array(random_bits_reference(np.array(key), shape, width).view(dt).reshape(shape)), kw)
    add("random_uniform", "default", [k], lambda key: mx.random.uniform(shape=[2, 3], key=key), {"shape": [2, 3], "Key": inp(0)})
    add("random_uniform", "bounds", [k], lambda key: mx.random.uniform(-2, 5, [4], key=key),
        {"shape": [4], "Low": -2.0, "High": 5.0, "Key": inp(0)})
    add("random_uniform", "array_bounds", [k, randn([3]), randn([2, 1], F32, 3, 4)],
        lambda key, lo, hi: mx.random.uniform(lo, hi, [2, 3], key=key), {"shape": [2, 3], "Low": inp(1), "High": inp(2), "Key": inp(0)})
    add("random_uniform", "bf16", [k2], lambda key: mx.random.uniform(shape=[5], dtype=BF16, key=key),
        {"shape": [5], "Dtype": "bfloat16", "Key": inp(0)})
    add("random_uniform", "f16", [k2], lambda key: mx.random.uniform(shape=[5], dtype=F16, key=key),
        {"shape": [5], "Dtype": "float16", "Key": inp(0)})
    add("random_uniform", "int_dtype_error", [k], lambda key: mx.random.uniform(shape=[2], dtype=I32, key=key),
        {"shape": [2], "Dtype": "int32", "Key": inp(0)})
    add("random_normal", "default", [k], lambda key: mx.random.normal([2, 3], key=key), {"shape": [2, 3], "Key": inp(0)})
    add("random_normal", "loc_scale", [k2], lambda key: mx.random.normal([4], loc=1.5, scale=0.5, key=key),
        {"shape": [4], "Loc": 1.5, "Scale": 0.5, "Key": inp(0)})
    add("random_normal", "bf16", [k2], lambda key: mx.random.normal([4], dtype=BF16, key=key),
        {"shape": [4], "Dtype": "bfloat16", "Key": inp(0)})
    add("random_randint", "basic", [0, 10, k], lambda lo, hi, key: mx.random.randint(lo, hi, [3, 3], key=key),
        {"shape": [3, 3], "Key": inp(2)})
    add("random_randint", "neg_i16", [-5, 5, k2], lambda lo, hi, key: mx.random.randint(lo, hi, [6], dtype=I16, key=key),
        {"shape": [6], "Dtype": "int16", "Key": inp(2)})
    add("random_randint", "array_bounds", [mx.array([0, 10]), mx.array([5, 100]), k],
        lambda lo, hi, key: mx.random.randint(lo, hi, [3, 2], key=key), {"shape": [3, 2], "Key": inp(2)})
    add("random_bernoulli", "default", [k], lambda key: mx.random.bernoulli(shape=[8], key=key), {"shape": [8], "Key": inp(0)})
    add("random_bernoulli", "p", [k2], lambda key: mx.random.bernoulli(0.2, [8], key=key), {"shape": [8], "P": 0.2, "Key": inp(0)})
    add("random_bernoulli", "array_p", [k2, mx.array([0.1, 0.9])], lambda key, p: mx.random.bernoulli(p, [3, 2], key=key),
        {"shape": [3, 2], "P": inp(1), "Key": inp(0)})
    logits = randn([2, 4])
    add("random_categorical", "default", [logits, k], lambda lg, key: mx.random.categorical(lg, key=key), {"Key": inp(1)})
    add("random_categorical", "axis0", [logits, k2], lambda lg, key: mx.random.categorical(lg, axis=0, key=key),
        {"Axis": [0], "Key": inp(1)})
    add("random_categorical", "shape", [logits, k], lambda lg, key: mx.random.categorical(lg, shape=[3, 2], key=key),
        {"Shape": [3, 2], "Key": inp(1)})
    add("random_truncated_normal", "basic", [-1.0, 1.0, k], lambda lo, hi, key: mx.random.truncated_normal(lo, hi, [2, 3], key=key),
        {"shape": [2, 3], "Key": inp(2)})
    add("random_truncated_normal", "f16", [0.0, 2.0, k2],
        lambda lo, hi, key: mx.random.truncated_normal(lo, hi, [4], dtype=F16, key=key), {"shape": [4], "Dtype": "float16", "Key": inp(2)})
    add("random_gumbel", "default", [k], lambda key: mx.random.gumbel([2, 3], key=key), {"shape": [2, 3], "Key": inp(0)})
    add("random_gumbel", "f16", [k2], lambda key: mx.random.gumbel([3], dtype=F16, key=key), {"shape": [3], "Dtype": "float16", "Key": inp(0)})
    add("random_permutation", "n", [k], lambda key: mx.random.permutation(7, key=key), {"n": 7, "Key": inp(0)})
    add("random_permute", "axis0", [randn([4, 2]), k], lambda x, key: mx.random.permutation(x, key=key), {"Key": inp(1)})
    add("random_permute", "axis1", [randn([2, 5]), k2], lambda x, key: mx.random.permutation(x, axis=1, key=key),
        {"Axis": [1], "Key": inp(1)})


# ---------------------------------------------------------------- linalg (CPU)
def spd(n):
    m = np.array(randn([n, n]))
    return mx.array((m @ m.T + n * np.eye(n)).astype(np.float32))


def linalg():
    la = mx.linalg
    a = randn([3, 4])
    add("norm", "default", [a], la.norm)
    add("norm", "vector_ord", [randn([5])], lambda x: la.norm(x, 3.0), {"Ord": 3.0})
    add("norm", "vector_inf", [randn([5])], lambda x: la.norm(x, float("inf")), {"Ord": "inf"})
    add("norm", "axis_keepdims", [a], lambda x: la.norm(x, axis=1, keepdims=True), {"Axis": [1], "KeepDims": True})
    add("norm", "matrix_ord1", [a], lambda x: la.norm(x, 1.0, axis=[0, 1]), {"Ord": 1.0, "Axis": [0, 1]})
    add("norm", "f16", [randn([4], F16)], la.norm)
    add("norm_named", "fro", [a], lambda x: la.norm(x, "fro"), {"ord": "fro"})
    add("norm_named", "nuc", [a], lambda x: la.norm(x, "nuc"), {"ord": "nuc"})
    add("norm_named", "bad", [a], lambda x: la.norm(x, "abc"), {"ord": "abc"})
    sq = spd(3)
    add("inv", "spd", [sq], la.inv)
    add("inv", "batched", [mx.stack([spd(2), spd(2)])], la.inv)
    add("inv", "not_square", [a], la.inv)
    add("pinv", "rect", [a], la.pinv)
    add("qr", "square", [randn([3, 3])], lambda x: tuple(la.qr(x)))
    add("qr", "tall", [randn([4, 3])], lambda x: tuple(la.qr(x)))
    add("svd", "uv", [a], lambda x: tuple(la.svd(x)))
    add("svd", "values_only", [a], lambda x: la.svd(x, compute_uv=False), {"ComputeUV": False})
    add("cholesky", "lower", [sq], la.cholesky)
    add("cholesky", "upper", [sq], lambda x: la.cholesky(x, upper=True), {"Upper": True})
    add("solve", "vector", [sq, randn([3])], la.solve)
    add("solve", "matrix", [sq, randn([3, 2])], la.solve)
    tri_ = mx.tril(sq)
    add("solve_triangular", "lower", [tri_, randn([3, 2])], la.solve_triangular)
    add("solve_triangular", "upper", [mx.triu(sq), randn([3])], lambda x, b: la.solve_triangular(x, b, upper=True), {"Upper": True})
    add("eigh", "lower", [sq], lambda x: tuple(la.eigh(x)))
    add("eigh", "upper", [sq], lambda x: tuple(la.eigh(x, UPLO="U")), {"UPLO": "U"})
    add("eigvalsh", "lower", [sq], la.eigvalsh)
    add("eigvalsh", "upper", [sq], lambda x: la.eigvalsh(x, UPLO="U"), {"UPLO": "U"})
    add("det", "square", [sq], la.det)
    add("det", "batched", [randn([2, 3, 3])], la.det)
    add("cross", "basic", [randn([3]), randn([3])], la.cross)
    add("cross", "batched_axis0", [randn([3, 2]), randn([3, 2])], lambda x, y: la.cross(x, y, axis=0), {"Axis": [0]})
    add("cross", "bad_dim", [randn([4]), randn([4])], la.cross)


# ---------------------------------------------------------------- fft
def fft():
    f = mx.fft
    x = randn([2, 8])
    c = randn([2, 8], C64)
    add("fft", "real_in", [x], f.fft)
    add("fft", "complex", [c], f.fft)
    add("fft", "n_pad", [c], lambda v: f.fft(v, n=10), {"N": 10})
    add("fft", "n_trunc_axis0", [c], lambda v: f.fft(v, n=1, axis=0), {"N": 1, "Axis": [0]})
    add("ifft", "complex", [c], f.ifft)
    add("ifft", "n", [c], lambda v: f.ifft(v, n=6), {"N": 6})
    add("rfft", "default", [x], f.rfft)
    add("rfft", "n_axis", [randn([6, 3])], lambda v: f.rfft(v, n=4, axis=0), {"N": 4, "Axis": [0]})
    add("irfft", "default", [f.rfft(x)], f.irfft)
    add("irfft", "n_odd", [f.rfft(x)], lambda v: f.irfft(v, n=7), {"N": 7})
    add("fft2", "default", [randn([2, 4, 4], C64)], f.fft2)
    add("fft2", "axes", [randn([4, 2, 4])], lambda v: f.fft2(v, axes=[0, 2]), {"Axes": [0, 2]})
    add("ifft2", "default", [randn([4, 4], C64)], f.ifft2)
    add("fftn", "all", [randn([2, 3, 4], C64)], f.fftn)
    add("fftn", "axes", [randn([2, 3, 4], C64)], lambda v: f.fftn(v, axes=[1]), {"Axes": [1]})
    add("ifftn", "all", [randn([2, 3, 4], C64)], f.ifftn)
    add("rfftn", "all", [randn([2, 4, 4])], f.rfftn)
    add("rfftn", "axes", [randn([2, 4, 4])], lambda v: f.rfftn(v, axes=[0, 1]), {"Axes": [0, 1]})
    add("irfftn", "all", [f.rfftn(randn([2, 4, 4]))], f.irfftn)
    add("irfftn", "axes", [randn([4, 3], C64)], lambda v: f.irfftn(v, axes=[-1]), {"Axes": [-1]})


# ---------------------------------------------------------------- fast
def fast():
    fa = mx.fast
    x = randn([2, 3, 8])
    w = randn([8])
    add("fast_rms_norm", "weight", [x, w], lambda a, w_: fa.rms_norm(a, w_, 1e-5), {"eps": 1e-5, "Weight": inp(1)})
    add("fast_rms_norm", "no_weight", [x], lambda a: fa.rms_norm(a, None, 1e-6), {"eps": 1e-6})
    add("fast_rms_norm", "f16", [randn([2, 8], F16), randn([8], F16)], lambda a, w_: fa.rms_norm(a, w_, 1e-5),
        {"eps": 1e-5, "Weight": inp(1)})
    add("fast_layer_norm", "weight_bias", [x, w, randn([8])], lambda a, w_, b: fa.layer_norm(a, w_, b, 1e-5),
        {"eps": 1e-5, "Weight": inp(1), "Bias": inp(2)})
    add("fast_layer_norm", "none", [x], lambda a: fa.layer_norm(a, None, None, 1e-5), {"eps": 1e-5})
    # mlx-go's fused decode ops: a quantized product and the op after it.
    wq, sc, bi = mx.quantize(randn([16, 128]) * 0.1, group_size=64, bits=4)
    xq = randn([1, 2, 128])

    def glu(y):
        g, u = mx.split(y, 2, axis=-1)
        return (g * mx.sigmoid(g)) * u

    qkw = {"group_size": 64, "bits": 4}
    add("fast_quantized_matmul_add", "bf16", [xq.astype(BF16), wq, sc.astype(BF16), bi.astype(BF16), randn([1, 2, 16], BF16)],
        lambda x_, w_, s_, b_, r: r + mx.quantized_matmul(x_, w_, s_, b_), qkw)
    add("fast_quantized_matmul_add", "bad_residual", [xq, wq, sc, bi, randn([1, 2, 5])],
        lambda x_, w_, s_, b_, r: r + mx.quantized_matmul(x_, w_, s_, b_), qkw)
    add("fast_quantized_matmul_swiglu", "bf16", [xq.astype(BF16), wq, sc.astype(BF16), bi.astype(BF16)],
        lambda x_, w_, s_, b_: glu(mx.quantized_matmul(x_, w_, s_, b_)), qkw)
    add("fast_quantized_matmul_swiglu", "f32", [xq, wq, sc, bi], lambda x_, w_, s_, b_: glu(mx.quantized_matmul(x_, w_, s_, b_)), qkw)
    add("fast_layer_norm", "bf16", [randn([3, 8], BF16), randn([8], BF16)], lambda a, w_: fa.layer_norm(a, w_, None, 1e-5),
        {"eps": 1e-5, "Weight": inp(1)})
    r = randn([1, 2, 4, 8])
    add("fast_rope", "default", [r], lambda a: fa.rope(a, 8, traditional=False, base=10000.0, scale=1.0, offset=0),
        {"dims": 8, "traditional": False, "Base": 10000.0, "scale": 1.0, "offset": 0})
    add("fast_rope", "traditional_partial_offset", [r],
        lambda a: fa.rope(a, 4, traditional=True, base=500.0, scale=0.5, offset=3),
        {"dims": 4, "traditional": True, "Base": 500.0, "scale": 0.5, "offset": 3})
    add("fast_rope", "freqs", [r, randn([4], F32, 0.1, 1)],
        lambda a, fr: fa.rope(a, 8, traditional=False, base=None, scale=1.0, offset=2, freqs=fr),
        {"dims": 8, "traditional": False, "scale": 1.0, "offset": 2, "Freqs": inp(1)})
    add("fast_rope_dynamic", "array_offset", [r, mx.array(5)],
        lambda a, off: fa.rope(a, 8, traditional=False, base=10000.0, scale=1.0, offset=off),
        {"dims": 8, "traditional": False, "Base": 10000.0, "scale": 1.0})
    q = randn([1, 2, 3, 8])
    kk = randn([1, 2, 5, 8])
    v = randn([1, 2, 5, 8])
    sdpa = fa.scaled_dot_product_attention
    add("fast_sdpa", "no_mask", [q, kk, v], lambda a, b, c: sdpa(a, b, c, scale=0.35), {"scale": 0.35, "mask_mode": ""})
    add("fast_sdpa", "causal", [q, kk, v], lambda a, b, c: sdpa(a, b, c, scale=0.35, mask="causal"),
        {"scale": 0.35, "mask_mode": "causal"})
    add("fast_sdpa", "array_mask", [q, kk, v, randn([3, 5], BOOL)], lambda a, b, c, m: sdpa(a, b, c, scale=0.35, mask=m),
        {"scale": 0.35, "mask_mode": "array", "Mask": inp(3)})
    add("fast_sdpa", "additive_mask_sinks", [q, kk, v, randn([1, 2, 3, 5]), randn([2])],
        lambda a, b, c, m, s_: sdpa(a, b, c, scale=0.35, mask=m, sinks=s_),
        {"scale": 0.35, "mask_mode": "array", "Mask": inp(3), "Sinks": inp(4)})
    add("fast_sdpa", "gqa", [q.reshape(1, 2, 3, 8), kk[:, :1], v[:, :1]], lambda a, b, c: sdpa(a, b, c, scale=0.35),
        {"scale": 0.35, "mask_mode": ""})


# ---------------------------------------------------------------- breadth
def breadth():
    """More cases for ops whose sections above leave a dtype, batching,
    negative axis or error path untried."""
    la, f = mx.linalg, mx.fft
    r = randn([1, 2, 4, 8])
    add("fast_rope_dynamic", "traditional_f16", [r.astype(F16), mx.array(2)],
        lambda a, off: mx.fast.rope(a, 8, traditional=True, base=10000.0, scale=2.0, offset=off),
        {"dims": 8, "traditional": True, "Base": 10000.0, "scale": 2.0})
    add("fast_rope_dynamic", "freqs", [r, mx.array(1), randn([4], F32, 0.1, 1)],
        lambda a, off, fr: mx.fast.rope(a, 8, traditional=False, base=None, scale=1.0, offset=off, freqs=fr),
        {"dims": 8, "traditional": False, "scale": 1.0, "Freqs": inp(2)})
    add("ifft2", "real_axes", [randn([4, 2, 4])], lambda v: f.ifft2(v, axes=[0, -1]), {"Axes": [0, -1]})
    add("ifftn", "axes", [randn([2, 3, 4], C64)], lambda v: f.ifftn(v, axes=[0, 2]), {"Axes": [0, 2]})
    add("pinv", "tall_batched", [randn([2, 4, 3])], la.pinv)
    add("random_permutation", "one", [mx.random.key(9)], lambda key: mx.random.permutation(1, key=key), {"n": 1, "Key": inp(0)})
    add("random_permutation", "n20", [mx.random.key(10)], lambda key: mx.random.permutation(20, key=key), {"n": 20, "Key": inp(0)})
    add("random_split", "other_key", [mx.random.key(2**35)], lambda key: tuple(mx.random.split(key)))
    add("random_split_n", "one", [mx.random.key(3)], lambda key: mx.random.split(key, 1), {"num": 1})
    add("random_split_n", "split_key", [mx.random.split(mx.random.key(3))[1]], lambda key: mx.random.split(key, 4), {"num": 4})
    s = ints([4, 3], 1, 9)
    pts = [mx.array([0, 3, 3]), mx.array([2, 1, 1])]
    pu = ints([3, 1, 1], 1, 9)

    def at(x, i, v, method):
        return getattr(x.at[i], method)(v)
    for op, method in (("scatter_max", "maximum"), ("scatter_min", "minimum"), ("scatter_prod", "multiply"),
                       ("scatter_add", "add")):
        add(op, "int_points_dup", [s, pts, pu], lambda x, ii, v, m=method: at(x, (ii[0], ii[1]), v.reshape(3), m), {"axes": [0, 1]})
        add(op, "bf16_rows", [s.astype(BF16), [mx.array([2, 0])], randn([2, 1, 3], BF16)],
            lambda x, ii, v, m=method: at(x, ii[0], v.reshape(2, 3), m), {"axes": [0]})
    add("scatter", "bool_rows", [randn([3, 2], BOOL), [mx.array([1])], mx.array([[[True, True]]])],
        lambda x, ii, v: _set(x, ii[0], v.reshape(1, 2)), {"axes": [0]})
    add("scatter_add_axis", "neg_axis_int", [ints([2, 4], 0, 5), mx.array([[3, 3, 0, 1], [2, 2, 2, 2]]), ints([2, 4], 1, 5)],
        lambda x, i, v: _add_at_axis(x, i, v), {"axis": -1})
    add("stop_gradient", "int", [ints([3], 0, 9)], mx.stop_gradient)
    add("stop_gradient", "bf16", [randn([2, 2], BF16)], mx.stop_gradient)
    add("tensordot_axes", "one_pair", [randn([2, 3]), randn([3, 4])], lambda a, b: mx.tensordot(a, b, axes=[[1], [0]]),
        {"axes_a": [1], "axes_b": [0]})
    add("tensordot_axes", "mismatch", [randn([2, 3]), randn([4, 3])], lambda a, b: mx.tensordot(a, b, axes=[[1], [0]]),
        {"axes_a": [1], "axes_b": [0]})
    add("addmm", "f16", [randn([2, 2], F16), randn([2, 3], F16), randn([3, 2], F16)], mx.addmm)
    add("addmm", "bad_shapes", [randn([2, 2]), randn([2, 3]), randn([2, 2])], mx.addmm)
    add("broadcast_arrays", "one", [[randn([2])]], lambda xs: mx.broadcast_arrays(*xs))
    add("broadcast_arrays", "mixed_dtypes", [[randn([2, 1], BF16), ints([3], 0, 9)]], lambda xs: mx.broadcast_arrays(*xs))
    add("cholesky", "batched", [mx.stack([spd(3), spd(3)])], la.cholesky)
    add("det", "f64", [spd(3).astype(F64)], la.det)
    add("det", "int_promotes", [ints([2, 2], 0, 5)], la.det)
    add("diagonal", "neg_axes", [randn([3, 4, 2])], lambda x: mx.diagonal(x, 0, -1, -3), {"Axis1": -1, "Axis2": -3})
    add("diagonal", "offset_past_end", [randn([3, 3])], lambda x: mx.diagonal(x, 5), {"Offset": 5})
    add("eigh", "batched", [mx.stack([spd(2), spd(2)])], lambda x: tuple(la.eigh(x)))
    add("eigvalsh", "f64", [spd(3).astype(F64)], la.eigvalsh)
    add("fft2", "n_default_real", [randn([3, 5])], f.fft2)
    add("fftn", "f64_to_complex64", [randn([2, 2], F64)], f.fftn)
    add("flip", "neg_axes", [randn([2, 3, 2])], lambda x: x[:, ::-1, ::-1], {"Axis": [-2, -1]})
    add("flip", "int", [ints([5], 0, 9)], lambda x: x[::-1])
    add("identity", "complex", [], lambda: mx.identity(2, dtype=C64), {"n": 2, "Dtype": "complex64"})
    add("identity", "zero", [], lambda: mx.identity(0), {"n": 0})
    add("ifft", "axis0", [randn([4, 2], C64)], lambda v: f.ifft(v, axis=0), {"Axis": [0]})
    add("irfft", "axis0", [randn([3, 2], C64)], lambda v: f.irfft(v, axis=0), {"Axis": [0]})
    add("rfft", "f16_to_complex64", [randn([4], F16)], f.rfft)
    add("rfftn", "n_odd", [randn([3, 5])], f.rfftn)
    add("irfftn", "f64_input", [randn([2, 2], F64)], f.irfftn)
    add("inner", "scalar", [mx.array(2.0), randn([3])], mx.inner)
    add("inner", "mismatch", [randn([3]), randn([4])], mx.inner)
    add("outer", "complex", [randn([2], C64), randn([2], C64)], mx.outer)
    add("kron", "3d", [randn([2, 1, 2]), randn([1, 2])], mx.kron)
    add("moveaxis", "neg", [randn([2, 3, 4])], lambda x: mx.moveaxis(x, -1, 0), {"source": -1, "destination": 0})
    add("put_along_axis", "neg_axis_int", [ints([2, 3], 0, 9), mx.array([[2], [0]]), mx.array([[7], [8]])],
        lambda x, i, v: mx.put_along_axis(x, i, v, -1), {"axis": -1})
    add("qr", "batched", [randn([2, 3, 3])], lambda x: tuple(la.qr(x)))
    add("qr", "wide", [randn([2, 3])], lambda x: tuple(la.qr(x)))
    wq8, sc8, bi8 = mx.quantize(randn([32, 64]), group_size=64, bits=8)
    add("quantized_matmul", "batched_x_b8", [randn([2, 3, 64]), wq8, sc8, bi8],
        lambda x, w, s_, b: mx.quantized_matmul(x, w, s_, b, bits=8), {"Biases": inp(3), "Bits": 8})
    add("random_gumbel", "bf16", [mx.random.key(4)], lambda key: mx.random.gumbel([4], dtype=BF16, key=key),
        {"shape": [4], "Dtype": "bfloat16", "Key": inp(0)})
    add("random_key", "zero", [], lambda: mx.random.key(0), {"seed": 0})
    add("random_permute", "3d_neg_axis", [randn([2, 2, 5]), mx.random.key(5)],
        lambda x, key: mx.random.permutation(x, axis=-1, key=key), {"Axis": [-1], "Key": inp(1)})
    add("random_truncated_normal", "array_bounds", [mx.array([-1.0, 0.0]), mx.array([0.0, 3.0]), mx.random.key(6)],
        lambda lo, hi, key: mx.random.truncated_normal(lo, hi, [3, 2], key=key), {"shape": [3, 2], "Key": inp(2)})
    add("repeat", "zero_times", [randn([2, 2])], lambda x: mx.repeat(x, 0, axis=0), {"repeats": 0, "Axis": [0]})
    add("repeat", "neg_axis_bf16", [randn([2, 2], BF16)], lambda x: mx.repeat(x, 2, axis=-2), {"repeats": 2, "Axis": [-2]})
    add("slice_dynamic", "int64_start_3d", [randn([3, 4, 2]), mx.array([1, 2], dtype=I64)],
        lambda x, st: mx.slice(x, st, [0, 1], [2, 2, 2]), {"axes": [0, 1], "sizes": [2, 2, 2]})
    add("slice_update_dynamic", "bf16", [randn([4, 4], BF16), randn([1, 4], BF16), mx.array([3])],
        lambda x, u, st: mx.slice_update(x, u, st, [0]), {"axes": [0]})
    add("solve", "batched", [mx.stack([spd(2), spd(2)]), randn([2, 2, 1])], la.solve)
    add("solve", "singular_shape_error", [randn([2, 3]), randn([2])], la.solve)
    add("solve_triangular", "batched", [mx.tril(mx.stack([spd(2), spd(2)])), randn([2, 2, 2])], la.solve_triangular)
    add("split_at", "empty_parts", [randn([4, 2])], lambda x: mx.split(x, [0, 2, 2]), {"indices": [0, 2, 2]})
    add("svd", "batched_values", [randn([2, 3, 2])], lambda x: la.svd(x, compute_uv=False), {"ComputeUV": False})
    add("swapaxes", "same", [randn([2, 3])], lambda x: mx.swapaxes(x, 1, -1), {"axis1": 1, "axis2": -1})
    add("swapaxes", "bad", [randn([2, 3])], lambda x: mx.swapaxes(x, 0, 2), {"axis1": 0, "axis2": 2})
    add("take_along_axis", "broadcast_indices", [randn([3, 4]), mx.array([[0], [3], [1]])],
        lambda x, i: mx.take_along_axis(x, i, 1), {"axis": 1})
    add("tile", "scalar_int", [mx.array(3)], lambda x: mx.tile(x, [2, 2]), {"reps": [2, 2]})
    add("tri", "offset_beyond", [], lambda: mx.tri(2, 3, k=5), {"n": 2, "Cols": 3, "Offset": 5})
    add("unflatten", "bad_product", [randn([6])], lambda x: mx.unflatten(x, 0, [4, 2]), {"axis": 0, "shape": [4, 2]})
    add("contiguous", "transposed", [randn([3, 2]).T], mx.contiguous)
    add("copy", "bool", [randn([3], BOOL)], lambda a: mx.array(a))


def _set(x, idx, v):
    y = mx.array(x)
    y[idx] = v
    return y


def _add_at_axis(x, i, v):
    """numpy add.at along the last axis: exact for integers in any order."""
    out = np.array(x).copy()
    ii, vv = np.array(i), np.array(v)
    for r in range(ii.shape[0]):
        np.add.at(out[r], ii[r], vv[r])
    return mx.array(out)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "tensor", "testdata", "ops_golden.json")
    for section in (creation, unary, binary, reductions, scans, shape_ops, indexing, products, sorting,
                    random_ops, linalg, fft, fast, breadth):
        section()
    names = [c["name"] for c in cases]
    dups = {n for n in names if names.count(n) > 1}
    if dups:
        raise SystemExit(f"duplicate case names: {sorted(dups)}")
    dump({"mlx_version": mx.__version__, "numpy_seed": 20240601}, cases, out)


if __name__ == "__main__":
    main()
