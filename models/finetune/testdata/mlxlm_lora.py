"""mlx-lm peer for LoRA fine-tuning: loads a model with our adapters,
computes mlx-lm's masked training loss on a batch we built and its
dataset processing of our JSONL, and generates greedily with the adapters.
Then the other way: it adds its own LoRA layers to a fresh model (as
mlx_lm.lora does, with our adapter_config.json), gives them random
weights, saves them as its trainer does into export_adapters, and
generates greedily with them, for us to load.

usage: mlxlm_lora.py SPEC.json
SPEC: {"model": dir, "adapters": dir, "jsonl": path, "mask_prompt": bool,
       "batch": [ids], "batch_shape": [B, L], "lengths": [offset, length, ...],
       "prompt": [ids], "max_tokens": n, "mixed_jsonl": path,
       "export_adapters": dir}
prints: {"loss": f, "examples": [[ids, offset]], "mixed": [[ids, offset]],
         "tokens": [ids], "export_tokens": [ids]}
"""
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx_lm.generate import generate_step  # noqa: E402
from mlx_lm.tuner.datasets import ChatDataset, CompletionsDataset, TextDataset  # noqa: E402
from mlx_lm.tuner.trainer import default_loss  # noqa: E402
from mlx_lm.tuner.utils import linear_to_lora_layers  # noqa: E402
from mlx_lm.utils import load  # noqa: E402
from mlx.utils import tree_flatten, tree_unflatten  # noqa: E402

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

config = json.load(open(os.path.join(spec["adapters"], "adapter_config.json")))
fresh, _ = load(spec["model"])
fresh.freeze()
linear_to_lora_layers(fresh, config["num_layers"], config["lora_parameters"])
mx.random.seed(3)
for name, p in tree_flatten(fresh.trainable_parameters()):
    if name.endswith("lora_b"):  # zero at creation: make the adapter matter
        fresh.update(tree_unflatten([(name, 0.05 * mx.random.normal(p.shape, dtype=p.dtype))]))
fresh.eval()
out = spec["export_adapters"]
os.makedirs(out, exist_ok=True)
mx.save_safetensors(os.path.join(out, "adapters.safetensors"), dict(tree_flatten(fresh.trainable_parameters())))
json.dump(config, open(os.path.join(out, "adapter_config.json"), "w"))
export_toks = [int(t) for t, _ in generate_step(mx.array(spec["prompt"]), fresh, max_tokens=spec["max_tokens"])]
json.dump({"loss": loss.item(), "examples": examples, "mixed": mixed, "tokens": toks, "export_tokens": export_toks},
          sys.stdout)
