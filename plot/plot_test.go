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
// CIE L*, which Kindlmann's colours increase along).
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
