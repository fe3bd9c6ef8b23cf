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
}

// gemmaNorm is RMSNorm with weight 1+w.
type gemmaNorm struct {
	Weight *tensor.Array
	eps    float64
}

func (n *gemmaNorm) Forward(x *tensor.Array) *tensor.Array {
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

type gemmaBlock struct {
	SelfAttn                                     *gemmaAttention
	GateProj, UpProj, DownProj                   nn.Layer
	InputLayernorm, PostAttentionLayernorm       *gemmaNorm
	PreFeedforwardLayernorm, PostFeedforwardNorm *gemmaNorm
}

func newGemma3(c *models.Config, w *weights) *Gemma3 {
	p := "" // gemma3_text
	if c.ModelType == "gemma3" {
		p = "language_model."
	}
	norm := func(name string) *gemmaNorm { return &gemmaNorm{Weight: w.get(p + name), eps: c.RMSNormEps} }
	// mlx-lm rounds √hidden to bfloat16 before scaling the embeddings.
	scale := tensor.AsType(tensor.FromFloat32s([]float32{float32(math.Sqrt(float64(c.HiddenSize)))}), tensor.Bfloat16)
	h := c.HiddenSize
	m := &Gemma3{cfg: c, EmbedTokens: w.embedding(p+"model.embed_tokens", h), Norm: norm("model.norm.weight"),
		embedScale: tensor.AsType(scale, tensor.Float32).Float()}
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
		m.Layers = append(m.Layers, &gemmaBlock{SelfAttn: att,
			GateProj: w.linear(p+l+"mlp.gate_proj", h), UpProj: w.linear(p+l+"mlp.up_proj", h),
			DownProj:       w.linear(p+l+"mlp.down_proj", c.IntermediateSize),
			InputLayernorm: norm(l + "input_layernorm.weight"), PostAttentionLayernorm: norm(l + "post_attention_layernorm.weight"),
			PreFeedforwardLayernorm: norm(l + "pre_feedforward_layernorm.weight"),
			PostFeedforwardNorm:     norm(l + "post_feedforward_layernorm.weight")})
	}
	if !c.TieWordEmbeddings {
		m.LMHead = w.linear(p+"lm_head", h)
	}
	return m
}

func (a *gemmaAttention) forward(x *tensor.Array, cache layerCache, offset int) *tensor.Array {
	q := a.QNorm.Forward(heads(a.QProj.Forward(x), a.nHeads))
	k := a.KNorm.Forward(heads(a.KProj.Forward(x), a.nKVHeads))
	v := heads(a.VProj.Forward(x), a.nKVHeads)
	q, k = a.rope.apply(q, offset), a.rope.apply(k, offset)
	mode, mask := layerMask(cache, x.Dim(1), offset, a.window)
	return a.OProj.Forward(merge(attend(cache, q, k, v, a.scale, mode, mask)))
}

func (b *gemmaBlock) forward(x *tensor.Array, cache layerCache, offset int) *tensor.Array {
	r := b.SelfAttn.forward(b.InputLayernorm.Forward(x), cache, offset)
	h := tensor.Add(x, b.PostAttentionLayernorm.Forward(r))
	y := b.PreFeedforwardLayernorm.Forward(h)
	r = b.DownProj.Forward(tensor.Multiply(nn.GELUApprox(b.GateProj.Forward(y)), b.UpProj.Forward(y)))
	return tensor.Add(h, b.PostFeedforwardNorm.Forward(r))
}

// Forward implements Model.
func (m *Gemma3) Forward(ids *tensor.Array, cache *Cache) *tensor.Array {
	h := m.EmbedTokens.Forward(ids)
	h = tensor.Multiply(h, tensor.AsType(tensor.FromFloat32s([]float32{float32(m.embedScale)}), h.Dtype()))
	offset := cache.Offset()
	for i, l := range m.Layers {
		h = l.forward(h, cache.layer(i), offset)
	}
	h = m.Norm.Forward(h)
	if m.LMHead != nil {
		return m.LMHead.Forward(h)
	}
	return m.EmbedTokens.AsLinear(h)
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
