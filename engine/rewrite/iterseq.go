package rewrite

import (
	"go/ast"

	"golang.org/x/tools/go/ast/astutil"
)

// replaceIterTypes spells iter.Seq[V] and iter.Seq2[K, V] out as the
// function types they name, since yaegi has no iter package (and its
// generic named function types are fragile). Assignability is unchanged in
// every use an iterator has.
func replaceIterTypes(n ast.Node, res *Result) {
	astutil.Apply(n, nil, func(c *astutil.Cursor) bool {
		var args []ast.Expr
		var sel ast.Expr
		switch x := c.Node().(type) {
		case *ast.IndexExpr:
			sel, args = x.X, []ast.Expr{x.Index}
		case *ast.IndexListExpr:
			sel, args = x.X, x.Indices
		default:
			return true
		}
		s, ok := sel.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if pkg, ok := s.X.(*ast.Ident); !ok || pkg.Name != "iter" {
			return true
		}
		if (s.Sel.Name == "Seq" && len(args) == 1) || (s.Sel.Name == "Seq2" && len(args) == 2) {
			c.Replace(iteratorType(args))
			res.Changed = true
		}
		return true
	})
}

// iteratorType is func(yield func(args...) bool).
func iteratorType(args []ast.Expr) *ast.FuncType {
	yield := &ast.FuncType{Params: &ast.FieldList{}, Results: fields(ast.NewIdent("bool"))}
	for _, a := range args {
		yield.Params.List = append(yield.Params.List, &ast.Field{Type: a})
	}
	return &ast.FuncType{Params: &ast.FieldList{List: []*ast.Field{{Names: []*ast.Ident{ast.NewIdent("yield")}, Type: yield}}}}
}

func fields(types ...ast.Expr) *ast.FieldList {
	l := &ast.FieldList{}
	for _, t := range types {
		l.List = append(l.List, &ast.Field{Type: t})
	}
	return l
}
