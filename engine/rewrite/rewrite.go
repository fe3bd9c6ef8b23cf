// Package rewrite gives Go typed in the REPL its Go 1.22+ meaning on top of
// yaegi v0.16, which predates it. Before yaegi sees an input the engine
// passes its syntax tree through here:
//
//   - range over an integer (for i := range 10)
//   - range over a function (for x := range seq), with break, continue,
//     labelled jumps and return inside the body
//   - iter.Seq / iter.Seq2 types (yaegi has no iter package)
//   - the min, max and clear builtins
//   - per-iteration loop variables, as closures see them since Go 1.22
//   - method values on pointer receivers (f := t.Sum)
//   - go statements, wrapped so that a panic in the goroutine is reported
//     instead of killing the process
//
// and works around bugs of yaegi v0.16 in code that is valid at any
// version:
//
//   - unnamed parameters, which get no frame slot (params.go)
//   - variables defined from one multi-valued expression in a top-level
//     block, which stay undefined (toplevel.go)
//   - top-level definitions whose types yaegi cannot infer (definitions.go)
//
// yaegi has no type checker we can ask, so the package infers the few types
// it needs (is this range expression an integer? which parameters does this
// iterator yield?) from the input and, for names declared by earlier
// inputs, from an Env.
package rewrite

import "go/ast"

// Env answers what the input alone cannot: the types of names declared by
// earlier inputs and of package members. Each method returns nil when it
// does not know.
type Env interface {
	// TypeOf is the type of a session-level variable or function (a
	// *ast.FuncType for functions).
	TypeOf(name string) ast.Expr
	// TypeDef is the definition of a session-level type name.
	TypeDef(name string) ast.Expr
	// IsPackage reports whether name refers to an importable package
	// (rather than a variable) at this point.
	IsPackage(name string) bool
	// PkgMember is the type of pkg.name.
	PkgMember(pkg, name string) ast.Expr
	// Method is the signature of method name of type recv (recv as written,
	// e.g. *T or T), and whether its receiver is a pointer.
	Method(recv ast.Expr, name string) (sig *ast.FuncType, ptrRecv bool)
	// Global reports whether name is a session-level declaration (so that a
	// user's own min or clear is left alone).
	Global(name string) bool
	// InputID numbers the input being rewritten, so that a panic in a
	// goroutine it starts is reported against it.
	InputID() int
}

// Result says what a rewrite needs from the interpreter.
type Result struct {
	Changed  bool
	NeedsRT  bool // calls package mlxrt (clear, go-statement guard)
	NeedsMin bool // calls the interpreted _mlxMin/_mlxMax helpers

	// TopLevel maps the names that top-level statements declared to their
	// inferred types (nil: unknown), for later inputs.
	TopLevel map[string]ast.Expr

	// Isolated maps each function-literal call that runs a top-level
	// statement (see isolateBlock) to that statement, so that the engine
	// can emit it as the user wrote it when nothing else changed it.
	Isolated map[ast.Stmt]ast.Stmt
}

// RTName is the name the rewritten code uses for package engine/rt.
const RTName = "mlxrt"

// File rewrites every declaration of f in place. locals are the
// declarations of f itself that Env does not know yet.
func File(f *ast.File, env Env) Result {
	r := newRewriter(env)
	r.collectDecls(f.Decls)
	r.push()
	defer r.pop()
	replaceIterTypes(f, &r.res)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			r.funcBody(d.Type, d.Recv, d.Body)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if vs, ok := s.(*ast.ValueSpec); ok {
					for i := range vs.Values {
						vs.Values[i] = r.expr(vs.Values[i])
					}
				}
			}
		}
	}
	return r.res
}

// Stmts rewrites a list of top-level statements (the body yaegi wraps in
// its main function) in place.
func Stmts(body *ast.BlockStmt, env Env) Result {
	r := newRewriter(env)
	replaceIterTypes(body, &r.res)
	r.topLevel = true
	r.push()
	var list []ast.Stmt
	for _, grouped := range body.List {
		for _, s := range ungroup(grouped) {
			plan := r.planDefinition(s)
			list = append(list, r.rewriteDefinition(r.isolateBlock(r.stmt(s, nil)), plan)...)
		}
	}
	body.List = list
	r.res.TopLevel = r.scopes[0]
	r.pop()
	return r.res
}

type rewriter struct {
	env      Env
	res      Result
	scopes   []map[string]ast.Expr // innermost last; a nil type = declared, type unknown
	fn       *ast.FuncType         // enclosing function, nil at top level
	topLevel bool
	localTy  map[string]ast.Expr      // types declared in this input
	localFn  map[string]*ast.FuncType // functions declared in this input
	localMet map[string][]localMethod // methods declared in this input, by name
	seq      int                      // for fresh names
}

type localMethod struct {
	recvType string // the receiver's base type name
	ptr      bool
	sig      *ast.FuncType
}

func newRewriter(env Env) *rewriter {
	return &rewriter{env: env, localTy: map[string]ast.Expr{}, localFn: map[string]*ast.FuncType{},
		localMet: map[string][]localMethod{}}
}

// collectDecls notes the types, functions and methods an input declares,
// so statements of the same input can use them.
func (r *rewriter) collectDecls(decls []ast.Decl) {
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				r.localFn[d.Name.Name] = d.Type
				continue
			}
			if len(d.Recv.List) == 1 {
				name, ptr := RecvTypeName(d.Recv.List[0].Type)
				r.localMet[d.Name.Name] = append(r.localMet[d.Name.Name], localMethod{name, ptr, d.Type})
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					r.localTy[ts.Name.Name] = ts.Type
				}
			}
		}
	}
}

// RecvTypeName is the base type name of a receiver type (T, *T, T[K]) and
// whether it is a pointer.
func RecvTypeName(t ast.Expr) (name string, ptr bool) {
	if s, ok := t.(*ast.StarExpr); ok {
		ptr = true
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name, ptr
	}
	return "", ptr
}

// fresh is a name no user code uses.
func (r *rewriter) fresh(what string) *ast.Ident {
	r.seq++
	return ast.NewIdent("_mlx" + what + itoa(r.seq))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func (r *rewriter) push() { r.scopes = append(r.scopes, map[string]ast.Expr{}) }
func (r *rewriter) pop()  { r.scopes = r.scopes[:len(r.scopes)-1] }

func (r *rewriter) declare(id *ast.Ident, t ast.Expr) {
	if id == nil || id.Name == "_" || len(r.scopes) == 0 {
		return
	}
	r.scopes[len(r.scopes)-1][id.Name] = t
}

// lookup finds a name declared in the input; ok is false when the name
// comes from outside (an earlier input, a package, a builtin).
func (r *rewriter) lookup(name string) (t ast.Expr, ok bool) {
	for i := len(r.scopes) - 1; i >= 0; i-- {
		if t, ok := r.scopes[i][name]; ok {
			return t, true
		}
	}
	return nil, false
}

// shadowed reports whether a builtin's name was redeclared by the user.
func (r *rewriter) shadowed(name string) bool {
	if _, ok := r.lookup(name); ok {
		return true
	}
	if _, ok := r.localFn[name]; ok {
		return true
	}
	return r.env != nil && r.env.Global(name)
}
