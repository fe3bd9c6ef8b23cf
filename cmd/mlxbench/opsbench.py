"""Python side of mlxbench -suite ops: the same ops at the same shapes,
timed the same way (best of 10 evaluations after two warm-ups), printed
one "name microseconds" line each."""
import time

import mlx.core as mx
import mlx.nn as nn


def best(fn):
    mx.eval(fn())
    mx.eval(fn())
    t = 1e9
    for _ in range(10):
        s = time.perf_counter()
        mx.eval(fn())
        t = min(t, time.perf_counter() - s)
    return t * 1e6


def rnd(seed, *shape):
    return mx.random.normal(shape, key=mx.random.key(seed)).astype(mx.bfloat16)


L = 511
x = rnd(1, 1, L, 2048)
wq = rnd(2, 2048, 2048)
q = rnd(3, 1, 32, L, 64)
k = rnd(4, 1, 8, L, 64)
v = rnd(5, 1, 8, L, 64)
g = rnd(6, 1, L, 8192)
u = rnd(7, 1, L, 8192)
nw = rnd(8, 2048)
freqs = mx.power(500000.0, mx.arange(0, 64, 2) / 64)
swiglu = mx.compile(lambda a, b: nn.silu(a) * b, shapeless=True)
ops = {
    "matmul x@W.T 511x2048x2048": lambda: x @ wq.T,
    "rms_norm 511x2048": lambda: mx.fast.rms_norm(x, nw, 1e-5),
    "rope 32x511x64": lambda: mx.fast.rope(q, 64, traditional=False, base=500000.0, scale=1.0, offset=0),
    "rope freqs 32x511x64": lambda: mx.fast.rope(q, 64, traditional=False, base=None, scale=1.0, offset=0, freqs=freqs),
    "sdpa causal 32/8x511x64": lambda: mx.fast.scaled_dot_product_attention(q, k, v, scale=0.125, mask="causal"),
    "swiglu plain 511x8192": lambda: nn.silu(g) * u,
    "swiglu compiled 511x8192": lambda: swiglu(g, u),
}
for name, fn in ops.items():
    print(f"{name}\t{best(fn):.1f}", flush=True)
