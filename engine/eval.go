package engine

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strconv"

	"github.com/mlx-go/mlx-go/engine/rewrite"
)

// prepared is one unit ready for the interpreter.
type prepared struct {
	code      string            // what yaegi evaluates
	imports   map[string]string // name -> path, to import first
	showValue bool              // the unit ends with an expression statement
	call      *ast.CallExpr     // that expression, when it is a call
	record    func()            // notes the unit's declarations in the session, after it ran
}

// evalGo runs Go source, unit by unit (see splitUnits).
func (e *Engine) evalGo(ctx context.Context, src string) Result {
	var res Result
	for _, u := range splitUnits(src) {
		p, perr := e.prepare(src[u.start:u.end], u)
		if perr != nil {
			return Result{Err: perr}
		}
		for name, path := range p.imports {
			if _, err := e.run(ctx, fmt.Sprintf("import %s %q", name, path)); err != nil {
				return Result{Err: e.toEvalError(err, nil)}
			}
			e.session.imports[name] = path
		}
		if p.code == "" {
			p.record()
			continue
		}
		v, err := e.run(ctx, p.code)
		trace := e.stderr.takeTrace()
		if err != nil {
			return Result{Err: e.toEvalError(err, trace)}
		}
		p.record()
		if panics := e.takeGoPanics(); len(panics) > 0 {
			return Result{Err: &EvalError{Kind: "panic", Msg: "in goroutine: " + panics[0], Trace: panics}}
		}
		res.Value = nil
		if p.showValue {
			res.Value = e.describe(v, p.call)
		}
	}
	if panics := e.takeGoPanics(); len(panics) > 0 {
		return Result{Err: &EvalError{Kind: "panic", Msg: "in goroutine: " + panics[0], Trace: panics}}
	}
	return res
}

// lineDirective makes the positions yaegi reports refer to the user's
// input rather than to yaegi's wrapped copy of it.
func lineDirective(line, col int) string {
	return "/*line input:" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + "*/"
}

// prepare parses a unit, applies the modern-Go rewrite and works out which
// packages it needs imported.
func (e *Engine) prepare(text string, u unit) (*prepared, *EvalError) {
	fset := token.NewFileSet()
	env := &sessionEnv{e: e}
	p := &prepared{imports: map[string]string{}, record: func() {}}
	if u.decl {
		f, err := parser.ParseFile(fset, "input", "package main\n"+lineDirective(u.line, u.col)+text, 0)
		if err != nil {
			return nil, parseError(err)
		}
		changed := e.filterImports(f, p)
		res := rewrite.File(f, env)
		e.neededImports(f, res, p)
		p.record = func() { e.recordDecls(f) }
		if len(f.Decls) == 0 {
			return p, nil
		}
		if !res.Changed && !changed {
			p.code = lineDirective(u.line, u.col) + text
			return p, nil
		}
		code, err := printSource(fset, f.Decls)
		if err != nil {
			return nil, &EvalError{Kind: "compile", Msg: err.Error()}
		}
		p.code = code
		return p, nil
	}

	f, err := parser.ParseFile(fset, "input", "package main\nfunc main() {\n"+lineDirective(u.line, u.col)+text+"\n}", 0)
	if err != nil {
		return nil, parseError(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	if n := len(body.List); n > 0 {
		if es, ok := body.List[n-1].(*ast.ExprStmt); ok {
			p.showValue = true
			p.call, _ = es.X.(*ast.CallExpr)
		}
	}
	res := rewrite.Stmts(body, env)
	e.neededImports(body, res, p)
	p.record = func() {
		for name, t := range res.TopLevel {
			e.session.declare(name)
			e.session.vars[name] = t
		}
	}
	if !res.Changed {
		p.code = lineDirective(u.line, u.col) + text
		return p, nil
	}
	code, err := printSource(fset, body.List)
	if err != nil {
		return nil, &EvalError{Kind: "compile", Msg: err.Error()}
	}
	p.code = code
	return p, nil
}

// printSource prints rewritten code with //line comments that keep the
// user's positions. The leading newline puts the first comment at the
// start of a line even after yaegi's "package main; func main() {".
func printSource(fset *token.FileSet, node any) (string, error) {
	var b bytes.Buffer
	b.WriteByte('\n')
	cfg := printer.Config{Mode: printer.SourcePos | printer.UseSpaces, Tabwidth: 8}
	if err := cfg.Fprint(&b, fset, node); err != nil {
		return "", err
	}
	return b.String(), nil
}

// filterImports drops import specs the session already has (yaegi refuses
// a second import of a name) and "iter" (its types are rewritten away),
// moving the others to p.imports. It reports whether it changed f.
func (e *Engine) filterImports(f *ast.File, p *prepared) bool {
	changed := false
	decls := f.Decls[:0]
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			decls = append(decls, d)
			continue
		}
		changed = true
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			path, _ := strconv.Unquote(is.Path.Value)
			if path == "iter" {
				continue
			}
			name := importName(path)
			if is.Name != nil {
				name = is.Name.Name
			}
			if e.session.imports[name] != path {
				p.imports[name] = path
			}
		}
	}
	f.Decls = decls
	return changed
}

// importName is the name a path is imported as by default.
func importName(path string) string {
	for _, kp := range knownPackages() {
		if kp.path == path {
			return kp.name
		}
	}
	_, last := splitLast(path)
	return last
}

func splitLast(path string) (string, string) {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i], path[i+1:]
		}
	}
	return "", path
}

// neededImports finds package names used but not yet imported (so
// tensor.New works without an import line) and the helpers the rewrite
// calls.
func (e *Engine) neededImports(n ast.Node, res rewrite.Result, p *prepared) {
	ast.Inspect(n, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || id.Obj != nil || e.session.globals[id.Name] {
			return true
		}
		if _, done := e.session.imports[id.Name]; done {
			return true
		}
		if kp, ok := knownPackages()[id.Name]; ok {
			p.imports[id.Name] = kp.path
		}
		return true
	})
	if res.NeedsRT {
		if _, done := e.session.imports[rewrite.RTName]; !done {
			p.imports[rewrite.RTName] = "github.com/mlx-go/mlx-go/engine/rt"
		}
	}
	if res.NeedsMin && !e.session.minMax {
		e.defineMinMax()
	}
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
