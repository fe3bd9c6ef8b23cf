package engine

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"

	"github.com/mlx-go/mlx-go/engine/display"
)

// renderValue shows a value that knows how it looks (a display.Renderer
// such as a plot.Figure) by its mime bundle: its text/plain part is the
// text, the rest goes to Jupyter. The REPL cannot show an image, so there
// the image is saved to a file and the text says where.
func (e *Engine) renderValue(v reflect.Value, val *Value) bool {
	if !v.CanInterface() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return false
	}
	r, ok := v.Interface().(display.Renderer)
	if !ok {
		return false
	}
	data, err := mimeBundle(r)
	if err != nil {
		val.Text = fmt.Sprintf("%s (its MimeBundle failed: %v)", val.Text, err)
		return true
	}
	if s, ok := data["text/plain"].(string); ok {
		val.Text = s
	}
	if e.opts.Display == nil {
		if saved := saveImage(data); saved != "" {
			val.Text += " " + saved
		}
		return true
	}
	val.Rich = map[string]any{}
	for mime, content := range data {
		if mime != "text/plain" {
			val.Rich[mime] = content
		}
	}
	return true
}

// mimeBundle calls r.MimeBundle, turning a panic into an error: a broken
// renderer must not cost the user the cell's other work.
func mimeBundle(r display.Renderer) (data map[string]any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return r.MimeBundle(), nil
}

var savedImages atomic.Int64

// saveImage writes a bundle's PNG to a temporary file, for the REPL, and
// says where ("(saved to /tmp/...)"); "" when the bundle has no PNG.
func saveImage(data map[string]any) string {
	b64, ok := data["image/png"].(string)
	if !ok {
		return ""
	}
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return ""
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("mlx-go-%d", os.Getpid()))
	path := filepath.Join(dir, fmt.Sprintf("figure-%d.png", savedImages.Add(1)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Sprintf("(not saved: %v)", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Sprintf("(not saved: %v)", err)
	}
	return "(saved to " + path + ")"
}
