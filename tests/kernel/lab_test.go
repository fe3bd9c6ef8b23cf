package kernel_test

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestJupyterLabScreenshot runs JupyterLab with the installed kernel: a
// cell over the server's kernel websocket (the Lab UI's path), then the
// example notebook opened in headless Chromium, whose screenshot must show
// a drawn page; Lab's own session for the notebook must run mlx-go.
// MLXKERNEL_SCREENSHOT=file.png keeps a copy of the screenshot.
func TestJupyterLabScreenshot(t *testing.T) {
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		t.Fatal("no Chromium on PATH: install it (Debian: apt-get install chromium)")
	}
	work := t.TempDir()
	shot := filepath.Join(work, "lab.png")
	runPython(t, "lab.py", chromium, work, shot)

	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 800 {
		t.Fatalf("screenshot is %v", b)
	}
	if n := distinctColours(img); n < 50 {
		t.Fatalf("screenshot has %d colours: the page did not draw", n)
	}
	if keep := os.Getenv("MLXKERNEL_SCREENSHOT"); keep != "" {
		raw, _ := os.ReadFile(shot)
		if err := os.WriteFile(keep, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func distinctColours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}
