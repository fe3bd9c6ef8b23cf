package engine

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
)

// maxConstElements bounds array lengths and make sizes written as
// constants. Allocating more than the machine has is a fatal error in Go
// (not a panic), so such an input must be refused before it runs; sizes
// computed at run time cannot be checked this way.
const maxConstElements = 1 << 32

// checkHugeAllocations refuses constant array lengths and make sizes over
// the bound, with the position of the size.
func checkHugeAllocations(root ast.Node, fset *token.FileSet, headerLines int) *EvalError {
	var bad ast.Expr
	ast.Inspect(root, func(n ast.Node) bool {
		if bad != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.ArrayType:
			if tooBig(n.Len) {
				bad = n.Len
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "make" {
				for _, a := range n.Args[min(1, len(n.Args)):] {
					if tooBig(a) {
						bad = a
					}
				}
			}
		}
		return true
	})
	if bad == nil {
		return nil
	}
	p := fset.Position(bad.Pos())
	return &EvalError{Kind: "compile", Line: p.Line - headerLines, Col: p.Column,
		Msg: fmt.Sprintf("size too large: more than %d elements would exhaust memory", maxConstElements)}
}

func tooBig(e ast.Expr) bool {
	v := constValue(e)
	if v == nil || v.Kind() != constant.Int {
		return false
	}
	return constant.Compare(v, token.GTR, constant.MakeInt64(maxConstElements))
}

// constValue evaluates an integer constant expression made of literals.
func constValue(e ast.Expr) constant.Value {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.INT {
			return constant.MakeFromLiteral(e.Value, e.Kind, 0)
		}
	case *ast.ParenExpr:
		return constValue(e.X)
	case *ast.BinaryExpr:
		x, y := constValue(e.X), constValue(e.Y)
		if x == nil || y == nil {
			return nil
		}
		switch e.Op {
		case token.SHL, token.SHR:
			s, ok := constant.Uint64Val(y)
			if !ok || s > 1024 {
				return nil
			}
			return constant.Shift(x, e.Op, uint(s))
		case token.ADD, token.SUB, token.MUL:
			return constant.BinaryOp(x, e.Op, y)
		}
	}
	return nil
}
