package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/tensor"
)

// environment is what a reader of BENCHMARKS.md needs to reproduce or
// distrust a number: card, driver, versions, date and the command.
type environment struct {
	card, driver, mlx, mlxLM, goVersion, date, command string
}

func describeEnvironment(python string) environment {
	e := environment{card: "unknown (no nvidia-smi)", mlx: tensor.Version(), goVersion: runtime.Version(),
		date: time.Now().UTC().Format("2006-01-02 15:04 MST"), command: commandLine()}
	if out, err := exec.Command("nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader").Output(); err == nil {
		fields := strings.Split(strings.TrimSpace(strings.Split(string(out), "\n")[0]), ", ")
		if len(fields) == 3 {
			e.card, e.driver = fields[0]+" ("+fields[2]+")", fields[1]
		}
	}
	e.mlxLM = "unknown"
	if out, err := exec.Command(python, "-c", "import mlx_lm; print(mlx_lm.__version__)").Output(); err == nil {
		e.mlxLM = strings.TrimSpace(string(out))
	}
	return e
}

func (e environment) String() string {
	return fmt.Sprintf("card: %s, driver %s; MLX %s (%s), mlx-lm %s, %s; %s",
		e.card, e.driver, e.mlx, tensor.DefaultDevice(), e.mlxLM, e.goVersion, e.date)
}

// writeBenchmarksMD replaces the CUDA section of path (between its
// markers) with this run's tables, keeping whatever else the file holds.
func writeBenchmarksMD(path string, env environment, bw, peak float64, rows []suiteRow, ks []kernelResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## CUDA: %s\n\n", beginMarker, env.card)
	fmt.Fprintf(&b, "- Date: %s; driver %s; MLX %s (libmlx of the mlx-cuda-13 wheel); mlx-lm %s; %s\n", env.date, env.driver, env.mlx, env.mlxLM, env.goVersion)
	fmt.Fprintf(&b, "- Command: `%s` (random-weight checkpoints of each shape, both sides on the same files, median of the timed runs)\n", env.command)
	fmt.Fprintf(&b, "- Measured limits: device-to-device pass %.0f GB/s (bytes read + written), bf16 matmul 8192³ %.0f TFLOP/s\n\n", bw/1e9, peak/1e12)
	b.WriteString("| model | side | prefill 512 tok/s | prefill 2048 tok/s | decode tok/s (128) | TTFT ms (512) | peak GB | decode of bandwidth limit |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		rt := ratios(r)
		fmt.Fprintf(&b, "| %s | mlx-go | %.0f | %.0f | %.1f | %.1f | %.2f | %.0f%% |\n", r.name, median(r.go512.PrefillTPS), median(r.go2048.PrefillTPS),
			r.goDecode, median(r.go512.TTFT)*1000, median(r.go512.Peak)/1e9, r.goFraction*100)
		fmt.Fprintf(&b, "| | mlx-lm | %.0f | %.0f | %.1f | %.1f | %.2f | %.0f%% |\n", median(r.lm512.PrefillTPS), median(r.lm2048.PrefillTPS),
			r.lmDecode, median(r.lm512.TTFT)*1000, median(r.lm512.Peak)/1e9, r.lmFraction*100)
		fmt.Fprintf(&b, "| | **ratio** | **%.2f×** | **%.2f×** | **%.2f×** | **%.2f×** | **%.2f×** | limit %.0f tok/s (%.2f GB/token) |\n",
			rt[0], rt[1], rt[2], rt[3], rt[4], r.decodeLimitTPS, float64(r.weightBytes)/1e9)
	}
	b.WriteString("\nRatios: above 1 means mlx-go is better (TTFT and peak memory: mlx-lm's over mlx-go's).\n\n")
	b.WriteString("| fused kernel | shape | time µs | achieved | of measured peak |\n|---|---|---:|---:|---:|\n")
	for _, k := range ks {
		fmt.Fprintf(&b, "| %s | %s | %.1f | %s | %.0f%% |\n", k.name, k.shape, k.seconds*1e6, k.rateString(), k.ofPeak*100)
	}
	b.WriteString(endMarker + "\n")

	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	if i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker); i >= 0 && j > i {
		text = text[:i] + b.String() + strings.TrimPrefix(text[j+len(endMarker):], "\n")
	} else {
		if text == "" {
			text = "# Benchmarks\n\nWritten by `go run ./cmd/mlxbench`; each section is replaced by the run that produced it.\n\n"
		}
		text += b.String()
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

const (
	beginMarker = "<!-- mlxbench cuda: begin -->"
	endMarker   = "<!-- mlxbench cuda: end -->"
)

// commandLine is how this run was started, with the paths of where its
// files went shortened to their names (they are the runner's, not the
// reader's).
func commandLine() string {
	args := slices.Clone(os.Args[1:])
	for i := 1; i < len(args); i++ {
		if args[i-1] == "-md" || args[i-1] == "-dir" || args[i-1] == "-python" {
			args[i] = filepath.Base(args[i])
		}
	}
	return "go run ./cmd/mlxbench " + strings.Join(args, " ")
}
