"""mlx-lm peer for the decode-step graph: prefills a prompt as
generate_step does, runs one step, then writes the graph its next greedy
step queues (mx.export_to_dot of what generate_step async_evals).

usage: mlxlm_graph.py PROMPT_JSON (MODEL_DIR OUT_DOT)...
"""
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx_lm.models.cache import make_prompt_cache  # noqa: E402
from mlx_lm.utils import load  # noqa: E402

prompt = mx.array(json.loads(sys.argv[1]))
args = sys.argv[2:]
for model_dir, out in zip(args[::2], args[1::2]):
    model, _ = load(model_dir)
    cache = make_prompt_cache(model)

    def step(ids):  # generate_step's _step with its default (greedy) sampler
        logits = model(ids[None], cache=cache)[:, -1, :]
        logprobs = logits - mx.logsumexp(logits, keepdims=True)
        return mx.argmax(logprobs, axis=-1), logprobs.squeeze(0)

    model(prompt[None, :-1], cache=cache)
    mx.eval([c.state for c in cache])
    y, _ = step(prompt[-1:])
    mx.eval(y)
    nxt, logprobs = step(y)
    mx.export_to_dot(out, nxt, logprobs)
