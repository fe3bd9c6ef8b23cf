// Command logogen draws the kernel's logos (logo-32x32.png, logo-64x64.png):
// an MLX array — a 3x3 grid of cells with its diagonal lit — on Go's blue.
// Run by go generate in package kernelspec; the output is deterministic.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

var (
	goBlue = color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	dim    = color.NRGBA{0xFF, 0xFF, 0xFF, 0x70}
	lit    = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

func main() {
	for _, size := range []int{32, 64} {
		if err := write(size); err != nil {
			fmt.Fprintln(os.Stderr, "logogen:", err)
			os.Exit(1)
		}
	}
}

func write(size int) error {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	radius := s * 0.18
	pad := s * 0.16
	gap := s * 0.06
	cell := (s - 2*pad - 2*gap) / 3
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			a := roundedCoverage(px, py, 0, 0, s, s, radius)
			if a == 0 {
				continue
			}
			c := goBlue
			for i := 0; i < 3; i++ {
				for j := 0; j < 3; j++ {
					x0 := pad + float64(j)*(cell+gap)
					y0 := pad + float64(i)*(cell+gap)
					if k := roundedCoverage(px, py, x0, y0, x0+cell, y0+cell, cell*0.2); k > 0 {
						fg := dim
						if i == j {
							fg = lit
						}
						c = over(c, fg, k)
					}
				}
			}
			c.A = uint8(float64(c.A) * a)
			img.SetNRGBA(x, y, c)
		}
	}
	f, err := os.Create(fmt.Sprintf("logo-%dx%d.png", size, size))
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}

// roundedCoverage is how much of the pixel centred at (px,py) lies inside
// the rounded rectangle, anti-aliased over one pixel.
func roundedCoverage(px, py, x0, y0, x1, y1, r float64) float64 {
	cx := math.Max(x0+r, math.Min(px, x1-r))
	cy := math.Max(y0+r, math.Min(py, y1-r))
	d := math.Hypot(px-cx, py-cy) - r
	return math.Max(0, math.Min(1, 0.5-d))
}

// over blends fg onto bg with coverage k.
func over(bg, fg color.NRGBA, k float64) color.NRGBA {
	a := float64(fg.A) / 255 * k
	mix := func(b, f uint8) uint8 { return uint8(float64(b)*(1-a) + float64(f)*a + 0.5) }
	return color.NRGBA{mix(bg.R, fg.R), mix(bg.G, fg.G), mix(bg.B, fg.B), bg.A}
}
