package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"regexp"
	"testing"
)

func TestCellStreamsReachTheFrontEnd(t *testing.T) {
	var out, errOut bytes.Buffer
	e, err := New(Options{Stdout: &out, Stderr: &errOut})
	if err != nil {
		t.Fatal(err)
	}
	r := e.Eval(context.Background(), "fmt.Fprintln(os.Stdout, \"to stdout\")\nfmt.Fprintln(os.Stderr, \"to stderr\")")
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if out.String() != "to stdout\n" || errOut.String() != "to stderr\n" {
		t.Errorf("stdout %q stderr %q", out.String(), errOut.String())
	}
}

func TestDisplayReachesTheKernel(t *testing.T) {
	var shown []Display
	var out bytes.Buffer
	e, err := New(Options{Stdout: &out, Stderr: &out, Display: func(d Display) { shown = append(shown, d) }})
	if err != nil {
		t.Fatal(err)
	}
	src := `display.HTML("<b>hi</b>")
display.Markdown("# title")
display.PNG([]byte{0x89, 'P', 'N', 'G'})
display.SVG("<svg/>")
display.JSON(map[string]int{"a": 1})
display.ShowID("progress", display.HTMLData("0%"))
display.Update("progress", display.HTMLData("100%"))`
	if r := e.Eval(context.Background(), src); r.Err != nil {
		t.Fatal(r.Err)
	}
	if len(shown) != 7 {
		t.Fatalf("%d displays: %+v", len(shown), shown)
	}
	if shown[0].Data["text/html"] != "<b>hi</b>" || shown[1].Data["text/markdown"] != "# title" {
		t.Errorf("html/markdown: %+v %+v", shown[0], shown[1])
	}
	if png, _ := base64.StdEncoding.DecodeString(shown[2].Data["image/png"].(string)); string(png) != "\x89PNG" {
		t.Errorf("png: %+v", shown[2])
	}
	if shown[3].Data["image/svg+xml"] != "<svg/>" {
		t.Errorf("svg: %+v", shown[3])
	}
	if m, ok := shown[4].Data["application/json"].(map[string]any); !ok || m["a"] != float64(1) {
		t.Errorf("json: %+v", shown[4])
	}
	if shown[5].ID != "progress" || shown[5].Update || !shown[6].Update || shown[6].Data["text/html"] != "100%" {
		t.Errorf("update: %+v %+v", shown[5], shown[6])
	}
	if out.Len() != 0 {
		t.Errorf("text fallback used with a Display hook: %q", out.String())
	}
}

func TestDisplayFallsBackToText(t *testing.T) {
	e, out := newTestEngine(t)
	mustEval(t, e, `display.Markdown("*text*")`)
	mustEval(t, e, `display.PNG([]byte("not really a png"))`)
	m := regexp.MustCompile(`^\*text\*\n<PNG image, 16 bytes> \(saved to (.+)\)\n$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("fallback %q", out.String())
	}
	defer os.Remove(m[1])
	if saved, err := os.ReadFile(m[1]); err != nil || string(saved) != "not really a png" {
		t.Errorf("saved image %q, %v", saved, err)
	}
}
