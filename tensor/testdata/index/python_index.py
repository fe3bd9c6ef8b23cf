# Evaluates index cases with Python MLX, and with NumPy as the tie-breaker
# where MLX fails or is wrong, for index_test.go. argv[1] is a JSON file: a
# list of {"shape", "dtype", "spec", "set"}; each array is
# arange(size).reshape(shape).astype(dtype). Without "set" the case is
# a[spec]; with it, a[spec] = value where value is {"scalar": x} or
# {"arange": shape} (100 + arange, a's dtype). With "at" (add, subtract,
# multiply, divide, maximum, minimum) and "set" it is MLX's
# a.at[spec].<at>(value), NumPy's np.<at>.at(a, index, value). Prints, per
# case and per library, the result's shape and flat values, or the error.
import json
import sys
from types import SimpleNamespace

import mlx.core as mx
import numpy as np

LIBS = {
    "mlx": (mx, {"mx": mx, "np": SimpleNamespace(newaxis=None), "newaxis": None}),
    "numpy": (np, {"np": np, "mx": SimpleNamespace(newaxis=None), "newaxis": None}),
}


class Index:
    """Index()[spec] is the index object Python builds for a[spec]."""

    def __getitem__(self, key):
        return key


def make_value(m, dtype, s):
    if "scalar" in s:
        return s["scalar"]
    n = 1
    for d in s["arange"]:
        n *= d
    return (100 + m.arange(n)).reshape(s["arange"]).astype(dtype)


def run(lib, case):
    m, names = LIBS[lib]
    size = 1
    for d in case["shape"]:
        size *= d
    dtype = getattr(m, case["dtype"])
    a = m.arange(size).reshape(case["shape"]).astype(dtype)
    spec = case["spec"] if case["spec"].strip() else "()"
    try:
        if case.get("at"):
            value = make_value(m, dtype, case["set"])
            if lib == "mlx":
                r = eval("lambda a, v: a.at[" + spec + "]." + case["at"] + "(v)", names)(a, value)
            else:
                r = a.copy()
                index = eval("Index()[" + spec + "]", dict(names, Index=Index))
                getattr(np, case["at"]).at(r, index, value)
        elif case.get("set") is None:
            r = eval("lambda a: a[" + spec + "]", names)(a)
        else:
            value = make_value(m, dtype, case["set"])
            exec("a[" + spec + "] = value", names, {"a": a, "value": value})
            r = a
        if lib == "mlx":
            mx.eval(r)
        return {"ok": True, "dtype": str(r.dtype).split(".")[-1],
                "shape": list(r.shape), "values": r.reshape(-1).tolist()}
    except Exception as e:  # noqa: BLE001 - the error is the expected result
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


cases = json.load(open(sys.argv[1]))
print(json.dumps([{lib: run(lib, c) for lib in LIBS} for c in cases]))
