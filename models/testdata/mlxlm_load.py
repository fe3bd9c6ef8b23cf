"""mlx-lm peer: loads each checkpoint directory with mlx_lm.utils.load
(strict weights, plus its tokenizer) and reports what it found.

usage: mlxlm_load.py DIR... -> JSON {dir: {...} or {"error": ...}}
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import mlx.core as mx  # noqa: E402
from mlx.utils import tree_flatten  # noqa: E402
from mlx_lm.utils import get_total_parameters, load  # noqa: E402

out = {}
for d in sys.argv[1:]:
    try:
        model, tok = load(d)
        params = dict(tree_flatten(model.parameters()))
        ids = tok.encode("Hello world, 123!")
        logits = model(mx.array([ids]))
        mx.eval(logits)
        out[d] = {
            "params": get_total_parameters(model),
            "layers": len(model.layers),
            "n_arrays": len(params),
            "logits_shape": list(logits.shape),
            "finite": bool(mx.all(mx.isfinite(logits)).item()),
            "eos": sorted(tok.eos_token_ids),
        }
    except Exception as e:
        out[d] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(out))
