"""mlx-lm peer: logits of checkpoints for a prompt, without and with a KV
cache (prefill, then one token at a time).

usage: mlxlm_logits.py PREFILL MODEL_DIR OUT_DIR [MODEL_DIR OUT_DIR ...]
writes OUT_DIR/ids.json, full.npy [1, L, V], prefill.npy, step_<i>.npy
"""
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
import numpy as np  # noqa: E402
from mlx_lm.models.cache import make_prompt_cache  # noqa: E402
from mlx_lm.utils import load  # noqa: E402

TEXT = "The quick brown fox jumps over the lazy dog; 12345 émoji 🙂 and more words to make it long."


def run(model_dir, out, prefill):
    model, tok = load(model_dir)
    ids = tok.encode(TEXT)
    json.dump(ids, open(os.path.join(out, "ids.json"), "w"))

    def save(name, logits):
        np.save(os.path.join(out, name), np.array(logits.astype(mx.float32)))

    save("full.npy", model(mx.array([ids])))
    cache = make_prompt_cache(model)
    save("prefill.npy", model(mx.array([ids[:prefill]]), cache=cache))
    for i, t in enumerate(ids[prefill:]):
        save(f"step_{i}.npy", model(mx.array([[t]]), cache=cache))


prefill = int(sys.argv[1])
for model_dir, out in zip(sys.argv[2::2], sys.argv[3::2]):
    run(model_dir, out, prefill)
