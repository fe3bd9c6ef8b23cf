"""Graph-build cost per op in Python MLX: the peer of main.go.

Builds the same graph as main.go (same ops, same shapes, no evaluation),
many times, and prints one JSON line with CPU nanoseconds per op (the best
of five rounds). The graph of
each repetition is dropped before the next, so freeing it is included, as it
is on the Go side.
"""
import json
import sys
import time

import mlx.core as mx


def build(x, b, n):
    # One step = 4 ops, mirroring buildGraph in main.go.
    for _ in range(n // 4):
        x = mx.add(x, b)
        x = mx.multiply(x, -0.5)
        x = mx.exp(x)
        x = mx.sum(x, axis=1, keepdims=True)
    return x


def main():
    ops, reps = int(sys.argv[1]), int(sys.argv[2])
    mx.set_default_device(mx.cpu)
    stream = mx.new_stream(mx.cpu)
    with mx.stream(stream):
        b = mx.ones((4, 4))
        x0 = mx.ones((4, 4))
        mx.eval(b, x0)
        build(x0, b, ops)  # warm-up
        best = float("inf")
        for _ in range(5):
            t0 = time.process_time_ns()
            for _ in range(reps):
                build(x0, b, ops)
            best = min(best, (time.process_time_ns() - t0) / (reps * ops))
        value = build(x0, b, ops).reshape(-1).tolist()
    print(json.dumps({"ns_per_op": best, "value": value, "mlx": mx.__version__}))


main()
