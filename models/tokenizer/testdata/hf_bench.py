"""Times HF tokenizers (Rust) encoding a text file: best of N runs.

usage: hf_bench.py TOKENIZER_JSON TEXT_FILE RUNS -> "seconds n_tokens"
"""
import sys
import time

from tokenizers import Tokenizer

tok = Tokenizer.from_file(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8", newline="").read()  # keep \r\n as is
best, n = float("inf"), 0
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter()
    n = len(tok.encode(text, add_special_tokens=False).ids)
    best = min(best, time.perf_counter() - t0)
print(best, n)
