package engine

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/engine/rewrite"
)

// prepared is one unit ready for the interpreter.
type prepared struct {
	code      string            // what yaegi evaluates
	imports   map[string]string // name -> path, to import first
	showValue bool              // the unit ends with an expression statement
	call      *ast.CallExpr     // that expression, when it is a call
	record    func()            // notes the unit's declarations in the session, after it ran

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
	for _, u := range splitUnits(src) {
		p, perr := e.prepare(src[u.start:u.end], u)
		if perr != nil {
			return Result{Err: perr}
		}
		for name, path := range p.imports {
			if _, err := e.run(ctx, fmt.Sprintf("import %s %q", name, path)); err != nil {
				if strings.Contains(err.Error(), "redeclared") {
					return Result{Err: &EvalError{Kind: "compile", Line: u.line, Col: u.col,
						Msg: fmt.Sprintf("cannot import %q as %s: the name %s is already in use", path, name, name)}}
				}
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
			ee := e.toEvalError(err, trace)
			hintFor(ee)
			if ee.Kind == "compile" && strings.Contains(ee.Msg, "definition loop") {
				if better := e.findUndefined(p.root, p.fset, p.headerLines); better != nil {
					ee = better
				}
			}
			return Result{Err: ee}
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

// Positions. yaegi reports positions in its wrapped copy of an input
// ("package main; func main() {" + input), and keys imports by file name,
// so the file name must stay yaegi's own (empty). The engine therefore
// marks the user's positions by line number alone: a line directive puts
// input line L at line lineBase+L, which yaegi's own wrapper (line 1) can
// never reach, and errors are mapped back by subtracting it.
const lineBase = 1_000_000

// lineDirective makes what follows start at the user's line and column.
func lineDirective(line, col int) string {
	return "/*line :" + strconv.Itoa(lineBase+line) + ":" + strconv.Itoa(col) + "*/"
}

// padded places text at its line and column in the input, after a header
// of headerLines lines, so that parse positions are the user's plus
// headerLines lines.
func padded(header string, text string, u unit) string {
	return header + strings.Repeat("\n", u.line-1) + strings.Repeat(" ", u.col-1) + text
}

// printedLine matches the line comments go/printer writes in SourcePos
// mode; their numbers are positions in the padded parse source.
var printedLine = regexp.MustCompile(`(?m)^//line :(\d+)`)

// shiftLines turns printed line comments into directives for the user's
// lines. They become /*line :L:1*/ comments on the line before, because
// yaegi loses track of imports after a "//line :N" without a column (the
// file name changes); the comment's own newline moves to line L+1.
func shiftLines(code string, headerLines int) string {
	return printedLine.ReplaceAllStringFunc(code, func(m string) string {
		n, _ := strconv.Atoi(m[len("//line :"):])
		return "/*line :" + strconv.Itoa(n-headerLines+lineBase-1) + ":1*/"
	})
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
		changed := e.filterImports(f, p)
		changed = renameMain(f) || changed
		res := rewrite.File(f, env)
		e.neededImports(f, res, p)
		p.record = func() { e.recordDecls(f) }
		if len(f.Decls) == 0 {
			return p, nil
		}
		if !res.Changed && !changed {
			guarded, any := guardText(text, fset, f, len(padded(header, "", u)), 1)
			e.needRT(any, p)
			p.code = lineDirective(u.line, u.col) + guarded
			return p, nil
		}
		e.needRT(guardAST(f), p)
		code, err := printSource(fset, f.Decls)
		if err != nil {
			return nil, &EvalError{Kind: "compile", Msg: err.Error()}
		}
		p.code = shiftLines(code, 1)
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
		}
	}
	renamed := renameMain(body)
	res := rewrite.Stmts(body, env)
	res.Changed = res.Changed || renamed
	e.neededImports(body, res, p)
	p.record = func() {
		for name, t := range res.TopLevel {
			e.session.declare(name)
			e.session.vars[name] = t
		}
	}
	if !res.Changed {
		guarded, any := guardText(text, fset, body, len(padded(header, "", u)), 2)
		e.needRT(any, p)
		p.code = lineDirective(u.line, u.col) + guarded
		return p, nil
	}
	e.needRT(guardAST(body), p)
	code, err := printSource(fset, body.List)
	if err != nil {
		return nil, &EvalError{Kind: "compile", Msg: err.Error()}
	}
	p.code = shiftLines(code, 2)
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
	e.needRT(res.NeedsRT, p)
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

// needRT imports the helpers' package when the rewritten code calls it.
func (e *Engine) needRT(needed bool, p *prepared) {
	if !needed {
		return
	}
	if _, done := e.session.imports[rewrite.RTName]; !done {
		p.imports[rewrite.RTName] = "github.com/mlx-go/mlx-go/engine/rt"
	}
}
