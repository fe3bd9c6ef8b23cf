package rewrite

import (
	"go/ast"
	"go/token"
)

// Top-level definitions that yaegi v0.16 cannot compile as written. It
// declares the variables of an input's top level in a pass of its own,
// before compiling anything (gta.go), and that pass infers their types
// itself, which fails on ordinary code:
//
//   - It has no case for indexing a value of a compiled type (the
//     []string of strings.Fields, the []*tensor.Array a gradient returns):
//     "x := s[0]" or "var x = s[0]" is retried until it fails as
//     "constant definition loop", and "s[0] + x" dereferences nil.
//   - "v, ok := m[k]" (or x.(T), <-c) asks for the type of m[k] before
//     it is known, whatever m is: "nil type".
//
// With the types written out there is nothing to infer, so definitions
// whose types the rewrite can tell are declared first and assigned after,
// which means the same at the top level:
//
//	x := s[0]        →  var x T; x = s[0]
//	v, ok := m[k]    →  var v T; var ok bool; v, ok = m[k]

// definition is a top-level definition of variables: one value per name,
// or the two of a comma-ok expression.
type definition struct {
	names  []*ast.Ident
	types  []ast.Expr // per name
	values []ast.Expr
}

// ungroup turns a top-level "var ( a = s[0]; b = 1 )" into one
// declaration per line, in order, so that each can be planned on its own.
func ungroup(s ast.Stmt) []ast.Stmt {
	ds, ok := s.(*ast.DeclStmt)
	if !ok {
		return []ast.Stmt{s}
	}
	gd, ok := ds.Decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR || len(gd.Specs) < 2 {
		return []ast.Stmt{s}
	}
	out := make([]ast.Stmt, len(gd.Specs))
	for i, sp := range gd.Specs {
		out[i] = &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: sp.Pos(), Tok: token.VAR, Specs: []ast.Spec{sp}}}
	}
	return out
}

// planDefinition tells how to rewrite s, a top-level statement, or nil to
// leave it alone. It must run before s declares its names.
func (r *rewriter) planDefinition(s ast.Stmt) *definition {
	d := &definition{}
	var declared ast.Expr // the type a var declaration gives
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != len(s.Rhs) && !isCommaOk(s.Lhs, s.Rhs) {
			return nil
		}
		for _, l := range s.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok {
				return nil
			}
			if _, again := r.scopes[0][id.Name]; again {
				return nil // ":=" assigns it
			}
			d.names = append(d.names, id)
		}
		d.values = s.Rhs
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return nil
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		if len(vs.Names) != len(vs.Values) && !isCommaOk(vs.Names, vs.Values) {
			return nil
		}
		d.names, d.values, declared = vs.Names, vs.Values, vs.Type
	default:
		return nil
	}
	for _, v := range d.values {
		if len(d.names) > 1 && mentions(v, d.names) {
			return nil // declared first, the names would be zeroed before use
		}
	}
	d.types = make([]ast.Expr, len(d.names))
	if len(d.values) != len(d.names) {
		return r.planCommaOk(d, declared)
	}
	if declared != nil {
		return nil // nothing to infer
	}
	indexes := false
	for _, v := range d.values {
		indexes = indexes || hasIndex(v)
	}
	if !indexes {
		return nil // yaegi infers the rest
	}
	for i, v := range d.values {
		if d.types[i] = r.writableType(r.typeOf(v)); d.types[i] == nil {
			return nil
		}
	}
	return d
}

// planCommaOk types "v, ok := m[k]" (or x.(T), <-c), which yaegi's pass
// over the top level fails on whatever m is ("nil type"): it becomes "var
// v T; var ok bool; v, ok = m[k]".
func (r *rewriter) planCommaOk(d *definition, declared ast.Expr) *definition {
	if declared != nil {
		d.types[0], d.types[1] = declared, declared
		return d
	}
	if d.types[0] = r.writableType(r.typeOf(d.values[0])); d.types[0] == nil {
		return nil
	}
	d.types[1] = ast.NewIdent("bool")
	return d
}

// isCommaOk reports whether names and values are "v, ok" and one index,
// type assertion or receive.
func isCommaOk[N ast.Node](names []N, values []ast.Expr) bool {
	if len(names) != 2 || len(values) != 1 {
		return false
	}
	switch v := unparen(values[0]).(type) {
	case *ast.IndexExpr, *ast.TypeAssertExpr:
		return true
	case *ast.UnaryExpr:
		return v.Op == token.ARROW
	}
	return false
}

// rewriteDefinition applies plan d to s, as rewritten.
func (r *rewriter) rewriteDefinition(s ast.Stmt, d *definition) []ast.Stmt {
	if d == nil {
		return []ast.Stmt{s}
	}
	r.res.Changed = true
	lhs := make([]ast.Expr, len(d.names))
	blank := true
	for i, n := range d.names {
		lhs[i] = n
		blank = blank && n.Name == "_"
	}
	assign := &ast.AssignStmt{Lhs: lhs, TokPos: s.Pos(), Tok: token.ASSIGN, Rhs: d.values}
	if blank {
		return []ast.Stmt{assign}
	}
	decl := &ast.GenDecl{TokPos: s.Pos(), Tok: token.VAR}
	for i, n := range d.names {
		if n.Name != "_" { // yaegi refuses "var _ T" at the top level
			decl.Specs = append(decl.Specs, &ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(n.Name)}, Type: d.types[i]})
		}
	}
	return []ast.Stmt{&ast.DeclStmt{Decl: decl}, assign}
}

// hasIndex reports whether e indexes a value outside function literals.
func hasIndex(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IndexExpr:
			found = true
		}
		return !found
	})
	return found
}

// mentions reports whether e uses one of names.
func mentions(e ast.Expr, names []*ast.Ident) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			for _, name := range names {
				found = found || id.Name == name.Name
			}
		}
		return !found
	})
	return found
}
