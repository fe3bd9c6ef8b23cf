package lm

import (
	"sync"
	"sync/atomic"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Decoding one token builds every layer's graph op by op: about thirty
// calls from Go into MLX per layer, which on a fast GPU is most of what a
// token of a small model costs the host. The parts of a layer whose input
// shapes stay the same from token to token (all but the cache update and
// attention, whose key length grows) are compiled instead, and cost one
// call each: MLX records the ops once and replays them in C++.
//
// A compiled block takes the layer's arrays as inputs rather than closing
// over them: one trace then serves every layer with the same kinds of
// projections (the cache key is shapes and dtypes), and a weight replaced
// later (an optimizer step, a load) is the one used. What the block does
// with them (quantization settings, norm epsilons, head counts) is its key:
// blocks with different keys are compiled apart. Layers of other kinds
// (LoRA adapters, say) keep the op-by-op path.
//
// Compilation fuses chains of elementwise ops into one kernel; each op
// keeps its dtype in the fused kernel, so the results are the plain ops'
// bits (TestDecodeBlocksMatchOps checks every dtype bit for bit; on a GPU,
// where norms and RoPE are single primitives, the only chains left are
// residual adds and the gates compiled before). RoPE takes the position as
// a 0-d int32 array, which is what MLX makes of an int offset: one array
// per token for all layers, where the op path makes one per call.

// useBlocks turns the compiled blocks off, for tests comparing them with
// the op-by-op path.
var useBlocks = true

// blockTraces and blockCalls count the traces and calls of compiled
// blocks, for tests: decoding must use them, and not retrace each token.
var blockTraces, blockCalls atomic.Int64

// projKey is what a compiled block needs to know of a projection besides
// its arrays.
type projKey struct {
	quantized, bias, biases bool
	group, bits             int
	mode                    string
}

// affine reports whether k is a quantized projection the fused ops take:
// affine, with biases and no bias added after.
func (k projKey) affine() bool {
	return k.quantized && k.biases && !k.bias && (k.mode == "" || k.mode == "affine") && k.group > 0 && k.bits > 0
}

// projArgs appends l's arrays to args, or reports false for a layer kind
// that blocks do not handle.
func projArgs(l nn.Layer, args []*tensor.Array) (projKey, []*tensor.Array, bool) {
	switch l := l.(type) {
	case *nn.Linear:
		args = append(args, l.WeightT())
		if l.Bias != nil {
			args = append(args, l.Bias)
		}
		return projKey{bias: l.Bias != nil}, args, true
	case *nn.QuantizedLinear:
		k := projKey{quantized: true, bias: l.Bias != nil, biases: l.Biases != nil, group: l.GroupSize, bits: l.Bits, mode: l.Mode}
		args = append(args, l.Weight, l.Scales)
		if l.Biases != nil {
			args = append(args, l.Biases)
		}
		if l.Bias != nil {
			args = append(args, l.Bias)
		}
		return k, args, true
	}
	return projKey{}, args, false
}

// projsArgs is projArgs for several projections in order: keys[i] is set
// for layers[i]; ok is false unless blocks handle them all.
func projsArgs(args []*tensor.Array, keys []*projKey, layers ...nn.Layer) (_ []*tensor.Array, ok bool) {
	ok = true
	for i, l := range layers {
		var handled bool
		*keys[i], args, handled = projArgs(l, args)
		ok = ok && handled
	}
	return args, ok
}

// apply is the projection of x with the arrays at the front of a (as
// projArgs put them), computed as the layer's Forward computes it; it
// returns the rest of a.
func (k projKey) apply(x *tensor.Array, a []*tensor.Array) (*tensor.Array, []*tensor.Array) {
	if k.quantized {
		q := &nn.QuantizedLinear{Weight: a[0], Scales: a[1], GroupSize: k.group, Bits: k.bits, Mode: k.mode}
		a = a[2:]
		if k.biases {
			q.Biases, a = a[0], a[1:]
		}
		if k.bias {
			q.Bias, a = a[0], a[1:]
		}
		return q.Forward(x), a
	}
	if k.bias { // nn.Linear.Forward
		return tensor.Addmm(a[1], x, a[0]), a[2:]
	}
	return tensor.Matmul(x, a[0]), a[1:]
}

// blocks is compiled blocks by key. They hold no model's arrays, so they
// are shared by every model (a second model of the same shapes is not
// traced again) and kept for good: there are as few as the kinds of
// layers loaded, and releasing one would have to wait for the compile
// thread.
type blocks[K comparable] struct {
	mu sync.Mutex
	m  map[K]tensor.Func
}

// get is the block for k, compiled by build the first time.
func (b *blocks[K]) get(k K, build func(K) tensor.Func) tensor.Func {
	blockCalls.Add(1)
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.m[k]
	if f == nil {
		if b.m == nil {
			b.m = map[K]tensor.Func{}
		}
		f = build(k)
		b.m[k] = f
	}
	return f
}

// compileBlock compiles f for fixed shapes (decode's), counting traces.
func compileBlock(f tensor.Func) tensor.Func {
	return tensor.Compile(func(in []*tensor.Array) []*tensor.Array {
		blockTraces.Add(1)
		return f(in)
	}, false)
}

// decodeOffset is the position of a decode step as a 0-d int32 array (what
// MLX makes of an int offset) for the compiled blocks' RoPE, or nil when
// the step should not use them: only single-token steps have fixed shapes,
// and off the compile thread each compiled call would be a hand-off.
func decodeOffset(n, offset int) *tensor.Array {
	if n != 1 || !useBlocks || !tensor.OnCompileThread() {
		return nil
	}
	collectFused()
	return tensor.Scalar(int32(offset))
}

// headsOf is heads without freeing x (a traced function must not free its
// arrays). The blocks see one position (L = 1), where [B, 1, H, D] and
// [B, H, 1, D] are the same memory: one Reshape, a view, where heads'
// Reshape and Transpose are two primitives (MLX encodes each, per layer
// per token: what decoding small models on a GPU waits on).
func headsOf(x *tensor.Array, n int) *tensor.Array {
	s := x.Shape()
	if s[1] == 1 {
		return tensor.Reshape(x, []int{s[0], n, 1, -1})
	}
	return tensor.Transpose(tensor.Reshape(x, []int{s[0], s[1], n, -1}), tensor.Axes(0, 2, 1, 3))
}

// mergeOf is merge without freeing x; at one position (see headsOf) a
// Reshape alone.
func mergeOf(x *tensor.Array) *tensor.Array {
	s := x.Shape()
	if s[2] == 1 {
		return tensor.Reshape(x, []int{s[0], 1, -1})
	}
	return tensor.Reshape(tensor.Transpose(x, tensor.Axes(0, 2, 1, 3)), []int{s[0], s[2], -1})
}
