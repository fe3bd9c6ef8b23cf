// Package symbols holds the yaegi symbol tables of our compiled packages, so
// interpreted cells call tensor, interrupt, display, ... at compiled speed.
// The *.go tables beside this file are generated: edit gen/main.go's package
// list and run `go generate ./symbols`.
package symbols

import "reflect"

// The op table's generated API first: `go generate ./...` visits symbols
// before tensor, and the tables must describe tensor as it will be.
//go:generate go generate ../tensor/cgo
//go:generate go run ./gen

// Symbols maps "import/path/name" to the package's exported symbols, the
// shape interp.Use expects.
var Symbols = map[string]map[string]reflect.Value{}

// Docs maps "pkg.Name" and "pkg.Type.Method" to the signature and doc
// comment of our packages' exported names, for :doc and inspection.
var Docs = map[string]string{}
