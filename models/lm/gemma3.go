package lm

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/fast"
	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Gemma3 is Gemma 3's text decoder (mlx-lm's gemma3_text.py; a multimodal
// gemma3 checkpoint uses it for its language_model): RMSNorm scaled by
// 1+w, norms before and after both attention and MLP, q/k norms, GELU
// (tanh) MLP, embeddings scaled by √hidden, and layers alternating
// sliding-window (local rope base) and global attention.
type Gemma3 struct {
	cfg         *models.Config
	EmbedTokens nn.Embedder
	Layers      []*gemmaBlock
	Norm        *gemmaNorm
	LMHead      nn.Layer // nil: tied
	embedScale  float64
	scale       *tensor.Array // embedScale in the embeddings' dtype, made at load
}

// gemmaNorm is RMSNorm with weight 1+w. Base records its frozen state
// (LoRA freezes every parameter but the adapters).
type gemmaNorm struct {
	nn.Base
	Weight *tensor.Array
	eps    float64
	// 1+Weight computed once at load (mlx-lm adds the one every call: two
	// primitives per norm and token); used while Weight is still the
	// array it came from (not after an update, nor on a tracer).
	plusOne, of *tensor.Array
}

func newGemmaNorm(w *tensor.Array, eps float64) *gemmaNorm {
	return &gemmaNorm{Weight: w, eps: eps, plusOne: tensor.Add(w, 1).Eval(), of: w}
}

func (n *gemmaNorm) Forward(x *tensor.Array) *tensor.Array {
	if n.of == n.Weight {
		return fast.RMSNorm(x, n.plusOne, n.eps)
	}
	return fast.RMSNorm(x, tensor.Add(n.Weight, 1), n.eps)
}

type gemmaAttention struct {
	QProj, KProj, VProj, OProj nn.Layer
	QNorm, KNorm               *gemmaNorm
	nHeads, nKVHeads           int
	scale                      float64
	window                     int // > 0: sliding-window layer
	rope                       *rope
}

// gemmaMLP is a sub-module, as in mlx-lm, so parameter and LoRA adapter
// paths read model.layers.<i>.mlp.gate_proj there and here.
type gemmaMLP struct {
	GateProj, UpProj, DownProj nn.Layer
}

type gemmaBlock struct {
	SelfAttn                                          *gemmaAttention
	MLP                                               *gemmaMLP
	InputLayernorm, PostAttentionLayernorm            *gemmaNorm
	PreFeedforwardLayernorm, PostFeedforwardLayernorm *gemmaNorm

	fusedQKV, fusedGateUp *fusedProjs // decoding's fused projections (fuse.go)
}

func newGemma3(c *models.Config, w *weights) *Gemma3 {
	p := "" // gemma3_text
	if c.ModelType == "gemma3" {
		p = "language_model."
	}
	norm := func(name string) *gemmaNorm { return newGemmaNorm(w.get(p+name), c.RMSNormEps) }
	// mlx-lm rounds √hidden to bfloat16 before scaling the embeddings.
	scale := tensor.AsType(tensor.FromFloat32s([]float32{float32(math.Sqrt(float64(c.HiddenSize)))}), tensor.Bfloat16)
	h := c.HiddenSize
	m := &Gemma3{cfg: c, EmbedTokens: w.embedding(p+"model.embed_tokens", h), Norm: norm("model.norm.weight"),
		embedScale: tensor.AsType(scale, tensor.Float32).Float()}
	m.scale = m.embedScaleAs(embeddingDtype(m.EmbedTokens)).Eval()
	for i := 0; i < c.NumLayers; i++ {
		l := fmt.Sprintf("model.layers.%d.", i)
		sliding := (i+1)%c.SlidingWindowPattern != 0
		att := &gemmaAttention{QProj: w.linear(p+l+"self_attn.q_proj", h), KProj: w.linear(p+l+"self_attn.k_proj", h),
			VProj: w.linear(p+l+"self_attn.v_proj", h), OProj: w.linear(p+l+"self_attn.o_proj", c.NumHeads*c.HeadDim),
			QNorm: norm(l + "self_attn.q_norm.weight"), KNorm: norm(l + "self_attn.k_norm.weight"),
			nHeads: c.NumHeads, nKVHeads: c.NumKVHeads, scale: 1 / math.Sqrt(c.QueryPreAttnScalar)}
		if sliding {
			att.window = c.SlidingWindow
			att.rope = newRope(c.HeadDim, c.RopeLocalBaseFreq, false, nil)
		} else {
			att.rope = newRope(c.HeadDim, c.RopeTheta, false, c.RopeScaling)
		}
		mlp := &gemmaMLP{GateProj: w.linear(p+l+"mlp.gate_proj", h), UpProj: w.linear(p+l+"mlp.up_proj", h),
			DownProj: w.linear(p+l+"mlp.down_proj", c.IntermediateSize)}
		m.Layers = append(m.Layers, &gemmaBlock{SelfAttn: att, MLP: mlp,
			InputLayernorm: norm(l + "input_layernorm.weight"), PostAttentionLayernorm: norm(l + "post_attention_layernorm.weight"),
			PreFeedforwardLayernorm:  norm(l + "pre_feedforward_layernorm.weight"),
			PostFeedforwardLayernorm: norm(l + "post_feedforward_layernorm.weight")})
	}
	if !c.TieWordEmbeddings {
		m.LMHead = w.linear(p+"lm_head", h)
	}
	return m
}

func (a *gemmaAttention) forward(x *tensor.Array, cache layerCache, offset int) *tensor.Array {
	o := merge(a.attention(x, cache, offset))
	defer o.Free()
	return a.OProj.Forward(o)
}

// attention is the attention output [B, heads, L, D] before the output
// projection.
func (a *gemmaAttention) attention(x *tensor.Array, cache layerCache, offset int) *tensor.Array {
	q := heads(a.QProj.Forward(x), a.nHeads)
	k := heads(a.KProj.Forward(x), a.nKVHeads)
	v := heads(a.VProj.Forward(x), a.nKVHeads)
	q, k = replace(q, a.QNorm.Forward(q)), replace(k, a.KNorm.Forward(k))
	q, k = replace(q, a.rope.apply(q, offset)), replace(k, a.rope.apply(k, offset))
	return a.attend(cache, q, k, v, x.Dim(1), offset)
}

// attend attends q to the cached keys and this step's, freeing q, k, v.
func (a *gemmaAttention) attend(cache layerCache, q, k, v *tensor.Array, n, offset int) *tensor.Array {
	mode, mask := layerMask(cache, n, offset, a.window)
	defer release(q, k, v, mask)
	return attend(cache, q, k, v, a.scale, mode, mask)
}

func (m *gemmaMLP) forward(x *tensor.Array) *tensor.Array {
	gate, up := m.GateProj.Forward(x), m.UpProj.Forward(x)
	y := geluGate(gate, up)
	defer release(gate, up, y)
	return m.DownProj.Forward(y)
}

// forward is the layer's output; a decode step (at is its offset, see
// decodeOffset) goes through the compiled blocks where it can.
func (b *gemmaBlock) forward(x *tensor.Array, cache layerCache, offset int, at *tensor.Array) *tensor.Array {
	a := b.SelfAttn
	if at != nil {
		var o *tensor.Array
		if q, k, v, ok := b.decodePre(x, at); ok {
			o = a.attend(cache, q, k, v, 1, offset)
		} else {
			n := b.InputLayernorm.Forward(x)
			o = a.attention(n, cache, offset)
			n.Free()
		}
		if y, ok := b.decodePost(o, x); ok {
			o.Free()
			return y
		}
		o = merge(o)
		defer o.Free()
		return b.finish(x, a.OProj.Forward(o))
	}
	n := b.InputLayernorm.Forward(x)
	r := a.forward(n, cache, offset)
	n.Free()
	return b.finish(x, r)
}

// finish is the layer's output from its input x and the attention's
// output r (after the output projection), freeing r.
func (b *gemmaBlock) finish(x, r *tensor.Array) *tensor.Array {
	p := b.PostAttentionLayernorm.Forward(r)
	h := tensor.Add(x, p)
	release(r, p)
	n := b.PreFeedforwardLayernorm.Forward(h)
	r = b.MLP.forward(n)
	p = b.PostFeedforwardLayernorm.Forward(r)
	defer release(n, r, p, h)
	return tensor.Add(h, p)
}

// Forward implements Model.
func (m *Gemma3) Forward(ids *tensor.Array, cache *Cache) *tensor.Array {
	h := m.EmbedTokens.Forward(ids)
	scale := m.scale
	if scale.Dtype() != h.Dtype() {
		scale = m.embedScaleAs(h.Dtype())
	}
	h = replace(h, tensor.Multiply(h, scale))
	offset := cache.Offset()
	at := decodeOffset(ids.Dim(1), offset)
	for i, l := range m.Layers {
		h = replace(h, l.forward(h, cache.layer(i), offset, at))
	}
	h = replace(h, m.Norm.Forward(h))
	defer release(h, at)
	if m.LMHead != nil {
		return m.LMHead.Forward(h)
	}
	return m.EmbedTokens.AsLinear(h)
}

func (m *Gemma3) embedScaleAs(d tensor.Dtype) *tensor.Array {
	return tensor.AsType(tensor.FromFloat32s([]float32{float32(m.embedScale)}), d)
}

// embeddingDtype is the dtype e's rows come out in.
// embeddingDtype is the dtype e's rows come out in (a guess for other
// Embedders: Forward converts the scale when it guessed wrong).
func embeddingDtype(e nn.Embedder) tensor.Dtype {
	switch e := e.(type) {
	case *nn.QuantizedEmbedding:
		return e.Scales.Dtype()
	case *nn.Embedding:
		return e.Weight.Dtype()
	}
	return tensor.Float32
}

// NewCache implements Model.
func (m *Gemma3) NewCache() *Cache {
	windows := make([]int, len(m.Layers))
	for i, l := range m.Layers {
		windows[i] = l.SelfAttn.window
	}
	return newCache(windows)
}

// Config implements Model.
func (m *Gemma3) Config() *models.Config { return m.cfg }
