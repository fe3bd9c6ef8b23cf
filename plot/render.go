package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNG renders the figure as PNG bytes, Pixels() in size.
func (f *Figure) PNG() ([]byte, error) {
	var b bytes.Buffer
	if err := f.write(&b, "png"); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Save writes the figure to path in the format its extension names:
// .png, .jpg/.jpeg, .tif/.tiff, .svg or .pdf.
func (f *Figure) Save(path string) error {
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	var b bytes.Buffer
	if err := f.write(&b, format); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// write draws the figure onto a canvas of format and writes it to w.
func (f *Figure) write(w io.Writer, format string) (err error) {
	width, height := vg.Length(f.cfg.width)*vg.Inch, vg.Length(f.cfg.height)*vg.Inch
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: raster(width, height)}
	case "jpg", "jpeg":
		c = vgimg.JpegCanvas{Canvas: raster(width, height)}
	case "tif", "tiff":
		c = vgimg.TiffCanvas{Canvas: raster(width, height)}
	case "svg":
		c = vgsvg.New(width, height)
	case "pdf":
		c = vgpdf.New(width, height)
	default:
		return fmt.Errorf("plot: cannot save as %q: use .png, .jpg, .tif, .svg or .pdf", format)
	}
	// gonum panics on data it cannot place (a log axis reaching zero, say):
	// that is this figure's error, not the session's.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: drawing the figure failed: %v", r)
		}
	}()
	f.draw(draw.New(c))
	_, err = c.WriteTo(w)
	return err
}

// raster is an image canvas at dpi pixels per inch on white.
func raster(w, h vg.Length) *vgimg.Canvas {
	return vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
}

// colorBarWidth is the strip a heat map's colour bar and its labels
// take on the right, colorBarGap the space between it and the map.
const (
	colorBarWidth = 0.7 * vg.Inch
	colorBarGap   = 0.15 * vg.Inch
)

// margin keeps tick labels and the legend off the image's edge.
const margin = 0.12 * vg.Inch

// draw draws the plot, and a heat map's colour bar beside it.
func (f *Figure) draw(c draw.Canvas) {
	c.SetColor(color.White) // the margin too: a transparent one vanishes on dark themes
	c.Fill(c.Rectangle.Path())
	main, bar := f.layout(c)
	if f.named > 0 {
		f.placeLegend(main)
	}
	f.p.Draw(main)
	if f.colorBar != nil {
		f.colorBar.Draw(bar)
	}
}

// layout splits the canvas between the plot and a heat map's colour bar.
// The bar spans exactly the map's data area, so their scales line up.
func (f *Figure) layout(c draw.Canvas) (main, bar draw.Canvas) {
	c = draw.Crop(c, margin, -margin, margin, -margin)
	if f.colorBar == nil {
		return c, draw.Canvas{}
	}
	main = draw.Crop(c, 0, -(colorBarWidth + colorBarGap), 0, 0)
	data := f.p.DataCanvas(main)
	bar = c
	bar.Min = vg.Point{X: c.Max.X - colorBarWidth, Y: data.Min.Y}
	bar.Max.Y = data.Max.Y
	return main, bar
}
