package kernel_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/kernel"
	"github.com/mlx-go/mlx-go/kernel/kerneltest"
)

// A figure left as a cell's value arrives as an image/png execute_result
// of the size asked for, with a text/plain summary; Show sends it as
// display_data.
func TestPlotCellsAreImages(t *testing.T) {
	p := startKernel(t)
	for _, c := range []struct {
		code, text string
		w, h       int
	}{
		{`plot.Line(tensor.Arange(0, 100), plot.Title("ramp"))`, "<Figure: Line, 640x480>", 640, 480},
		{`plot.Hist(tensor.RandomNormal([]int{1000}), 20, plot.Size(5, 4))`, "<Figure: Hist, 500x400>", 500, 400},
		{`plot.Heatmap(tensor.Reshape(tensor.Arange(0, 64), []int{8, 8}).AsType(tensor.Bfloat16), plot.Size(4, 4))`, "<Figure: Heatmap, 400x400>", 400, 400},
		{`plot.Bars([]string{"a", "b"}, []float64{1, 2}, plot.Size(3, 2))`, "<Figure: Bars, 300x200>", 300, 200},
	} {
		ex := p.execute(t, c.code, "ok")
		data := message(t, ex, "execute_result")
		if data["text/plain"] != c.text {
			t.Errorf("%s: text/plain %v, want %s", c.code, data["text/plain"], c.text)
		}
		if w, h := pngSize(t, data); w != c.w || h != c.h {
			t.Errorf("%s: PNG %dx%d, want %dx%d", c.code, w, h, c.w, c.h)
		}
	}
	ex := p.execute(t, "f := plot.Series([]float64{3, 2, 1})\nf.Show()\nf.Add(\"more\", []float64{0, 2}, []float64{1, 3}).Show()", "ok")
	shown := 0
	for _, m := range ex.IOPub {
		if m.Header.MsgType == "display_data" {
			pngSize(t, kerneltest.Content(m)["data"].(map[string]any))
			shown++
		}
	}
	if shown != 2 {
		t.Errorf("Show twice gave %d display_data", shown)
	}
}

// Bad plot input fails the cell with the plot's message; the kernel and
// its state survive.
func TestBadPlotInputIsAnError(t *testing.T) {
	p := startKernel(t)
	p.execute(t, "kept := 41", "ok")
	for code, want := range map[string]string{
		`plot.Heatmap(tensor.Arange(0, 4))`:                       "plot.Heatmap(float32[4]): needs a 2-D array, got 1-D",
		`plot.Hist(tensor.Arange(0, 4), 0)`:                       "bins must be positive",
		`plot.Line(tensor.Arange(0, 3).AsType(tensor.Complex64))`: "cannot plot complex values",
		`plot.LineXY(tensor.Arange(0, 3), tensor.Arange(0, 5))`:   "x has 3 values but y has 5",
	} {
		ex := p.execute(t, code, "error")
		if c := kerneltest.Content(ex.Reply); !strings.Contains(fmt.Sprint(c["evalue"]), want) {
			t.Errorf("%s: evalue %v, want %q", code, c["evalue"], want)
		}
	}
	if got := result(p.execute(t, "kept + 1", "ok")); got != "42" {
		t.Fatalf("after the plot errors kept+1 = %q", got)
	}
}

// message is the data of the execution's first message of type kind.
func message(t *testing.T, ex *kerneltest.Execution, kind string) map[string]any {
	t.Helper()
	for _, m := range ex.IOPub {
		if m.Header.MsgType == kind {
			return kerneltest.Content(m)["data"].(map[string]any)
		}
	}
	t.Fatalf("no %s among %v", kind, types(ex.IOPub))
	return nil
}

func types(ms []*kernel.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Header.MsgType)
	}
	return out
}

// pngSize decodes a bundle's image/png.
func pngSize(t *testing.T, data map[string]any) (w, h int) {
	t.Helper()
	b64, ok := data["image/png"].(string)
	if !ok {
		t.Fatalf("no image/png in bundle with %d parts", len(data))
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}
