// Command gen writes the yaegi symbol tables of our compiled packages into
// package symbols (run by `go generate ./symbols`). It drives yaegi's own
// extract library, pinned by go.mod, rather than the yaegi binary, which
// would compile the whole standard-library table first.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/traefik/yaegi/extract"
)

// packages are the import paths exported to the interpreter. Adding a
// package to the REPL is one line here plus `go generate ./symbols`.
var packages = []string{
	"github.com/mlx-go/mlx-go/tensor",
	"github.com/mlx-go/mlx-go/interrupt",
	"github.com/mlx-go/mlx-go/engine/display",
	"github.com/mlx-go/mlx-go/engine/rt",
	"github.com/mlx-go/mlx-go/engine/live",
	"github.com/mlx-go/mlx-go/plot",
	"github.com/mlx-go/mlx-go/fast",
	"github.com/mlx-go/mlx-go/nn",
	"github.com/mlx-go/mlx-go/nn/optim",
	"github.com/mlx-go/mlx-go/nn/lora",
	"github.com/mlx-go/mlx-go/models",
	"github.com/mlx-go/mlx-go/models/lm",
	"github.com/mlx-go/mlx-go/models/tokenizer",
	"github.com/mlx-go/mlx-go/models/chat",
	"github.com/mlx-go/mlx-go/models/finetune",
	"github.com/mlx-go/mlx-go/models/checkpoint",
}

func main() {
	out := flag.String("o", ".", "directory to write the tables into")
	flag.Parse()
	ext := extract.Extractor{Dest: "symbols"}
	for _, path := range packages {
		var buf bytes.Buffer
		if _, err := ext.Extract(path, "", &buf); err != nil {
			fmt.Fprintf(os.Stderr, "extract %s: %v\n", path, err)
			os.Exit(1)
		}
		name := strings.NewReplacer("/", "-", ".", "_").Replace(path) + ".go"
		if err := os.WriteFile(filepath.Join(*out, name), buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := writeDocs(path, *out); err != nil {
			fmt.Fprintf(os.Stderr, "docs of %s: %v\n", path, err)
			os.Exit(1)
		}
	}
}
