# Evaluates index cases with Python MLX for index_test.go. argv[1] is a JSON
# file: a list of {"shape", "dtype", "spec", "set"}; each array is
# arange(size).reshape(shape).astype(dtype). Without "set" the case is
# a[spec]; with it, a[spec] = value where value is {"scalar": x} or
# {"arange": shape} (100 + arange, a's dtype). Prints, per case, the
# result's dtype, shape and flat values, or the error.
import json
import sys
from types import SimpleNamespace

import mlx.core as mx

names = {"mx": mx, "np": SimpleNamespace(newaxis=None), "newaxis": None}
out = []
for case in json.load(open(sys.argv[1])):
    size = 1
    for d in case["shape"]:
        size *= d
    dtype = getattr(mx, case["dtype"])
    a = mx.arange(size).reshape(case["shape"]).astype(dtype)
    spec = case["spec"] if case["spec"].strip() else "()"
    try:
        index = eval("lambda a: a[" + spec + "]", names)
        if case.get("set") is None:
            r = index(a)
        else:
            s = case["set"]
            if "scalar" in s:
                value = s["scalar"]
            else:
                n = 1
                for d in s["arange"]:
                    n *= d
                value = (100 + mx.arange(n)).reshape(s["arange"]).astype(dtype)
            exec("a[" + spec + "] = value", names, {"a": a, "value": value})
            r = a
        mx.eval(r)
        out.append({"ok": True, "dtype": str(r.dtype).split(".")[-1],
                    "shape": list(r.shape), "values": r.reshape(-1).tolist()})
    except Exception as e:  # noqa: BLE001 - the error is the expected result
        out.append({"ok": False, "error": f"{type(e).__name__}: {e}"})
print(json.dumps(out))
