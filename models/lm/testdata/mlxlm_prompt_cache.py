"""mlx-lm peer for prompt caches: continues generation from a cache file
we saved, and saves its own cache of the same prefix for us to load.

usage: mlxlm_prompt_cache.py SPEC.json
SPEC: [{"model": dir, "prefix": [ids], "rest": [ids], "max_tokens": n,
        "ours": path, "theirs": path, "kv_bits": b, "kv_group_size": g}]
prints: [{"tokens": [ids], "metadata": {...}}]
"""
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx_lm.generate import generate_step, maybe_quantize_kv_cache  # noqa: E402
from mlx_lm.models.cache import load_prompt_cache, make_prompt_cache, save_prompt_cache  # noqa: E402
from mlx_lm.utils import load  # noqa: E402

out = []
for case in json.load(open(sys.argv[1])):
    model, tok = load(case["model"])
    cache, meta = load_prompt_cache(case["ours"], return_metadata=True)
    toks = [int(t) for t, _ in generate_step(mx.array(case["rest"]), model, max_tokens=case["max_tokens"], prompt_cache=cache)]
    theirs = make_prompt_cache(model)
    model(mx.array([case["prefix"]]), cache=theirs)
    if case.get("kv_bits"):
        maybe_quantize_kv_cache(theirs, 0, case["kv_group_size"], case["kv_bits"])
    mx.eval([c.state for c in theirs])
    save_prompt_cache(case["theirs"], theirs, {"made_by": "mlx-lm"})
    out.append({"tokens": toks, "metadata": meta})
json.dump(out, sys.stdout)
