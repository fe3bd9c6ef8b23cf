package plot

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// render draws f and decodes its PNG.
func render(t *testing.T, f *Figure) image.Image {
	t.Helper()
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	return img
}

// near is how many pixels are within a small distance of colour c.
func near(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			d := math.Abs(float64(r>>8)-float64(c.R)) + math.Abs(float64(g>>8)-float64(c.G)) + math.Abs(float64(bl>>8)-float64(c.B))
			if d < 24 {
				n++
			}
		}
	}
	return n
}

func TestLineSizeAndColours(t *testing.T) {
	img := render(t, Line(tensor.Arange(0, 50), Title("ramp"), XLabel("i"), YLabel("v")))
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
		t.Fatalf("default size %v, want 640x480", b)
	}
	if n := near(img, lineColors[0]); n < 300 {
		t.Fatalf("%d pixels of the line's colour: the line is missing", n)
	}
	if n := near(img, lineColors[1]); n != 0 {
		t.Fatalf("%d pixels of the second colour in a one-line plot", n)
	}

	// A 2-D array is one line per row, in successive colours; Size sets
	// the pixels at 100 per inch.
	two := tensor.Reshape(tensor.Arange(0, 20), []int{2, 10})
	img = render(t, Line(two, Size(3, 2.5)))
	if b := img.Bounds(); b.Dx() != 300 || b.Dy() != 250 {
		t.Fatalf("Size(3, 2.5) gave %v", b)
	}
	for i := 0; i < 2; i++ {
		if n := near(img, lineColors[i]); n < 50 {
			t.Fatalf("row %d: %d pixels of its colour", i, n)
		}
	}
}

// An empty figure is white: what the line tests count is the line.
func TestBlankBackgroundHasNoLineColour(t *testing.T) {
	f := newFigure("Line", defaults())
	img := render(t, f)
	if n := near(img, lineColors[0]); n != 0 {
		t.Fatalf("%d line-coloured pixels without a line", n)
	}
	if r, g, b, _ := img.At(2, 2).RGBA(); r>>8 != 255 || g>>8 != 255 || b>>8 != 255 {
		t.Fatalf("corner is not white: %v", img.At(2, 2))
	}
}

func TestSeriesAddAndLegend(t *testing.T) {
	f := Series([]float64{4, 3, 2, 1}, Legend("train")).Add("val", []float64{0, 3}, []float64{4, 2})
	if f.lines != 2 {
		t.Fatalf("%d lines, want 2", f.lines)
	}
	img := render(t, f)
	if near(img, lineColors[0]) < 50 || near(img, lineColors[1]) < 50 {
		t.Fatal("a line is missing")
	}
	if got := f.String(); got != "<Figure: Line, 640x480>" {
		t.Fatalf("String() = %q", got)
	}
}

// Every real dtype is read as the same numbers.
func TestDtypes(t *testing.T) {
	want := []float64{0, 1, 2, 3, 4, 5}
	for _, d := range []tensor.Dtype{tensor.Float32, tensor.Float16, tensor.Bfloat16, tensor.Int32, tensor.Int64, tensor.Uint8} {
		a := tensor.Arange(0, 6).AsType(d)
		got := values("test", a)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: read %v", d, got)
			}
		}
		render(t, Line(a))
	}
	if got := values("test", tensor.New([]bool{true, false})); got[0] != 1 || got[1] != 0 {
		t.Fatalf("bool read as %v", got)
	}
}

// Histogram bins hold the counts computed here from the same values.
func TestHistCounts(t *testing.T) {
	a := tensor.RandomNormal([]int{40, 50})
	vs := a.Float64s()
	const bins = 17
	f := Hist(a, bins)
	lo, hi := vs[0], vs[0]
	for _, v := range vs {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	want := make([]float64, bins)
	width := (hi - lo) / bins
	for _, v := range vs {
		i := int((v - lo) / width)
		if i == bins {
			i = bins - 1
		}
		want[i]++
	}
	if len(f.hist.Bins) != bins {
		t.Fatalf("%d bins, want %d", len(f.hist.Bins), bins)
	}
	total := 0.0
	for i, b := range f.hist.Bins {
		if b.Weight != want[i] {
			t.Fatalf("bin %d [%g, %g) counts %g, want %g", i, b.Min, b.Max, b.Weight, want[i])
		}
		total += b.Weight
	}
	if total != 2000 {
		t.Fatalf("bins hold %g values, want 2000", total)
	}
	if img := render(t, f); near(img, lineColors[0]) < 1000 {
		t.Fatal("histogram bars are missing")
	}
	// NaNs are left out; a log axis still draws.
	withNaN := tensor.New([]float32{1, 2, float32(math.NaN()), 2, 3})
	f = Hist(withNaN, 3, LogY())
	render(t, f)
	if w := binWeights(f.hist); w[0]+w[1]+w[2] != 4 {
		t.Fatalf("bins %v, want 4 values counted", w)
	}
}

// dataPixel is the pixel where data point (x, y) of f's plot is drawn.
func dataPixel(f *Figure, x, y float64) image.Point {
	_, h := f.Pixels()
	c := draw.New(vgimg.NewWith(vgimg.UseWH(vg.Length(f.cfg.width)*vg.Inch, vg.Length(f.cfg.height)*vg.Inch), vgimg.UseDPI(dpi)))
	main, _ := f.layout(c)
	data := f.p.DataCanvas(main)
	px := data.X(f.p.X.Norm(x)).Dots(dpi)
	py := data.Y(f.p.Y.Norm(y)).Dots(dpi)
	return image.Pt(int(px), h-int(py))
}

// luminance is the relative luminance Y of an sRGB colour (monotonic in
// CIE L*, which the heat map's colours increase along).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// Heat map colours follow the values: lighter for larger, along columns
// and down the rows (row 0 at the top).
func TestHeatmapColoursFollowValues(t *testing.T) {
	const rows, cols = 5, 9
	a := tensor.Reshape(tensor.Arange(0, rows*cols), []int{rows, cols}) // grows along each row, then down
	f := Heatmap(a, Title("gradient"))
	img := render(t, f)
	prev := -1.0
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			// Row r is drawn at y = rows-1-r (row 0 on top).
			l := luminance(img.At(dataPixel(f, float64(c), float64(rows-1-r)).X, dataPixel(f, float64(c), float64(rows-1-r)).Y))
			if l <= prev {
				t.Fatalf("cell (%d, %d): luminance %g not above the previous cell's %g", r, c, l, prev)
			}
			prev = l
		}
	}
	// Top-left is the darkest cell, bottom-right the lightest: the image's
	// upper half is darker than its lower half.
	top := dataPixel(f, 0, rows-1)
	bottom := dataPixel(f, 0, 0)
	if top.Y >= bottom.Y {
		t.Fatalf("row 0 drawn at y=%d, below row %d at y=%d", top.Y, rows-1, bottom.Y)
	}
	if f.colorBar == nil {
		t.Fatal("no colour bar")
	}
	// A constant array is one colour, not an error.
	render(t, Heatmap(tensor.Ones([]int{3, 3})))
}

func TestBars(t *testing.T) {
	f := Bars([]string{"mlx", "numpy", "torch"}, []float64{1.5, 12, 3}, LogY(), YLabel("ms"))
	img := render(t, f)
	if near(img, lineColors[0]) < 1000 {
		t.Fatal("bars are missing")
	}
	// Taller value, taller bar: count bar-coloured pixels in each bar's column.
	heights := make([]int, 3)
	for i := range heights {
		p := dataPixel(f, float64(i), 1)
		for y := 0; y < img.Bounds().Dy(); y++ {
			if near(singlePixel{img.At(p.X, y)}, lineColors[0]) == 1 {
				heights[i]++
			}
		}
	}
	if !(heights[1] > heights[2] && heights[2] > heights[0] && heights[0] > 0) {
		t.Fatalf("bar heights %v do not follow 1.5 < 3 < 12", heights)
	}
}

// singlePixel is a 1x1 image, to test one colour with near.
type singlePixel struct{ c color.Color }

func (s singlePixel) ColorModel() color.Model { return color.RGBAModel }
func (s singlePixel) Bounds() image.Rectangle { return image.Rect(0, 0, 1, 1) }
func (s singlePixel) At(int, int) color.Color { return s.c }

func TestSaveFormats(t *testing.T) {
	dir := t.TempDir()
	f := Series([]float64{1, 3, 2})
	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".pdf": "%PDF", ".jpg": "\xff\xd8"} {
		path := filepath.Join(dir, "f"+ext)
		if err := f.Save(path); err != nil {
			t.Fatalf("Save(%s): %v", path, err)
		}
		b, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(b), magic) {
			t.Errorf("%s starts %q", ext, b[:min(len(b), 8)])
		}
	}
	if err := f.Save(filepath.Join(dir, "f.gif")); err == nil || !strings.Contains(err.Error(), `"gif"`) {
		t.Errorf("Save(.gif) error %v", err)
	}
}

func TestMimeBundle(t *testing.T) {
	data := Heatmap(tensor.Eye(4)).MimeBundle()
	if data["text/plain"] != "<Figure: Heatmap, 640x480>" {
		t.Fatalf("text/plain %v", data["text/plain"])
	}
	if _, ok := data["image/png"].(string); !ok {
		t.Fatalf("no image/png: %v", data)
	}
}

// Bad input panics with a *tensor.Error naming the plot function, as
// tensor ops do.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"heatmap 1-D", func() { Heatmap(tensor.Arange(0, 4)) }, "plot.Heatmap(float32[4]): needs a 2-D array, got 1-D"},
		{"heatmap 3-D", func() { Heatmap(tensor.Zeros([]int{2, 2, 2})) }, "needs a 2-D array, got 3-D"},
		{"complex", func() { Line(tensor.Arange(0, 3).AsType(tensor.Complex64)) }, "cannot plot complex values"},
		{"empty", func() { Line(tensor.Zeros([]int{0})) }, "plot.Line(float32[0]): the array is empty"},
		{"nil", func() { Hist(nil, 3) }, "the array is nil"},
		{"bins", func() { Hist(tensor.Arange(0, 3), 0) }, "bins must be positive, got 0"},
		{"all NaN", func() { Hist(tensor.New([]float32{float32(math.NaN())}), 2) }, "no finite values"},
		{"xy lengths", func() { LineXY(tensor.Arange(0, 3), tensor.Arange(0, 4)) }, "x has 3 values but y has 4"},
		{"series lengths", func() { SeriesXY([]float64{1}, []float64{1, 2}) }, "x has 1 values but y has 2"},
		{"add lengths", func() { Series([]float64{1}).Add("b", []float64{1, 2}, []float64{1}) }, "plot.Add: x has 2 values but y has 1"},
		{"bars", func() { Bars([]string{"a"}, []float64{1, 2}) }, "1 labels but 2 values"},
		{"log", func() { Series([]float64{1, 0}, LogY()) }, "LogY needs positive y values, got 0"},
		{"size", func() { Series([]float64{1}, Size(0, 3)) }, "Size(0, 3)"},
		{"3-D line", func() { Line(tensor.Zeros([]int{1, 1, 2})) }, "needs a 1-D or 2-D array, got 3-D"},
	}
	for _, c := range cases {
		err := tensor.Try(c.f)
		var te *tensor.Error
		if !errors.As(err, &te) || !strings.HasPrefix(te.Op, "plot.") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want a plot *tensor.Error containing %q", c.name, err, c.want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		min, max float64
		want     string
	}{
		{0, 25, "0 5 10 15 20 25"},
		{-1, 1, "-1.0 -0.5 0.0 0.5 1.0"},
		{0.001, 0.0049, "0.0010 0.0015 0.0020 0.0025 0.0030 0.0035 0.0040 0.0045"},
		{-3.2, 3.4, "-3 -2 -1 0 1 2 3"},
	} {
		var labels []string
		for _, tk := range (niceTicks{}).Ticks(c.min, c.max) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("ticks of [%g, %g]: %q, want %q", c.min, c.max, got, c.want)
		}
	}
}

// axisTicks is what f's axis marker gives for the axis' own range, as
// gonum asks when drawing.
func axisLabels(f *Figure, y bool) map[float64]string {
	ax := &f.p.X
	if y {
		ax = &f.p.Y
	}
	labels := map[float64]string{}
	for _, tk := range ax.Tick.Marker.Ticks(ax.Min, ax.Max) {
		if tk.Label != "" {
			labels[tk.Value] = tk.Label
		}
	}
	return labels
}

// Heat map axes name rows and columns by index, 0 first, each label at
// its cell's centre: row i (drawn at y = rows-1-i) is labelled i on the y
// axis as column i is on the x axis.
func TestHeatmapIndexLabels(t *testing.T) {
	for _, shape := range [][2]int{{32, 32}, {3, 4}, {1, 1}, {1, 7}, {9, 9}, {13, 5}, {100, 37}, {256, 300}} {
		rows, cols := shape[0], shape[1]
		f := Heatmap(tensor.Zeros([]int{rows, cols}))
		if got := axisLabels(f, false); len(got) == 0 || got[0] != "0" {
			t.Errorf("%dx%d: x labels %v do not start with 0 at column 0", rows, cols, got)
		}
		if got := axisLabels(f, true); len(got) == 0 || got[float64(rows-1)] != "0" {
			t.Errorf("%dx%d: y labels %v do not start with 0 at row 0 (y=%d)", rows, cols, got, rows-1)
		}
		for axis, n := range map[bool]int{false: cols, true: rows} {
			for v, l := range axisLabels(f, axis) {
				i := int(v)
				if axis {
					i = n - 1 - int(v)
				}
				if v != math.Trunc(v) || l != strconv.Itoa(i) || i < 0 || i >= n {
					t.Errorf("%dx%d: label %q at %g on the y=%v axis, want %q", rows, cols, l, v, axis, strconv.Itoa(i))
				}
			}
		}
	}

	// In the picture: Tri(32) is 1 on and below the diagonal. At the
	// height of each y label i, column i is the last lit cell, and at each
	// x label j the first lit row is j.
	f := Heatmap(tensor.Tri(32))
	img := render(t, f)
	lit := func(x, y float64) bool { p := dataPixel(f, x, y); return luminance(img.At(p.X, p.Y)) > 0.5 }
	for v, l := range axisLabels(f, true) {
		i, _ := strconv.Atoi(l)
		if !lit(float64(i), v) || (i < 31 && lit(float64(i+1), v)) {
			t.Errorf("y label %q at %g: row drawn there does not end at column %d", l, v, i)
		}
	}
	for v, l := range axisLabels(f, false) {
		j, _ := strconv.Atoi(l)
		if !lit(v, float64(31-j)) || (j > 0 && lit(v, float64(31-j+1))) {
			t.Errorf("x label %q at %g: column drawn there does not start at row %d", l, v, j)
		}
	}
}

// Small maps label every row and column; larger ones a few, evenly
// spaced.
func TestHeatmapSmallMapsLabelEveryIndex(t *testing.T) {
	for n := 1; n <= 12; n++ {
		for _, flip := range []bool{false, true} {
			labels := map[string]bool{}
			for _, tk := range (indexTicks{n: n, flip: flip}).Ticks(-0.5, float64(n)-0.5) {
				if tk.Label != "" {
					labels[tk.Label] = true
				}
			}
			for i := 0; i < n; i++ {
				if !labels[strconv.Itoa(i)] {
					t.Errorf("n=%d flip=%v: index %d unlabelled (labels %v)", n, flip, i, labels)
				}
			}
		}
	}
	for _, n := range []int{13, 20, 32, 64, 99, 100, 256, 1000, 4096} {
		var idx []int
		for _, tk := range (indexTicks{n: n}).Ticks(-0.5, float64(n)-0.5) {
			if tk.Label != "" {
				i, _ := strconv.Atoi(tk.Label)
				idx = append(idx, i)
			}
		}
		if len(idx) < 3 || len(idx) > 10 || idx[0] != 0 {
			t.Errorf("n=%d: labels %v, want 3 to 10 starting at 0", n, idx)
			continue
		}
		for k := 2; k < len(idx); k++ {
			if idx[k]-idx[k-1] != idx[1]-idx[0] {
				t.Errorf("n=%d: labels %v unevenly spaced", n, idx)
			}
		}
	}
}

// Both ends of the colour scale are coloured: the largest cells do not
// vanish into the white background, nor the smallest into black text.
func TestHeatmapEndsAreColoured(t *testing.T) {
	f := Heatmap(tensor.Reshape(tensor.Arange(0, 12), []int{3, 4}))
	img := render(t, f)
	for _, cell := range [][2]float64{{0, 2}, {3, 0}} { // values 0 and 11
		p := dataPixel(f, cell[0], cell[1])
		c := img.At(p.X, p.Y)
		r, g, b, _ := c.RGBA()
		hi, lo := max(r, g, b)>>8, min(r, g, b)>>8
		if hi-lo < 80 {
			t.Errorf("cell at (%g, %g) is %v: grey, not a colour", cell[0], cell[1], c)
		}
		if l := luminance(c); l > 0.85 || l < 0.005 {
			t.Errorf("cell at (%g, %g) is %v, luminance %g: too near white or black", cell[0], cell[1], c, l)
		}
	}
}

// A legend goes in the corner the lines leave emptiest: top left when
// they rise to the right, top right when they fall.
func TestLegendAvoidsData(t *testing.T) {
	corner := func(f *Figure) string {
		render(t, f)
		s := map[bool]string{true: "top", false: "bottom"}[f.p.Legend.Top]
		return s + map[bool]string{true: " left", false: " right"}[f.p.Legend.Left]
	}
	up := indexXs(50)
	down := make([]float64, 50)
	for i := range down {
		down[i] = 49 - up[i]
	}
	if got := corner(Series(up, Legend("rising"))); got != "top left" {
		t.Errorf("rising line: legend %s, want top left", got)
	}
	if got := corner(Series(down, Legend("falling"))); got != "top right" {
		t.Errorf("falling line: legend %s, want top right", got)
	}
	// A line high at both ends (a U) leaves the bottom corners free.
	u := make([]float64, 50)
	for i := range u {
		u[i] = (float64(i) - 24.5) * (float64(i) - 24.5)
	}
	if got := corner(Series(u, Legend("U"))); !strings.HasPrefix(got, "bottom") {
		t.Errorf("U: legend %s, want at the bottom", got)
	}
	// Two rising rows of a 2-D array, named by row.
	two := tensor.Reshape(tensor.Arange(0, 20), []int{2, 10})
	if got := corner(Line(two)); got != "top left" {
		t.Errorf("rising rows: legend %s, want top left", got)
	}

	// In the picture: the legend's text (black) is in the top-left part
	// of the plot, none in the top right.
	f := Series(up, Legend("rising"), Title(""))
	img := render(t, f)
	dark := func(x0, x1, y0, y1 int) int {
		n := 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if luminance(img.At(x, y)) < 0.1 {
					n++
				}
			}
		}
		return n
	}
	tl, tr := dataPixel(f, 0, 49), dataPixel(f, 49, 49)
	if l, r := dark(tl.X+5, tl.X+120, tl.Y, tl.Y+30), dark(tr.X-120, tr.X-5, tr.Y, tr.Y+30); l < 20 || r > 0 {
		t.Errorf("legend text pixels: %d top left, %d top right", l, r)
	}
}

// The tallest bar stops short of the plot's top, linear axis or log.
func TestBarsHeadroom(t *testing.T) {
	for _, opts := range [][]Option{nil, {LogY()}} {
		f := Bars([]string{"a", "b", "c"}, []float64{2, 10, 5}, opts...)
		img := render(t, f)
		col := dataPixel(f, 1, 10).X
		top := dataPixel(f, 1, f.p.Y.Max).Y
		bottom := dataPixel(f, 1, f.p.Y.Min).Y
		barTop := -1
		for y := 0; y < img.Bounds().Dy(); y++ {
			if near(singlePixel{img.At(col, y)}, lineColors[0]) == 1 {
				barTop = y
				break
			}
		}
		if barTop < 0 {
			t.Fatal("no bar")
		}
		if gap := float64(barTop-top) / float64(bottom-top); gap < 0.03 {
			t.Errorf("opts %d: tallest bar top at y=%d, plot top at %d: %.1f%% headroom", len(opts), barTop, top, 100*gap)
		}
	}
}

// Hist leaves the same headroom above its tallest bin as Bars.
func TestHistHeadroom(t *testing.T) {
	f := Hist(tensor.FromFloat64s([]float64{0, 1, 1, 1, 2, 2, 3}, 7), 4)
	if peak := 3.0; f.p.Y.Max < peak*1.03 {
		t.Fatalf("y axis ends at %g, the tallest bin is %g high", f.p.Y.Max, peak)
	}
}
