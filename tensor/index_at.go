package tensor

// IndexedArray is a[spec] as the target of an update that returns a new
// array, Python MLX's a.at[spec]. Unlike SetIndex, an element that the
// index names several times gets every update: a.At("[0, 0, 2]").Add(1)
// adds 2 to a[0] and 1 to a[2].
type IndexedArray struct {
	a    *Array
	spec string
}

// At names a[spec] (Index's syntax) for Add, Subtract, Multiply, Divide,
// Maximum or Minimum; a itself does not change.
func (a *Array) At(spec string) IndexedArray { return IndexedArray{a, spec} }

// Add returns a copy of the array with value added at the index.
func (x IndexedArray) Add(value any) *Array {
	return x.update("at_add", value, ScatterAdd, Add)
}

// Subtract returns a copy of the array with value subtracted at the index.
func (x IndexedArray) Subtract(value any) *Array {
	neg := func(a *Array, idx []*Array, v *Array, axes []int, opts ...Opt) *Array {
		n := Negative(v)
		defer n.Free()
		return ScatterAdd(a, idx, n, axes)
	}
	return x.update("at_subtract", value, neg, Subtract)
}

// Multiply returns a copy of the array multiplied by value at the index.
func (x IndexedArray) Multiply(value any) *Array {
	return x.update("at_multiply", value, ScatterProd, Multiply)
}

// Divide returns a copy of the array divided by value at the index (as MLX
// does it: multiplied by the reciprocal).
func (x IndexedArray) Divide(value any) *Array {
	recip := func(a *Array, idx []*Array, v *Array, axes []int, opts ...Opt) *Array {
		r := Reciprocal(v)
		defer r.Free()
		return ScatterProd(a, idx, r, axes)
	}
	return x.update("at_divide", value, recip, Divide)
}

// Maximum returns a copy of the array with each element at the index the
// larger of itself and value.
func (x IndexedArray) Maximum(value any) *Array {
	return x.update("at_maximum", value, ScatterMax, Maximum)
}

// Minimum returns a copy of the array with each element at the index the
// smaller of itself and value.
func (x IndexedArray) Minimum(value any) *Array {
	return x.update("at_minimum", value, ScatterMin, Minimum)
}

type scatterFunc func(a *Array, indices []*Array, updates *Array, axes []int, opts ...Opt) *Array

// update applies scatter with value (broadcast to a[spec] as SetIndex does);
// when nothing is indexed (all of a), the elementwise op does it.
func (x IndexedArray) update(op string, value any, scatter scatterFunc, whole func(a, b any, opts ...Opt) *Array) *Array {
	a := x.a
	p := planIndex(op, x.spec, a)
	var temps []*Array
	defer func() { freeTemps(temps) }()
	keep := func(t *Array) *Array { temps = append(temps, t); return t }

	v, target := p.prepareValue(a, value, keep)
	if size(target) == 0 {
		return a.Clone() // selects nothing (MLX's scatter would fail)
	}
	indices, upd, axes := p.scatterArgs(a, v, target, keep)
	if len(indices) == 0 {
		return whole(a, upd)
	}
	return scatter(a, indices, upd, axes)
}
