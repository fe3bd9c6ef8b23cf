"""Golden files for the fast and nn packages, written by Python MLX.

Run with the project's Python (same libmlx as the Go build):

    .venv/bin/python tests/golden/gen_nn_golden.py

Each group is one safetensors file holding the inputs the Go test feeds in and
the outputs Python MLX computed from them ("<case>.<name>"). Go tests load the
inputs from the file, so random draws never have to agree across languages.
"""

import math
import os
import sys

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
from mlx.utils import tree_flatten

# GOLDEN_OUT: write into this folder (laid out like the repository) instead
# of the repository itself; internal/golden does so on a GPU, where the
# committed CPU files are not the reference.
ROOT = os.environ.get("GOLDEN_OUT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


# MLX 0.32.4's Hopper kernel miscomputes quantized products whose weight
# rows are one group (K <= group size) for more than one row of x; mlx-go
# computes those from the dequantized weights on a GPU
# (tensor/cgo/quantized_matmul.cpp). The reference does the same, so the
# comparison stays the op's definition rather than the kernel's garbage.
if mx.default_device() == mx.gpu:
    _quantized_matmul = mx.quantized_matmul

    def _single_group_safe(x, w, scales, biases=None, transpose=True, group_size=None, bits=None, mode="affine", **kw):
        k = x.shape[-1]
        if biases is not None and mode == "affine" and transpose and x.ndim >= 2 and x.size // k > 1 and k <= (group_size or 64):
            deq = mx.dequantize(w, scales, biases, group_size=group_size, bits=bits, mode=mode)
            return mx.matmul(x, mx.swapaxes(deq.astype(x.dtype), -1, -2))
        return _quantized_matmul(x, w, scales, biases, transpose=transpose, group_size=group_size, bits=bits, mode=mode, **kw)

    mx.quantized_matmul = _single_group_safe


def save(path, arrays):
    path = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mx.eval(list(arrays.values()))
    mx.save_safetensors(path, arrays, metadata={"mlx_version": mx.__version__})
    print(f"{path}: {len(arrays)} arrays")


def rnd(key, shape, dtype=mx.float32):
    return mx.random.normal(shape, key=mx.random.key(key)).astype(dtype)


def gen_fast():
    out = {}
    # RMSNorm / LayerNorm: odd feature size, with and without affine params.
    x = rnd(1, (2, 5, 67))
    w = rnd(2, (67,))
    b = rnd(3, (67,))
    out["norm.x"] = x
    out["norm.w"] = w
    out["norm.b"] = b
    out["norm.rms"] = mx.fast.rms_norm(x, w, 1e-5)
    out["norm.rms_noweight"] = mx.fast.rms_norm(x, None, 1e-6)
    out["norm.ln"] = mx.fast.layer_norm(x, w, b, 1e-5)
    out["norm.ln_w"] = mx.fast.layer_norm(x, w, None, 1e-5)
    out["norm.ln_b"] = mx.fast.layer_norm(x, None, b, 1e-5)
    out["norm.ln_none"] = mx.fast.layer_norm(x, None, None, 1e-5)
    xb = x.astype(mx.bfloat16)
    out["norm.xb"] = xb
    out["norm.rms_bf16"] = mx.fast.rms_norm(xb, w.astype(mx.bfloat16), 1e-5)

    # RoPE: [B, H, L, D], both layouts, partial dims, offsets, custom freqs.
    x = rnd(4, (2, 3, 7, 64))
    out["rope.x"] = x
    out["rope.trad"] = mx.fast.rope(x, 64, traditional=True, base=10000.0, scale=1.0, offset=0)
    out["rope.half"] = mx.fast.rope(x, 64, traditional=False, base=10000.0, scale=1.0, offset=5)
    out["rope.partial"] = mx.fast.rope(x, 32, traditional=False, base=500000.0, scale=0.5, offset=3)
    off = mx.array(9, dtype=mx.int32)
    out["rope.offset_scalar"] = off
    out["rope.dyn"] = mx.fast.rope(x, 64, traditional=False, base=10000.0, scale=1.0, offset=off)
    offs = mx.array([2, 11], dtype=mx.int32)
    out["rope.offset_batch"] = offs
    out["rope.dyn_batch"] = mx.fast.rope(x, 64, traditional=True, base=10000.0, scale=1.0, offset=offs)
    freqs = mx.exp(mx.linspace(0, -4, 32))
    out["rope.freqs"] = freqs
    out["rope.custom"] = mx.fast.rope(x, 64, traditional=False, base=None, scale=1.0, offset=4, freqs=freqs)
    out["rope.custom_dyn"] = mx.fast.rope(x, 64, traditional=False, base=None, scale=1.0, offset=off, freqs=freqs)

    # Attention: GQA (8 query heads on 2 kv heads), odd head dim, Lq < Lk.
    q = rnd(5, (2, 8, 5, 72))
    k = rnd(6, (2, 2, 9, 72))
    v = rnd(7, (2, 2, 9, 72))
    scale = 1.0 / math.sqrt(72)
    out["sdpa.q"], out["sdpa.k"], out["sdpa.v"] = q, k, v
    out["sdpa.none"] = mx.fast.scaled_dot_product_attention(q, k, v, scale=scale)
    out["sdpa.causal"] = mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask="causal")
    add = rnd(8, (1, 8, 5, 9))
    out["sdpa.add_mask"] = add
    out["sdpa.additive"] = mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask=add)
    boolmask = rnd(9, (2, 1, 5, 9)) > -0.5
    out["sdpa.bool_mask"] = boolmask
    out["sdpa.boolean"] = mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask=boolmask)
    sinks = rnd(10, (8,))
    out["sdpa.sinks_in"] = sinks
    out["sdpa.sinks"] = mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask="causal", sinks=sinks)
    out["sdpa.sinks_nomask"] = mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, sinks=sinks)
    # Reduced precision: half-precision attention and bfloat16 rotary.
    qh, kh, vh = q.astype(mx.float16), k.astype(mx.float16), v.astype(mx.float16)
    out["sdpa.causal_fp16"] = mx.fast.scaled_dot_product_attention(qh, kh, vh, scale=scale, mask="causal")
    out["rope.trad_bf16"] = mx.fast.rope(x.astype(mx.bfloat16), 64, traditional=True, base=10000.0, scale=1.0, offset=2)
    out["norm.ln_fp16"] = mx.fast.layer_norm(out["norm.x"].astype(mx.float16), w.astype(mx.float16), b.astype(mx.float16), 1e-5)
    save("fast/testdata/fast.safetensors", out)



def put_params(out, prefix, module):
    for k, v in tree_flatten(module.parameters()):
        out[f"{prefix}.param.{k}"] = v


def gen_layers():
    out = {}
    mx.random.seed(11)
    x = rnd(20, (2, 3, 128))
    out["x"] = x
    lin = nn.Linear(128, 24)
    put_params(out, "linear", lin)
    out["linear.out"] = lin(x)
    lin_nb = nn.Linear(128, 24, bias=False)
    put_params(out, "linear_nobias", lin_nb)
    out["linear_nobias.out"] = lin_nb(x)
    # Quantized linear from the biased Linear, every mode and size MLX has here.
    for mode, gs, bits in [("affine", 32, 4), ("affine", 64, 4), ("affine", 128, 4),
                           ("affine", 64, 8), ("affine", 64, 2), ("affine", 64, 3), ("affine", 64, 6),
                           ("mxfp4", 32, 4), ("nvfp4", 16, 4), ("mxfp8", 32, 8)]:
        q = nn.QuantizedLinear.from_linear(lin, gs, bits, mode=mode)
        name = f"qlinear_{mode}_{gs}_{bits}"
        put_params(out, name, q)
        out[f"{name}.out"] = q(x)
    # Embedding, tied head, quantized embedding.
    ids = mx.array([[1, 5, 49, 0, 7], [3, 3, 2, 48, 10]], dtype=mx.int32)
    out["ids"] = ids
    emb = nn.Embedding(50, 128)
    put_params(out, "embedding", emb)
    out["embedding.out"] = emb(ids)
    out["embedding.as_linear"] = emb.as_linear(x)
    qe = nn.QuantizedEmbedding.from_embedding(emb, 64, 4)
    put_params(out, "qembedding", qe)
    out["qembedding.out"] = qe(ids)
    out["qembedding.as_linear"] = qe.as_linear(x)
    # Norms with non-trivial parameters.
    rms = nn.RMSNorm(128, eps=1e-6)
    rms.weight = rnd(21, (128,))
    put_params(out, "rmsnorm", rms)
    out["rmsnorm.out"] = rms(x)
    ln = nn.LayerNorm(128)
    ln.weight, ln.bias = rnd(22, (128,)), rnd(23, (128,))
    put_params(out, "layernorm", ln)
    out["layernorm.out"] = ln(x)
    ln_nb = nn.LayerNorm(128, bias=False)
    ln_nb.weight = rnd(24, (128,))
    put_params(out, "layernorm_nobias", ln_nb)
    out["layernorm_nobias.out"] = ln_nb(x)
    out["layernorm_plain.out"] = nn.LayerNorm(128, affine=False)(x)
    # RoPE layer on [B, H, L, D].
    xr = rnd(25, (2, 4, 6, 32))
    out["rope.x"] = xr
    out["rope.out"] = nn.RoPE(32, traditional=False, base=10000)(xr, offset=3)
    out["rope_trad.out"] = nn.RoPE(16, traditional=True, base=1000, scale=0.5)(xr)
    # Multi-head attention: cross attention with a mask, self attention causal.
    mha = nn.MultiHeadAttention(128, 8, bias=True)
    put_params(out, "mha", mha)
    kv = rnd(26, (2, 7, 128))
    out["mha.kv"] = kv
    amask = rnd(27, (3, 7))
    out["mha.mask"] = amask
    out["mha.out"] = mha(x, kv, kv, amask)
    out["mha.causal_mask"] = nn.MultiHeadAttention.create_additive_causal_mask(3)
    out["mha.self"] = mha(x, x, x, nn.MultiHeadAttention.create_additive_causal_mask(3))
    # Sequential MLP.
    seq = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    put_params(out, "seq", seq)
    out["seq.out"] = seq(x)
    # nn.quantize over a tree, with a predicate skipping the last layer.
    qseq = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 10))
    put_params(out, "qseq_float", qseq)
    nn.quantize(qseq, 64, 4, class_predicate=lambda p, m: isinstance(m, nn.Linear) and p != "layers.4")
    put_params(out, "qseq", qseq)
    out["qseq.out"] = qseq(x)
    # Convolutions (channels last) and group norm.
    xc = rnd(28, (2, 11, 6))
    out["conv.x1"] = xc
    c1 = nn.Conv1d(6, 8, 3, stride=2, padding=1, dilation=1, groups=2)
    put_params(out, "conv1d", c1)
    out["conv1d.out"] = c1(xc)
    x2 = rnd(29, (2, 9, 7, 4))
    out["conv.x2"] = x2
    c2 = nn.Conv2d(4, 6, (3, 2), stride=1, padding=1, dilation=2, bias=False)
    put_params(out, "conv2d", c2)
    out["conv2d.out"] = c2(x2)
    gn = nn.GroupNorm(2, 4)
    gn.weight, gn.bias = rnd(30, (4,)), rnd(31, (4,))
    put_params(out, "groupnorm", gn)
    out["groupnorm.out"] = gn(x2)
    gnp = nn.GroupNorm(2, 4, pytorch_compatible=True, affine=False)
    out["groupnorm_pt.out"] = gnp(x2)
    # Activations over a wide range.
    xa = mx.linspace(-6, 6, 97).reshape(1, 97) * mx.array([[1.0], [0.3]])
    out["act.x"] = xa
    acts = {
        "sigmoid": nn.sigmoid, "relu": nn.relu, "relu2": nn.relu2, "relu6": nn.relu6,
        "leaky_relu": lambda v: nn.leaky_relu(v, 0.1), "elu": lambda v: nn.elu(v, 0.7),
        "selu": nn.selu, "celu": lambda v: nn.celu(v, 1.3), "silu": nn.silu, "softplus": nn.softplus,
        "softsign": nn.softsign, "softshrink": lambda v: nn.softshrink(v, 0.4),
        "hard_shrink": lambda v: nn.hard_shrink(v, 0.4), "hard_tanh": lambda v: nn.hard_tanh(v, -0.5, 2.0),
        "hardswish": nn.hardswish, "log_sigmoid": nn.log_sigmoid, "mish": nn.mish,
        "gelu": nn.gelu, "gelu_approx": nn.gelu_approx, "gelu_fast_approx": nn.gelu_fast_approx,
        "glu": lambda v: nn.glu(v[:, :96], -1), "step": lambda v: nn.step(v, 0.5),
        "softmax": lambda v: nn.softmax(v, -1), "softmin": lambda v: nn.softmin(v, -1),
        "log_softmax": lambda v: nn.log_softmax(v, -1), "tanh": nn.tanh,
        "prelu": lambda v: nn.prelu(v, mx.array([0.25])),
    }
    for k, f in acts.items():
        out[f"act.{k}"] = f(xa)
    save("nn/testdata/layers.safetensors", out)


def gen_losses():
    out = {}
    logits = rnd(30, (4, 6, 10))
    targets = mx.random.randint(0, 10, (4, 6), key=mx.random.key(31)).astype(mx.int32)
    probs = mx.softmax(rnd(32, (4, 6, 10)), axis=-1)
    weights = mx.random.uniform(shape=(4, 6), key=mx.random.key(33))
    out.update({"logits": logits, "targets": targets, "probs": probs, "weights": weights})
    ce = nn.losses.cross_entropy
    out["ce.none"] = ce(logits, targets)
    out["ce.mean"] = ce(logits, targets, reduction="mean")
    out["ce.sum"] = ce(logits, targets, reduction="sum")
    out["ce.smooth"] = ce(logits, targets, label_smoothing=0.1, reduction="mean")
    out["ce.probs"] = ce(logits, probs, reduction="mean")
    out["ce.weights"] = ce(logits, targets, weights=weights, reduction="sum")
    lt = rnd(34, (4, 10, 6))
    out["logits_axis1"] = lt
    out["ce.axis1"] = ce(lt, targets, axis=1)
    # Ignore index, as mlx-lm masks padding: zero the ignored positions and
    # average over the kept ones.
    ign = mx.where(mx.arange(6)[None] >= 4, -100, targets)
    out["targets_ignored"] = ign
    keep = ign != -100
    per = ce(logits, mx.where(keep, ign, 0)) * keep
    out["ce.ignore_mean"] = per.sum() / keep.sum()
    out["ce.ignore_none"] = per
    bl = rnd(35, (5, 7))
    bt = (mx.random.uniform(shape=(5, 7), key=mx.random.key(36)) > 0.5).astype(mx.float32)
    out.update({"bce_logits": bl, "bce_targets": bt})
    out["bce.logits"] = nn.losses.binary_cross_entropy(bl, bt)
    out["bce.probs"] = nn.losses.binary_cross_entropy(mx.sigmoid(bl), bt, with_logits=False, reduction="sum")
    bw = mx.random.uniform(shape=(5, 7), key=mx.random.key(40))
    out["bce_weights"] = bw
    out["bce.weights"] = nn.losses.binary_cross_entropy(bl, bt, weights=bw, reduction="none")
    p, t = rnd(37, (3, 8)), rnd(38, (3, 8))
    out.update({"pred": p, "target": t})
    out["mse.mean"] = nn.losses.mse_loss(p, t)
    out["mse.none"] = nn.losses.mse_loss(p, t, reduction="none")
    out["l1.mean"] = nn.losses.l1_loss(p, t)
    out["l1.sum"] = nn.losses.l1_loss(p, t, reduction="sum")
    out["smooth_l1"] = nn.losses.smooth_l1_loss(p, t, beta=0.5)
    out["huber"] = nn.losses.huber_loss(p, t, delta=0.7, reduction="mean")
    out["log_cosh"] = nn.losses.log_cosh_loss(p, t, reduction="sum")
    out["hinge"] = nn.losses.hinge_loss(p, t, reduction="mean")
    out["cosine"] = nn.losses.cosine_similarity_loss(p, t, axis=1)
    lp = nn.log_softmax(logits, -1)
    lq = nn.log_softmax(rnd(39, (4, 6, 10)), -1)
    out.update({"logp": lp, "logq": lq})
    out["kl.none"] = nn.losses.kl_div_loss(lp, lq)
    out["kl.mean"] = nn.losses.kl_div_loss(lp, lq, reduction="mean")
    out["nll.mean"] = nn.losses.nll_loss(lp, targets, reduction="mean")
    save("nn/testdata/losses.safetensors", out)


def optimizer_cases():
    sched = optim.join_schedules([optim.linear_schedule(0.0, 0.05, 3), optim.cosine_decay(0.05, 7, 0.001)], [3])
    return {
        "sgd": optim.SGD(learning_rate=0.1),
        "sgd_momentum": optim.SGD(learning_rate=0.05, momentum=0.9, weight_decay=0.01, dampening=0.1),
        "sgd_nesterov": optim.SGD(learning_rate=0.05, momentum=0.8, nesterov=True),
        "adam": optim.Adam(learning_rate=0.01),
        "adam_bc": optim.Adam(learning_rate=0.01, betas=[0.8, 0.95], bias_correction=True),
        "adamw": optim.AdamW(learning_rate=0.01, weight_decay=0.05),
        "adamw_sched": optim.AdamW(learning_rate=sched, weight_decay=0.1),
        "rmsprop": optim.RMSprop(learning_rate=0.01, alpha=0.9),
        "adagrad": optim.Adagrad(learning_rate=0.1),
        "adamax": optim.Adamax(learning_rate=0.02, betas=[0.85, 0.99]),
        "lion": optim.Lion(learning_rate=0.01, weight_decay=0.1),
        "adadelta": optim.AdaDelta(learning_rate=0.5, rho=0.8),
    }


def gen_optim():
    out = {}
    mx.random.seed(12)
    init = nn.Linear(5, 4)
    put_params(out, "init", init)
    steps = 10
    for i in range(steps):
        out[f"grad.{i}.weight"] = rnd(100 + i, (4, 5))
        out[f"grad.{i}.bias"] = rnd(200 + i, (4,))
    for name, opt in optimizer_cases().items():
        model = nn.Linear(5, 4)
        model.update(init.parameters())
        for i in range(steps):
            g = {"weight": out[f"grad.{i}.weight"], "bias": out[f"grad.{i}.bias"]}
            opt.update(model, g)
            mx.eval(model.parameters(), opt.state)
        put_params(out, name, model)
        for k, v in tree_flatten(opt.state):
            out[f"{name}.state.{k}"] = v
    # Schedules at steps 0..19.
    steps_arr = [mx.array(s, mx.uint64) for s in range(20)]
    scheds = {
        "linear": optim.linear_schedule(1e-4, 1e-2, 10),
        "cosine": optim.cosine_decay(0.1, 12, 0.01),
        "step": optim.step_decay(0.1, 0.5, 4),
        "exponential": optim.exponential_decay(0.1, 0.9),
        "joined": optim.join_schedules([optim.linear_schedule(0.0, 0.1, 5), optim.cosine_decay(0.1, 10)], [5]),
    }
    for k, f in scheds.items():
        out[f"sched.{k}"] = mx.stack([f(s) for s in steps_arr])
    # Clip by global norm.
    g = {"weight": out["grad.0.weight"], "bias": out["grad.0.bias"]}
    clipped, norm = optim.clip_grad_norm(g, 1.5)
    out["clip.norm"] = norm
    out["clip.weight"] = clipped["weight"]
    out["clip.bias"] = clipped["bias"]
    save("nn/testdata/optim.safetensors", out)


def gen_train():
    """Ten AdamW steps of an MLP through nn.value_and_grad, in float32 and
    in bfloat16 (parameters, gradients and optimizer state all bfloat16, as
    MLX trains them)."""
    out = {}
    x = rnd(300, (64, 16))
    y = mx.random.randint(0, 4, (64,), key=mx.random.key(301)).astype(mx.int32)
    out["x"], out["y"] = x, y
    for dtype, name in [(mx.float32, "f32"), (mx.bfloat16, "bf16")]:
        mx.random.seed(302)
        model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
        model.set_dtype(dtype)
        put_params(out, f"{name}.init", model)

        def loss_fn(m, xb, yb):
            return nn.losses.cross_entropy(m(xb), yb, reduction="mean")

        vg = nn.value_and_grad(model, loss_fn)
        opt = optim.AdamW(learning_rate=1e-2)
        losses = []
        xb = x.astype(dtype)
        for i in range(10):
            loss, grads = vg(model, xb, y)
            if i == 0:
                for k, v in tree_flatten(grads):
                    out[f"{name}.grad0.{k}"] = v
            opt.update(model, grads)
            mx.eval(loss, model.parameters(), opt.state)
            losses.append(loss)
        out[f"{name}.losses"] = mx.stack(losses)
        put_params(out, f"{name}.final", model)
    save("nn/testdata/train.safetensors", out)


def gen_lora():
    out = {}
    mx.random.seed(400)
    x = rnd(401, (2, 5, 64))
    out["x"] = x
    base = nn.Linear(64, 48)
    qbase = nn.QuantizedLinear.from_linear(base, 32, 4)
    a, b = rnd(402, (64, 8)) * 0.1, rnd(403, (8, 48)) * 0.1
    from mlx_lm.tuner.lora import LoRALinear  # mlx-lm is pinned in scripts/requirements-test.txt

    for name, layer in [("float", base), ("quant", qbase)]:
        l = LoRALinear.from_base(layer, r=8, scale=20.0)
        l.lora_a, l.lora_b = a, b
        put_params(out, name, l)
        out[f"{name}.out"] = l(x)
        fused = l.fuse()
        put_params(out, f"{name}.fused", fused)
        out[f"{name}.fused_out"] = fused(x)
        if name == "quant":
            deq = l.fuse(dequantize=True)
            put_params(out, "quant.dequantized", deq)
    save("nn/testdata/lora.safetensors", out)


GROUPS = {"lora": gen_lora, "fast": gen_fast, "layers": gen_layers, "losses": gen_losses, "optim": gen_optim, "train": gen_train}

if __name__ == "__main__":
    names = sys.argv[1:] or list(GROUPS)
    for n in names:
        GROUPS[n]()
