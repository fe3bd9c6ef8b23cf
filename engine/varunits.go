package engine

import (
	"go/ast"
	"go/parser"
	"go/token"
)

// varUnits splits a declaration unit so that each var declaration whose
// value uses a variable that earlier units or inputs declared runs as a
// statement instead. yaegi orders the var declarations of a file by their
// dependencies (genGlobalVars in cfg.go) and counts as met only those on
// variables the same file declares: one on a variable of an earlier input
// is never met, "variable definition loop", and the variable stays zero
// ("x := 1", then "var y = x"). As a statement at the top level it
// declares the same global, and there yaegi does not order var
// declarations. The other declarations stay as they were, in order.
func (e *Engine) varUnits(src string, u unit) []unit {
	if !u.decl {
		return []unit{u}
	}
	const header = "package main\n"
	fset := token.NewFileSet()
	text := src[u.start:u.end]
	f, err := parser.ParseFile(fset, "", padded(header, text, u), 0)
	if err != nil {
		return []unit{u} // prepare reports it
	}
	prefixLen := len(padded(header, "", u))
	e.state.Lock()
	defer e.state.Unlock()
	var out []unit
	for i, d := range f.Decls {
		p := fset.Position(d.Pos())
		start := u.start + p.Offset - prefixLen
		if i == 0 {
			start = u.start
		}
		isDecl := !e.usesSessionVar(d)
		if n := len(out); n > 0 && out[n-1].decl == isDecl {
			continue
		}
		if n := len(out); n > 0 {
			out[n-1].end = start
		}
		out = append(out, unit{decl: isDecl, start: start, end: u.end, line: p.Line - 1, col: p.Column})
	}
	if len(out) == 0 {
		return []unit{u}
	}
	out[0].line, out[0].col = u.line, u.col
	return out
}

// usesSessionVar reports whether d is a var declaration with a value that
// names a variable the session already has.
func (e *Engine) usesSessionVar(d ast.Decl) bool {
	gd, ok := d.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR {
		return false
	}
	found := false
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, visit) // n.Sel is a member
			return false
		case *ast.Ident:
			s := e.session
			found = found || s.globals[n.Name] && s.funcs[n.Name] == nil && s.types[n.Name] == nil
		}
		return !found
	}
	for _, sp := range gd.Specs {
		for _, v := range sp.(*ast.ValueSpec).Values {
			ast.Inspect(v, visit)
		}
	}
	return found
}
