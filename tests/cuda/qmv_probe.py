"""Device-only probe: mlx-go's 4-bit matrix-vector kernel (tensor/cgo/gpu_qmv_source.inc)
against MLX's own quantized_matmul on the same device, through mx.fast.cuda_kernel:
correctness over dtypes, group sizes and rows of x, then time per call at the
Llama shapes, each call on a different copy of the weights so that nothing is
served from L2.  python qmv_probe.py tensor/cgo/gpu_qmv_source.inc [seconds]"""
import math, re, sys, time
import mlx.core as mx

src = open(sys.argv[1]).read()
header, body = re.findall(r'R"cuda\((.*?)\)cuda"', src, re.S)
budget = float(sys.argv[2]) if len(sys.argv) > 2 else 240
t_start = time.time()
import hashlib
# The source hash is in the name: MLX caches compiled kernels on disk by name.
kern = mx.fast.cuda_kernel("mlxgo_qmv4_" + hashlib.sha1(src.encode()).hexdigest()[:12], ["x", "w", "scales", "biases"], ["y"], body, header, True)


def ours(x, w, s, b, gs, nt=2, warps=4, fold=False, vec=1):
    K = x.shape[-1]
    N = w.shape[0]
    M = x.size // K
    return kern(inputs=[x, w, s, b],
                template=[("T", x.dtype), ("M", M), ("GS", gs), ("NT", nt), ("WARPS", warps), ("VEC", vec), ("FOLD", fold)],
                grid=(N // (nt * 8) * warps * 32, 1, 1), threadgroup=(warps * 32, 1, 1),
                output_shapes=[x.shape[:-1] + (N,)], output_dtypes=[x.dtype])[0]


def theirs(x, w, s, b, gs):
    return mx.quantized_matmul(x, w, s, b, transpose=True, group_size=gs, bits=4)


print("device", mx.default_device(), "mlx", mx.__version__, flush=True)
# Correctness: relative to the float32 product with the dequantized weights.
worst = 0.0
for dt in (mx.bfloat16, mx.float16):
    for gs in ((32, 64, 128) if dt == mx.bfloat16 else (64,)):
        for (K, N) in ((128, 16), (512, 48), (2048, 32), (4096, 1024)):
            if K % gs:
                continue
            for M in ((1, 3) if gs == 64 else (1, 4)):
                x = mx.random.normal((M, K), key=mx.random.key(K + M)).astype(dt)
                wf = (mx.random.normal((N, K), key=mx.random.key(N)) * 0.05).astype(dt)
                w, s, b = mx.quantize(wf, group_size=gs, bits=4)
                ref = x.astype(mx.float32) @ mx.dequantize(w, s, b, group_size=gs, bits=4).astype(mx.float32).T
                scale = mx.abs(ref).max().item()
                line = []
                for fold in (False, True):
                    for nt, warps, vec in ((1, 1, 1), (2, 4, 2), (4, 2, 4)):
                        if N % (nt * 8) or K % (128 * vec):
                            continue
                        got = ours(x, w, s, b, gs, nt, warps, fold, vec).astype(mx.float32)
                        err = mx.abs(got - ref).max().item() / scale
                        worst = max(worst, err)
                        line.append(f"{err:.1e}")
                mlx_err = mx.abs(theirs(x, w, s, b, gs).astype(mx.float32) - ref).max().item() / scale
                print(f"{str(dt):14s} g{gs:<3d} K{K:<5d} N{N:<5d} M{M}: ours {' '.join(line)}  mlx {mlx_err:.1e}", flush=True)
print("worst relative error of ours", worst, flush=True)

# Copy bandwidth, the limit the decode rates are put against.
a = mx.zeros((1 << 30,), mx.bfloat16)
mx.eval(a)
def best_of(fn, n=5):
    fn(); fn()
    ts = []
    for _ in range(n):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return min(ts)
bw = 2 * a.nbytes / best_of(lambda: mx.eval(-a))
print(f"copy bandwidth {bw/1e9:.0f} GB/s", flush=True)
del a

shapes = [("8B gate/up", 4096, 14336), ("8B down", 14336, 4096), ("8B q/o", 4096, 4096), ("8B k/v", 4096, 1024),
          ("8B lm_head", 4096, 128256), ("1B gate/up", 2048, 8192), ("1B down", 8192, 2048), ("1B q/o", 2048, 2048),
          ("1B k/v", 2048, 512), ("1B lm_head", 2048, 128256), ("G1B gate", 1152, 6912), ("G1B down", 6912, 1152),
          ("8B qkv", 4096, 6144), ("8B gate+up", 4096, 28672), ("1B qkv", 2048, 3072), ("1B gate+up", 2048, 16384)]
shapes = shapes[:2] + shapes[-4:] + shapes[4:5] + shapes[5:7] + shapes[2:4] + shapes[7:12]
configs = [(nt, wp, vec) for nt in (1, 2, 4) for wp in (1, 2, 4, 8) for vec in (1, 2, 4)]
gs = 64
for name, K, N in shapes:
    if time.time() - t_start > budget:
        print("budget spent"); break
    one = N * K // 2 + N * (K // gs) * 4
    nw = max(2, min(256, math.ceil(256e6 / one)))
    reps = max(64, nw)
    wf = (mx.random.normal((N, K), key=mx.random.key(1)) * 0.05).astype(mx.bfloat16)
    base = mx.quantize(wf, group_size=gs, bits=4)
    ws = [tuple(mx.array(t) + 0 for t in base) for _ in range(nw)]
    mx.eval(ws)
    x = mx.random.normal((1, K)).astype(mx.bfloat16)
    def timeit(fn):
        def run():
            outs = [fn(x, *ws[i % nw]) for i in range(reps)]
            t = time.perf_counter(); mx.eval(outs); return time.perf_counter() - t
        run(); run()
        return min(run() for _ in range(3)) / reps
    t_mlx = timeit(lambda x, w, s, b: theirs(x, w, s, b, gs))
    res = []
    for nt, wp, vec in configs:
        if N % (nt * 8) or K % (128 * vec):
            continue
        t = timeit(lambda x, w, s, b: ours(x, w, s, b, gs, nt, wp, True, vec))
        res.append((t, nt, wp, vec))
    res.sort()
    t, nt, wp, vec = res[0]
    print(f"{name:12s} K{K:<6d} N{N:<7d} {one/1e6:7.1f} MB  mlx {t_mlx*1e6:8.1f} us {one/t_mlx/1e9:6.0f} GB/s | ours best {t*1e6:8.1f} us {one/t/1e9:6.0f} GB/s"
          f" (NT{nt} W{wp} V{vec}) | " + " ".join(f"{r[1]}/{r[2]}/{r[3]}:{one/r[0]/1e9:.0f}" for r in res[:8]), flush=True)
    del ws, base, wf
print("elapsed", time.time() - t_start)
