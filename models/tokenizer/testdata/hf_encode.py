"""HF tokenizers peer: encodes and decodes a corpus with a tokenizer.json.

usage: hf_encode.py TOKENIZER_JSON CORPUS_JSON -> JSON on stdout
"""
import json
import sys

from tokenizers import Tokenizer

tok = Tokenizer.from_file(sys.argv[1])
corpus = json.load(open(sys.argv[2], encoding="utf-8"))
out = []
for text in corpus:
    plain = tok.encode(text, add_special_tokens=False).ids
    special = tok.encode(text, add_special_tokens=True).ids
    norm = tok.normalizer.normalize_str(text) if tok.normalizer else text
    pieces = [p for p, _ in tok.pre_tokenizer.pre_tokenize_str(norm)] if tok.pre_tokenizer else [norm]
    out.append({
        "pieces": pieces,
        "ids": plain,
        "ids_special": special,
        "decoded": tok.decode(special, skip_special_tokens=False),
        "decoded_skip": tok.decode(special, skip_special_tokens=True),
    })
json.dump(out, sys.stdout, ensure_ascii=True)
