package rewrite

import (
	"go/ast"
	"go/token"
)

// typeOf infers the type of e as a type expression, or nil when it cannot
// tell. It needs to be right only where it answers: a wrong "don't know"
// leaves the input to yaegi as written.
func (r *rewriter) typeOf(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.INT:
			return ast.NewIdent("int")
		case token.FLOAT:
			return ast.NewIdent("float64")
		case token.STRING:
			return ast.NewIdent("string")
		case token.CHAR:
			return ast.NewIdent("rune")
		case token.IMAG:
			return ast.NewIdent("complex128")
		}
	case *ast.Ident:
		if t, ok := r.lookup(e.Name); ok {
			return t
		}
		if ft, ok := r.localFn[e.Name]; ok {
			return ft
		}
		switch e.Name {
		case "true", "false":
			return ast.NewIdent("bool")
		}
		if r.env != nil {
			return r.env.TypeOf(e.Name)
		}
	case *ast.ParenExpr:
		return r.typeOf(e.X)
	case *ast.FuncLit:
		return e.Type
	case *ast.CompositeLit:
		return e.Type
	case *ast.TypeAssertExpr:
		return e.Type
	case *ast.SliceExpr:
		return r.typeOf(e.X)
	case *ast.UnaryExpr:
		switch e.Op {
		case token.AND:
			if t := r.typeOf(e.X); t != nil {
				return &ast.StarExpr{X: t}
			}
		case token.NOT:
			return ast.NewIdent("bool")
		case token.ARROW:
			if c, ok := r.underlying(r.typeOf(e.X)).(*ast.ChanType); ok {
				return c.Value
			}
		default:
			return r.typeOf(e.X)
		}
	case *ast.StarExpr:
		if p, ok := r.underlying(r.typeOf(e.X)).(*ast.StarExpr); ok {
			return p.X
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return ast.NewIdent("bool")
		case token.SHL, token.SHR:
			return r.typeOf(e.X)
		}
		if _, lit := e.X.(*ast.BasicLit); lit {
			if t := r.typeOf(e.Y); t != nil {
				return t
			}
		}
		if t := r.typeOf(e.X); t != nil {
			return t
		}
		return r.typeOf(e.Y)
	case *ast.IndexExpr:
		switch t := r.underlying(r.typeOf(e.X)).(type) {
		case *ast.ArrayType:
			return t.Elt
		case *ast.MapType:
			return t.Value
		case *ast.Ident:
			if t.Name == "string" {
				return ast.NewIdent("byte")
			}
		}
	case *ast.SelectorExpr:
		return r.selectorType(e)
	case *ast.CallExpr:
		return r.callType(e)
	}
	return nil
}

func (r *rewriter) callType(call *ast.CallExpr) ast.Expr {
	if id, ok := call.Fun.(*ast.Ident); ok && !r.shadowed(id.Name) {
		switch id.Name {
		case "len", "cap", "copy":
			return ast.NewIdent("int")
		case "make":
			if len(call.Args) > 0 {
				return call.Args[0]
			}
		case "new":
			if len(call.Args) > 0 {
				return &ast.StarExpr{X: call.Args[0]}
			}
		case "min", "max":
			for _, a := range call.Args {
				if _, lit := a.(*ast.BasicLit); !lit {
					return r.typeOf(a)
				}
			}
			if len(call.Args) > 0 {
				return r.typeOf(call.Args[0])
			}
		case "complex":
			return ast.NewIdent("complex128")
		case "real", "imag":
			return ast.NewIdent("float64")
		}
		if r.isTypeName(id.Name) {
			return id // a conversion
		}
	}
	switch f := call.Fun.(type) {
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType:
		return f // a conversion
	case *ast.ParenExpr:
		if s, ok := f.X.(*ast.StarExpr); ok {
			return s // (*T)(x)
		}
	}
	if ft, ok := r.underlying(r.typeOf(call.Fun)).(*ast.FuncType); ok && ft.Results != nil && len(ft.Results.List) > 0 {
		return ft.Results.List[0].Type
	}
	return nil
}

// selectorType is the type of pkg.Name, a field, or a method value.
func (r *rewriter) selectorType(e *ast.SelectorExpr) ast.Expr {
	if id, ok := e.X.(*ast.Ident); ok {
		if _, local := r.lookup(id.Name); !local && r.env != nil && r.env.IsPackage(id.Name) {
			return r.env.PkgMember(id.Name, e.Sel.Name)
		}
	}
	recv := r.typeOf(e.X)
	if recv == nil {
		return nil
	}
	if sig, _ := r.method(recv, e.Sel.Name); sig != nil {
		return sig
	}
	base := r.underlying(recv)
	if p, ok := base.(*ast.StarExpr); ok {
		base = r.underlying(p.X)
	}
	if st, ok := base.(*ast.StructType); ok {
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				if n.Name == e.Sel.Name {
					return f.Type
				}
			}
		}
	}
	return nil
}

// method finds the signature of method name on type recv.
func (r *rewriter) method(recv ast.Expr, name string) (*ast.FuncType, bool) {
	base, _ := RecvTypeName(recv)
	for _, m := range r.localMet[name] {
		if m.recvType == base {
			return m.sig, m.ptr
		}
	}
	if r.env != nil {
		return r.env.Method(recv, name)
	}
	return nil, false
}

var predeclaredTypes = map[string]bool{
	"bool": true, "string": true, "error": true, "any": true, "byte": true, "rune": true,
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true,
}

var integerTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true, "byte": true, "rune": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
}

func (r *rewriter) isTypeName(name string) bool {
	if _, ok := r.localTy[name]; ok {
		return true
	}
	if _, declared := r.lookup(name); declared {
		return false
	}
	if r.env != nil && r.env.TypeDef(name) != nil {
		return true
	}
	return predeclaredTypes[name] && !r.shadowed(name)
}

// underlying follows named types declared by the user down to their
// definition; predeclared and package types are returned as they are.
func (r *rewriter) underlying(t ast.Expr) ast.Expr {
	for i := 0; i < 10; i++ {
		switch x := t.(type) {
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.Ident:
			if def, ok := r.localTy[x.Name]; ok {
				t = def
				continue
			}
			if r.env != nil && !predeclaredTypes[x.Name] {
				if def := r.env.TypeDef(x.Name); def != nil {
					t = def
					continue
				}
			}
		}
		return t
	}
	return t
}

// isInteger reports whether t is known to be an integer type.
func (r *rewriter) isInteger(t ast.Expr) bool {
	id, ok := r.underlying(t).(*ast.Ident)
	return ok && integerTypes[id.Name]
}

// yieldParams returns the parameter types of the yield function when t is
// an iterator function type func(yield func(P...) bool).
func (r *rewriter) yieldParams(t ast.Expr) ([]ast.Expr, bool) {
	ft, ok := r.underlying(t).(*ast.FuncType)
	if !ok || ft.Params == nil || len(ft.Params.List) != 1 || len(ft.Params.List[0].Names) > 1 {
		return nil, false
	}
	if ft.Results != nil && len(ft.Results.List) > 0 {
		return nil, false
	}
	yield, ok := r.underlying(ft.Params.List[0].Type).(*ast.FuncType)
	if !ok || yield.Results == nil || len(yield.Results.List) != 1 {
		return nil, false
	}
	var params []ast.Expr
	for _, f := range yield.Params.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			params = append(params, f.Type)
		}
	}
	if len(params) > 2 {
		return nil, false
	}
	return params, true
}

// callResults are the result types of a call, one per result, or nil.
func (r *rewriter) callResults(e ast.Expr) []ast.Expr {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil
	}
	ft, ok := r.underlying(r.typeOf(call.Fun)).(*ast.FuncType)
	if !ok || ft.Results == nil {
		return nil
	}
	var out []ast.Expr
	for _, f := range ft.Results.List {
		n := max(1, len(f.Names))
		for i := 0; i < n; i++ {
			out = append(out, f.Type)
		}
	}
	return out
}

// TypeOf infers the type of an expression typed at the prompt from the
// session's declarations (for completion after "expr."), or nil.
func TypeOf(e ast.Expr, env Env) ast.Expr {
	return newRewriter(env).typeOf(e)
}

// Underlying follows user-declared type names to their definition.
func Underlying(t ast.Expr, env Env) ast.Expr {
	return newRewriter(env).underlying(t)
}
