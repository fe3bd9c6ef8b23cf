package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A second run replaces its own section of BENCHMARKS.md and keeps the
// rest of the file (text people wrote around it).
func TestBenchmarksSectionIsReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	env := environment{card: "Test GPU", driver: "1", mlx: "0.32.4", mlxLM: "0.32.2", goVersion: "go", date: "today", command: "mlxbench"}
	row := func(decode float64) suiteRow {
		r := suiteRow{name: "m", weightBytes: 1e9}
		for _, res := range []*result{&r.go512, &r.lm512, &r.go2048, &r.lm2048} {
			res.add(sample{PrefillTPS: 100, DecodeTPS: decode, TTFT: 0.01, Peak: 1e9})
		}
		r.goDecode, r.lmDecode = decode, decode
		return r
	}
	if err := writeBenchmarksMD(path, env, 1e12, 1e15, []suiteRow{row(111)}, nil); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	os.WriteFile(path, append(raw, "\nNotes written by hand.\n"...), 0o644)
	if err := writeBenchmarksMD(path, env, 1e12, 1e15, []suiteRow{row(222)}, []kernelResult{{name: "rms_norm", shape: "s", seconds: 1e-5, rate: 1e12, ofPeak: 0.5}}); err != nil {
		t.Fatal(err)
	}
	raw, _ = os.ReadFile(path)
	text := string(raw)
	if strings.Count(text, beginMarker) != 1 || strings.Contains(text, "111.0") || !strings.Contains(text, "| 222.0 |") {
		t.Fatalf("the section was not replaced:\n%s", text)
	}
	if !strings.Contains(text, "Notes written by hand.") || !strings.Contains(text, "| rms_norm | s | 10.0 | 1000 GB/s | 50% |") {
		t.Fatalf("lost text or kernel row:\n%s", text)
	}
}
