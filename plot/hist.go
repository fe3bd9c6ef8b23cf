package plot

import (
	"image/color"

	"github.com/mlx-go/mlx-go/tensor"
	"gonum.org/v1/plot/plotter"
)

// Hist draws a histogram of all the array's values (any shape) in bins
// equal-width bins from the smallest value to the largest. NaNs and
// infinities are left out.
func Hist(a *tensor.Array, bins int, opts ...Option) *Figure {
	if bins <= 0 {
		fail("Hist", []*tensor.Array{a}, "bins must be positive, got %d", bins)
	}
	f := newFigure("Hist", configure(opts))
	vs := finite(values("Hist", a))
	if len(vs) == 0 {
		fail("Hist", []*tensor.Array{a}, "no finite values to count")
	}
	h, err := plotter.NewHist(plotter.Values(vs), bins)
	if err != nil {
		fail("Hist", []*tensor.Array{a}, "%v", err)
	}
	h.FillColor = lineColors[0]
	h.LineStyle.Color = color.White
	f.p.Add(h)
	if f.cfg.logY {
		logBase(f, minPositive(binWeights(h)))
	}
	headroom(f) // the tallest bin clear of the frame, as Bars
	f.hist = h
	if f.p.Y.Label.Text == "" {
		f.p.Y.Label.Text = "count"
	}
	return f
}

func binWeights(h *plotter.Histogram) []float64 {
	w := make([]float64, len(h.Bins))
	for i, b := range h.Bins {
		w[i] = b.Weight
	}
	return w
}

// minPositive is the smallest value above zero, 1 when there is none.
func minPositive(vs []float64) float64 {
	m := 0.0
	for _, v := range vs {
		if v > 0 && (m == 0 || v < m) {
			m = v
		}
	}
	if m == 0 {
		return 1
	}
	return m
}
