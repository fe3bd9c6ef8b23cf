package engine

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"os/exec"
	"reflect"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/symbols"
)

// doc is the documentation of name: a member of one of our packages
// (from the generated table), a standard-library member (go doc, when a Go
// toolchain is installed), a method of a variable's type, or what the
// session knows of a name it declared.
func (e *Engine) doc(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if d, ok := symbols.Docs[name]; ok {
		return d, true
	}
	head, member, dotted := strings.Cut(name, ".")
	if v, ok := e.global(head); ok {
		t := v.Type()
		if !dotted {
			return fmt.Sprintf("var %s %s = %s", head, t, formatValue(v)), true
		}
		if d, ok := e.methodDoc(t, member); ok {
			return d, true
		}
	}
	if s := e.sessionDecl(name); s != "" {
		return s, true
	}
	if kp, ok := knownPackages()[head]; ok && !e.session.globals[head] {
		query := kp.path
		if dotted {
			query += "." + member
		}
		if d, ok := goDoc(query); ok {
			return d, true
		}
		if dotted {
			if v, ok := packageSymbol(head, member); ok {
				return fmt.Sprintf("%s.%s %s", head, member, v.Type()), true
			}
		}
	}
	return "", false
}

// global is the value of a session variable.
func (e *Engine) global(name string) (reflect.Value, bool) {
	if !e.session.globals[name] {
		return reflect.Value{}, false
	}
	if _, isFunc := e.session.funcs[name]; isFunc {
		return reflect.Value{}, false
	}
	v, ok := e.in.Globals()[name]
	if !ok || !v.IsValid() {
		return reflect.Value{}, false
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	return v, true
}

// methodDoc documents method m of type t: from the docs table for our
// types, else its signature.
func (e *Engine) methodDoc(t reflect.Type, m string) (string, bool) {
	base := t
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base.PkgPath() != "" {
		_, pkg := splitLast(base.PkgPath())
		if d, ok := symbols.Docs[pkg+"."+base.Name()+"."+m]; ok {
			return d, true
		}
	}
	if meth, ok := t.MethodByName(m); ok {
		return fmt.Sprintf("func (%s) %s%s", t, m, strings.TrimPrefix(meth.Type.String(), "func")), true
	}
	return "", false
}

// sessionDecl prints what the user declared under name.
func (e *Engine) sessionDecl(name string) string {
	s := e.session
	var node ast.Node
	switch {
	case s.funcs[name] != nil:
		node = &ast.FuncDecl{Name: ast.NewIdent(name), Type: unblankParams(s.funcs[name])}
	case s.types[name] != nil:
		node = &ast.GenDecl{Tok: token.TYPE, Specs: []ast.Spec{&ast.TypeSpec{Name: ast.NewIdent(name), Type: s.types[name]}}}
	default:
		return ""
	}
	var b bytes.Buffer
	if err := printer.Fprint(&b, token.NewFileSet(), node); err != nil {
		return ""
	}
	return b.String()
}

// unblankParams shows parameters that are all blank as unnamed, as the
// user wrote them before the rewrite named them (see rewrite/params.go).
func unblankParams(ft *ast.FuncType) *ast.FuncType {
	if ft.Params == nil {
		return ft
	}
	params := &ast.FieldList{}
	for _, f := range ft.Params.List {
		if len(f.Names) != 1 || f.Names[0].Name != "_" {
			return ft
		}
		params.List = append(params.List, &ast.Field{Type: f.Type})
	}
	out := *ft
	out.Params = params
	return &out
}

// goDoc asks the Go toolchain, when there is one, for standard-library
// documentation.
func goDoc(query string) (string, bool) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, goBin, "doc", query).Output()
	if err != nil || len(out) == 0 {
		return "", false
	}
	return strings.TrimSpace(string(out)), true
}
