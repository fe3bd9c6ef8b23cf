package engine

import (
	"go/ast"
	"go/token"
	"strconv"

	"github.com/mlx-go/mlx-go/engine/rewrite"
)

// filterImports drops import specs the session already has (yaegi refuses
// a second import of a name) and "iter" (its types are rewritten away),
// moving the others to p.imports. It reports whether it changed f.
func (e *Engine) filterImports(f *ast.File, p *prepared) bool {
	changed := false
	decls := f.Decls[:0]
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			decls = append(decls, d)
			continue
		}
		changed = true
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			path, _ := strconv.Unquote(is.Path.Value)
			if path == "iter" {
				continue
			}
			name := importName(path)
			if is.Name != nil {
				name = is.Name.Name
			}
			if e.session.imports[name] != path {
				p.imports[name] = path
			}
		}
	}
	f.Decls = decls
	return changed
}

// importName is the name a path is imported as by default.
func importName(path string) string {
	for _, kp := range knownPackages() {
		if kp.path == path {
			return kp.name
		}
	}
	_, last := splitLast(path)
	return last
}

func splitLast(path string) (string, string) {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i], path[i+1:]
		}
	}
	return "", path
}

// neededImports finds package names used but not yet imported (so
// tensor.New works without an import line) and the helpers the rewrite
// calls.
func (e *Engine) neededImports(n ast.Node, res rewrite.Result, p *prepared) {
	ast.Inspect(n, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || id.Obj != nil || e.session.globals[id.Name] {
			return true
		}
		if _, done := e.session.imports[id.Name]; done {
			return true
		}
		if kp, ok := knownPackages()[id.Name]; ok {
			p.imports[id.Name] = kp.path
		}
		return true
	})
	e.needRT(res.NeedsRT, p)
	if res.NeedsMin && !e.session.minMax {
		e.defineMinMax()
	}
}

// needRT imports the helpers' package when the rewritten code calls it.
func (e *Engine) needRT(needed bool, p *prepared) {
	if !needed {
		return
	}
	if _, done := e.session.imports[rewrite.RTName]; !done {
		p.imports[rewrite.RTName] = "github.com/mlx-go/mlx-go/engine/rt"
	}
}
