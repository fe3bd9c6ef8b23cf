"""mlx-lm peer for LoRA fine-tuning: loads a model with our adapters,
computes mlx-lm's masked training loss on a batch we built and its
dataset processing of our JSONL, and generates greedily with the adapters.

usage: mlxlm_lora.py SPEC.json
SPEC: {"model": dir, "adapters": dir, "jsonl": path, "mask_prompt": bool,
       "batch": [ids], "batch_shape": [B, L], "lengths": [offset, length, ...],
       "prompt": [ids], "max_tokens": n, "mixed_jsonl": path}
prints: {"loss": f, "examples": [[ids, offset]], "mixed": [[ids, offset]],
         "tokens": [ids]}
"""
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx_lm.generate import generate_step  # noqa: E402
from mlx_lm.tuner.datasets import ChatDataset, CompletionsDataset, TextDataset  # noqa: E402
from mlx_lm.tuner.trainer import default_loss  # noqa: E402
from mlx_lm.utils import load  # noqa: E402

spec = json.load(open(sys.argv[1]))
model, tok = load(spec["model"], adapter_path=spec["adapters"])
model.eval()
batch = mx.array(spec["batch"]).reshape(spec["batch_shape"])
lengths = mx.array(spec["lengths"]).reshape(-1, 2)
loss, _ = default_loss(model, batch, lengths)
data = [json.loads(line) for line in open(spec["jsonl"])]
ds = ChatDataset(data, tok, mask_prompt=spec["mask_prompt"])
examples = [list(ds.process(d)) for d in data]
mixed = []
for line in open(spec["mixed_jsonl"]):
    d = json.loads(line)
    if "text" in d:
        ex = TextDataset([d], tok).process(d)
    elif "messages" in d:
        ex = ChatDataset([d], tok, mask_prompt=spec["mask_prompt"]).process(d)
    else:
        ex = CompletionsDataset([d], tok, "prompt", "completion", spec["mask_prompt"]).process(d)
    mixed.append(list(ex))
toks = [int(t) for t, _ in generate_step(mx.array(spec["prompt"]), model, max_tokens=spec["max_tokens"])]
json.dump({"loss": loss.item(), "examples": examples, "mixed": mixed, "tokens": toks}, sys.stdout)
