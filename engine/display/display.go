// Package display lets a cell show rich output: HTML, Markdown, images,
// JSON. It is exported to the interpreter, so a cell writes
// display.HTML("<b>hi</b>") without an import line.
//
// The Jupyter kernel turns each call into a display_data (or
// update_display_data) message; the REPL prints a text fallback.
package display

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"
)

// Output is one rich output: a mime bundle, optionally named by ID so that
// later calls can replace it in place.
type Output struct {
	Data     map[string]any
	Metadata map[string]any
	ID       string
	Update   bool
	Clear    bool // clear the cell's output (Jupyter's clear_output)
	Wait     bool // with Clear: wait for the next output before clearing
}

var (
	mu      sync.RWMutex
	handler func(Output)
	rich    bool
)

// SetHandler routes outputs to h (the engine calls it; nil drops them).
func SetHandler(h func(Output)) {
	mu.Lock()
	handler = h
	mu.Unlock()
}

// SetRich records whether the front end shows rich output and updates in
// place (Jupyter) or prints a text line per output (the REPL). The engine
// sets it with the handler.
func SetRich(on bool) {
	mu.Lock()
	rich = on
	mu.Unlock()
}

// Rich reports whether outputs are shown richly, so that code with a live
// display (a progress bar, streamed text) can fall back to plain printing
// in a terminal instead of printing every update as a line.
func Rich() bool {
	mu.RLock()
	defer mu.RUnlock()
	return rich
}

func emit(o Output) {
	mu.RLock()
	h := handler
	mu.RUnlock()
	if h != nil {
		h(o)
	}
}

// Clear clears the cell's output (wait: only when new output arrives, so an
// animation does not flicker). The REPL ignores it.
func Clear(wait bool) { emit(Output{Clear: true, Wait: wait}) }

// Show displays a mime bundle (mime type -> content).
func Show(data map[string]any) { emit(Output{Data: data}) }

// ShowID displays a bundle under id, so Update(id, ...) can replace it.
func ShowID(id string, data map[string]any) { emit(Output{Data: data, ID: id}) }

// Update replaces the output displayed under id.
func Update(id string, data map[string]any) { emit(Output{Data: data, ID: id, Update: true}) }

// HTML displays an HTML fragment.
func HTML(s string) { Show(HTMLData(s)) }

// Markdown displays Markdown text.
func Markdown(s string) { Show(MarkdownData(s)) }

// SVG displays an SVG image.
func SVG(s string) { Show(SVGData(s)) }

// PNG displays a PNG image given its encoded bytes.
func PNG(b []byte) { Show(PNGData(b)) }

// JSON displays v as JSON (a tree view in Jupyter); values that cannot be
// encoded are shown as their %v text.
func JSON(v any) { Show(JSONData(v)) }

// Text displays plain text.
func Text(s string) { Show(map[string]any{"text/plain": s}) }

// HTMLData is the bundle HTML shows, for ShowID and Update.
func HTMLData(s string) map[string]any {
	return map[string]any{"text/html": s, "text/plain": s}
}

// MarkdownData is the bundle Markdown shows.
func MarkdownData(s string) map[string]any {
	return map[string]any{"text/markdown": s, "text/plain": s}
}

// SVGData is the bundle SVG shows.
func SVGData(s string) map[string]any {
	return map[string]any{"image/svg+xml": s, "text/plain": fmt.Sprintf("<SVG image, %d bytes>", len(s))}
}

// PNGData is the bundle PNG shows (Jupyter wants base64 text).
func PNGData(b []byte) map[string]any {
	return map[string]any{"image/png": base64.StdEncoding.EncodeToString(b),
		"text/plain": fmt.Sprintf("<PNG image, %d bytes>", len(b))}
}

// JSONData is the bundle JSON shows.
func JSONData(v any) map[string]any {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return map[string]any{"text/plain": fmt.Sprintf("%v", v)}
	}
	var generic any
	_ = json.Unmarshal(b, &generic)
	return map[string]any{"application/json": generic, "text/plain": string(b)}
}

// Renderer is a value that knows how it looks: a figure, a table. Left as
// a cell's value, it is shown by its bundle (an image in Jupyter; the
// text/plain part in the REPL).
type Renderer interface {
	MimeBundle() map[string]any
}
