package rewrite

import (
	"go/ast"
	"go/token"
)

// guardGo turns "go f(a, b)" into
//
//	{
//		_f, _a, _b := f, a, b
//		go func() {
//			defer func() { if r := recover(); r != nil { mlxrt.GoPanic(r, input) } }()
//			_f(_a, _b)
//		}()
//	}
//
// so that a panic in the goroutine is reported rather than ending the
// process (yaegi re-panics it on a goroutine nobody recovers). The
// function and arguments are still evaluated by the go statement itself.
// A method call keeps its receiver instead of a method value, which yaegi
// cannot make for pointer receivers.
func (r *rewriter) guardGo(s *ast.GoStmt) ast.Stmt {
	r.res.Changed, r.res.NeedsRT = true, true
	var names, values []ast.Expr
	bind := func(e ast.Expr) ast.Expr {
		n := r.fresh("g")
		names, values = append(names, n), append(values, e)
		return ast.NewIdent(n.Name)
	}
	call := &ast.CallExpr{Ellipsis: s.Call.Ellipsis}
	switch f := s.Call.Fun.(type) {
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok && r.env != nil && r.env.IsPackage(id.Name) {
			if _, local := r.lookup(id.Name); !local {
				call.Fun = f
				break
			}
		}
		call.Fun = &ast.SelectorExpr{X: bind(f.X), Sel: f.Sel}
	case *ast.Ident:
		if r.isTypeName(f.Name) || isBuiltin(f.Name) && !r.shadowed(f.Name) {
			call.Fun = f
		} else {
			call.Fun = bind(f)
		}
	default:
		call.Fun = bind(f)
	}
	for _, a := range s.Call.Args {
		call.Args = append(call.Args, bind(a))
	}
	rec := ast.NewIdent("r")
	guard := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.IfStmt{
			Init: &ast.AssignStmt{Lhs: []ast.Expr{rec}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("recover")}}},
			Cond: &ast.BinaryExpr{X: ast.NewIdent("r"), Op: token.NEQ, Y: ast.NewIdent("nil")},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
				Fun:  &ast.SelectorExpr{X: ast.NewIdent(RTName), Sel: ast.NewIdent("GoPanic")},
				Args: []ast.Expr{ast.NewIdent("r"), intLit(r.inputID())},
			}}}},
		}}},
	}}}
	g := &ast.GoStmt{Go: s.Go, Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{guard, &ast.ExprStmt{X: call}}},
	}}}
	if len(names) == 0 {
		return g
	}
	return &ast.BlockStmt{List: []ast.Stmt{
		&ast.AssignStmt{Lhs: names, Tok: token.DEFINE, Rhs: values},
		g,
	}}
}

func isBuiltin(name string) bool {
	switch name {
	case "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
		"max", "min", "new", "panic", "print", "println", "real", "recover":
		return true
	}
	return false
}

func (r *rewriter) inputID() int {
	if r.env == nil {
		return 0
	}
	return r.env.InputID()
}
