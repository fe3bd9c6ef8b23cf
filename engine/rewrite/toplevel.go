package rewrite

import (
	"go/ast"
	"go/token"
)

// isolateBlock runs a compound top-level statement that declares several
// variables from one multi-valued expression ("a, b := f()", "v, ok :=
// m[k]", "var a, b = f()") inside a function literal called at once:
//
//	if c { a, b := f(); use(a, b) }  →  func() { if c { a, b := f(); use(a, b) } }()
//
// yaegi v0.16 compiles the top level of an input as global code, whose
// variables it declares in a pass over the top level alone (gta.go); the
// compile pass then skips such a declaration wherever it is global ("In
// global scope, type definition already handled by GTA", cfg.go), so one
// in a block or in an if's or switch's init is never declared: "undefined:
// b", or "nil type" for the comma-ok forms. Inside a function it is
// declared as usual. The statement's variables are its own either way and
// the function sees the top-level variables, so the meaning is the same;
// statements with a return, goto or defer of their own (which would then
// act on the function literal) are left as they are.
func (r *rewriter) isolateBlock(s ast.Stmt) ast.Stmt {
	switch s.(type) {
	case *ast.BlockStmt, *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt,
		*ast.TypeSwitchStmt, *ast.SelectStmt, *ast.LabeledStmt:
	default:
		return s
	}
	multi, leaves := false, false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			multi = multi || n.Tok == token.DEFINE && len(n.Lhs) > 1 && len(n.Rhs) == 1
		case *ast.ValueSpec:
			multi = multi || len(n.Names) > 1 && len(n.Values) == 1
		case *ast.ReturnStmt, *ast.DeferStmt:
			leaves = true
		case *ast.BranchStmt:
			leaves = leaves || n.Tok == token.GOTO
		}
		return true
	})
	if !multi || leaves {
		return s
	}
	r.res.Changed = true
	lit := &ast.FuncLit{
		Type: &ast.FuncType{Func: s.Pos(), Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{Lbrace: s.Pos(), List: []ast.Stmt{s}, Rbrace: s.End()},
	}
	call := &ast.ExprStmt{X: &ast.CallExpr{Fun: lit, Lparen: s.End(), Rparen: s.End()}}
	if r.res.Isolated == nil {
		r.res.Isolated = map[ast.Stmt]ast.Stmt{}
	}
	r.res.Isolated[call] = s
	return call
}
