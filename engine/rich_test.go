package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image/png"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/models/lm/lmtest"
)

// decodePNG decodes a bundle's base64 PNG and returns its size.
func decodePNG(t *testing.T, data map[string]any) (w, h int) {
	t.Helper()
	b64, ok := data["image/png"].(string)
	if !ok {
		t.Fatalf("no image/png in %v", keys(data))
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// A figure as a cell's value is a PNG for Jupyter with its summary as
// text/plain.
func TestFigureValueIsAnImage(t *testing.T) {
	var out bytes.Buffer
	e, err := New(Options{Stdout: &out, Stderr: &out, Display: func(Display) {}})
	if err != nil {
		t.Fatal(err)
	}
	r := mustEval(t, e, `plot.Line(tensor.Arange(0, 10), plot.Size(4, 3), plot.Title("ramp"))`)
	if r.Value == nil || r.Value.Text != "<Figure: Line, 400x300>" {
		t.Fatalf("value %+v", r.Value)
	}
	if w, h := decodePNG(t, r.Value.Rich); w != 400 || h != 300 {
		t.Fatalf("PNG is %dx%d, want 400x300", w, h)
	}
	if _, ok := r.Value.Rich["text/plain"]; ok {
		t.Error("Rich repeats text/plain (the kernel takes it from Text)")
	}
}

// In the REPL a figure prints its summary and where its PNG was saved.
func TestFigureValueInTheREPL(t *testing.T) {
	e, _ := newTestEngine(t)
	r := mustEval(t, e, `plot.Hist(tensor.Arange(0, 100), 10)`)
	m := regexp.MustCompile(`^<Figure: Hist, 640x480> \(saved to (.+\.png)\)$`).FindStringSubmatch(r.Value.Text)
	if m == nil {
		t.Fatalf("REPL text %q", r.Value.Text)
	}
	f, err := os.Open(m[1])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	defer os.Remove(m[1])
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() != 640 {
		t.Fatalf("saved PNG: %v %v", img, err)
	}
}

// Bad plot input fails the cell with the plot's message, like a tensor
// op, and the session goes on.
func TestBadPlotIsACellError(t *testing.T) {
	e, _ := newTestEngine(t)
	for src, want := range map[string]string{
		`plot.Heatmap(tensor.Arange(0, 3))`:                       "plot.Heatmap(float32[3]): needs a 2-D array, got 1-D",
		`plot.Hist(tensor.Arange(0, 3), 0)`:                       "bins must be positive",
		`plot.SeriesXY([]float64{1, 2}, []float64{1})`:            "x has 2 values but y has 1",
		`plot.Line(tensor.Zeros([]int{0}))`:                       "the array is empty",
		`plot.Line(tensor.Arange(0, 3).AsType(tensor.Complex64))`: "cannot plot complex values",
	} {
		r := e.Eval(context.Background(), src)
		if r.Err == nil || !strings.Contains(r.Err.Msg, want) {
			t.Errorf("%s: error %v, want %q", src, r.Err, want)
		}
	}
	if r := mustEval(t, e, "1 + 1"); r.Value.Text != "2" {
		t.Fatalf("after the errors 1+1 = %q", r.Value.Text)
	}
}

// live.Generate shows one display and updates it in place until the
// final text, the one a direct generation gives, with its speed.
func TestLiveGenerateUpdatesOneDisplay(t *testing.T) {
	dir, m := lmtest.Tiny(t)
	want, err := m.Generate(context.Background(), "Hi", lm.MaxTokens(40), lm.StopTokens()).Text()
	if err != nil || want == "" {
		t.Fatalf("reference generation %q, %v", want, err)
	}

	var shown []Display
	var out bytes.Buffer
	e, err := New(Options{Stdout: &out, Stderr: &out, Display: func(d Display) { shown = append(shown, d) }})
	if err != nil {
		t.Fatal(err)
	}
	mustEval(t, e, fmt.Sprintf("m, _ := lm.LoadLLM(%q)", dir))
	r := mustEval(t, e, `text, err := live.Generate(m, "Hi", lm.MaxTokens(40), lm.StopTokens())
if err != nil { panic(err) }
text`)
	if r.Value == nil || r.Value.Text != fmt.Sprintf("%q", want) {
		t.Fatalf("live.Generate returned %+v, want %q", r.Value, want)
	}
	if len(shown) < 2 || shown[0].ID == "" || shown[0].Update {
		t.Fatalf("displays %+v", shown)
	}
	for _, d := range shown[1:] {
		if !d.Update || d.ID != shown[0].ID {
			t.Fatalf("not an update of %s: %+v", shown[0].ID, d)
		}
	}
	final := shown[len(shown)-1].Data["text/plain"].(string)
	if !strings.HasPrefix(final, want+"\n\n") || !strings.Contains(final, "tok/s") {
		t.Fatalf("final display %q, want the text %q and a speed", final, want)
	}
	if out.Len() != 0 {
		t.Errorf("printed %q besides the display", out.String())
	}
}

// The plot and live packages are known without an import line, to
// completion and to :doc.
func TestPlotAndLiveAreKnown(t *testing.T) {
	e, _ := newTestEngine(t)
	for src, want := range map[string]string{"plot.Hea": "Heatmap", "live.Gen": "Generate", "plot.Lo": "LogY"} {
		if items, _, _ := e.Complete(src, len(src)); !slices.Contains(items, want) {
			t.Errorf("Complete(%q) = %v, want %s", src, items, want)
		}
	}
	if r := mustEval(t, e, ":doc live.Generate"); !strings.Contains(r.Value.Text, "func Generate(m *lm.LLM, prompt string, opts ...lm.Option) (string, error)") {
		t.Errorf(":doc live.Generate = %q", r.Value.Text)
	}
	if r := mustEval(t, e, ":doc plot.Figure.Add"); !strings.Contains(r.Value.Text, "func (f *Figure) Add(label string, x, y []float64) *Figure") {
		t.Errorf(":doc plot.Figure.Add = %q", r.Value.Text)
	}
}
