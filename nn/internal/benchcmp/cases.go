package main

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/nn/optim"
	"github.com/mlx-go/mlx-go/tensor"
)

func normal(seed uint64, shape ...int) *tensor.Array {
	a := tensor.RandomNormal(shape, tensor.Key(tensor.RandomKey(seed)))
	tensor.Eval(a)
	return a
}

func pyShape(shape ...int) string {
	s := "("
	for _, d := range shape {
		s += fmt.Sprint(d) + ","
	}
	return s + ")"
}

func allCases() []benchCase {
	var cs []benchCase
	// Norms at one Llama-7B-sized activation: 512 tokens of 4096 features.
	{
		x, w, b := normal(1, 1, 512, 4096), normal(2, 4096), normal(3, 4096)
		setup := fmt.Sprintf("x = mx.random.normal(%s); w = mx.random.normal((4096,)); b = mx.random.normal((4096,))", pyShape(1, 512, 4096))
		bytes := float64(2 * x.Nbytes())
		cs = append(cs,
			benchCase{"rms_norm fast [1,512,4096]", bytes, func() []*tensor.Array { return []*tensor.Array{fast.RMSNorm(x, w, 1e-5)} },
				"f = lambda: mx.fast.rms_norm(x, w, 1e-5)", setup},
			benchCase{"rms_norm composed", bytes, func() []*tensor.Array {
				n := tensor.Rsqrt(tensor.Add(tensor.Mean(tensor.Square(x), tensor.Axis(-1), tensor.KeepDims(true)), 1e-5))
				return []*tensor.Array{tensor.Multiply(tensor.Multiply(x, n), w)}
			}, "f = lambda: x * mx.rsqrt(mx.mean(mx.square(x), axis=-1, keepdims=True) + 1e-5) * w", setup},
			benchCase{"layer_norm fast [1,512,4096]", bytes, func() []*tensor.Array { return []*tensor.Array{fast.LayerNorm(x, w, b, 1e-5)} },
				"f = lambda: mx.fast.layer_norm(x, w, b, 1e-5)", setup},
			benchCase{"layer_norm composed", bytes, func() []*tensor.Array {
				mu := tensor.Mean(x, tensor.Axis(-1), tensor.KeepDims(true))
				xc := tensor.Subtract(x, mu)
				v := tensor.Mean(tensor.Square(xc), tensor.Axis(-1), tensor.KeepDims(true))
				return []*tensor.Array{tensor.Add(tensor.Multiply(tensor.Multiply(xc, tensor.Rsqrt(tensor.Add(v, 1e-5))), w), b)}
			}, `def f():
    xc = x - mx.mean(x, axis=-1, keepdims=True)
    return xc * mx.rsqrt(mx.mean(mx.square(xc), axis=-1, keepdims=True) + 1e-5) * w + b`, setup},
		)
	}
	// RoPE on the queries of 32 heads x 512 positions x head dim 128.
	{
		x := normal(4, 1, 32, 512, 128)
		setup := fmt.Sprintf("x = mx.random.normal(%s)", pyShape(1, 32, 512, 128))
		bytes := float64(2 * x.Nbytes())
		cs = append(cs,
			benchCase{"rope fast [1,32,512,128]", bytes, func() []*tensor.Array { return []*tensor.Array{fast.RoPE(x, 128, false, 10000, 1, 7)} },
				"f = lambda: mx.fast.rope(x, 128, traditional=False, base=10000.0, scale=1.0, offset=7)", setup},
			benchCase{"rope composed", bytes, func() []*tensor.Array { return []*tensor.Array{composedRoPE(x, 7)} },
				`def f():
    pos = mx.arange(7, 7 + 512, dtype=mx.float32)
    inv = mx.exp(mx.arange(0, 64, dtype=mx.float32) * (-2 * math.log(10000.0) / 128))
    th = pos[:, None] * inv[None, :]
    c, s = mx.cos(th), mx.sin(th)
    x1, x2 = x[..., :64], x[..., 64:]
    return mx.concatenate([x1 * c - x2 * s, x1 * s + x2 * c], axis=-1)`, setup},
		)
	}
	// Attention: a 512-token causal prefill and one decoding step against a
	// 4096-token cache, both grouped-query (32 query heads on 8 kv heads).
	for _, sh := range []struct {
		name   string
		lq, lk int
		causal bool
	}{{"prefill", 256, 256, true}, {"decode", 1, 4096, false}} {
		q, k, v := normal(5, 1, 32, sh.lq, 128), normal(6, 1, 8, sh.lk, 128), normal(7, 1, 8, sh.lk, 128)
		scale := 1 / math.Sqrt(128)
		setup := fmt.Sprintf("q = mx.random.normal(%s); k = mx.random.normal(%s); v = mx.random.normal(%s); scale = %v",
			pyShape(1, 32, sh.lq, 128), pyShape(1, 8, sh.lk, 128), pyShape(1, 8, sh.lk, 128), scale)
		mask, pyMask := "", "None"
		if sh.causal {
			mask, pyMask = "causal", `"causal"`
		}
		bytes := float64(2*q.Nbytes() + k.Nbytes() + v.Nbytes())
		causal := sh.causal
		cs = append(cs,
			benchCase{fmt.Sprintf("sdpa fast %s q%d kv%d", sh.name, sh.lq, sh.lk), bytes, func() []*tensor.Array {
				return []*tensor.Array{fast.AttentionWithSinks(q, k, v, scale, mask, nil, nil)}
			}, fmt.Sprintf("f = lambda: mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask=%s)", pyMask), setup},
			benchCase{fmt.Sprintf("sdpa composed %s", sh.name), bytes, func() []*tensor.Array {
				return []*tensor.Array{composedAttention(q, k, v, scale, causal)}
			}, fmt.Sprintf(`def f():
    kk, vv = mx.repeat(k, 4, axis=1), mx.repeat(v, 4, axis=1)
    s = (q * scale) @ kk.swapaxes(-1, -2)
    if %v:
        L, S = s.shape[-2], s.shape[-1]
        s = mx.where(mx.tri(L, S, S - L, dtype=mx.bool_), s, -math.inf)
    return mx.softmax(s, axis=-1, precise=True) @ vv`, pyBool(causal)), setup},
		)
	}
	// QuantizedLinear (4-bit, groups of 64) against Linear: one token
	// (weight-bound decode) and a 128-token prefill, 4096x4096.
	{
		lin := nn.NewLinear(4096, 4096, false)
		lin.Weight = normal(8, 4096, 4096)
		q, err := nn.QuantizedLinearFrom(lin, 64, 4, "affine")
		if err != nil {
			panic(err)
		}
		tensor.Eval(q.Weight, q.Scales, q.Biases)
		setup := `lin = nn.Linear(4096, 4096, bias=False); lin.weight = mx.random.normal((4096, 4096))
q = nn.QuantizedLinear.from_linear(lin, 64, 4); mx.eval(lin.parameters(), q.parameters())
x1 = mx.random.normal((1, 4096)); x32 = mx.random.normal((32, 4096))`
		qbytes := float64(q.Weight.Nbytes() + q.Scales.Nbytes() + q.Biases.Nbytes())
		fbytes := float64(lin.Weight.Nbytes())
		for _, rows := range []int{1, 32} {
			x := normal(9, rows, 4096)
			cs = append(cs,
				benchCase{fmt.Sprintf("linear fp32 x[%d,4096]", rows), fbytes, func() []*tensor.Array { return []*tensor.Array{lin.Forward(x)} },
					fmt.Sprintf("f = lambda: lin(x%d)", rows), setup},
				benchCase{fmt.Sprintf("qlinear 4bit x[%d,4096]", rows), qbytes, func() []*tensor.Array { return []*tensor.Array{q.Forward(x)} },
					fmt.Sprintf("f = lambda: q(x%d)", rows), setup},
			)
		}
	}
	// One AdamW training step of a 512-2048-512 MLP on a batch of 64.
	{
		m := nn.NewSequential(nn.NewLinear(512, 2048, true), nn.Func(nn.GELU), nn.NewLinear(2048, 512, true))
		x, y := normal(10, 64, 512), normal(11, 64, 512)
		opt, _ := optim.NewAdamW(optim.AdamConfig{LearningRate: 1e-3})
		tr := optim.NewTrainer(m, func(a []*tensor.Array) *tensor.Array { return nn.MSELoss(m.Forward(a[0]), a[1]) }, opt)
		cs = append(cs, benchCase{"train step mlp 512-2048-512 b64", 0, func() []*tensor.Array {
			loss, err := tr.Step(x, y) // evaluates loss, parameters and optimizer state
			if err != nil {
				panic(err)
			}
			return []*tensor.Array{loss}
		}, `model = nn.Sequential(nn.Linear(512, 2048), nn.GELU(), nn.Linear(2048, 512))
opt = optim.AdamW(learning_rate=1e-3)
x = mx.random.normal((64, 512)); y = mx.random.normal((64, 512))
vg = nn.value_and_grad(model, lambda m, a, b: nn.losses.mse_loss(m(a), b))
def f():
    loss, g = vg(model, x, y)
    opt.update(model, g)
    mx.eval(loss, model.parameters(), opt.state)
    return loss`, ""})
	}
	return cs
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func lastAxis(x *tensor.Array, start, stop int) *tensor.Array {
	sh := x.Shape()
	n := len(sh)
	lo, hi, st := make([]int, n), append([]int(nil), sh...), make([]int, n)
	for i := range st {
		st[i] = 1
	}
	lo[n-1], hi[n-1] = start, stop
	return tensor.Slice(x, lo, hi, st)
}

func composedRoPE(x *tensor.Array, offset int) *tensor.Array {
	pos := tensor.Arange(float64(offset), float64(offset+x.Dim(-2)))
	inv := tensor.Exp(tensor.Multiply(tensor.Arange(0, 64), -2*math.Log(10000)/128))
	th := tensor.Multiply(tensor.Reshape(pos, []int{-1, 1}), tensor.Reshape(inv, []int{1, -1}))
	c, s := tensor.Cos(th), tensor.Sin(th)
	x1, x2 := lastAxis(x, 0, 64), lastAxis(x, 64, 128)
	return tensor.Concatenate([]*tensor.Array{
		tensor.Subtract(tensor.Multiply(x1, c), tensor.Multiply(x2, s)),
		tensor.Add(tensor.Multiply(x1, s), tensor.Multiply(x2, c)),
	}, tensor.Axis(-1))
}

func composedAttention(q, k, v *tensor.Array, scale float64, causal bool) *tensor.Array {
	k, v = tensor.Repeat(k, 4, tensor.Axis(1)), tensor.Repeat(v, 4, tensor.Axis(1))
	s := tensor.Matmul(tensor.Multiply(q, scale), tensor.Swapaxes(k, -1, -2))
	if causal {
		l, n := s.Dim(-2), s.Dim(-1)
		s = tensor.Where(tensor.Tri(l, tensor.Cols(n), tensor.Offset(n-l), tensor.Bool), s, math.Inf(-1))
	}
	return tensor.Matmul(tensor.Softmax(s, tensor.Axis(-1), tensor.Precise(true)), v)
}
