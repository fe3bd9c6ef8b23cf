package engine

import (
	"go/ast"
	"go/parser"
	"reflect"
	"strings"

	"github.com/mlx-go/mlx-go/engine/rewrite"
)

// exprBefore is the expression that ends at the end of s (before a
// selector's dot): identifiers, dots and balanced (...) and [...] groups,
// e.g. `m.Generate(ctx, "Hi")` in `x := m.Generate(ctx, "Hi")`.
func exprBefore(s string) string {
	i := len(s)
	depth := 0
	for i > 0 {
		c := s[i-1]
		switch {
		case c == ')' || c == ']':
			depth++
		case c == '(' || c == '[':
			if depth == 0 {
				return s[i:]
			}
			depth--
		case depth > 0 || isIdentByte(c) || c == '.':
		default:
			return s[i:]
		}
		i--
	}
	return s[i:]
}

// exprMembers completes after "expr." by the expression's inferred type:
// methods and fields of compiled types by reflection, of the user's types
// from their declarations.
func (e *Engine) exprMembers(src string) []string {
	x, err := parser.ParseExpr(src)
	if err != nil {
		return nil
	}
	env := &sessionEnv{e: e}
	t := rewrite.TypeOf(x, env)
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	switch t := t.(type) {
	case *ast.SelectorExpr:
		rt, ok := e.session.reflected[t]
		if !ok {
			if pkg, isIdent := t.X.(*ast.Ident); isIdent {
				if v, found := packageSymbol(pkg.Name, t.Sel.Name); found && v.Kind() == reflect.Pointer {
					rt, ok = v.Type().Elem(), true
				}
			}
		}
		if ok {
			return valueMembers(reflect.New(rt).Elem(), nil)
		}
	case *ast.Ident:
		var names []string
		for name, ms := range e.session.methods {
			for _, m := range ms {
				if base, _ := rewrite.RecvTypeName(m.recv); base == t.Name {
					names = append(names, name)
				}
			}
		}
		if st, ok := rewrite.Underlying(t, env).(*ast.StructType); ok {
			for _, f := range st.Fields.List {
				for _, n := range f.Names {
					names = append(names, n.Name)
				}
			}
		}
		return names
	}
	return nil
}

// isSimpleName reports whether s is one identifier.
func isSimpleName(s string) bool {
	return s != "" && !strings.ContainsAny(s, ".()[]")
}
