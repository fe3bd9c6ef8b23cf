package engine

import (
	"go/ast"
	"reflect"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/engine/rewrite"
	"github.com/mlx-go/mlx-go/symbols"
	"github.com/traefik/yaegi/stdlib"
)

// sessionEnv answers the rewrite's questions about earlier inputs and
// packages: from the declarations the session recorded, and for compiled
// values and packages from reflection.
type sessionEnv struct{ e *Engine }

var _ rewrite.Env = (*sessionEnv)(nil)

func (s *sessionEnv) Global(name string) bool { return s.e.session.globals[name] }

func (s *sessionEnv) InputID() int { return s.e.inputID }

func (s *sessionEnv) TypeOf(name string) ast.Expr {
	ses := s.e.session
	if ft, ok := ses.funcs[name]; ok {
		return ft
	}
	if t := ses.vars[name]; t != nil {
		return t
	}
	if !ses.globals[name] {
		return nil
	}
	if v, ok := s.e.in.Globals()[name]; ok && v.IsValid() {
		return s.typeExpr(v.Type())
	}
	return nil
}

func (s *sessionEnv) TypeDef(name string) ast.Expr { return s.e.session.types[name] }

func (s *sessionEnv) IsPackage(name string) bool {
	if s.e.session.globals[name] {
		return false
	}
	if _, ok := s.e.session.imports[name]; ok {
		return true
	}
	_, ok := knownPackages()[name]
	return ok
}

func (s *sessionEnv) PkgMember(pkg, name string) ast.Expr {
	v, ok := packageSymbol(pkg, name)
	if !ok {
		return nil
	}
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return nil // a type, not a value
	}
	return s.typeExpr(v.Type())
}

func (s *sessionEnv) Method(recv ast.Expr, name string) (*ast.FuncType, bool) {
	base, _ := rewrite.RecvTypeName(recv)
	if base != "" {
		for _, m := range s.e.session.methods[name] {
			if b, _ := rewrite.RecvTypeName(m.recv); b == base {
				return m.typ, m.recvPtr
			}
		}
	}
	// A compiled type: pkg.T or *pkg.T.
	t := recv
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	rt, ok := s.e.session.reflected[sel]
	if ok {
		rt = reflect.PointerTo(rt)
	} else {
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			return nil, false
		}
		v, ok := packageSymbol(pkg.Name, sel.Sel.Name)
		if !ok || v.Kind() != reflect.Pointer || !v.IsNil() {
			return nil, false
		}
		rt = v.Type() // *T, which has all of T's methods
	}
	m, ok := rt.MethodByName(name)
	if !ok {
		return nil, false
	}
	ft, _ := s.typeExpr(m.Type).(*ast.FuncType)
	if ft != nil && len(ft.Params.List) > 0 {
		ft.Params.List = ft.Params.List[1:] // drop the receiver
	}
	return ft, false
}

// packageSymbol looks up pkg.name in the symbol tables, by the package's
// name as imported in the session.
func packageSymbol(pkg, name string) (reflect.Value, bool) {
	kp, ok := knownPackages()[pkg]
	if !ok {
		return reflect.Value{}, false
	}
	table := stdlib.Symbols[kp.key]
	if table == nil {
		table = symbols.Symbols[kp.key]
	}
	v, ok := table[name]
	return v, ok
}

// typeExpr writes a reflect type as a type expression (nil when it cannot
// be written, e.g. an unnamed struct). Named function types are spelled
// out, so an iterator from a compiled package (iter.Seq[string]) is seen
// as func(yield func(string) bool).
func (s *sessionEnv) typeExpr(t reflect.Type) ast.Expr {
	typeExpr := s.typeExpr
	if t.Name() != "" && t.Kind() != reflect.Func {
		if t.PkgPath() == "" {
			return ast.NewIdent(t.Name())
		}
		if strings.ContainsAny(t.Name(), "[") {
			return nil
		}
		_, pkg := splitLast(t.PkgPath())
		sel := &ast.SelectorExpr{X: ast.NewIdent(pkg), Sel: ast.NewIdent(t.Name())}
		s.e.session.reflected[sel] = t
		return sel
	}
	switch t.Kind() {
	case reflect.Pointer:
		if x := typeExpr(t.Elem()); x != nil {
			return &ast.StarExpr{X: x}
		}
	case reflect.Slice:
		if x := typeExpr(t.Elem()); x != nil {
			return &ast.ArrayType{Elt: x}
		}
	case reflect.Array:
		if x := typeExpr(t.Elem()); x != nil {
			return &ast.ArrayType{Len: &ast.BasicLit{Value: strconv.Itoa(t.Len())}, Elt: x}
		}
	case reflect.Map:
		k, v := typeExpr(t.Key()), typeExpr(t.Elem())
		if k != nil && v != nil {
			return &ast.MapType{Key: k, Value: v}
		}
	case reflect.Chan:
		if x := typeExpr(t.Elem()); x != nil {
			return &ast.ChanType{Dir: ast.SEND | ast.RECV, Value: x}
		}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return ast.NewIdent("any")
		}
	case reflect.Func:
		ft := &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{}}
		for i := 0; i < t.NumIn(); i++ {
			in := t.In(i)
			var x ast.Expr
			if t.IsVariadic() && i == t.NumIn()-1 {
				if el := typeExpr(in.Elem()); el != nil {
					x = &ast.Ellipsis{Elt: el}
				}
			} else {
				x = typeExpr(in)
			}
			if x == nil {
				return nil
			}
			ft.Params.List = append(ft.Params.List, &ast.Field{Type: x})
		}
		for i := 0; i < t.NumOut(); i++ {
			x := typeExpr(t.Out(i))
			if x == nil {
				return nil
			}
			ft.Results.List = append(ft.Results.List, &ast.Field{Type: x})
		}
		return ft
	}
	return nil
}
