"""mlx-lm's decode step, unpipelined, as `mlxbench -suite profile` times mlx-go's: building the graph, MLX
encoding it (async_eval returns once every kernel is queued) and waiting for the device, ms per token.
usage: python tests/cuda/mlxlm_decode_split.py MODEL_DIR (a checkpoint mlxbench wrote)"""
import sys, time
import mlx.core as mx
from mlx_lm.utils import load
from mlx_lm.models.cache import make_prompt_cache
model, tok = load(sys.argv[1])
for rep in range(3):
    cache = make_prompt_cache(model)
    prompt = mx.array([[(i * 7919) % model.args.vocab_size for i in range(511)]])
    mx.eval(model(prompt, cache=cache))
    y = mx.array([[1]])
    b = e = w = 0.0
    n = 64
    for i in range(n):
        t0 = time.perf_counter()
        y = mx.argmax(model(y, cache=cache)[:, -1, :], axis=-1, keepdims=True)
        t1 = time.perf_counter()
        mx.async_eval(y)
        t2 = time.perf_counter()
        mx.eval(y)
        t3 = time.perf_counter()
        b, e, w = b + t1 - t0, e + t2 - t1, w + t3 - t2
    print(f"mlx-lm decode unpipelined (rep {rep}): build {b/n*1e3:.3f} ms/token, encode (async_eval) {e/n*1e3:.3f}, wait {w/n*1e3:.3f}", flush=True)
