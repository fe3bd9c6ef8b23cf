"""mlx-lm peer for generation: runs each case of a JSON spec with mlx-lm's
generate_step, make_sampler and make_logits_processors, and prints the
tokens.

usage: mlxlm_generate.py SPEC.json
SPEC: [{"model": dir, "prompt": [ids] | "text": str | "messages": [...],
        "max_tokens": n, "options": {...}}]
prints: [{"prompt": [ids], "tokens": [ids]}] (one per case)
"""
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx_lm.generate import generate_step  # noqa: E402
from mlx_lm.sample_utils import make_logits_processors, make_sampler  # noqa: E402
from mlx_lm.utils import load  # noqa: E402

loaded = {}


def prompt_ids(tok, case):
    if "messages" in case:
        return tok.apply_chat_template(case["messages"], add_generation_prompt=True)
    if "text" in case:
        text = case["text"]
        # stream_generate's rule for special tokens
        add = tok.bos_token is None or not text.startswith(tok.bos_token)
        return tok.encode(text, add_special_tokens=add)
    return case["prompt"]


def run(case):
    d = case["model"]
    if d not in loaded:
        loaded[d] = load(d)
    model, tok = loaded[d]
    o = case.get("options", {})
    ids = prompt_ids(tok, case)
    sampler = make_sampler(
        temp=o.get("temp", 0.0),
        top_p=o.get("top_p", 0.0),
        min_p=o.get("min_p", 0.0),
        min_tokens_to_keep=o.get("min_keep", 1),
        top_k=o.get("top_k", 0),
    )
    bias = {int(k): v for k, v in o.get("logit_bias", {}).items()} or None
    procs = make_logits_processors(
        logit_bias=bias,
        repetition_penalty=o.get("repetition_penalty"),
        repetition_context_size=o.get("repetition_context_size", 20),
    )
    if "seed" in o:
        mx.random.seed(o["seed"])
    kw = {}
    for k in ("max_kv_size", "prefill_step_size", "kv_bits", "kv_group_size", "quantized_kv_start"):
        if k in o:
            kw[k] = o[k]
    toks = []
    for t, _ in generate_step(
        mx.array(ids), model, max_tokens=case["max_tokens"], sampler=sampler,
        logits_processors=procs, **kw
    ):
        toks.append(int(t))
    return {"prompt": [int(i) for i in ids], "tokens": toks}


spec = json.load(open(sys.argv[1]))
json.dump([run(c) for c in spec], sys.stdout)
