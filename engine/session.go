package engine

import (
	"go/ast"
	"reflect"
)

// session is what earlier inputs declared: the engine needs it to tell a
// package name from a user's variable, to skip imports already made, and to
// give the rewrite the types of names it cannot see in the input itself.
type session struct {
	imports map[string]string // local name -> import path
	globals map[string]bool   // every top-level name the user declared
	funcs   map[string]*ast.FuncType
	types   map[string]ast.Expr // type name -> its definition
	vars    map[string]ast.Expr // variable -> declared or inferred type, when known
	methods map[string][]method // method name -> declarations
	minMax  bool                // the min/max helpers are declared

	// reflected remembers the compiled type behind each type name written
	// from reflection (see sessionEnv.typeExpr), so that its methods are
	// found even when its package is not importable under that name.
	reflected map[*ast.SelectorExpr]reflect.Type
}

type method struct {
	recv    ast.Expr // receiver type, e.g. *T
	recvPtr bool
	typ     *ast.FuncType
}

func newSession() *session {
	return &session{
		imports: map[string]string{},
		globals: map[string]bool{},
		funcs:   map[string]*ast.FuncType{},
		types:   map[string]ast.Expr{},
		vars:    map[string]ast.Expr{},
		methods: map[string][]method{},

		reflected: map[*ast.SelectorExpr]reflect.Type{},
	}
}

func (s *session) declare(name string) {
	if name != "_" {
		s.globals[name] = true
	}
}
