package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
)

// rangeFunc turns "for k, v := range seq { body }" into a call of seq with
// the body as its yield function:
//
//	{
//		var _ctl int; var _r0 R0 ...          // only what the body needs
//		seq(func(_p0 K, _p1 V) bool { k, v := _p0, _p1; body'; return true })
//		if _ctl == 1 { return _r0, ... }      // the body returned
//		if _ctl == 2 { break Outer }          // a labelled jump out
//	}
//
// where body' has "continue" as "return true", "break" as "return false",
// and return / jumps to outer labels as "_ctl = n; return false".
func (r *rewriter) rangeFunc(s *ast.RangeStmt, label *ast.Ident, params []ast.Expr) ast.Stmt {
	r.res.Changed = true
	ctl := r.fresh("ctl")
	var pre, post []ast.Stmt
	usesCtl, bareReturn := false, false

	// The body's jumps.
	codes := map[string]int{} // "break L" -> code
	next := 3
	replaceJumpsRet(s.Body, label, func(b *ast.BranchStmt, own bool) ast.Stmt {
		if own {
			return &ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent(strconv.FormatBool(b.Tok == token.CONTINUE))}}
		}
		key := b.Tok.String() + " " + b.Label.Name
		code, ok := codes[key]
		if !ok {
			code = next
			next++
			codes[key] = code
			post = append(post, &ast.IfStmt{
				Cond: &ast.BinaryExpr{X: ast.NewIdent(ctl.Name), Op: token.EQL, Y: intLit(code)},
				Body: &ast.BlockStmt{List: []ast.Stmt{&ast.BranchStmt{Tok: b.Tok, Label: ast.NewIdent(b.Label.Name)}}},
			})
		}
		usesCtl = true
		return setAndStop(ctl, code, nil, nil)
	}, func(ret *ast.ReturnStmt) ast.Stmt {
		usesCtl = true
		results := r.resultTypes()
		if len(ret.Results) == 0 || len(results) == 0 {
			bareReturn = true
			return setAndStop(ctl, 2, nil, nil)
		}
		var vars []ast.Expr
		for i, t := range results {
			v := ast.NewIdent("_mlxr" + strconv.Itoa(i) + ctl.Name)
			vars = append(vars, v)
			if len(pre) < len(results) {
				pre = append(pre, &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR,
					Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(v.Name)}, Type: t}}}})
			}
		}
		return setAndStop(ctl, 1, vars, ret.Results)
	})
	if usesCtl {
		var retVals []ast.Expr
		for i := range r.resultTypes() {
			retVals = append(retVals, ast.NewIdent("_mlxr"+strconv.Itoa(i)+ctl.Name))
		}
		var returns []ast.Stmt
		if bareReturn {
			returns = append(returns, &ast.IfStmt{Cond: &ast.BinaryExpr{X: ast.NewIdent(ctl.Name), Op: token.EQL, Y: intLit(2)},
				Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{}}}})
		}
		if len(pre) > 0 {
			returns = append(returns, &ast.IfStmt{Cond: &ast.BinaryExpr{X: ast.NewIdent(ctl.Name), Op: token.EQL, Y: intLit(1)},
				Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Results: retVals}}}})
		}
		post = append(returns, post...)
		pre = append([]ast.Stmt{&ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR,
			Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{ctl}, Type: ast.NewIdent("int")}}}}}, pre...)
	}

	// The yield function.
	yieldParams := &ast.FieldList{}
	var got []ast.Expr
	for _, t := range params {
		p := r.fresh("p")
		yieldParams.List = append(yieldParams.List, &ast.Field{Names: []*ast.Ident{p}, Type: t})
		got = append(got, ast.NewIdent(p.Name))
	}
	var lhs, rhs []ast.Expr
	for i, e := range []ast.Expr{s.Key, s.Value} {
		if e == nil || i >= len(got) {
			continue
		}
		if id, ok := e.(*ast.Ident); ok && id.Name == "_" {
			continue
		}
		lhs, rhs = append(lhs, e), append(rhs, got[i])
	}
	body := s.Body.List
	if len(lhs) > 0 {
		tok := s.Tok
		if tok != token.DEFINE {
			tok = token.ASSIGN
		}
		body = append([]ast.Stmt{&ast.AssignStmt{Lhs: lhs, Tok: tok, Rhs: rhs}}, body...)
	}
	body = append(body, &ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent("true")}})
	yield := &ast.FuncLit{
		Type: &ast.FuncType{Func: s.For, Params: yieldParams, Results: fields(ast.NewIdent("bool"))},
		Body: &ast.BlockStmt{List: body},
	}
	call := &ast.ExprStmt{X: &ast.CallExpr{Fun: s.X, Lparen: s.For, Args: []ast.Expr{yield}}}

	list := append(append(pre, call), post...)
	return &ast.BlockStmt{List: list}
}

// resultTypes are the result types of the enclosing function, one per
// result.
func (r *rewriter) resultTypes() []ast.Expr {
	if r.fn == nil || r.fn.Results == nil {
		return nil
	}
	var out []ast.Expr
	for _, f := range r.fn.Results.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			out = append(out, f.Type)
		}
	}
	return out
}

// setAndStop is { vars = vals; ctl = code; return false }.
func setAndStop(ctl *ast.Ident, code int, vars, vals []ast.Expr) ast.Stmt {
	var list []ast.Stmt
	if len(vars) > 0 {
		list = append(list, &ast.AssignStmt{Lhs: vars, Tok: token.ASSIGN, Rhs: vals})
	}
	list = append(list,
		&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(ctl.Name)}, Tok: token.ASSIGN, Rhs: []ast.Expr{intLit(code)}},
		&ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent("false")}})
	return &ast.BlockStmt{List: list}
}

func intLit(n int) *ast.BasicLit {
	return &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(n)}
}
