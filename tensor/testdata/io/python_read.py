# Loads every file named on the command line with Python MLX and prints a
# JSON manifest (dtype, shape, raw bytes as hex, metadata) for io_test.go.
import json
import sys

import mlx.core as mx

# File formats, not devices: float64 exists only on the CPU in MLX.
mx.set_default_device(mx.cpu)


def describe(a):
    return {"dtype": str(a.dtype).split(".")[-1], "shape": list(a.shape),
            "hex": bytes(memoryview(a)).hex()}


def plain(v):
    return v.tolist() if isinstance(v, mx.array) else v


result = {}
for path in sys.argv[1:]:
    if path.endswith(".npy"):
        result[path] = {"arrays": {"array": describe(mx.load(path))}, "meta": {}}
    else:
        arrays, meta = mx.load(path, return_metadata=True)
        result[path] = {"arrays": {k: describe(v) for k, v in arrays.items()},
                        "meta": {k: plain(v) for k, v in meta.items()}}
print(json.dumps(result))
