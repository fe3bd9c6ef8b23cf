"""mlx-lm side of mlxbench: loads the model once, then for each line
"run" on stdin times one run of stream_generate's loop (generate_step,
the streaming detokenizer, its timing; without its stop on EOS, as the Go
side runs without stop tokens) and prints one JSON line {"prefill_tps",
"decode_tps", "ttft_s", "peak_bytes"}.
usage: mlxlm_bench.py MODEL_DIR PROMPT_JSON GEN"""
import json
import os
import sys
import time

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx_lm.generate import generate_step  # noqa: E402
from mlx_lm.utils import load  # noqa: E402

model_dir, prompt, gen = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
model, tok = load(model_dir)
prompt = mx.array(prompt)
print("ready", flush=True)
for line in sys.stdin:
    mx.reset_peak_memory()
    detok = tok.detokenizer
    detok.reset()
    tic = time.perf_counter()
    for n, (token, _) in enumerate(generate_step(prompt, model, max_tokens=gen)):
        if n == 0:
            ttft = time.perf_counter() - tic
            tic = time.perf_counter()
        detok.add_token(token)
        detok.last_segment
    detok.finalize()
    decode = (n + 1) / (time.perf_counter() - tic)
    print(json.dumps({"prefill_tps": prompt.size / ttft, "decode_tps": decode, "ttft_s": ttft,
                      "peak_bytes": mx.get_peak_memory()}), flush=True)
