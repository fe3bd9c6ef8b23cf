package lm

import (
	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/tensor"
)

// A Llama layer decodes as two compiled blocks (see blocks.go) around the
// cache update and attention: before, the input norm, the q/k/v
// projections (fused where they can be: fuse.go), the q/k norms (Qwen3)
// and RoPE; after, the output projection, the residual, the MLP norm, the
// MLP (gate and up fused likewise) and its residual.
var llamaBlocks struct {
	pre  blocks[llamaPreKey]
	post blocks[llamaPostKey]
}

type llamaPreKey struct {
	qkv              groupKey
	eps              float64
	qkNorm           bool // Qwen3
	qEps, kEps       float64
	nHeads, nKVHeads int
	rope             ropeKey
}

type llamaPostKey struct {
	o, down projKey
	gateUp  groupKey
	eps     float64
}

// decodePre is q, k, v of x [B, 1, hidden] at offset (see decodeOffset)
// through a compiled block, as llamaAttention.forward computes them after
// the input norm; ok is false for layers the blocks do not handle.
func (b *llamaBlock) decodePre(x, offset *tensor.Array) (q, k, v *tensor.Array, ok bool) {
	a := b.SelfAttn
	key := llamaPreKey{eps: b.InputLayernorm.Eps, nHeads: a.nHeads, nKVHeads: a.nKVHeads, rope: a.rope.key()}
	args := make([]*tensor.Array, 0, 20)
	args = append(args, x, offset, b.InputLayernorm.Weight)
	if a.QNorm != nil {
		key.qkNorm, key.qEps, key.kEps = true, a.QNorm.Eps, a.KNorm.Eps
		args = append(args, a.QNorm.Weight, a.KNorm.Weight)
	}
	if a.rope.freqs != nil {
		args = append(args, a.rope.freqs)
	}
	if key.qkv, args, ok = groupArgs(args, &b.fusedQKV, a.QProj, a.KProj, a.VProj); !ok {
		return nil, nil, nil, false
	}
	out := llamaBlocks.pre.get(key, llamaPre)(args)
	return out[0], out[1], out[2], true
}

func llamaPre(key llamaPreKey) tensor.Func {
	return compileBlock(func(in []*tensor.Array) []*tensor.Array {
		x, offset, w, a := in[0], in[1], in[2], in[3:]
		var qn, kn, freqs *tensor.Array
		if key.qkNorm {
			qn, kn, a = a[0], a[1], a[2:]
		}
		if key.rope.freqs {
			freqs, a = a[0], a[1:]
		}
		n := fast.RMSNorm(x, w, key.eps)
		if key.qkv.isFused() && !key.qkNorm {
			// q and k are adjacent heads of the fused product and rotate
			// alike (each head at the same position): one RoPE for both.
			qkv, _ := key.qkv.applyHeads(n, a, key.nHeads+key.nKVHeads, key.nKVHeads)
			qk := tensor.SplitAt(key.rope.applyAt(qkv[0], offset, freqs), []int{key.nHeads}, tensor.Axis(1))
			return []*tensor.Array{qk[0], qk[1], qkv[1]}
		}
		qkv, _ := key.qkv.applyHeads(n, a, key.nHeads, key.nKVHeads, key.nKVHeads)
		q, k, v := qkv[0], qkv[1], qkv[2]
		if key.qkNorm {
			q, k = fast.RMSNorm(q, qn, key.qEps), fast.RMSNorm(k, kn, key.kEps)
		}
		return []*tensor.Array{key.rope.applyAt(q, offset, freqs), key.rope.applyAt(k, offset, freqs), v}
	})
}

// decodePost is the layer's output from the attention output o
// [B, heads, 1, D] and the layer's input x, through a compiled block.
func (b *llamaBlock) decodePost(o, x *tensor.Array) (*tensor.Array, bool) {
	m := b.MLP
	key := llamaPostKey{eps: b.PostAttentionLayernorm.Eps}
	args := make([]*tensor.Array, 0, 20)
	args = append(args, o, x, b.PostAttentionLayernorm.Weight)
	args, ok := postArgs(args, &key.o, &key.gateUp, &key.down, &b.fusedGateUp, b.SelfAttn.OProj, m.GateProj, m.UpProj, m.DownProj)
	if !ok {
		return nil, false
	}
	return llamaBlocks.post.get(key, llamaPost)(args)[0], true
}

func llamaPost(key llamaPostKey) tensor.Func {
	return compileBlock(func(in []*tensor.Array) []*tensor.Array {
		o, x, w, a := in[0], in[1], in[2], in[3:]
		h, a := residualProduct(key.o, mergeOf(o), x, a)
		g, a := swiGLU(key.gateUp, fast.RMSNorm(h, w, key.eps), a)
		y, _ := residualProduct(key.down, g, h, a)
		return []*tensor.Array{y}
	})
}
