package plot

import (
	"image/color"
	"math"
	"strconv"

	"github.com/mlx-go/mlx-go/tensor"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// Heatmap draws a 2-D array as a grid of coloured cells, row 0 at the top
// as in a matrix (matplotlib's imshow), with a colour bar giving the
// value of each colour. The colours (Kindlmann's) grow lighter with the
// value, so order reads the same in grey.
func Heatmap(a *tensor.Array, opts ...Option) *Figure {
	if a != nil && a.Ndim() != 2 {
		fail("Heatmap", []*tensor.Array{a}, "needs a 2-D array, got %d-D", a.Ndim())
	}
	cfg := configure(opts)
	f := newFigure("Heatmap", cfg)
	vs := values("Heatmap", a)
	g := grid{rows: a.Shape()[0], cols: a.Shape()[1], z: vs}
	lo, hi := g.valueRange()
	if math.IsNaN(lo) {
		fail("Heatmap", []*tensor.Array{a}, "no finite values to colour")
	}
	if lo == hi { // a constant array still needs a range to colour
		lo, hi = lo-0.5, hi+0.5
	}
	cm := moreland.Kindlmann()
	cm.SetMin(lo)
	cm.SetMax(hi)
	h := plotter.NewHeatMap(g, cm.Palette(256))
	h.Min, h.Max = lo, hi
	h.NaN = color.Transparent
	// Large maps are drawn as one image (gonum smooths it when scaling,
	// which at a cell or so per pixel does not show); small ones cell by
	// cell, so their cells stay crisp squares.
	h.Rasterized = g.rows*g.cols > 40000
	f.p.Add(h)
	f.p.X.Tick.Marker = indexTicks{n: g.cols}
	f.p.Y.Tick.Marker = indexTicks{n: g.rows, flip: true}

	bar := gplot.New()
	sansSerif(bar)
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	bar.HideX()
	bar.Y.Padding = 0
	f.colorBar = bar
	return f
}

// grid is a row-major matrix as gonum's GridXYZ: column c at x = c, and
// row r at y = rows-1-r, so that row 0 is drawn at the top. (Flipping the
// data rather than the axis keeps gonum's rasterized drawing, which
// assumes an upward axis.)
type grid struct {
	rows, cols int
	z          []float64
}

func (g grid) Dims() (c, r int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return g.z[(g.rows-1-r)*g.cols+c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

func (g grid) valueRange() (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for _, v := range finite(g.z) {
		if math.IsNaN(lo) || v < lo {
			lo = v
		}
		if math.IsNaN(hi) || v > hi {
			hi = v
		}
	}
	return lo, hi
}

// indexTicks label a heat map's axis with whole row or column numbers
// ("2.5" would name no cell), counting rows down from the top when flip.
type indexTicks struct {
	n    int
	flip bool
}

func (t indexTicks) Ticks(min, max float64) []gplot.Tick {
	last := float64(t.n - 1)
	if t.flip { // pick ticks among row numbers, then place them
		min, max = last-max, last-min
	}
	var ticks []gplot.Tick
	for _, d := range (niceTicks{}).Ticks(min, max) {
		if d.Value != math.Trunc(d.Value) || d.Value < 0 || d.Value > last {
			continue
		}
		if d.Label != "" {
			d.Label = strconv.Itoa(int(d.Value))
		}
		if t.flip {
			d.Value = last - d.Value
		}
		ticks = append(ticks, d)
	}
	return ticks
}
