package engine

import (
	"go/ast"
	"go/token"
	"strings"
)

// predeclared names never need a declaration.
var predeclared = map[string]bool{
	"true": true, "false": true, "nil": true, "iota": true, "_": true,
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true, "delete": true,
	"imag": true, "len": true, "make": true, "max": true, "min": true, "new": true, "panic": true,
	"print": true, "println": true, "real": true, "recover": true,
	"bool": true, "string": true, "error": true, "any": true, "comparable": true, "byte": true, "rune": true,
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true,
}

// findUndefined finds the first identifier of a unit that nothing
// declares. yaegi reports such a name at top level as a "constant
// definition loop" somewhere else; this gives the usual "undefined: x" at
// the name itself.
func (e *Engine) findUndefined(root ast.Node, fset *token.FileSet, headerLines int) *EvalError {
	skip := map[*ast.Ident]bool{}
	var found *ast.Ident
	ast.Inspect(root, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
			if id, ok := n.X.(*ast.Ident); ok && id.Obj == nil {
				if _, ok := knownPackages()[id.Name]; ok {
					skip[id] = true
				}
				if _, ok := e.session.imports[id.Name]; ok {
					skip[id] = true
				}
			}
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok {
				skip[id] = true // a struct field name
			}
		case *ast.BranchStmt:
			return false
		case *ast.LabeledStmt:
			skip[n.Label] = true
		case *ast.Field:
			for _, id := range n.Names {
				skip[id] = true
			}
		case *ast.Ident:
			if skip[n] || n.Obj != nil || predeclared[n.Name] || e.session.globals[n.Name] ||
				strings.HasPrefix(n.Name, "_mlx") || n.Name == "mlxrt" {
				return true
			}
			found = n
		}
		return true
	})
	if found == nil {
		return nil
	}
	p := fset.Position(found.Pos())
	return &EvalError{Kind: "compile", Msg: "undefined: " + found.Name, Line: p.Line - headerLines, Col: p.Column}
}
