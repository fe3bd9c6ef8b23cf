package rewrite

import (
	"go/ast"
	"go/token"
)

// writableType is a copy of type expression t, without positions, that can
// stand in the input: its names are predeclared or user types and its
// packages importable. Otherwise (or for kinds of type not worth the
// trouble, such as struct literals) it is nil.
func (r *rewriter) writableType(t ast.Expr) ast.Expr {
	switch t := t.(type) {
	case *ast.Ident:
		if r.isTypeName(t.Name) {
			return ast.NewIdent(t.Name)
		}
	case *ast.SelectorExpr:
		if pkg, ok := t.X.(*ast.Ident); ok && r.env != nil && r.env.IsPackage(pkg.Name) {
			return &ast.SelectorExpr{X: ast.NewIdent(pkg.Name), Sel: ast.NewIdent(t.Sel.Name)}
		}
	case *ast.ParenExpr:
		return r.writableType(t.X)
	case *ast.StarExpr:
		if x := r.writableType(t.X); x != nil {
			return &ast.StarExpr{X: x}
		}
	case *ast.ArrayType:
		elt := r.writableType(t.Elt)
		switch n, lit := t.Len.(*ast.BasicLit); {
		case elt == nil:
		case t.Len == nil:
			return &ast.ArrayType{Elt: elt}
		case lit && n.Kind == token.INT:
			return &ast.ArrayType{Len: &ast.BasicLit{Kind: token.INT, Value: n.Value}, Elt: elt}
		}
	case *ast.MapType:
		k, v := r.writableType(t.Key), r.writableType(t.Value)
		if k != nil && v != nil {
			return &ast.MapType{Key: k, Value: v}
		}
	case *ast.ChanType:
		if v := r.writableType(t.Value); v != nil {
			return &ast.ChanType{Dir: t.Dir, Value: v}
		}
	case *ast.FuncType:
		params, ok := r.writableFields(t.Params)
		results, ok2 := r.writableFields(t.Results)
		if ok && ok2 {
			return &ast.FuncType{Params: params, Results: results}
		}
	case *ast.Ellipsis:
		if elt := r.writableType(t.Elt); elt != nil {
			return &ast.Ellipsis{Elt: elt}
		}
	}
	return nil
}

// writableFields copies a parameter or result list, without its names.
func (r *rewriter) writableFields(fl *ast.FieldList) (*ast.FieldList, bool) {
	out := &ast.FieldList{}
	if fl == nil {
		return out, true
	}
	for _, f := range fl.List {
		t := r.writableType(f.Type)
		if t == nil {
			return nil, false
		}
		for i := 0; i < max(1, len(f.Names)); i++ {
			out.List = append(out.List, &ast.Field{Type: t})
		}
	}
	return out, true
}
