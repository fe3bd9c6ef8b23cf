package tensor

import (
	"fmt"
	"slices"
	"strings"
)

// Indexing with Python's meaning of a[...]. Index takes the text between
// the brackets ("1:3, ::2, None, ...", "..., 0", "[0, 2], 1:"); Get, Slice
// and Take (an *Array of indices along one axis: a.Take(idx, Axis(1)) is
// a[:, idx]) are the forms for Go values. SetIndex is a[...] = v, and At is
// Python's a.at[...] (updates that add up over repeated indices). Results
// are what Python MLX gives for the same index (index_test.go checks
// hundreds against it), with deliberate differences where MLX misbehaves:
//   - an integer outside its axis is an *Error naming the axis, its size
//     and the index (MLX reads out of bounds);
//   - a zero slice step is an error (MLX divides by it and dies);
//   - an empty list "[]" is an empty index array, as in NumPy (MLX makes it
//     float and fails);
//   - SetIndex and At follow NumPy where MLX's assignment disagrees with its
//     own a[spec] (see SetIndex).

// Index returns a[spec] as Python MLX computes it. Integers drop their axis,
// slices keep it (negative steps and out-of-range bounds behave as in
// Python), None/newaxis inserts an axis of size 1, one ... stands for the
// axes not named, and a list of integers ("[0, 2]", "[[0], [1]]") is an
// index array with numpy's rules for combining several. A bad spec panics
// with an *Error giving the position in the spec.
func (a *Array) Index(spec string) *Array {
	const op = "index"
	p := planIndex(op, spec, a)
	if p.advanced {
		return p.gather(a)
	}
	return p.slice(a)
}

// Get returns a[indices...]: one integer per leading axis (negative counts
// from the end), each dropping its axis; all of them give a 0-d array.
func (a *Array) Get(indices ...int) *Array {
	items := make([]indexItem, len(indices))
	for i, n := range indices {
		items[i] = indexItem{kind: itemInt, n: n, pos: -1}
	}
	p := newIndexPlan("get", fmt.Sprint(indices), a, items)
	return p.slice(a)
}

// Slice returns a[start:stop:step] along axis (negative counts from the
// end), the other axes whole: Python's slice rules, so bounds past either
// end are clamped and a negative step walks backwards. math.MaxInt and
// math.MinInt stand for an open end: a.Slice(0, math.MaxInt, math.MinInt, -1)
// is a[::-1].
func (a *Array) Slice(axis, start, stop, step int) *Array {
	const op = "slice"
	a.handle(op)
	shape := a.Shape()
	ax := axis
	if ax < 0 {
		ax += len(shape)
	}
	if ax < 0 || ax >= len(shape) {
		panic(&Error{Op: op, Inputs: []string{describe(a)},
			Msg: fmt.Sprintf("axis %d is out of bounds for array of dimension %d", axis, len(shape))})
	}
	if step == 0 {
		panic(&Error{Op: op, Inputs: []string{describe(a)}, Msg: "slice step cannot be zero"})
	}
	items := make([]indexItem, ax+1)
	for i := range ax {
		items[i] = indexItem{kind: itemSlice}
	}
	items[ax] = indexItem{kind: itemSlice, start: bound{start, true}, stop: bound{stop, true}, step: bound{step, true}}
	return newIndexPlan(op, fmt.Sprintf("axis %d, %d:%d:%d", axis, start, stop, step), a, items).slice(a)
}

// indexPlan is a spec resolved against an array's shape: the ellipsis
// expanded so each axis of the array has exactly one item (newaxis items
// come in between), integers and list entries made non-negative.
type indexPlan struct {
	op, spec string
	items    []indexItem
	shape    []int
	advanced bool // a list is present: numpy's "advanced" indexing
}

func (p *indexPlan) fail(a *Array, format string, args ...any) {
	panic(&Error{Op: p.op, Inputs: []string{describe(a)}, Msg: fmt.Sprintf(format, args...)})
}

func planIndex(op, spec string, a *Array) *indexPlan {
	a.handle(op)
	items, err := parseIndexSpec(spec)
	if err != nil {
		panic(&Error{Op: op, Inputs: []string{describe(a)}, Msg: err.Error()})
	}
	return newIndexPlan(op, spec, a, items)
}

func newIndexPlan(op, spec string, a *Array, items []indexItem) *indexPlan {
	a.handle(op) // a nil or freed array fails here, under op's name
	p := &indexPlan{op: op, spec: spec, shape: a.Shape()}
	ndim := len(p.shape)
	named, ellipsis := 0, -1
	for i, it := range items {
		switch it.kind {
		case itemEllipsis:
			if ellipsis >= 0 {
				p.fail(a, "bad index %q at position %d: an index can only have a single ellipsis (...)", spec, it.pos)
			}
			ellipsis = i
		case itemNewAxis:
		default:
			named++
		}
	}
	if named > ndim {
		p.fail(a, "too many indices for array: array is %d-dimensional, but %d were indexed (index %q)", ndim, named, spec)
	}
	fill := make([]indexItem, ndim-named)
	for i := range fill {
		fill[i] = indexItem{kind: itemSlice, pos: -1}
	}
	if ellipsis >= 0 {
		p.items = slices.Concat(items[:ellipsis], fill, items[ellipsis+1:])
	} else {
		p.items = slices.Concat(items, fill)
	}
	axis := 0
	for i := range p.items {
		it := &p.items[i]
		switch it.kind {
		case itemNewAxis:
			continue
		case itemInt:
			it.n = p.checkIndex(a, it.n, axis)
		case itemList:
			it.values = slices.Clone(it.values)
			for j, v := range it.values {
				it.values[j] = p.checkIndex(a, v, axis)
			}
			p.advanced = true
		}
		axis++
	}
	return p
}

// checkIndex makes an integer index on axis non-negative, or fails naming
// the axis, its size and the index.
func (p *indexPlan) checkIndex(a *Array, n, axis int) int {
	size := p.shape[axis]
	if n < -size || n >= size {
		p.fail(a, "index %d is out of bounds for axis %d with size %d (index %q)", n, axis, size, p.spec)
	}
	if n < 0 {
		n += size
	}
	return n
}

// sliceBounds are the start, stop and step MLX's slice gets for a Python
// slice on an axis of size n: Python MLX's defaults, with bounds clamped to
// [-n-1, n] (which keeps Python's meaning and fits MLX's 32-bit ints).
func sliceBounds(it indexItem, n int) (start, stop, step int) {
	step = 1
	if it.step.ok {
		step = it.step.v
	}
	start, stop = 0, n
	if step < 0 {
		start, stop = n-1, -n-1
	}
	if it.start.ok {
		start = it.start.v
	}
	if it.stop.ok {
		stop = it.stop.v
	}
	return min(max(start, -n-1), n), min(max(stop, -n-1), n), step
}

// slice applies a plan without lists: one strided slice of a, then a
// reshape that drops integer-indexed axes and adds newaxis ones.
func (p *indexPlan) slice(a *Array) *Array {
	start, stop, strides := p.sliceArgs()
	sliced := Slice(a, start, stop, strides)
	out := p.basicShape()
	if len(out) == len(p.shape) && !slices.ContainsFunc(p.items, func(it indexItem) bool { return it.kind != itemSlice }) {
		return sliced // only slices: the shape is already out
	}
	defer sliced.Free()
	return Reshape(sliced, out)
}

// basicShape is the shape of a[spec] for a plan without lists: slices keep
// their (sliced) axis, integers drop theirs, newaxis items add a 1.
func (p *indexPlan) basicShape() []int {
	out := []int{}
	axis := 0
	for _, it := range p.items {
		switch it.kind {
		case itemNewAxis:
			out = append(out, 1)
			continue
		case itemSlice:
			start, stop, step := sliceBounds(it, p.shape[axis])
			out = append(out, sliceLen(start, stop, step, p.shape[axis]))
		}
		axis++
	}
	return out
}

// sliceLen is how many elements start:stop:step selects on an axis of size
// n: Python's slice.indices, which MLX's slice follows (index_test.go
// compares every shape with Python MLX's).
func sliceLen(start, stop, step, n int) int {
	norm := func(i, lo, hi int) int {
		if i < 0 {
			i += n
		}
		return min(max(i, lo), hi)
	}
	if step > 0 {
		start, stop = norm(start, 0, n), norm(stop, 0, n)
		if stop <= start {
			return 0
		}
		return (stop - start + step - 1) / step
	}
	start, stop = norm(start, -1, n-1), norm(stop, -1, n-1)
	if start <= stop {
		return 0
	}
	return (start - stop - step - 1) / -step
}

// sliceArgs are the start, stop and strides of MLX's slice for a plan
// without lists (an integer n is the slice n:n+1).
func (p *indexPlan) sliceArgs() (start, stop, strides []int) {
	ndim := len(p.shape)
	start, stop, strides = make([]int, ndim), make([]int, ndim), make([]int, ndim)
	axis := 0
	for _, it := range p.items {
		switch it.kind {
		case itemInt:
			start[axis], stop[axis], strides[axis] = it.n, it.n+1, 1
		case itemSlice:
			start[axis], stop[axis], strides[axis] = sliceBounds(it, p.shape[axis])
		default:
			continue
		}
		axis++
	}
	return start, stop, strides
}

// broadcastShapes is numpy's broadcast of the index arrays' shapes.
func (p *indexPlan) broadcastShapes(a *Array, shapes [][]int) []int {
	rank := 0
	for _, s := range shapes {
		rank = max(rank, len(s))
	}
	out := make([]int, rank)
	for i := range out {
		out[i] = 1
	}
	for _, s := range shapes {
		off := rank - len(s)
		for i, d := range s {
			switch {
			case out[off+i] == 1:
				out[off+i] = d
			case d != 1 && d != out[off+i]:
				strs := make([]string, len(shapes))
				for j, sh := range shapes {
					strs[j] = fmt.Sprint(sh)
				}
				p.fail(a, "shape mismatch: indexing arrays could not be broadcast together with shapes %s (index %q)",
					strings.Join(strs, " "), p.spec)
			}
		}
	}
	return out
}

// advancedAdjacent tells where the broadcast index dimensions go in the result:
// numpy puts them in place of the index arrays when those are adjacent in
// the index, and first otherwise.
func (p *indexPlan) advancedAdjacent() bool {
	first, last := -1, -1
	for i, it := range p.items {
		if it.advanced() {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return true // no index arrays: nothing to place
	}
	for _, it := range p.items[first : last+1] {
		if !it.advanced() {
			return false
		}
	}
	return true
}

// indexArrays are the plan's integer and list items as int32 arrays, with
// their axes and the shape they broadcast to.
func (p *indexPlan) indexArrays(a *Array) (arrays []*Array, axes, bshape []int) {
	var shapes [][]int
	axis := 0
	for _, it := range p.items {
		switch it.kind {
		case itemInt:
			arrays = append(arrays, scalarOf(p.op, it.n, Int32))
			shapes = append(shapes, nil)
			axes = append(axes, axis)
		case itemList:
			arrays = append(arrays, FromInts(it.values, it.shape...))
			shapes = append(shapes, it.shape)
			axes = append(axes, axis)
		case itemNewAxis:
			continue
		}
		axis++
	}
	return arrays, axes, p.broadcastShapes(a, shapes)
}

// gather applies a plan with lists: slices first (one strided slice),
// then the indexed axes moved to the front and gathered, then the
// broadcast index dimensions moved where numpy puts them and newaxis
// dimensions added.
func (p *indexPlan) gather(a *Array) *Array {
	var temps []*Array
	defer func() { freeTemps(temps) }()
	keep := func(x *Array) *Array { temps = append(temps, x); return x }

	// 1. Slices (index-array axes stay whole).
	basic := &indexPlan{op: p.op, spec: p.spec, shape: p.shape}
	for _, it := range p.items {
		switch {
		case it.kind == itemNewAxis:
		case it.advanced():
			basic.items = append(basic.items, indexItem{kind: itemSlice})
		default:
			basic.items = append(basic.items, it)
		}
	}
	x := keep(basic.slice(a))

	// 2. Indexed axes first, then gather them.
	idx, axes, bshape := p.indexArrays(a)
	temps = append(temps, idx...)
	ndim := len(p.shape)
	perm := slices.Clone(axes)
	for ax := range ndim {
		if !slices.Contains(axes, ax) {
			perm = append(perm, ax)
		}
	}
	if !slices.Equal(perm, identityPerm(ndim)) {
		x = keep(Transpose(x, Axes(perm...)))
	}
	xs := x.Shape()
	for i, ix := range idx {
		if !slices.Equal(ix.Shape(), bshape) {
			idx[i] = keep(BroadcastTo(ix, bshape))
		}
	}
	sizes := slices.Clone(xs)
	gatherAxes := make([]int, len(axes))
	for i := range axes {
		sizes[i] = 1
		gatherAxes[i] = i
	}
	g := keep(Gather(x, idx, gatherAxes, sizes))
	rest := xs[len(axes):]
	g = keep(Reshape(g, slices.Concat(bshape, rest)))

	// 3. Move the index dimensions after the slices that precede the
	// first index array when the index arrays are adjacent.
	nb := len(bshape)
	if p.advancedAdjacent() {
		before := 0
		for _, it := range p.items {
			if it.advanced() {
				break
			}
			if it.kind == itemSlice {
				before++
			}
		}
		if before > 0 {
			perm := make([]int, 0, nb+len(rest))
			for i := range before {
				perm = append(perm, nb+i)
			}
			for i := range nb {
				perm = append(perm, i)
			}
			for i := nb + before; i < nb+len(rest); i++ {
				perm = append(perm, i)
			}
			g = keep(Transpose(g, Axes(perm...)))
		}
	}
	out := p.resultShape(bshape, rest)
	return Reshape(g, out)
}

// resultShape is the final shape: rest are the sizes of the sliced axes in
// order; newaxis items add 1s in their place.
func (p *indexPlan) resultShape(bshape, rest []int) []int {
	var out []int
	adjacent := p.advancedAdjacent()
	if !adjacent {
		out = append(out, bshape...)
	}
	placed := false
	r := 0
	for _, it := range p.items {
		switch {
		case it.kind == itemNewAxis:
			out = append(out, 1)
		case it.advanced():
			if adjacent && !placed {
				out = append(out, bshape...)
				placed = true
			}
		default:
			out = append(out, rest[r])
			r++
		}
	}
	return out
}

func identityPerm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}
