"""Latency of mlx-go against ipykernel, both driven by jupyter_client in the
same run. Prints one JSON line with the numbers and ratios.

spawn-to-ready: from KernelManager.start_kernel until the kernel meets
jupyter_client's readiness condition (a kernel_info_reply on shell and a
message on IOPub: the loop of wait_for_ready). wait_for_ready itself then
waits for 0.2 s of IOPub silence before returning, the same fixed 200 ms for
every kernel; it is reported separately (wait_for_ready_ms).

first result: from start_kernel until the first `1+1` has come back — the
kernel answers kernel_info while its engine still starts, so this shows the
whole start-up a user waits for before the first cell's answer.

round trip: executing `1+1`, from sending the request until both its reply
and its idle status are back.
"""
import json
import statistics
import sys
import time

from queue import Empty

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


def await_ready(kc, timeout=60):
    """wait_for_ready's readiness loop, without its trailing IOPub flush."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        kc.kernel_info()
        try:
            msg = kc.shell_channel.get_msg(timeout=1)
        except Empty:
            continue
        if msg["msg_type"] != "kernel_info_reply":
            continue
        try:
            kc.iopub_channel.get_msg(timeout=0.2)
        except Empty:
            continue
        return
    raise RuntimeError("kernel not ready")


def measure_start(kernel_name):
    spawns, waits, firsts = [], [], []
    for _ in range(SPAWNS):
        km = KernelManager(kernel_name=kernel_name)
        start = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await_ready(kc)
        spawns.append(time.perf_counter() - start)
        round_trip(kc, "1+1")
        firsts.append(time.perf_counter() - start)
        kc.stop_channels()
        km.shutdown_kernel(now=True)

        km = KernelManager(kernel_name=kernel_name)
        start = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)  # drains IOPub: 0.2 s of silence
        waits.append(time.perf_counter() - start)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {
        "spawn_median_ms": statistics.median(spawns) * 1e3,
        "wait_for_ready_ms": statistics.median(waits) * 1e3,
        "first_result_ms": statistics.median(firsts) * 1e3,
    }


def measure_round_trips(names):
    """Round trips of both kernels, alternating, so load from elsewhere on
    the machine hits both alike."""
    running = {}
    for name in names:
        km = KernelManager(kernel_name=name)
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        for _ in range(20):  # warm up: first evaluations compile and cache
            round_trip(kc, "1+1")
        running[name] = (km, kc)
    trips = {name: [] for name in names}
    for _ in range(ROUNDS):
        for name in names:
            trips[name].append(round_trip(running[name][1], "1+1"))
    for km, kc in running.values():
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {name: {"rt_median_ms": statistics.median(ts) * 1e3, "rt_p95_ms": percentile(ts, 95) * 1e3}
            for name, ts in trips.items()}


if __name__ == "__main__":
    ours = measure_start("mlx-go")
    ipy = measure_start("python3")
    trips = measure_round_trips(["mlx-go", "python3"])
    ours.update(trips["mlx-go"])
    ipy.update(trips["python3"])
    out = {"mlx-go": ours, "ipykernel": ipy,
           "rt_median_ratio": ours["rt_median_ms"] / ipy["rt_median_ms"],
           "rt_p95_ratio": ours["rt_p95_ms"] / ipy["rt_p95_ms"],
           "spawn_ratio": ours["spawn_median_ms"] / ipy["spawn_median_ms"],
           "first_result_ratio": ours["first_result_ms"] / ipy["first_result_ms"],
           "wait_for_ready_ratio": ours["wait_for_ready_ms"] / ipy["wait_for_ready_ms"]}
    print("LATENCY " + json.dumps(out))
