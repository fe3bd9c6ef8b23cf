package rewrite

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ast/astutil"
)

// rangeInt turns "for i := range n { body }" into
//
//	{ _n := n; for _i := _n - _n; _i < _n; _i++ { i := _i; body } }
//
// n is evaluated once and i has n's type (int for a constant), as in Go
// 1.22; changing i in the body does not change the iteration.
func (r *rewriter) rangeInt(s *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	r.res.Changed = true
	n, i := r.fresh("n"), r.fresh("i")
	body := s.Body
	if key, ok := s.Key.(*ast.Ident); ok && key.Name != "_" || s.Key != nil && s.Tok == token.ASSIGN {
		tok := s.Tok
		body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{s.Key}, Tok: tok, Rhs: []ast.Expr{i}}}, body.List...)
	}
	loop := &ast.ForStmt{
		For:  s.For,
		Init: &ast.AssignStmt{Lhs: []ast.Expr{i}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.BinaryExpr{X: n, Op: token.SUB, Y: n}}},
		Cond: &ast.BinaryExpr{X: i, Op: token.LSS, Y: n},
		Post: &ast.IncDecStmt{X: i, Tok: token.INC},
		Body: body,
	}
	return &ast.BlockStmt{List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{n}, Tok: token.DEFINE, Rhs: []ast.Expr{s.X}},
		labelled(label, loop),
	}}
}

func labelled(label *ast.Ident, s ast.Stmt) ast.Stmt {
	if label == nil {
		return s
	}
	return &ast.LabeledStmt{Label: label, Stmt: s}
}

// perIterationRange gives "for k, v := range x" fresh k and v in each
// iteration when the body could capture them (yaegi shares one pair
// across iterations, as Go did before 1.22):
//
//	for _k, _v := range x { k, v := _k, _v; body }
//
// (Fresh names for the loop's own variables, because yaegi mistakes
// "k := k" at top level for a self-reference.)
func (r *rewriter) perIterationRange(s *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	if s.Tok != token.DEFINE || !captures(s.Body) {
		return s
	}
	var names, fresh []ast.Expr
	for _, slot := range []*ast.Expr{&s.Key, &s.Value} {
		id, ok := (*slot).(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		f := r.fresh("r")
		names, fresh = append(names, ast.NewIdent(id.Name)), append(fresh, ast.NewIdent(f.Name))
		*slot = f
	}
	if len(names) == 0 {
		return s
	}
	r.res.Changed = true
	copyVars := &ast.AssignStmt{Lhs: names, Tok: token.DEFINE, Rhs: fresh}
	s.Body.List = append([]ast.Stmt{copyVars}, s.Body.List...)
	return s
}

// perIterationFor gives a three-clause loop's variables a fresh copy in
// each iteration when the body could capture them:
//
//	for _i := 0; _i < n; _i++ { i := _i; body; _i = i }
//
// with each continue of this loop preceded by _i = i, so changes the body
// makes still carry into the next iteration.
func (r *rewriter) perIterationFor(s *ast.ForStmt, label *ast.Ident) ast.Stmt {
	init, ok := s.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE || !captures(s.Body) {
		return s
	}
	outer := map[string]*ast.Ident{}
	var inner, outers []ast.Expr
	for _, l := range init.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		o := r.fresh("v")
		outer[id.Name] = o
		inner = append(inner, ast.NewIdent(id.Name))
		outers = append(outers, o)
	}
	if len(outer) == 0 {
		return s
	}
	r.res.Changed = true
	rename := func(n ast.Node) ast.Node {
		if n == nil {
			return nil
		}
		return astutil.Apply(n, func(c *astutil.Cursor) bool {
			if _, lit := c.Node().(*ast.FuncLit); lit {
				return false
			}
			if id, ok := c.Node().(*ast.Ident); ok {
				if sel, ok := c.Parent().(*ast.SelectorExpr); ok && sel.Sel == id {
					return true
				}
				if o, ok := outer[id.Name]; ok {
					c.Replace(ast.NewIdent(o.Name))
				}
			}
			return true
		}, nil)
	}
	s.Init = rename(s.Init).(ast.Stmt)
	if s.Cond != nil {
		s.Cond = rename(s.Cond).(ast.Expr)
	}
	if s.Post != nil {
		s.Post = rename(s.Post).(ast.Stmt)
	}
	copyIn := &ast.AssignStmt{Lhs: inner, Tok: token.DEFINE, Rhs: cloneIdents(outers)}
	copyOut := func() ast.Stmt {
		return &ast.AssignStmt{Lhs: cloneIdents(outers), Tok: token.ASSIGN, Rhs: cloneIdents(inner)}
	}
	replaceJumps(s.Body, label, func(b *ast.BranchStmt, own bool) ast.Stmt {
		if !own || b.Tok != token.CONTINUE {
			return nil
		}
		return &ast.BlockStmt{List: []ast.Stmt{copyOut(), b}}
	})
	s.Body.List = append(append([]ast.Stmt{copyIn}, s.Body.List...), copyOut())
	return s
}

func cloneIdents(es []ast.Expr) []ast.Expr {
	out := make([]ast.Expr, len(es))
	for i, e := range es {
		out[i] = ast.NewIdent(e.(*ast.Ident).Name)
	}
	return out
}

// captures reports whether a loop body could keep a reference to a loop
// variable beyond its iteration: a closure, a go or defer statement, or
// taking an address.
func captures(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			found = true
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				found = true
			}
		}
		return !found
	})
	return found
}

// replaceJumps calls f for every break, continue and return statement of a
// loop body that leaves or continues the loop (not those of nested
// function literals, and not unlabelled ones of nested loops, switches or
// selects that stay inside them). own tells whether a break/continue
// targets this loop; f returns the replacement, or nil to keep it.
func replaceJumps(body *ast.BlockStmt, label *ast.Ident, f func(b *ast.BranchStmt, own bool) ast.Stmt) {
	replaceJumpsRet(body, label, f, nil)
}

func replaceJumpsRet(body *ast.BlockStmt, label *ast.Ident, f func(b *ast.BranchStmt, own bool) ast.Stmt, ret func(*ast.ReturnStmt) ast.Stmt) {
	innerLabels := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if l, ok := n.(*ast.LabeledStmt); ok {
			innerLabels[l.Label.Name] = true
		}
		_, lit := n.(*ast.FuncLit)
		return !lit
	})
	// breakDepth counts enclosing constructs an unlabelled break would
	// leave; loopDepth those an unlabelled continue would.
	var walk func(n ast.Node, breakDepth, loopDepth int)
	walk = func(n ast.Node, breakDepth, loopDepth int) {
		astutil.Apply(n, func(c *astutil.Cursor) bool {
			if c.Node() == n {
				return true
			}
			switch x := c.Node().(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				walk(x, breakDepth+1, loopDepth+1)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(x, breakDepth+1, loopDepth)
				return false
			case *ast.ReturnStmt:
				if ret != nil {
					if rep := ret(x); rep != nil {
						c.Replace(rep)
					}
				}
				return false
			case *ast.BranchStmt:
				var own bool
				switch {
				case x.Tok != token.BREAK && x.Tok != token.CONTINUE:
					return false
				case x.Label != nil:
					if innerLabels[x.Label.Name] {
						return false
					}
					own = label != nil && x.Label.Name == label.Name
				case x.Tok == token.BREAK:
					if breakDepth > 0 {
						return false
					}
					own = true
				default:
					if loopDepth > 0 {
						return false
					}
					own = true
				}
				if rep := f(x, own); rep != nil {
					c.Replace(rep)
				}
				return false
			}
			return true
		}, nil)
	}
	walk(body, 0, 0)
}
