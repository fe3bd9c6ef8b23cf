package plot

import (
	"strconv"

	"github.com/mlx-go/mlx-go/tensor"
)

// Line plots an array: a 1-D array as one line over x = 0..n-1, a 2-D
// array as one line per row (named "row 0", "row 1", ... unless Legend
// names them).
func Line(y *tensor.Array, opts ...Option) *Figure {
	f := newFigure("Line", configure(opts))
	vs := values("Line", y)
	switch y.Ndim() {
	case 1:
		f.addLine("Line", "", indexXs(len(vs)), vs)
	case 2:
		f.addRows("Line", indexXs(y.Shape()[1]), vs, y.Shape()[0])
	default:
		fail("Line", []*tensor.Array{y}, "needs a 1-D or 2-D array, got %d-D", y.Ndim())
	}
	return f
}

// LineXY plots y over x: two 1-D arrays of the same length, or a 1-D x
// and a 2-D y with one line per row of len(x) values.
func LineXY(x, y *tensor.Array, opts ...Option) *Figure {
	f := newFigure("Line", configure(opts))
	xs, vs := values("LineXY", x), values("LineXY", y)
	if x.Ndim() != 1 {
		fail("LineXY", []*tensor.Array{x, y}, "x must be 1-D, got %d-D", x.Ndim())
	}
	switch y.Ndim() {
	case 1:
		if len(xs) != len(vs) {
			fail("LineXY", []*tensor.Array{x, y}, "x has %d values but y has %d", len(xs), len(vs))
		}
		f.addLine("LineXY", "", xs, vs)
	case 2:
		if cols := y.Shape()[1]; cols != len(xs) {
			fail("LineXY", []*tensor.Array{x, y}, "x has %d values but the rows of y have %d", len(xs), cols)
		}
		f.addRows("LineXY", xs, vs, y.Shape()[0])
	default:
		fail("LineXY", []*tensor.Array{x, y}, "y must be 1-D or 2-D, got %d-D", y.Ndim())
	}
	return f
}

// addRows draws each of the rows of the row-major matrix vs over xs.
// Without Legend names, a few rows are named by number; many rows would
// make a legend taller than the plot.
func (f *Figure) addRows(op string, xs, vs []float64, rows int) {
	cols := len(xs)
	for r := 0; r < rows; r++ {
		label := ""
		if rows > 1 && len(f.cfg.legend) == 0 && rows <= len(lineColors) {
			label = "row " + strconv.Itoa(r)
		}
		f.addLine(op, label, xs, vs[r*cols:(r+1)*cols])
	}
}

// Series plots a Go slice (a loss curve, timings) over x = 0..n-1.
func Series(y []float64, opts ...Option) *Figure {
	f := newFigure("Line", configure(opts))
	f.addLine("Series", "", indexXs(len(y)), y)
	return f
}

// SeriesXY plots y over x, two Go slices of the same length.
func SeriesXY(x, y []float64, opts ...Option) *Figure {
	f := newFigure("Line", configure(opts))
	f.addLine("SeriesXY", "", x, y)
	return f
}
