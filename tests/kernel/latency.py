"""Latency of mlx-go against ipykernel, both driven by jupyter_client in the
same run: spawn-to-ready (start_kernel until wait_for_ready returns) and the
round trip of executing `1+1` (request sent until its reply and the idle
status are both back). Prints one JSON line with the numbers and ratios.
"""
import json
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

SPAWNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 200


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def round_trip(kc, code):
    start = time.perf_counter()
    msg_id = kc.execute(code)
    replied = idle = False
    while not (replied and idle):
        if not replied:
            reply = kc.get_shell_msg(timeout=10)
            replied = reply["parent_header"].get("msg_id") == msg_id
            if replied:
                assert reply["content"]["status"] == "ok", reply["content"]
        if replied and not idle:
            msg = kc.get_iopub_msg(timeout=10)
            idle = (msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle")
    return time.perf_counter() - start


def measure(kernel_name):
    spawns = []
    for i in range(SPAWNS):
        km = KernelManager(kernel_name=kernel_name)
        start = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        spawns.append(time.perf_counter() - start)
        if i < SPAWNS - 1:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    for _ in range(20):  # warm up: first evaluations compile and cache
        round_trip(kc, "1+1")
    trips = [round_trip(kc, "1+1") for _ in range(ROUNDS)]
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return {
        "spawn_median_ms": statistics.median(spawns) * 1e3,
        "rt_median_ms": statistics.median(trips) * 1e3,
        "rt_p95_ms": percentile(trips, 95) * 1e3,
    }


if __name__ == "__main__":
    ours = measure("mlx-go")
    ipy = measure("python3")
    out = {"mlx-go": ours, "ipykernel": ipy,
           "rt_median_ratio": ours["rt_median_ms"] / ipy["rt_median_ms"],
           "rt_p95_ratio": ours["rt_p95_ms"] / ipy["rt_p95_ms"],
           "spawn_ratio": ours["spawn_median_ms"] / ipy["spawn_median_ms"]}
    print("LATENCY " + json.dumps(out))
