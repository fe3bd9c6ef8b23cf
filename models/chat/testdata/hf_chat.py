"""transformers peer: renders conversations with each model directory's
chat template through apply_chat_template(tokenize=False).

usage: hf_chat.py CASES_JSON MODEL_DIR... -> JSON {dir: [{"text", "ids"} or {"error"}]}
"""
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no "PyTorch was not found" noise
from transformers import AutoTokenizer  # noqa: E402

cases = json.load(open(sys.argv[1], encoding="utf-8"))
result = {}
for model_dir in sys.argv[2:]:
    tok = AutoTokenizer.from_pretrained(model_dir)
    out = []
    for case in cases:
        try:
            text = tok.apply_chat_template(case["messages"], tools=case.get("tools"), tokenize=False,
                                           add_generation_prompt=case["add_generation_prompt"],
                                           **(case.get("extra") or {}))
            enc = tok.apply_chat_template(case["messages"], tools=case.get("tools"), tokenize=True,
                                          add_generation_prompt=case["add_generation_prompt"],
                                          **(case.get("extra") or {}))
            ids = enc["input_ids"] if hasattr(enc, "keys") else enc
            out.append({"text": text, "ids": list(ids)})
        except Exception as e:  # the template's raise_exception
            out.append({"error": str(e)})
    result[model_dir] = out
json.dump(result, sys.stdout)
