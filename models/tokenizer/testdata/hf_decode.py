"""HF tokenizers peer: decodes id lists (skip_special_tokens false, then true).

usage: hf_decode.py TOKENIZER_JSON IDS_JSON -> JSON [[text, text_skip], ...]
"""
import json
import sys

from tokenizers import Tokenizer

tok = Tokenizer.from_file(sys.argv[1])
lists = json.load(open(sys.argv[2]))
json.dump([[tok.decode(ids, skip_special_tokens=False), tok.decode(ids, skip_special_tokens=True)] for ids in lists],
          sys.stdout)
