package rewrite

import (
	"go/ast"
	"go/token"
)

// funcBody rewrites a function's body with its parameters in scope.
func (r *rewriter) funcBody(ft *ast.FuncType, recv *ast.FieldList, body *ast.BlockStmt) {
	if body == nil {
		return
	}
	r.nameParams(ft)
	saved, savedTop := r.fn, r.topLevel
	r.fn, r.topLevel = ft, false
	r.push()
	for _, fl := range []*ast.FieldList{recv, ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				r.declare(n, f.Type)
			}
		}
	}
	body.List = r.block(body.List)
	r.pop()
	r.fn, r.topLevel = saved, savedTop
}

// block rewrites a statement list in a new scope.
func (r *rewriter) block(list []ast.Stmt) []ast.Stmt {
	r.push()
	defer r.pop()
	return r.list(list)
}

func (r *rewriter) list(list []ast.Stmt) []ast.Stmt {
	for i, s := range list {
		list[i] = r.stmt(s, nil)
	}
	return list
}

// stmt rewrites one statement; label is the label it carries, if any.
func (r *rewriter) stmt(s ast.Stmt, label *ast.Ident) ast.Stmt {
	switch s := s.(type) {
	case *ast.LabeledStmt:
		inner := r.stmt(s.Stmt, s.Label)
		if b, ok := inner.(*ast.BlockStmt); ok && isLoop(s.Stmt) {
			return b // the loop was replaced by a block holding the labelled loop
		}
		s.Stmt = inner
		return s
	case *ast.ExprStmt:
		s.X = r.expr(s.X)
	case *ast.AssignStmt:
		for i := range s.Rhs {
			s.Rhs[i] = r.expr(s.Rhs[i])
		}
		for i := range s.Lhs {
			if s.Tok != token.DEFINE {
				s.Lhs[i] = r.expr(s.Lhs[i])
			}
		}
		if s.Tok == token.DEFINE {
			var results []ast.Expr // a multi-value call's result types
			if len(s.Rhs) == 1 && len(s.Lhs) > 1 {
				results = r.callResults(s.Rhs[0])
			}
			for i, l := range s.Lhs {
				var t ast.Expr
				if len(s.Lhs) == len(s.Rhs) {
					t = r.typeOf(s.Rhs[i])
				} else if i < len(results) {
					t = results[i]
				}
				if id, ok := l.(*ast.Ident); ok {
					if _, exists := r.scopes[len(r.scopes)-1][id.Name]; !exists || t != nil {
						r.declare(id, t)
					}
				}
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			for _, sp := range gd.Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					for i := range sp.Values {
						sp.Values[i] = r.expr(sp.Values[i])
					}
					for i, n := range sp.Names {
						t := sp.Type
						if t == nil && len(sp.Values) == len(sp.Names) {
							t = r.typeOf(sp.Values[i])
						}
						r.declare(n, t)
					}
				case *ast.TypeSpec:
					r.localTy[sp.Name.Name] = sp.Type
				}
			}
		}
	case *ast.IncDecStmt:
		s.X = r.expr(s.X)
	case *ast.SendStmt:
		s.Chan, s.Value = r.expr(s.Chan), r.expr(s.Value)
	case *ast.ReturnStmt:
		for i := range s.Results {
			s.Results[i] = r.expr(s.Results[i])
		}
	case *ast.DeferStmt:
		s.Call = r.exprCall(s.Call)
	case *ast.GoStmt:
		s.Call = r.exprCall(s.Call)
		return r.guardGo(s)
	case *ast.BlockStmt:
		s.List = r.block(s.List)
	case *ast.IfStmt:
		r.push()
		if s.Init != nil {
			s.Init = r.stmt(s.Init, nil)
		}
		s.Cond = r.expr(s.Cond)
		s.Body.List = r.block(s.Body.List)
		if s.Else != nil {
			s.Else = r.stmt(s.Else, nil)
		}
		r.pop()
	case *ast.SwitchStmt:
		r.push()
		if s.Init != nil {
			s.Init = r.stmt(s.Init, nil)
		}
		if s.Tag != nil {
			s.Tag = r.expr(s.Tag)
		}
		r.clauses(s.Body)
		r.pop()
	case *ast.TypeSwitchStmt:
		r.push()
		if s.Init != nil {
			s.Init = r.stmt(s.Init, nil)
		}
		s.Assign = r.stmt(s.Assign, nil)
		r.clauses(s.Body)
		r.pop()
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			r.push()
			if cc.Comm != nil {
				cc.Comm = r.stmt(cc.Comm, nil)
			}
			cc.Body = r.block(cc.Body)
			r.pop()
		}
	case *ast.ForStmt:
		r.push()
		if s.Init != nil {
			s.Init = r.stmt(s.Init, nil)
		}
		if s.Cond != nil {
			s.Cond = r.expr(s.Cond)
		}
		if s.Post != nil {
			s.Post = r.stmt(s.Post, nil)
		}
		s.Body.List = r.block(s.Body.List)
		r.pop()
		return r.perIterationFor(s, label)
	case *ast.RangeStmt:
		s.X = r.expr(s.X)
		xt := r.typeOf(s.X)
		r.push()
		if s.Tok == token.DEFINE {
			k, v := r.rangeElemTypes(s.X, xt)
			if id, ok := s.Key.(*ast.Ident); ok {
				r.declare(id, k)
			}
			if id, ok := s.Value.(*ast.Ident); ok {
				r.declare(id, v)
			}
		}
		s.Body.List = r.block(s.Body.List)
		r.pop()
		if r.isInteger(xt) || isIntLiteral(s.X) {
			return r.rangeInt(s, label)
		}
		if params, ok := r.yieldParams(xt); ok {
			return r.rangeFunc(s, label, params)
		}
		return r.perIterationRange(s, label)
	}
	return s
}

func (r *rewriter) clauses(body *ast.BlockStmt) {
	for _, c := range body.List {
		cc := c.(*ast.CaseClause)
		for i := range cc.List {
			cc.List[i] = r.expr(cc.List[i])
		}
		cc.Body = r.block(cc.Body)
	}
}

// rangeElemTypes are the key and value types of ranging over x of type t.
func (r *rewriter) rangeElemTypes(x, t ast.Expr) (key, value ast.Expr) {
	if isIntLiteral(x) {
		return ast.NewIdent("int"), nil
	}
	if r.isInteger(t) {
		return t, nil
	}
	if params, ok := r.yieldParams(t); ok {
		key = params[0]
		if len(params) > 1 {
			value = params[1]
		}
		return key, value
	}
	switch u := r.underlying(t).(type) {
	case *ast.ArrayType:
		return ast.NewIdent("int"), u.Elt
	case *ast.MapType:
		return u.Key, u.Value
	case *ast.ChanType:
		return u.Value, nil
	case *ast.Ident:
		if u.Name == "string" {
			return ast.NewIdent("int"), ast.NewIdent("rune")
		}
	}
	return nil, nil
}

func isIntLiteral(e ast.Expr) bool {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT
	case *ast.BinaryExpr:
		return isIntLiteral(x.X) && isIntLiteral(x.Y)
	}
	return false
}

func isLoop(s ast.Stmt) bool {
	switch s.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		return true
	}
	return false
}
