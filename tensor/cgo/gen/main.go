// Command gen turns the op table (tensor/cgo/ops.def) into the C ABI, its C++
// body, the Go calls into it (package cgo) and the user-facing Go API
// (package tensor), so that adding an op is one line in ops.def.
//
// Run by `go generate ./tensor/cgo` from the repository root.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	table := flag.String("table", "ops.def", "op table")
	outDir := flag.String("out", ".", "directory for the cgo package files")
	apiDir := flag.String("api", "..", "directory for the tensor package files")
	flag.Parse()
	src, err := os.ReadFile(*table)
	if err != nil {
		fail("%v", err)
	}
	ops, err := parseTable(string(src))
	if err != nil {
		fail("%s: %v", *table, err)
	}
	opts, err := collectOptions(ops)
	if err != nil {
		fail("%s: %v", *table, err)
	}
	write(filepath.Join(*outDir, "ops_gen.h"), []byte(cHeader(ops)))
	write(filepath.Join(*outDir, "ops_gen.cpp"), []byte(cppBody(ops)))
	write(filepath.Join(*outDir, "ops_gen.go"), gofmt(goLowLevel(ops)))
	write(filepath.Join(*apiDir, "ops_gen.go"), gofmt(goAPI(ops)))
	write(filepath.Join(*apiDir, "options_gen.go"), gofmt(goOptions(opts)))
}

func fail(f string, args ...any) {
	fmt.Fprintf(os.Stderr, "gen: "+f+"\n", args...)
	os.Exit(1)
}

func write(path string, b []byte) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		fail("%v", err)
	}
}

func gofmt(src string) []byte {
	b, err := format.Source([]byte(src))
	if err != nil {
		os.WriteFile("/tmp/gen_broken.go", []byte(src), 0o644)
		fail("generated Go does not parse (see /tmp/gen_broken.go): %v", err)
	}
	return b
}

// camel turns snake_case into CamelCase, keeping known initialisms upper case.
func camel(s string) string {
	upper := map[string]string{"fft": "FFT", "ifft": "IFFT", "rfft": "RFFT", "irfft": "IRFFT",
		"fft2": "FFT2", "ifft2": "IFFT2", "fftn": "FFTN", "ifftn": "IFFTN", "rfftn": "RFFTN",
		"irfftn": "IRFFTN", "qr": "QR", "svd": "SVD", "sdpa": "SDPA", "rms": "RMS", "nan": "NaN",
		"1d": "1D", "2d": "2D", "3d": "3D", "mm": "MM"}
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if u, ok := upper[part]; ok {
			b.WriteString(u)
		} else if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
