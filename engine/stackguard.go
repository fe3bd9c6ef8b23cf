package engine

import (
	"go/ast"
	"go/token"
	"sort"
	"strings"

	"github.com/mlx-go/mlx-go/engine/rewrite"
)

// checkCall is what starts every function body of a cell (see rt.Check:
// infinite recursion becomes an error instead of a fatal stack overflow).
const checkCall = rewrite.RTName + ".Check()"

// functionBodies are the bodies of the functions and function literals
// under root.
func functionBodies(root ast.Node) []*ast.BlockStmt {
	var out []*ast.BlockStmt
	ast.Inspect(root, func(n ast.Node) bool {
		switch f := n.(type) {
		case *ast.FuncDecl:
			if f.Body != nil {
				out = append(out, f.Body)
			}
		case *ast.FuncLit:
			out = append(out, f.Body)
		}
		return true
	})
	return out
}

// guardAST adds the check to every function body of a tree that is going
// to be printed anyway. It reports whether there was any.
func guardAST(root ast.Node) bool {
	bodies := functionBodies(root)
	for _, b := range bodies {
		call := &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(rewrite.RTName), Sel: ast.NewIdent("Check")}}}
		b.List = append([]ast.Stmt{call}, b.List...)
	}
	return len(bodies) > 0
}

// guardText adds the check to the function bodies of text, the unit's own
// source, without moving anything: after each inserted call a line
// directive restores the position of what follows, so errors keep the
// user's columns. prefixLen is how many bytes of padding preceded text in
// the parsed source, headerLines how many lines of wrapping.
func guardText(text string, fset *token.FileSet, root ast.Node, prefixLen, headerLines int) (string, bool) {
	type insert struct {
		off       int
		line, col int
	}
	var ins []insert
	for _, b := range functionBodies(root) {
		p := fset.Position(b.Lbrace)
		off := p.Offset - prefixLen + 1
		if off <= 0 || off > len(text) || text[off-1] != '{' {
			continue
		}
		ins = append(ins, insert{off, p.Line - headerLines, p.Column + 1})
	}
	if len(ins) == 0 {
		return text, false
	}
	sort.Slice(ins, func(i, j int) bool { return ins[i].off < ins[j].off })
	var b strings.Builder
	last := 0
	for _, in := range ins {
		b.WriteString(text[last:in.off])
		b.WriteString(checkCall + ";" + lineDirective(in.line, in.col))
		last = in.off
	}
	b.WriteString(text[last:])
	return b.String(), true
}
