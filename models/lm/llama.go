package lm

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Llama is the Llama decoder, which Qwen2 (q/k/v biases) and Qwen3
// (per-head q/k RMSNorm, explicit head_dim) extend; mlx-lm's llama.py,
// qwen2.py and qwen3.py.
type Llama struct {
	cfg         *models.Config
	EmbedTokens nn.Embedder
	Layers      []*llamaBlock
	Norm        *nn.RMSNorm
	LMHead      nn.Layer // nil: tied to EmbedTokens
}

type llamaAttention struct {
	QProj, KProj, VProj, OProj nn.Layer
	QNorm, KNorm               *nn.RMSNorm // Qwen3 only
	nHeads, nKVHeads           int
	scale                      float64
	rope                       *rope
}

type llamaMLP struct {
	GateProj, UpProj, DownProj nn.Layer
}

type llamaBlock struct {
	SelfAttn               *llamaAttention
	MLP                    *llamaMLP
	InputLayernorm         *nn.RMSNorm
	PostAttentionLayernorm *nn.RMSNorm

	fusedQKV, fusedGateUp *fusedProjs // decoding's fused projections (fuse.go)
}

func rmsNorm(w *weights, name string, eps float64) *nn.RMSNorm {
	return &nn.RMSNorm{Weight: w.get(name), Eps: eps}
}

func newLlama(c *models.Config, w *weights) *Llama {
	h := c.HiddenSize
	m := &Llama{cfg: c, EmbedTokens: w.embedding("model.embed_tokens", h), Norm: rmsNorm(w, "model.norm.weight", c.RMSNormEps)}
	for i := 0; i < c.NumLayers; i++ {
		p := fmt.Sprintf("model.layers.%d.", i)
		att := &llamaAttention{QProj: w.linear(p+"self_attn.q_proj", h), KProj: w.linear(p+"self_attn.k_proj", h),
			VProj: w.linear(p+"self_attn.v_proj", h), OProj: w.linear(p+"self_attn.o_proj", c.NumHeads*c.HeadDim),
			nHeads: c.NumHeads, nKVHeads: c.NumKVHeads, scale: 1 / math.Sqrt(float64(c.HeadDim)),
			rope: newRope(c.HeadDim, c.RopeTheta, ropeTraditional(c), c.RopeScaling)}
		if c.TextModelType == "qwen3" {
			att.QNorm = rmsNorm(w, p+"self_attn.q_norm.weight", c.RMSNormEps)
			att.KNorm = rmsNorm(w, p+"self_attn.k_norm.weight", c.RMSNormEps)
		}
		m.Layers = append(m.Layers, &llamaBlock{
			SelfAttn: att,
			MLP: &llamaMLP{GateProj: w.linear(p+"mlp.gate_proj", h), UpProj: w.linear(p+"mlp.up_proj", h),
				DownProj: w.linear(p+"mlp.down_proj", c.IntermediateSize)},
			InputLayernorm:         rmsNorm(w, p+"input_layernorm.weight", c.RMSNormEps),
			PostAttentionLayernorm: rmsNorm(w, p+"post_attention_layernorm.weight", c.RMSNormEps),
		})
	}
	if !c.TieWordEmbeddings {
		m.LMHead = w.linear("lm_head", h)
	}
	return m
}

// ropeTraditional is config.json's rope_traditional (Llama and Qwen2 read
// it; default false).
func ropeTraditional(c *models.Config) bool {
	b, _ := c.Raw["rope_traditional"].(bool)
	return b && c.TextModelType != "qwen3"
}

func (a *llamaAttention) forward(x *tensor.Array, mode string, mask *tensor.Array, cache layerCache, offset int) *tensor.Array {
	o := merge(a.attention(x, mode, mask, cache, offset))
	defer o.Free()
	return a.OProj.Forward(o)
}

// attention is the attention output [B, heads, L, D] before the output
// projection.
func (a *llamaAttention) attention(x *tensor.Array, mode string, mask *tensor.Array, cache layerCache, offset int) *tensor.Array {
	q := heads(a.QProj.Forward(x), a.nHeads)
	k := heads(a.KProj.Forward(x), a.nKVHeads)
	v := heads(a.VProj.Forward(x), a.nKVHeads)
	if a.QNorm != nil {
		q, k = replace(q, a.QNorm.Forward(q)), replace(k, a.KNorm.Forward(k))
	}
	q, k = replace(q, a.rope.apply(q, offset)), replace(k, a.rope.apply(k, offset))
	defer release(q, k, v)
	return attend(cache, q, k, v, a.scale, mode, mask)
}

func (m *llamaMLP) forward(x *tensor.Array) *tensor.Array {
	gate, up := m.GateProj.Forward(x), m.UpProj.Forward(x)
	y := swiglu(gate, up)
	defer release(gate, up, y)
	return m.DownProj.Forward(y)
}

// forward is the layer's output; a decode step (at is its offset, see
// decodeOffset) goes through the compiled blocks where it can.
func (b *llamaBlock) forward(x *tensor.Array, mode string, mask *tensor.Array, cache layerCache, offset int, at *tensor.Array) *tensor.Array {
	if at != nil {
		var o *tensor.Array
		if q, k, v, ok := b.decodePre(x, at); ok {
			o = attend(cache, q, k, v, b.SelfAttn.scale, mode, mask)
			release(q, k, v)
		} else {
			n := b.InputLayernorm.Forward(x)
			o = b.SelfAttn.attention(n, mode, mask, cache, offset)
			n.Free()
		}
		if y, ok := b.decodePost(o, x); ok {
			o.Free()
			return y
		}
		o = merge(o)
		defer o.Free()
		return b.finish(x, b.SelfAttn.OProj.Forward(o))
	}
	n := b.InputLayernorm.Forward(x)
	r := b.SelfAttn.forward(n, mode, mask, cache, offset)
	n.Free()
	return b.finish(x, r)
}

// finish is the layer's output from its input x and the attention's
// output r (after the output projection), freeing r.
func (b *llamaBlock) finish(x, r *tensor.Array) *tensor.Array {
	h := tensor.Add(x, r)
	r.Free()
	n := b.PostAttentionLayernorm.Forward(h)
	r = b.MLP.forward(n)
	defer release(n, r, h)
	return tensor.Add(h, r)
}

// Forward implements Model.
func (m *Llama) Forward(ids *tensor.Array, cache *Cache) *tensor.Array {
	h := m.EmbedTokens.Forward(ids)
	offset := cache.Offset()
	n := ids.Dim(1)
	mode, mask := layerMask(cache.layer(0), n, offset, 0)
	at := decodeOffset(n, offset)
	for i, l := range m.Layers {
		h = replace(h, l.forward(h, mode, mask, cache.layer(i), offset, at))
	}
	h = replace(h, m.Norm.Forward(h))
	defer release(h, mask, at)
	if m.LMHead != nil {
		return m.LMHead.Forward(h)
	}
	return m.EmbedTokens.AsLinear(h)
}

// NewCache implements Model.
func (m *Llama) NewCache() *Cache { return newCache(make([]int, len(m.Layers))) }

// Config implements Model.
func (m *Llama) Config() *models.Config { return m.cfg }
