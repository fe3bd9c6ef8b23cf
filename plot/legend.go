package plot

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendCorners are where a legend may go, as gonum's Legend.Top and
// Left, in order of preference when several are equally empty.
var legendCorners = []struct{ top, left bool }{
	{true, false}, {true, true}, {false, false}, {false, true},
}

// legendSlack widens the box a legend is kept clear in, beyond its text,
// so that a line just outside it does not touch it either.
const legendSlack = 4 * vg.Millimeter

// placeLegend puts the legend in the corner of the plot, drawn on main,
// where it hides the least of the lines: the corner whose legend-sized
// box the fewest points fall in, counting points along each line's
// segments (every couple of millimetres) as well as its data points, so
// that a straight line through a corner counts there.
func (f *Figure) placeLegend(main draw.Canvas) {
	data := f.p.DataCanvas(main)
	size := f.p.Legend.Rectangle(main).Size()
	w, h := size.X+legendSlack, size.Y+legendSlack
	boxes := make([]vg.Rectangle, len(legendCorners))
	for i, c := range legendCorners {
		b := &boxes[i]
		b.Min.X, b.Max.X = data.Max.X-w, data.Max.X
		if c.left {
			b.Min.X, b.Max.X = data.Min.X, data.Min.X+w
		}
		b.Min.Y, b.Max.Y = data.Min.Y, data.Min.Y+h
		if c.top {
			b.Min.Y, b.Max.Y = data.Max.Y-h, data.Max.Y
		}
	}
	counts := make([]int, len(boxes))
	count := func(p vg.Point) {
		for i, b := range boxes {
			if p.X >= b.Min.X && p.X <= b.Max.X && p.Y >= b.Min.Y && p.Y <= b.Max.Y {
				counts[i]++
			}
		}
	}
	const step = 2 * vg.Millimeter // sampling along a segment
	const maxSamples = 200         // per segment: a long one is still counted cheaply
	at := func(x, y float64) (vg.Point, bool) {
		nx, ny := f.p.X.Norm(x), f.p.Y.Norm(y)
		if math.IsNaN(nx) || math.IsNaN(ny) || math.IsInf(nx, 0) || math.IsInf(ny, 0) {
			return vg.Point{}, false
		}
		return vg.Point{X: data.X(nx), Y: data.Y(ny)}, true
	}
	for _, xys := range f.xys {
		prev, havePrev := vg.Point{}, false
		for _, xy := range xys {
			p, ok := at(xy.X, xy.Y)
			if !ok {
				havePrev = false
				continue
			}
			if havePrev {
				d := p.Sub(prev)
				n := int(math.Min(maxSamples, math.Ceil(float64(vg.Length(math.Hypot(float64(d.X), float64(d.Y)))/step))))
				for k := 1; k < n; k++ {
					count(prev.Add(d.Scale(vg.Length(k) / vg.Length(n))))
				}
			}
			count(p)
			prev, havePrev = p, true
		}
	}
	best := 0
	for i := range counts {
		if counts[i] < counts[best] {
			best = i
		}
	}
	f.p.Legend.Top, f.p.Legend.Left = legendCorners[best].top, legendCorners[best].left
}
