package engine

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"

	"github.com/mlx-go/mlx-go/engine/rewrite"
)

// prepared is one unit ready for the interpreter.
type prepared struct {
	code      string                // what yaegi evaluates
	imports   map[string]string     // name -> path, to import first
	showValue bool                  // the unit ends with an expression statement
	call      *ast.CallExpr         // that expression, when it is a call
	last      ast.Expr              // that expression
	record    func()                // notes the unit's declarations in the session, after it ran
	isolated  map[ast.Stmt]ast.Stmt // see rewrite.Result.Isolated

	// For error messages: the parsed unit and its wrapping.
	root        ast.Node
	fset        *token.FileSet
	headerLines int
}

// evalGo runs Go source, unit by unit (see splitUnits). A whole file
// (with a package clause) is accepted too: its declarations are made and,
// if it declares main, main is run, as go run would.
func (e *Engine) evalGo(ctx context.Context, src string) Result {
	src, isFile := stripPackageClause(src)
	res := e.evalUnits(ctx, src)
	if isFile && res.Err == nil && e.session.funcs[mainName] != nil && declaresMain(src) {
		// Called without a position of its own: the call is not in the
		// user's input, so no trace line should point at it.
		_, err := e.run(ctx, mainName+"()")
		trace := e.stderr.takeTrace()
		if err != nil {
			return Result{Err: e.toEvalError(err, trace)}
		}
		if panics := e.takeGoPanics(); len(panics) > 0 {
			return Result{Err: &EvalError{Kind: "panic", Msg: "in goroutine: " + panics[0], Trace: panics}}
		}
	}
	return res
}

func (e *Engine) evalUnits(ctx context.Context, src string) Result {
	var res Result
	for _, whole := range splitUnits(src) {
		// Split when reached: how depends on what the units before declared.
		for _, u := range e.varUnits(src, whole) {
			v, ran, err := e.evalUnit(ctx, src, u)
			if err != nil {
				return Result{Err: err}
			}
			if ran {
				res.Value = v
			}
		}
	}
	if panics := e.takeGoPanics(); len(panics) > 0 {
		return Result{Err: &EvalError{Kind: "panic", Msg: "in goroutine: " + panics[0], Trace: panics}}
	}
	return res
}

// evalUnit runs one unit; the value is that of its final expression, if
// it ends with one. ran is false for a unit with nothing to run (imports).
func (e *Engine) evalUnit(ctx context.Context, src string, u unit) (val *Value, ran bool, err *EvalError) {
	e.state.Lock()
	p, perr := e.prepare(src[u.start:u.end], u)
	e.state.Unlock()
	if perr != nil {
		return nil, false, perr
	}
	for name, path := range p.imports {
		if _, err := e.run(ctx, fmt.Sprintf("import %s %q", name, path)); err != nil {
			if strings.Contains(err.Error(), "redeclared") {
				return nil, false, &EvalError{Kind: "compile", Line: u.line, Col: u.col,
					Msg: fmt.Sprintf("cannot import %q as %s: the name %s is already in use", path, name, name)}
			}
			return nil, false, e.toEvalError(err, nil)
		}
		e.session.imports[name] = path
	}
	if p.code == "" {
		e.locked(p.record)
		return nil, false, nil
	}
	v, runErr := e.run(ctx, p.code)
	trace := e.stderr.takeTrace()
	if runErr != nil {
		ee := e.toEvalError(runErr, trace)
		hintFor(ee)
		if ee.Kind == "compile" && strings.Contains(ee.Msg, "definition loop") {
			if better := e.findUndefined(p.root, p.fset, p.headerLines); better != nil {
				ee = better
			}
		}
		return nil, false, ee
	}
	e.locked(p.record)
	if panics := e.takeGoPanics(); len(panics) > 0 {
		return nil, false, &EvalError{Kind: "panic", Msg: "in goroutine: " + panics[0], Trace: panics}
	}
	if !p.showValue {
		return nil, true, nil
	}
	val = e.describe(v, p.call)
	if val != nil {
		e.state.Lock()
		name := e.userTypeName(p.last)
		e.state.Unlock()
		if name != "" {
			val.Type = name
		}
	}
	return val, true, nil
}

// prepare parses a unit, applies the modern-Go rewrite and works out which
// packages it needs imported.
func (e *Engine) prepare(text string, u unit) (*prepared, *EvalError) {
	fset := token.NewFileSet()
	env := &sessionEnv{e: e}
	p := &prepared{imports: map[string]string{}, record: func() {}}
	if u.decl {
		const header = "package main\n"
		f, err := parser.ParseFile(fset, "", padded(header, text, u), 0)
		if err != nil {
			return nil, parseError(err, 1, text, u)
		}
		p.root, p.fset, p.headerLines = f, fset, 1
		if ee := checkHugeAllocations(f, fset, 1); ee != nil {
			return nil, ee
		}
		before := renderAll(fset, f.Decls)
		e.filterImports(f, p)
		renameMain(f)
		res := rewrite.File(f, env)
		e.neededImports(f, res, p)
		p.record = func() { e.recordDecls(f) }
		nodes := make([]ast.Node, len(f.Decls))
		for i, d := range f.Decls {
			nodes[i] = d
		}
		code, err := e.emit(fset, nodes, before, text, len(padded(header, "", u)), 1, p)
		if err != nil {
			return nil, &EvalError{Kind: "compile", Msg: err.Error()}
		}
		p.code = code
		return p, nil
	}

	const header = "package main\nfunc main() {\n"
	f, err := parser.ParseFile(fset, "", padded(header, text, u)+"\n}", 0)
	if err != nil {
		return nil, parseError(err, 2, text, u)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	p.root, p.fset, p.headerLines = body, fset, 2
	if ee := checkHugeAllocations(body, fset, 2); ee != nil {
		return nil, ee
	}
	if n := len(body.List); n > 0 {
		if es, ok := body.List[n-1].(*ast.ExprStmt); ok {
			p.showValue = true
			p.call, _ = es.X.(*ast.CallExpr)
			p.last = es.X
		}
	}
	before := renderAll(fset, body.List)
	renameMain(body)
	res := rewrite.Stmts(body, env)
	p.isolated = res.Isolated
	e.neededImports(body, res, p)
	p.record = func() {
		for name, t := range res.TopLevel {
			e.session.declare(name)
			e.session.vars[name] = t
		}
	}
	nodes := make([]ast.Node, len(body.List))
	for i, s := range body.List {
		nodes[i] = s
	}
	code, err := e.emit(fset, nodes, before, text, len(padded(header, "", u)), 2, p)
	if err != nil {
		return nil, &EvalError{Kind: "compile", Msg: err.Error()}
	}
	p.code = asStatements(code)
	return p, nil
}

// renderAll prints each node, to tell afterwards which ones the rewrite
// changed.
func renderAll[N ast.Node](fset *token.FileSet, nodes []N) map[ast.Node]string {
	out := make(map[ast.Node]string, len(nodes))
	for _, n := range nodes {
		out[n] = render(fset, n)
	}
	return out
}

func render(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, n); err != nil {
		return ""
	}
	return b.String()
}

// emit writes a unit's top-level statements or declarations for yaegi. A
// node the rewrite left alone is the user's own text behind a directive
// with its exact position (so errors keep their columns); a rewritten one
// is printed, with line directives. Every function body gets the
// recursion guard (see stackguard.go). prefixLen is the padding before
// text in the parsed source.
func (e *Engine) emit(fset *token.FileSet, nodes []ast.Node, before map[ast.Node]string, text string, prefixLen, headerLines int, p *prepared) (string, error) {
	var b strings.Builder
	for _, n := range nodes {
		if code, ok := e.asWritten(fset, n, before, text, prefixLen, headerLines, p); ok {
			b.WriteString(code)
			continue
		}
		e.needRT(guardAST(n), p)
		code, err := printSource(fset, n)
		if err != nil {
			return "", err
		}
		b.WriteString(shiftLines(code, headerLines) + "\n")
	}
	return b.String(), nil
}

// defineMinMax declares the interpreted min/max helpers once per session.
func (e *Engine) defineMinMax() {
	if _, err := e.in.Eval(rewrite.MinMaxSource); err == nil {
		e.session.minMax = true
	}
}

// recordDecls notes a declaration unit's names in the session.
func (e *Engine) recordDecls(f *ast.File) {
	s := e.session
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				s.declare(d.Name.Name)
				s.funcs[d.Name.Name] = d.Type
			} else if len(d.Recv.List) == 1 {
				_, ptr := rewrite.RecvTypeName(d.Recv.List[0].Type)
				s.methods[d.Name.Name] = append(s.methods[d.Name.Name], method{recv: d.Recv.List[0].Type, recvPtr: ptr, typ: d.Type})
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					s.declare(sp.Name.Name)
					s.types[sp.Name.Name] = sp.Type
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						s.declare(n.Name)
						s.vars[n.Name] = sp.Type
					}
				}
			}
		}
	}
}

// userTypeName names the type of x when it is one the user declared
// (reflection only sees the struct yaegi built for it), else "".
func (e *Engine) userTypeName(x ast.Expr) string {
	if x == nil {
		return ""
	}
	t := rewrite.TypeOf(x, &sessionEnv{e: e})
	prefix := ""
	if st, ok := t.(*ast.StarExpr); ok {
		prefix, t = "*", st.X
	}
	if id, ok := t.(*ast.Ident); ok && e.session.types[id.Name] != nil {
		return prefix + "main." + id.Name
	}
	return ""
}
