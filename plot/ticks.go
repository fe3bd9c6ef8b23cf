package plot

import (
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
)

// niceTicks marks a linear axis at 1, 2 or 5 times a power of ten, about
// six labels across (gonum's default labels only two or three), with
// unlabelled ticks between, and labels as short as the step allows ("0.5",
// not "0.50").
type niceTicks struct{}

func (niceTicks) Ticks(min, max float64) []gplot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return gplot.DefaultTicks{}.Ticks(min, max)
	}
	step := niceStep((max - min) / 6)
	minor := step / 2
	if s := strconv.FormatFloat(step/math.Pow10(int(math.Floor(math.Log10(step)))), 'g', -1, 64); s == "2" {
		minor = step / 4 // halves of 2 would be 1, 3, 5: quarters read better
	}
	decimals := max0(-int(math.Floor(math.Log10(step) + 1e-9)))
	var ticks []gplot.Tick
	for i := math.Ceil(min / minor); i*minor <= max+minor*1e-9; i++ {
		v := i * minor
		t := gplot.Tick{Value: v}
		if k := v / step; math.Abs(k-math.Round(k)) < 1e-9 {
			t.Value = math.Round(k) * step // exact, and no "-0"
			t.Label = strconv.FormatFloat(t.Value+0, 'f', decimals, 64)
			if t.Label == "-0" {
				t.Label = "0"
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// niceStep is the 1, 2 or 5 times a power of ten nearest raw (by ratio).
func niceStep(raw float64) float64 {
	p := math.Pow10(int(math.Floor(math.Log10(raw))))
	best := p
	for _, m := range []float64{2, 5, 10} {
		if math.Abs(math.Log(m*p/raw)) < math.Abs(math.Log(best/raw)) {
			best = m * p
		}
	}
	return best
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}
