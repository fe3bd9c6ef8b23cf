"""mlx-lm side of mlxbench: times generate_step the way stream_generate
reports it (prompt_tps, generation_tps, peak memory) on the same model and
prompt. usage: mlxlm_bench.py MODEL_DIR PROMPT_JSON GEN REPS
prints {"prefill_tps": [...], "decode_tps": [...], "ttft_s": [...], "peak_bytes": [...]}"""
import json
import os
import sys
import time

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx_lm.generate import generate_step  # noqa: E402
from mlx_lm.utils import load  # noqa: E402

model_dir, prompt, gen, reps = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
model, _ = load(model_dir)
prompt = mx.array(prompt)
out = {"prefill_tps": [], "decode_tps": [], "ttft_s": [], "peak_bytes": []}
for rep in range(reps + 1):  # the first run warms up
    mx.reset_peak_memory()
    tic = time.perf_counter()
    for n, _ in enumerate(generate_step(prompt, model, max_tokens=gen)):
        if n == 0:
            ttft = time.perf_counter() - tic
            tic = time.perf_counter()
    decode = (n + 1) / (time.perf_counter() - tic)
    if rep > 0:
        out["prefill_tps"].append(prompt.size / ttft)
        out["decode_tps"].append(decode)
        out["ttft_s"].append(ttft)
        out["peak_bytes"].append(mx.get_peak_memory())
json.dump(out, sys.stdout)
