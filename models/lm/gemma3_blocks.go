package lm

import (
	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// A Gemma 3 layer decodes as two compiled blocks (see blocks.go) around
// the cache update and attention: before, the input norm, the q/k/v
// projections, the q/k norms and RoPE; after, the output projection and
// everything up to the layer's output.
var gemmaBlocks struct {
	pre  blocks[gemmaPreKey]
	post blocks[gemmaPostKey]
}

// normKey is what a compiled block needs of a gemmaNorm besides its array:
// the array is 1+w (addOne false: the norm's precomputed one) or w.
type normKey struct {
	eps    float64
	addOne bool
}

// normArgs appends n's array to args.
func normArgs(n *gemmaNorm, args []*tensor.Array) (normKey, []*tensor.Array) {
	if n.of == n.Weight {
		return normKey{eps: n.eps}, append(args, n.plusOne)
	}
	return normKey{eps: n.eps, addOne: true}, append(args, n.Weight)
}

// apply is gemmaNorm.Forward with w standing for the norm's array.
func (k normKey) apply(x, w *tensor.Array) *tensor.Array {
	if k.addOne {
		w = tensor.Add(w, 1)
	}
	return fast.RMSNorm(x, w, k.eps)
}

type gemmaPreKey struct {
	qkv              groupKey
	in, qNorm, kNorm normKey
	nHeads, nKVHeads int
	rope             ropeKey
}

type gemmaPostKey struct {
	o, down                 projKey
	gateUp                  groupKey
	postAttn, preFF, postFF normKey
}

// decodePre is q, k, v of x [B, 1, hidden] at offset through a compiled
// block, as the layer computes them; ok is false for layers the blocks do
// not handle.
func (b *gemmaBlock) decodePre(x, offset *tensor.Array) (q, k, v *tensor.Array, ok bool) {
	a := b.SelfAttn
	key := gemmaPreKey{nHeads: a.nHeads, nKVHeads: a.nKVHeads, rope: a.rope.key()}
	args := make([]*tensor.Array, 0, 20)
	args = append(args, x, offset)
	key.in, args = normArgs(b.InputLayernorm, args)
	key.qNorm, args = normArgs(a.QNorm, args)
	key.kNorm, args = normArgs(a.KNorm, args)
	if a.rope.freqs != nil {
		args = append(args, a.rope.freqs)
	}
	if key.qkv, args, ok = groupArgs(args, &b.fusedQKV, a.QProj, a.KProj, a.VProj); !ok {
		return nil, nil, nil, false
	}
	out := gemmaBlocks.pre.get(key, gemmaPre)(args)
	return out[0], out[1], out[2], true
}

func gemmaPre(key gemmaPreKey) tensor.Func {
	return compileBlock(func(in []*tensor.Array) []*tensor.Array {
		x, offset, wIn, wQ, wK, a := in[0], in[1], in[2], in[3], in[4], in[5:]
		var freqs *tensor.Array
		if key.rope.freqs {
			freqs, a = a[0], a[1:]
		}
		n := key.in.apply(x, wIn)
		qkv, _ := key.qkv.applyHeads(n, a, key.nHeads, key.nKVHeads, key.nKVHeads)
		q, k, v := qkv[0], qkv[1], qkv[2]
		q, k = key.qNorm.apply(q, wQ), key.kNorm.apply(k, wK)
		return []*tensor.Array{key.rope.applyAt(q, offset, freqs), key.rope.applyAt(k, offset, freqs), v}
	})
}

// decodePost is the layer's output from the attention output o
// [B, heads, 1, D] and the layer's input x, through a compiled block.
func (b *gemmaBlock) decodePost(o, x *tensor.Array) (*tensor.Array, bool) {
	m := b.MLP
	var key gemmaPostKey
	args := make([]*tensor.Array, 0, 24)
	args = append(args, o, x)
	key.postAttn, args = normArgs(b.PostAttentionLayernorm, args)
	key.preFF, args = normArgs(b.PreFeedforwardLayernorm, args)
	key.postFF, args = normArgs(b.PostFeedforwardLayernorm, args)
	args, ok := postArgs(args, &key.o, &key.gateUp, &key.down, &b.fusedGateUp, b.SelfAttn.OProj, m.GateProj, m.UpProj, m.DownProj)
	if !ok {
		return nil, false
	}
	return gemmaBlocks.post.get(key, gemmaPost)(args)[0], true
}

func gemmaPost(key gemmaPostKey) tensor.Func {
	return compileBlock(func(in []*tensor.Array) []*tensor.Array {
		o, x, wPostAttn, wPreFF, wPostFF, a := in[0], in[1], in[2], in[3], in[4], in[5:]
		r, a := key.o.apply(mergeOf(o), a)
		h := tensor.Add(x, key.postAttn.apply(r, wPostAttn))
		n := key.preFF.apply(h, wPreFF)
		gateUp, a := key.gateUp.apply(n, a)
		d, _ := key.down.apply(tensor.Multiply(nn.GELUApprox(gateUp[0]), gateUp[1]), a)
		return []*tensor.Array{tensor.Add(h, key.postFF.apply(d, wPostFF))}
	})
}
