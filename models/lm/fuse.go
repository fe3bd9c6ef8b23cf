package lm

import (
	"runtime"
	"sync/atomic"

	"github.com/mlx-go/mlx-go/nn"
	"github.com/mlx-go/mlx-go/tensor"
)

// Decoding reads every weight once per token, and projections of the same
// input (q, k and v; gate and up) can be read as one matrix: concatenated
// along their outputs, they are one product per token instead of three or
// two. On a GPU that is fewer kernel launches, and one larger product
// streams nearer the card's bandwidth than several small ones (for 4-bit
// weights, tensor/cgo/gpu_qmv.cpp: Llama-8B's q/k/v 14.2 MB in one
// kernel vs three). Each row of a product is computed the same way
// whatever the other rows are, so the fused product gives the separate
// ones' bits (TestDecodeBlocksMatchOps).
//
// The fused arrays are made once, on the first decoded token, and the
// layers' own arrays become row views of them, so memory does not grow:
// the layers still work (and train, save, print) as before. Fusing again
// happens only if a layer's array is replaced (a load, an optimizer step).
// Only quantized projections are fused: dense ones on a GPU go to cuBLAS,
// whose choice of algorithm depends on the output width.

// fusedProjs is projections of one input fused along their outputs.
type fusedProjs struct {
	views  []*tensor.Array // the layers' arrays as fusing left them: row views of arrays
	key    projKey         // the fused projection's settings
	arrays []*tensor.Array // weight, scales, then biases and bias where present
	sizes  []int           // each projection's output size, in order
}

// quantizedParts is l's arrays in fused order, or nil if l is not a
// quantized projection.
func quantizedParts(l nn.Layer) []**tensor.Array {
	q, ok := l.(*nn.QuantizedLinear)
	if !ok {
		return nil
	}
	parts := []**tensor.Array{&q.Weight, &q.Scales}
	if q.Biases != nil {
		parts = append(parts, &q.Biases)
	}
	if q.Bias != nil {
		parts = append(parts, &q.Bias)
	}
	return parts
}

// fuse returns the fusion of layers, reusing *cache while the layers'
// arrays are the views it made; nil when the layers cannot be fused (not
// all quantized alike). Decoding calls it twice a layer a token, so the
// check is pointer comparisons only.
func fuse(cache **fusedProjs, layers ...nn.Layer) *fusedProjs {
	if f := *cache; f != nil && f.current(layers) {
		return f
	}
	var key projKey
	parts := make([][]**tensor.Array, len(layers))
	for i, l := range layers {
		k, _, ok := projArgs(l, nil)
		parts[i] = quantizedParts(l)
		if !ok || parts[i] == nil || (i > 0 && k != key) {
			return nil
		}
		key = k
	}
	f := &fusedProjs{key: key}
	for j := range parts[0] {
		var pieces []*tensor.Array
		for i := range layers {
			pieces = append(pieces, *parts[i][j])
		}
		f.arrays = append(f.arrays, tensor.Concatenate(pieces, tensor.Axis(0)).Eval())
	}
	// Each layer's rows of each fused array, as views of its buffer.
	for i := range layers {
		f.sizes = append(f.sizes, (*parts[i][0]).Shape()[0])
	}
	views := make([][]*tensor.Array, len(f.arrays))
	for j, a := range f.arrays {
		views[j] = tensor.SplitAt(a, splitPoints(f.sizes), tensor.Axis(0))
		tensor.Eval(views[j]...)
	}
	for i := range layers {
		for j, p := range parts[i] {
			*p = views[j][i]
			f.views = append(f.views, *p)
		}
	}
	*cache = f
	fusedSinceGC.Store(true)
	return f
}

// current reports whether layers still hold f's views, with f's settings.
func (f *fusedProjs) current(layers []nn.Layer) bool {
	i := 0
	for _, l := range layers {
		q, ok := l.(*nn.QuantizedLinear)
		if !ok || q.GroupSize != f.key.group || q.Bits != f.key.bits || q.Mode != f.key.mode {
			return false
		}
		for _, a := range [...]*tensor.Array{q.Weight, q.Scales, q.Biases, q.Bias} {
			if a == nil {
				continue
			}
			if i == len(f.views) || f.views[i] != a {
				return false
			}
			i++
		}
	}
	return i == len(f.views)
}

// fusedSinceGC is set when a fusion left the layers' former arrays as
// garbage: their device memory goes back when Go collects them, which a
// 4 GB model should not wait for. The next decode step collects once
// (collectFused), not every layer's fusion.
var fusedSinceGC atomic.Bool

func collectFused() {
	if fusedSinceGC.Swap(false) {
		runtime.GC()
	}
}

// groupKey is what a compiled block needs to know of projections of one
// input: fused (sizes set) or each its own.
type groupKey struct {
	fused projKey
	sizes [3]int
	parts [3]projKey
	n     int
}

// groupArgs appends the arrays of layers, projections of one input, to
// args: the fusion's when they fuse, else each layer's; ok as projsArgs.
func groupArgs(args []*tensor.Array, cache **fusedProjs, layers ...nn.Layer) (groupKey, []*tensor.Array, bool) {
	g := groupKey{n: len(layers)}
	if f := fuse(cache, layers...); f != nil {
		g.fused = f.key
		copy(g.sizes[:], f.sizes)
		return g, append(args, f.arrays...), true
	}
	keys := []*projKey{&g.parts[0], &g.parts[1], &g.parts[2]}[:len(layers)]
	args, ok := projsArgs(args, keys, layers...)
	return g, args, ok
}

// postArgs appends the arrays of a layer's output projection o and of its
// MLP (gate and up fused where they can be, then down), setting their keys.
func postArgs(args []*tensor.Array, oKey *projKey, gateUp *groupKey, downKey *projKey, cache **fusedProjs,
	o, gate, up, down nn.Layer) ([]*tensor.Array, bool) {
	args, okO := projsArgs(args, []*projKey{oKey}, o)
	var okGateUp, okDown bool
	*gateUp, args, okGateUp = groupArgs(args, cache, gate, up)
	args, okDown = projsArgs(args, []*projKey{downKey}, down)
	return args, okO && okGateUp && okDown
}

// apply is each projection of x, from the arrays at the front of a (as
// groupArgs put them); it returns the rest of a.
func (g groupKey) apply(x *tensor.Array, a []*tensor.Array) ([]*tensor.Array, []*tensor.Array) {
	out := make([]*tensor.Array, g.n)
	if !g.isFused() {
		for i := range out {
			out[i], a = g.parts[i].apply(x, a)
		}
		return out, a
	}
	y, a := g.fused.apply(x, a)
	// One Split primitive for all the parts (three Slices would be three).
	copy(out, tensor.SplitAt(y, splitPoints(g.sizes[:g.n]), tensor.Axis(-1)))
	return out, a
}

// isFused reports whether the projections are one fused product.
func (g groupKey) isFused() bool { return g.sizes[0] != 0 }

// applyHeads is apply for attention's projections of one position, each
// output in heads layout [B, heads, 1, D] (headsOf); heads is each
// output's number of heads. A fused product is reshaped once and split
// along its heads (a view and one Split, where a Split and a Reshape per
// part are one primitive more each), and then adjacent projections may
// stay one output: heads (Hq+Hkv, Hkv) gives q and k together, for one
// RoPE. Unfused, heads has one count per projection.
func (g groupKey) applyHeads(x *tensor.Array, a []*tensor.Array, heads ...int) ([]*tensor.Array, []*tensor.Array) {
	if !g.isFused() {
		out, a := g.apply(x, a)
		for i := range out {
			out[i] = headsOf(out[i], heads[i])
		}
		return out, a
	}
	y, a := g.fused.apply(x, a)
	total := 0
	for _, h := range heads {
		total += h
	}
	s := y.Shape()
	y = tensor.Reshape(y, []int{s[0], total, 1, -1})
	if len(heads) == 1 {
		return []*tensor.Array{y}, a
	}
	return tensor.SplitAt(y, splitPoints(heads), tensor.Axis(1)), a
}

// residualProduct is res + the projection of x, as the op after a
// layer's output projection computes it: where k is quantized (affine,
// with biases) one op that on a GPU is one kernel, the add applied as the
// product is written (tensor.FastQuantizedMatmulAdd); decoding a small
// model waits on kernel launches, about 7 us of MLX's host time each.
func residualProduct(k projKey, x, res *tensor.Array, a []*tensor.Array) (*tensor.Array, []*tensor.Array) {
	if k.affine() {
		return tensor.FastQuantizedMatmulAdd(x, a[0], a[1], a[2], res, k.group, k.bits), a[3:]
	}
	y, a := k.apply(x, a)
	return tensor.Add(res, y), a
}

// swiGLU is silu(gate) * up of x's projections gate and up (g, in that
// order), nn.SiLU(gate) * up as the separate ops compute it: where they
// are fused and quantized (affine, with biases), one op that on a GPU is
// one kernel (tensor.FastQuantizedMatmulSwiGLU), where the separate ops
// are a product, a Split and the gate's kernel.
func swiGLU(g groupKey, x *tensor.Array, a []*tensor.Array) (*tensor.Array, []*tensor.Array) {
	if g.isFused() && g.fused.affine() && g.n == 2 && g.sizes[0] == g.sizes[1] {
		return tensor.FastQuantizedMatmulSwiGLU(x, a[0], a[1], a[2], g.fused.group, g.fused.bits), a[3:]
	}
	gateUp, a := g.apply(x, a)
	return tensor.Multiply(nn.SiLU(gateUp[0]), gateUp[1]), a
}

// splitPoints is where parts of these sizes start, after the first.
func splitPoints(sizes []int) []int {
	at := make([]int, len(sizes)-1)
	for i := range at {
		at[i] = sizes[i]
		if i > 0 {
			at[i] += at[i-1]
		}
	}
	return at
}
