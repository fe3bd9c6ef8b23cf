package engine

import (
	"go/ast"
	"go/scanner"
	"go/token"
)

// asWritten is top-level node n as the user wrote it, behind a directive
// with its exact position (so errors keep their columns), when the rewrite
// left it alone or only ran it in a function literal (see
// rewrite.Result.Isolated). ok is false when n must be printed instead.
// prefixLen is the padding before text in the parsed source.
func (e *Engine) asWritten(fset *token.FileSet, n ast.Node, before map[ast.Node]string, text string, prefixLen, headerLines int, p *prepared) (code string, ok bool) {
	open, close := "", ""
	if s, isStmt := n.(ast.Stmt); isStmt && p.isolated[s] != nil {
		// Not guarded: the literal runs once and calls nothing itself.
		n, open, close = p.isolated[s], "func() {", "\n}()"
	}
	if old, found := before[n]; !found || old != render(fset, n) {
		return "", false
	}
	start := fset.Position(n.Pos()).Offset - prefixLen
	end := fset.Position(n.End()).Offset - prefixLen
	if start < 0 || end > len(text) || start > end {
		return "", false
	}
	guarded, any := guardText(text[start:end], fset, n, prefixLen+start, headerLines)
	e.needRT(any, p)
	pos := fset.Position(n.Pos())
	return open + lineDirective(pos.Line-headerLines, pos.Column) + guarded + close + "\n", true
}

// asStatements keeps yaegi from reading statements as a file of
// declarations, which it does when their first token is a declaration's
// keyword: a rewrite may make them start with one ("var x T; x = s[0]",
// "func() {...}()"). An empty statement first changes nothing else.
func asStatements(code string) string {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(code)), []byte(code), nil, 0)
	_, first, _ := s.Scan()
	if startsDecl(first, func(int) token.Token { return token.IDENT }) {
		return ";" + code
	}
	return code
}
