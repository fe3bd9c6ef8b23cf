package plot

import (
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Bars draws one bar per label, for comparisons such as benchmark
// timings.
func Bars(labels []string, values []float64, opts ...Option) *Figure {
	f := newFigure("Bars", configure(opts))
	switch {
	case len(labels) != len(values):
		fail("Bars", nil, "%d labels but %d values", len(labels), len(values))
	case len(values) == 0:
		fail("Bars", nil, "no values to plot")
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			fail("Bars", nil, "value %d (%s) is %g", i, labels[i], v)
		}
		if f.cfg.logY && v <= 0 {
			fail("Bars", nil, "LogY needs positive values, %s is %g", labels[i], v)
		}
	}
	width := vg.Length(f.cfg.width) * vg.Inch * 0.5 / vg.Length(len(values))
	b, err := plotter.NewBarChart(plotter.Values(values), width)
	if err != nil {
		fail("Bars", nil, "%v", err)
	}
	b.Color = lineColors[0]
	b.LineStyle.Width = 0
	f.p.Add(b)
	if f.cfg.logY {
		logBase(f, minPositive(values))
	}
	headroom(f)
	f.p.NominalX(labels...)
	// Room beside the outer bars, which gonum would put against the axes.
	f.p.X.Min, f.p.X.Max = -0.6, float64(len(values))-0.4
	return f
}

// headroomFraction is the space left above the tallest bar (and below
// the lowest negative one), as a fraction of the bars' span, so that no bar
// runs into the plot's edge.
const headroomFraction = 0.05

// headroom widens the y axis beyond the bars by headroomFraction: on a
// log axis in decades, so the gap looks the same. (Call it after logBase.)
func headroom(f *Figure) {
	y := &f.p.Y
	if f.cfg.logY {
		y.Max *= math.Pow(y.Max/y.Min, headroomFraction)
		return
	}
	span := y.Max - y.Min
	if span <= 0 { // all bars zero
		span = 1
	}
	if y.Max > 0 {
		y.Max += headroomFraction * span
	}
	if y.Min < 0 {
		y.Min -= headroomFraction * span
	}
}

// logBase starts a log y axis of bars below their smallest positive
// height: bars grow from zero, which a log axis cannot show, so the axis
// is cut off half a decade under the smallest bar. (Call it after Add,
// which widens the axis to the data's range.)
func logBase(f *Figure, smallest float64) {
	f.p.Y.Min = smallest / math.Sqrt(10)
	f.p.Y.Scale = clampedLog{min: f.p.Y.Min}
}

// clampedLog is a log scale on which zero and negative values sit at the
// axis' bottom instead of making gonum panic.
type clampedLog struct{ min float64 }

func (l clampedLog) Normalize(min, max, x float64) float64 {
	return gplot.LogScale{}.Normalize(math.Max(min, l.min), max, math.Max(x, l.min))
}
