package plot

import (
	"image/color"
	"math"
	"strconv"

	"github.com/mlx-go/mlx-go/tensor"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// Heatmap draws a 2-D array as a grid of coloured cells, row 0 at the top
// as in a matrix (matplotlib's imshow), with a colour bar giving the
// value of each colour. The colours (matplotlib's viridis, dark blue
// through green to yellow) grow lighter with the value, so order reads the
// same in grey, and neither end is white or black: the largest cells do
// not look empty, nor the smallest like text.
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
	cm := viridis()
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

// viridisControls are matplotlib's viridis at 0, 0.1, ..., 1.
var viridisControls = [][3]float64{
	{0.267004, 0.004874, 0.329415}, {0.282623, 0.140926, 0.457517},
	{0.253935, 0.265254, 0.529983}, {0.206756, 0.371758, 0.553117},
	{0.163625, 0.471133, 0.558148}, {0.127568, 0.566949, 0.550556},
	{0.134692, 0.658636, 0.517649}, {0.266941, 0.748751, 0.440573},
	{0.477504, 0.821444, 0.318195}, {0.741388, 0.873449, 0.149561},
	{0.993248, 0.906157, 0.143936},
}

// viridis is a colour map through viridisControls, interpolated (by
// gonum's moreland.NewLuminance) so that lightness grows evenly with the
// value.
func viridis() palette.ColorMap {
	cs := make([]color.Color, len(viridisControls))
	for i, c := range viridisControls {
		cs[i] = color.NRGBA{uint8(c[0]*255 + 0.5), uint8(c[1]*255 + 0.5), uint8(c[2]*255 + 0.5), 0xff}
	}
	cm, err := moreland.NewLuminance(cs)
	if err != nil { // the controls are fixed: only a mistyped table gets here
		panic(err)
	}
	return cm
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
// ("2.5" would name no cell), each at its cell's centre, counting rows
// down from the top when flip. Up to allLabelled cells are all labelled;
// beyond, every step-th from 0, step a 1, 2 or 5 times a power of ten
// giving at most maxIndexLabels labels, with an unlabelled tick halfway
// between where that is a whole index.
type indexTicks struct {
	n    int
	flip bool
}

const (
	allLabelled    = 12
	maxIndexLabels = 8
)

func (t indexTicks) Ticks(min, max float64) []gplot.Tick {
	step, minor := 1, 1
	if t.n > allLabelled {
		step = indexStep(t.n)
		if step%2 == 0 { // a tick between labels; 5 has no whole half
			minor = step / 2
		} else {
			minor = step
		}
	}
	last := t.n - 1
	var ticks []gplot.Tick
	for i := 0; i <= last; i += minor {
		tk := gplot.Tick{Value: float64(i)}
		if i%step == 0 {
			tk.Label = strconv.Itoa(i)
		}
		if t.flip { // row i is drawn at y = last-i
			tk.Value = float64(last - i)
		}
		if tk.Value >= min && tk.Value <= max {
			ticks = append(ticks, tk)
		}
	}
	return ticks
}

// indexStep is the smallest of 1, 2, 5, 10, 20, ... that labels at most
// maxIndexLabels of n indices.
func indexStep(n int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if s := m * p; (n+s-1)/s <= maxIndexLabels {
				return s
			}
		}
	}
}
