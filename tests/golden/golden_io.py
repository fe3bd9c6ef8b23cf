"""Encoding of arrays and case records for the golden files.

An array is {"dtype", "shape", "data"}: data is the row-major little-endian
bytes, base64. Python MLX gives no buffer for bfloat16, so bfloat16 goes
through a uint16 view (same bytes).
"""

import base64
import json

import mlx.core as mx
import numpy as np


def encode_array(a):
    a = mx.array(a) if not isinstance(a, mx.array) else a
    mx.eval(a)
    if a.dtype == mx.bfloat16:
        raw = np.array(a.view(mx.uint16)).tobytes()
    else:
        raw = np.ascontiguousarray(np.array(a)).tobytes()
    return {
        "dtype": str(a.dtype).removeprefix("mlx.core."),
        "shape": list(a.shape),
        "data": base64.b64encode(raw).decode("ascii"),
    }


def encode_input(v):
    """An op input: an array, a Python scalar (kept weak), or a list of arrays."""
    if isinstance(v, mx.array):
        return {"array": encode_array(v)}
    if isinstance(v, bool):
        return {"scalar": v, "kind": "bool"}
    if isinstance(v, int):
        return {"scalar": v, "kind": "int"}
    if isinstance(v, float):
        return {"scalar": v, "kind": "float"}
    if isinstance(v, complex):
        return {"scalar": [v.real, v.imag], "kind": "complex"}
    if v is None:
        return encode_none()
    if isinstance(v, (list, tuple)):
        return {"arrays": [encode_array(x) for x in v]}
    raise TypeError(f"cannot encode input {type(v)}")


def encode_none():
    """An absent optional positional input (Go nil, Python None)."""
    return {"none": True}


def dump(header, cases, path):
    """Writes the header fields and one case per line, so diffs stay readable."""
    compact = dict(separators=(",", ":"), allow_nan=False, sort_keys=True)
    with open(path, "w") as f:
        f.write("{")
        for k, v in header.items():
            f.write(json.dumps(k) + ":" + json.dumps(v, **compact) + ",\n")
        f.write('"cases":[\n')
        f.write(",\n".join(json.dumps(c, **compact) for c in cases))
        f.write("\n]}\n")
