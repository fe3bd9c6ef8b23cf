package tensor

import (
	"runtime"
	"slices"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// SetIndex does Python's a[spec] = value: the elements a[spec] selects take
// value (a Go number, a nested Go slice, or an *Array), converted to a's
// dtype and broadcast to the shape of a[spec] (leading 1s of value's shape
// dropped first), and a itself is changed to the result, as MLX Python
// replaces the array's contents in place. Other Arrays made from a earlier
// (a.Clone(), results of ops on a) keep the old values, as in MLX. Plain
// indices use MLX's slice_update; index arrays use scatter (where an index
// repeats, which of its values lands is unspecified, as in MLX).
//
// The broadcast rule is NumPy's, which MLX means to follow: Python MLX
// 0.32 refuses some values NumPy accepts (a[:, None, 1] = ones((2, 4))) and
// misplaces values when index arrays are separated by None; Go does what
// NumPy does and what Index(spec) selects.
func (a *Array) SetIndex(spec string, value any) {
	const op = "set_index"
	p := planIndex(op, spec, a)
	var temps []*Array
	defer func() { freeTemps(temps) }()
	keep := func(x *Array) *Array { temps = append(temps, x); return x }

	v, target := p.prepareValue(a, value, keep)
	if size(target) == 0 {
		return // selects nothing: a stays as it is (MLX's scatter would fail)
	}
	var out *Array
	if p.advanced {
		indices, upd, axes := p.scatterArgs(a, v, target, keep)
		out = Scatter(a, indices, upd, axes)
	} else {
		out = p.sliceUpdate(a, v, target)
	}
	a.replaceWith(out)
}

// prepareValue converts value to a's dtype and broadcasts it to the shape
// of a[spec] (target), after dropping its leading 1s (NumPy's rule).
func (p *indexPlan) prepareValue(a *Array, value any, keep func(*Array) *Array) (v *Array, target []int) {
	v, vt := asArray(p.op, value, a)
	if vt != nil {
		keep(vt)
	}
	if d := a.Dtype(); v.Dtype() != d {
		v = keep(AsType(v, d))
	}
	if p.advanced {
		target = keep(p.gather(a)).Shape()
	} else {
		target = p.basicShape()
	}
	vs := v.Shape()
	lead := 0
	for lead < len(vs) && vs[lead] == 1 {
		lead++
	}
	if lead > 0 {
		v = keep(Reshape(v, vs[lead:]))
	}
	if !broadcastable(v.Shape(), target) {
		p.fail(a, "cannot assign a value of shape %v to a[%s], which has shape %v", vs, p.spec, target)
	}
	if size(target) > 0 && !slices.Equal(v.Shape(), target) {
		v = keep(BroadcastTo(v, target))
	}
	return v, target
}

// broadcastable reports whether shape s broadcasts to shape to.
func broadcastable(s, to []int) bool {
	if len(s) > len(to) {
		return false
	}
	off := len(to) - len(s)
	for i, d := range s {
		if d != 1 && d != to[off+i] {
			return false
		}
	}
	return true
}

// sliceUpdate writes v (shaped like a[spec]) through one strided slice.
func (p *indexPlan) sliceUpdate(a, v *Array, target []int) *Array {
	// The slice keeps integer-indexed axes (size 1) and has no newaxis ones.
	var shape []int
	t := 0
	for _, it := range p.items {
		switch it.kind {
		case itemNewAxis:
			t++
		case itemInt:
			shape = append(shape, 1)
		case itemSlice:
			shape = append(shape, target[t])
			t++
		}
	}
	upd := Reshape(v, shape)
	defer upd.Free()
	start, stop, strides := p.sliceArgs()
	return SliceUpdate(a, upd, start, stop, strides)
}

// scatterArgs are the arguments of MLX's scatter ops that write v (shaped
// like a[spec]) at a[spec]: every indexed axis gets an int32 index array
// laid out in the result's dimensions (the index arrays' broadcast
// dimensions, and one dimension per slice, holding the positions the slice
// selects); whole slices at the end stay whole. A 0-d a has no indexed axes
// (indices is empty; upd is v shaped like a).
func (p *indexPlan) scatterArgs(a, v *Array, target []int, keep func(*Array) *Array) (indices []*Array, upd *Array, axes []int) {
	idx, _, bshape := p.indexArrays(a)
	for _, ix := range idx {
		keep(ix)
	}
	nb := len(bshape)
	adjacent := p.advancedAdjacent()

	// Axes (items without newaxis) and how many whole slices end the index.
	var axisItems []indexItem
	lastAdv := -1
	for _, it := range p.items {
		if it.kind == itemNewAxis {
			continue
		}
		if it.advanced() {
			lastAdv = len(axisItems)
		}
		axisItems = append(axisItems, it)
	}
	k := len(axisItems)
	for k > 0 && k-1 > lastAdv && axisItems[k-1].isFullSlice() {
		k--
	}
	slicesIndexed := 0
	for _, it := range axisItems[:k] {
		if it.kind == itemSlice {
			slicesIndexed++
		}
	}
	rank := nb + slicesIndexed

	// Dimension of the index arrays' block and of each slice in the layout.
	bpos := 0
	if adjacent {
		for _, it := range axisItems {
			if it.advanced() {
				break
			}
			bpos++
		}
	}
	next, sliceNum := 0, 0
	for ax, it := range axisItems[:k] {
		shape := make([]int, rank)
		for i := range shape {
			shape[i] = 1
		}
		var ix *Array
		if it.advanced() {
			copy(shape[bpos:], bshape)
			ix = idx[next]
			next++
			if !slices.Equal(ix.Shape(), bshape) {
				ix = keep(BroadcastTo(ix, bshape))
			}
		} else {
			n := p.shape[ax]
			s, e, st := sliceBounds(it, n)
			ix = keep(Slice(keep(Arange(0, float64(n), Int32)), []int{s}, []int{e}, []int{st}))
			dim := sliceNum
			if !adjacent || sliceNum >= bpos {
				dim += nb
			}
			shape[dim] = ix.Shape()[0]
			sliceNum++
		}
		ix = keep(Reshape(ix, shape))
		indices = append(indices, ix)
	}
	// Every index array gets the full layout shape.
	layout := p.withoutNewAxes(target, nb)[:rank]
	for i, ix := range indices {
		if !slices.Equal(ix.Shape(), layout) {
			indices[i] = keep(BroadcastTo(ix, layout))
		}
	}
	upShape := slices.Concat(layout, ones(k), p.shape[k:])
	return indices, keep(Reshape(v, upShape)), identityPerm(k)
}

// withoutNewAxes drops the dimensions newaxis items added to the shape of
// a[spec].
func (p *indexPlan) withoutNewAxes(target []int, bshapeLen int) []int {
	adjacent := p.advancedAdjacent()
	var out []int
	t := 0
	if !adjacent {
		out = append(out, target[:bshapeLen]...)
		t = bshapeLen
	}
	placed := false
	for _, it := range p.items {
		switch {
		case it.kind == itemNewAxis:
			t++
		case it.advanced():
			if adjacent && !placed {
				out = append(out, target[t:t+bshapeLen]...)
				t += bshapeLen
				placed = true
			}
		default:
			out = append(out, target[t])
			t++
		}
	}
	return out
}

func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func ones(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// replaceWith makes a refer to b's array and retires b, the Go form of
// MLX's overwrite_descriptor. It mirrors newArray and Free (array.go): the
// cleanup moves to the new handle and the old handle is released now.
func (a *Array) replaceWith(b *Array) {
	old := a.h
	a.cleanup.Stop()
	b.cleanup.Stop()
	a.h, b.h = b.h, cgo.Nil
	a.dtype.Store(0) // the cached dtype and id are recomputed from the new array
	a.id.Store(0)
	a.cleanup = runtime.AddCleanup(a, collected, a.h)
	releaseHandle(old)
}
