package rewrite

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// expr rewrites the builtins and method values inside e, and the bodies of
// function literals in it.
func (r *rewriter) expr(e ast.Expr) ast.Expr {
	if e == nil {
		return nil
	}
	out := astutil.Apply(e, func(c *astutil.Cursor) bool {
		if lit, ok := c.Node().(*ast.FuncLit); ok {
			r.funcBody(lit.Type, nil, lit.Body)
			return false
		}
		return true
	}, func(c *astutil.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.CallExpr:
			if rep := r.builtin(n); rep != nil {
				c.Replace(rep)
			}
		case *ast.SelectorExpr:
			if call, ok := c.Parent().(*ast.CallExpr); ok && c.Name() == "Fun" && call.Fun == n {
				return true
			}
			if rep := r.methodValue(n); rep != nil {
				c.Replace(rep)
			}
		}
		return true
	})
	return out.(ast.Expr)
}

func (r *rewriter) exprCall(c *ast.CallExpr) *ast.CallExpr {
	if out, ok := r.expr(c).(*ast.CallExpr); ok {
		return out
	}
	return c
}

// builtin replaces min, max and clear, which yaegi lacks, unless the user
// declared a name of their own.
func (r *rewriter) builtin(call *ast.CallExpr) ast.Expr {
	id, ok := call.Fun.(*ast.Ident)
	if !ok || r.shadowed(id.Name) {
		return nil
	}
	switch id.Name {
	case "min", "max":
		if len(call.Args) == 0 {
			return nil
		}
		if len(call.Args) == 1 {
			r.res.Changed = true
			return &ast.ParenExpr{X: call.Args[0]}
		}
		args := r.orderForInference(call.Args)
		r.res.Changed = true
		if named, basic := r.namedBasic(args[0]); named != nil {
			// A user type (type Celsius float64): compute in the
			// underlying type and convert back.
			for i, a := range args {
				args[i] = &ast.CallExpr{Fun: ast.NewIdent(basic.Name), Args: []ast.Expr{a}}
			}
			inner := r.minMaxCall(id.Name, basic.Name, args)
			return &ast.CallExpr{Fun: ast.NewIdent(named.Name), Args: []ast.Expr{inner}}
		}
		return r.minMaxCall(id.Name, r.basicTypeOf(args[0]), args)
	case "clear":
		if len(call.Args) != 1 {
			return nil
		}
		r.res.Changed, r.res.NeedsRT = true, true
		return &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(RTName), Sel: ast.NewIdent("Clear")}, Args: call.Args}
	}
	return nil
}

// minMaxCall calls the compiled helper for basic type typ (see package
// rt), or the interpreted generic one when the type is not known.
func (r *rewriter) minMaxCall(builtin, typ string, args []ast.Expr) ast.Expr {
	if name, ok := basicHelperSuffix[typ]; ok {
		r.res.NeedsRT = true
		helper := strings.ToUpper(builtin[:1]) + builtin[1:] + name
		return &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(RTName), Sel: ast.NewIdent(helper)}, Args: args}
	}
	r.res.NeedsMin = true
	return &ast.CallExpr{Fun: ast.NewIdent(minMaxHelper[builtin]), Args: args}
}

// basicHelperSuffix names the helper of each ordered basic type.
var basicHelperSuffix = map[string]string{
	"int": "Int", "int8": "Int8", "int16": "Int16", "int32": "Int32", "rune": "Int32", "int64": "Int64",
	"uint": "Uint", "uint8": "Uint8", "byte": "Uint8", "uint16": "Uint16", "uint32": "Uint32", "uint64": "Uint64",
	"uintptr": "Uintptr", "float32": "Float32", "float64": "Float64", "string": "String",
}

// basicTypeOf is the basic type of e (as a name), or "".
func (r *rewriter) basicTypeOf(e ast.Expr) string {
	if call, ok := e.(*ast.CallExpr); ok {
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "float64" && len(call.Args) == 1 {
			return "float64" // orderForInference's conversion of constants
		}
	}
	if t, ok := r.typeOf(e).(*ast.Ident); ok {
		return t.Name
	}
	return ""
}

// minMaxHelper names the interpreted generic functions that stand for the
// builtins (see MinMaxSource).
var minMaxHelper = map[string]string{"min": "_mlxMin", "max": "_mlxMax"}

// MinMaxSource declares the helpers; the engine evaluates it once, the
// first time an input needs it. (The NaN rules of the builtins for floats
// are not reproduced.)
const MinMaxSource = `func _mlxMin[T ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string](x T, ys ...T) T {
	for _, y := range ys {
		if y < x {
			x = y
		}
	}
	return x
}
func _mlxMax[T ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string](x T, ys ...T) T {
	for _, y := range ys {
		if y > x {
			x = y
		}
	}
	return x
}`

// orderForInference puts a typed argument first, because the generic
// helper's type parameter is inferred from it (yaegi infers from the first
// argument only: min(3, f) would fail where min(f, 3) works; min is
// symmetric, so the order does not change the result). When every argument
// is a constant and one is a float constant, all become float64, as the
// untyped constant min(1, 2.5) would default to.
func (r *rewriter) orderForInference(args []ast.Expr) []ast.Expr {
	var typed, consts []ast.Expr
	anyFloat := false
	for _, a := range args {
		if lit, ok := unparen(a).(*ast.BasicLit); ok {
			consts = append(consts, a)
			anyFloat = anyFloat || lit.Kind == token.FLOAT
			continue
		}
		if isIntLiteral(a) {
			consts = append(consts, a)
			continue
		}
		typed = append(typed, a)
	}
	if len(typed) == 0 && anyFloat {
		out := make([]ast.Expr, len(consts))
		for i, c := range consts {
			out[i] = &ast.CallExpr{Fun: ast.NewIdent("float64"), Args: []ast.Expr{c}}
		}
		return out
	}
	return append(typed, consts...)
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// methodValue turns x.M, for a pointer-receiver method M of a user type,
// into func(args) results { return x.M(args) }, which yaegi can call.
func (r *rewriter) methodValue(sel *ast.SelectorExpr) ast.Expr {
	if id, ok := sel.X.(*ast.Ident); ok {
		if _, local := r.lookup(id.Name); !local && r.env != nil && r.env.IsPackage(id.Name) {
			return nil
		}
		if r.isTypeName(id.Name) {
			return nil // a method expression T.M
		}
	}
	recv := r.typeOf(sel.X)
	if recv == nil {
		return nil
	}
	sig, ptr := r.method(recv, sel.Sel.Name)
	if sig == nil || !ptr {
		return nil
	}
	params := &ast.FieldList{}
	var args []ast.Expr
	variadic := false
	for _, f := range sig.Params.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			name := r.fresh("p")
			params.List = append(params.List, &ast.Field{Names: []*ast.Ident{name}, Type: f.Type})
			args = append(args, name)
			_, variadic = f.Type.(*ast.Ellipsis)
		}
	}
	call := &ast.CallExpr{Fun: &ast.SelectorExpr{X: sel.X, Sel: sel.Sel}, Args: args}
	if variadic {
		call.Ellipsis = 1
	}
	var body ast.Stmt = &ast.ExprStmt{X: call}
	var results *ast.FieldList
	if sig.Results != nil && len(sig.Results.List) > 0 {
		results = &ast.FieldList{}
		for _, f := range sig.Results.List {
			n := len(f.Names)
			if n == 0 {
				n = 1
			}
			for i := 0; i < n; i++ {
				results.List = append(results.List, &ast.Field{Type: f.Type})
			}
		}
		body = &ast.ReturnStmt{Results: []ast.Expr{call}}
	}
	r.res.Changed = true
	return &ast.FuncLit{Type: &ast.FuncType{Params: params, Results: results}, Body: &ast.BlockStmt{List: []ast.Stmt{body}}}
}

// namedBasic reports the type of e when it is a type the user declared
// over a predeclared basic type, with that basic type.
func (r *rewriter) namedBasic(e ast.Expr) (named, basic *ast.Ident) {
	t, ok := r.typeOf(e).(*ast.Ident)
	if !ok || predeclaredTypes[t.Name] {
		return nil, nil
	}
	u, ok := r.underlying(t).(*ast.Ident)
	if !ok || !predeclaredTypes[u.Name] {
		return nil, nil
	}
	return t, u
}
