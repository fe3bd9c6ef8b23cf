package engine

import (
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/mlx-go/mlx-go/symbols"
	"github.com/traefik/yaegi/stdlib"
)

// preferred settles package names that several importable paths share, in
// favour of the one a user most likely means.
var preferred = map[string]string{
	"rand":     "math/rand",
	"template": "text/template",
	"scanner":  "text/scanner",
	"pprof":    "runtime/pprof",
	"parser":   "go/parser",
	"constant": "go/constant",
	"build":    "go/build",
	"doc":      "go/doc",
	"format":   "go/format",
	"token":    "go/token",
	"ast":      "go/ast",
	"types":    "go/types",
	"printer":  "go/printer",
	"big":      "math/big",
	"cmplx":    "math/cmplx",
	"bits":     "math/bits",
	"url":      "net/url",
	"json":     "encoding/json",
	"tensor":   "github.com/mlx-go/mlx-go/tensor",
}

// knownPackages maps a package name to its import path and symbols, for
// every package the interpreter can import. Built once, on first use.
var knownPackages = sync.OnceValue(func() map[string]knownPackage {
	all := map[string][]knownPackage{}
	for key, syms := range stdlib.Symbols {
		p := splitSymbolKey(key, len(syms))
		all[p.name] = append(all[p.name], p)
	}
	for key, syms := range symbols.Symbols {
		p := splitSymbolKey(key, len(syms))
		all[p.name] = append(all[p.name], p)
	}
	out := map[string]knownPackage{}
	for name, cands := range all {
		sort.Slice(cands, func(i, j int) bool {
			if len(cands[i].path) != len(cands[j].path) {
				return len(cands[i].path) < len(cands[j].path)
			}
			return cands[i].path < cands[j].path
		})
		best := cands[0]
		for _, c := range cands {
			if c.path == preferred[name] {
				best = c
			}
		}
		out[name] = best
	}
	return out
})

type knownPackage struct {
	name, path, key string // key: the symbol table's "path/name"
}

// splitSymbolKey reads yaegi's "import/path/name" table key.
func splitSymbolKey(key string, _ int) knownPackage {
	dir, name := path.Split(key)
	return knownPackage{name: name, path: strings.TrimSuffix(dir, "/"), key: key}
}

// packageSymbols lists the exported names of the package known as name.
func packageSymbols(name string) []string {
	p, ok := knownPackages()[name]
	if !ok {
		return nil
	}
	table := stdlib.Symbols[p.key]
	if table == nil {
		table = symbols.Symbols[p.key]
	}
	names := make([]string, 0, len(table))
	for n := range table {
		if !strings.HasPrefix(n, "_") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
