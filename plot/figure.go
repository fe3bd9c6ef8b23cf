// Package plot draws figures of arrays and slices for the REPL and
// Jupyter: line plots, histograms, heat maps and bar charts, drawn by
// gonum.org/v1/plot. A *Figure left as a cell's last value is shown as a
// PNG in Jupyter; in the terminal REPL it prints a summary and the path of
// a PNG it saved.
//
//	plot.Line(tensor.Arange(0, 10), plot.Title("ramp"))
//	plot.Series(losses, plot.YLabel("loss"), plot.LogY())
//	plot.Heatmap(attention)
//
// Bad input (a complex or empty array, a 1-D array for Heatmap) panics
// with a *tensor.Error, as tensor ops do: the cell fails with its message.
package plot

import (
	"fmt"
	"image/color"

	"github.com/mlx-go/mlx-go/engine/display"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Figure is one drawn plot. Build it with Line, Series, Hist, Heatmap or
// Bars; add lines with Add; get it out with PNG, Save or Show.
type Figure struct {
	kind     string // "Line", "Hist", ...: names the figure in its text form
	cfg      config
	p        *gplot.Plot
	colorBar *gplot.Plot        // a heat map's scale, drawn right of p; nil otherwise
	lines    int                // lines drawn so far: picks the next colour and legend name
	named    int                // lines with a legend entry
	xys      []plotter.XYs      // the lines' points, for placing the legend
	hist     *plotter.Histogram // a histogram's bins, nil otherwise
}

// maxInches bounds Size: a 40-inch figure is a 4000-pixel PNG of 64 MB
// in memory while drawn; larger is a typo, not a plot.
const maxInches = 40

var _ display.Renderer = (*Figure)(nil)

// newFigure is an empty figure with the title, labels and axis scale of
// cfg.
func newFigure(kind string, cfg config) *Figure {
	if !(cfg.width > 0 && cfg.width <= maxInches && cfg.height > 0 && cfg.height <= maxInches) {
		fail(kind, nil, "Size(%g, %g): width and height must be between 0 and %d inches", cfg.width, cfg.height, maxInches)
	}
	p := gplot.New()
	sansSerif(p)
	p.Title.Text = cfg.title
	p.X.Label.Text = cfg.xLabel
	p.Y.Label.Text = cfg.yLabel
	p.X.Tick.Marker = niceTicks{}
	p.Y.Tick.Marker = niceTicks{}
	if cfg.logY {
		p.Y.Scale = gplot.LogScale{}
		p.Y.Tick.Marker = gplot.LogTicks{Prec: -1}
	}
	return &Figure{kind: kind, cfg: cfg, p: p}
}

// sansSerif sets p's text in Liberation Sans, gonum's serif default
// looking out of place beside notebook text, and the title a little
// larger.
func sansSerif(p *gplot.Plot) {
	for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		s.Font.Variant = "Sans"
	}
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Title.Padding = vg.Points(6)
}

// lineColors are matplotlib's tab10 colours, so figures look familiar.
var lineColors = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xd6, 0x27, 0x28, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
	{0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff}, {0xbc, 0xbd, 0x22, 0xff},
	{0x17, 0xbe, 0xcf, 0xff},
}

// Add draws one more line, y over x, named label in the legend (no entry
// when label is empty), and returns f so calls chain:
//
//	plot.Series(train).Add("validation", steps, val)
func (f *Figure) Add(label string, x, y []float64) *Figure {
	f.addLine("Add", label, x, y)
	return f
}

// addLine draws y over x in the next colour. An empty label takes the
// next name given to Legend, if any.
func (f *Figure) addLine(op, label string, x, y []float64) {
	switch {
	case len(x) != len(y):
		fail(op, nil, "x has %d values but y has %d", len(x), len(y))
	case len(y) == 0:
		fail(op, nil, "no values to plot")
	}
	if f.cfg.logY {
		for _, v := range y {
			if !(v > 0) {
				fail(op, nil, "LogY needs positive y values, got %g", v)
			}
		}
	}
	xys := make(plotter.XYs, len(y))
	for i := range y {
		xys[i].X, xys[i].Y = x[i], y[i]
	}
	line, err := plotter.NewLine(xys)
	if err != nil { // NaN or infinite values
		fail(op, nil, "%v", err)
	}
	line.Color = lineColors[f.lines%len(lineColors)]
	line.Width = 1.5
	if label == "" && f.lines < len(f.cfg.legend) {
		label = f.cfg.legend[f.lines]
	}
	if f.lines == 0 {
		f.p.Add(lightGrid())
	}
	f.lines++
	f.p.Add(line)
	f.xys = append(f.xys, xys)
	if label != "" {
		f.p.Legend.Add(label, line)
		f.named++
	}
}

// Pixels is the size of the figure's PNG.
func (f *Figure) Pixels() (width, height int) {
	return int(f.cfg.width*dpi + 0.5), int(f.cfg.height*dpi + 0.5)
}

// String is the figure's text form, e.g. "<Figure: Line, 640x480>".
func (f *Figure) String() string {
	w, h := f.Pixels()
	return fmt.Sprintf("<Figure: %s, %dx%d>", f.kind, w, h)
}

// MimeBundle is the figure as Jupyter shows it: a PNG with the text form
// as fallback. The engine calls it when a figure is a cell's value.
func (f *Figure) MimeBundle() map[string]any {
	png, err := f.PNG()
	if err != nil {
		return map[string]any{"text/plain": fmt.Sprintf("%s (not drawn: %v)", f, err)}
	}
	data := display.PNGData(png)
	data["text/plain"] = f.String()
	return data
}

// Show displays the figure now (a cell can show several), as display.PNG
// does.
func (f *Figure) Show() { display.Show(f.MimeBundle()) }

// lightGrid is the faint grid behind line plots, for reading values off.
func lightGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe0}
	g.Horizontal.Color = color.Gray{Y: 0xe0}
	return g
}
