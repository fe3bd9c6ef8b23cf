# Writes safetensors, .npy and GGUF files with Python MLX into argv[1] and
# prints a JSON manifest of what it wrote (dtype, shape, raw bytes as hex,
# metadata), for io_test.go to compare against what Go loads.
import json
import sys

import mlx.core as mx
import numpy as np

out = sys.argv[1]
# File formats, not devices: float64 exists only on the CPU in MLX, so on a
# GPU machine the arrays are made there, as a user would have to.
mx.set_default_device(mx.cpu)
mx.random.seed(7)

ALL = ["bool_", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32",
       "int64", "float16", "float32", "float64", "bfloat16", "complex64"]


def make(name, shape):
    d = getattr(mx, name)
    if d == mx.bool_:
        return mx.random.uniform(shape=shape) > 0.5
    if d == mx.complex64:
        return mx.random.normal(shape) + 1j * mx.random.normal(shape)
    if mx.issubdtype(d, mx.integer):
        low = 0 if mx.issubdtype(d, mx.unsignedinteger) else -100
        return mx.random.randint(low, 100, shape).astype(d)
    return (mx.random.normal(shape) * 10).astype(d)


def describe(a):
    return {"dtype": str(a.dtype).split(".")[-1], "shape": list(a.shape),
            "hex": bytes(memoryview(a)).hex()}


manifest = {"safetensors": {}, "npy": {}, "gguf": {}}

# safetensors: every dtype MLX writes there (not float64), plus a scalar and
# an empty array.
st = {n: make(n, (2, 3, 4)) for n in ALL if n != "float64"}
st["scalar"] = mx.array(3.25)
st["empty"] = mx.zeros((0, 3), dtype=mx.int32)
st_meta = {"format": "mlx", "note": "written by python", "unicode": "héllo ✓"}
mx.save_safetensors(f"{out}/py.safetensors", st, metadata=st_meta)
manifest["safetensors"] = {k: describe(v) for k, v in st.items()}
manifest["safetensors_meta"] = st_meta

for n in ALL:
    a = make(n, (3, 5))
    mx.save(f"{out}/py_{n}.npy", a)
    manifest["npy"][n] = describe(a)

gg = {n: make(n, (4, 8)) for n in ["int8", "int16", "int32", "float16", "float32"]}
gg_meta = {
    "general.name": "tiny",
    "tokenizer.tokens": ["a", "bb", "ccc"],
    "count": mx.array(42, dtype=mx.int32),
    "ratio": mx.array(0.5, dtype=mx.float32),
    "dims": mx.array([1, 2, 3], dtype=mx.int32),
    "scales": mx.array([0.25, 1.5], dtype=mx.float32),
}
mx.save_gguf(f"{out}/py.gguf", gg, gg_meta)
manifest["gguf"] = {k: describe(v) for k, v in gg.items()}
manifest["gguf_meta"] = {k: (v.tolist() if isinstance(v, mx.array) else v)
                         for k, v in gg_meta.items()}

# .npy files NumPy writes in layouts MLX itself never writes: Fortran order
# and big-endian. The manifest holds the C-order little-endian bytes.
rng = np.random.default_rng(3)
npy = {
    "fortran_f32": np.asfortranarray(rng.standard_normal((3, 4)).astype(np.float32)),
    "fortran_i16": np.asfortranarray(rng.integers(-99, 99, (2, 3, 4)).astype(np.int16)),
    "bigendian_i32": rng.integers(-99, 99, (5,)).astype(">i4"),
    "bigendian_f64": rng.standard_normal((2, 2)).astype(">f8"),
    "bool": rng.integers(0, 2, (7,)).astype(np.bool_),
    "complex64": (rng.standard_normal(3) + 1j * rng.standard_normal(3)).astype(np.complex64),
    "float16": rng.standard_normal((2, 3)).astype(np.float16),
    "uint64": rng.integers(0, 2**63, (3,), dtype=np.uint64),
    "scalar": np.array(2.5, dtype=np.float32),
}
manifest["numpy"] = {}
for k, v in npy.items():
    np.save(f"{out}/np_{k}.npy", v)
    c = v.astype(v.dtype.newbyteorder("<"), order="C")
    manifest["numpy"][k] = {"dtype": c.dtype.name, "shape": list(c.shape), "hex": c.tobytes().hex()}

print(json.dumps(manifest))
