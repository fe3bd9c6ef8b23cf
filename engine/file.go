package engine

import (
	"go/ast"
	"go/scanner"
	"go/token"
	"strings"
)

// stripPackageClause blanks out a leading "package name" (keeping every
// position), reporting whether there was one.
func stripPackageClause(src string) (string, bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	pos, tok, _ := s.Scan()
	if tok != token.PACKAGE {
		return src, false
	}
	namePos, name, lit := s.Scan()
	if name != token.IDENT {
		return src, false
	}
	start, end := file.Offset(pos), file.Offset(namePos)+len(lit)
	return src[:start] + strings.Repeat(" ", end-start) + src[end:], true
}

// declaresMain reports whether src declares a top-level func main.
func declaresMain(src string) bool {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	depth := 0
	prevFunc := false
	for {
		_, tok, lit := s.Scan()
		switch tok {
		case token.EOF:
			return false
		case token.LBRACE, token.LPAREN:
			depth++
		case token.RBRACE, token.RPAREN:
			depth--
		case token.IDENT:
			if prevFunc && depth == 0 && lit == "main" {
				return true
			}
		}
		prevFunc = tok == token.FUNC
	}
}

// mainName is what the user's func main is called in the interpreter:
// yaegi runs a function named main after every later input once one is
// declared, which a session must not do.
const mainName = "_mlxmain"

// renameMain renames func main, and the uses of the name that refer to it,
// to mainName. It reports whether it changed anything.
func renameMain(n ast.Node) bool {
	changed := false
	ast.Inspect(n, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || id.Name != "main" {
			return true
		}
		if id.Obj == nil || id.Obj.Kind == ast.Fun {
			id.Name = mainName
			changed = true
		}
		return true
	})
	return changed
}
