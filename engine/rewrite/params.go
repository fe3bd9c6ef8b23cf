package rewrite

import "go/ast"

// nameParams gives the unnamed parameters of a function that has a body
// the blank name: func(int) int { ... } becomes func(_ int) int { ... }.
// yaegi v0.16 allots a frame slot to every named parameter but none to an
// unnamed one (cfg.go, "Define input parameter symbols"), while a call
// still copies every argument into the frame by position: the arguments
// land in the slots of the function's first locals. The engine's stack
// check, which starts every body, is such a local, hence "reflect.Set:
// value of type int is not assignable to type func()"; without it the
// function's own first variable is clobbered. A blank parameter has a slot
// and means the same.
func (r *rewriter) nameParams(ft *ast.FuncType) {
	if ft == nil || ft.Params == nil || len(ft.Params.List) == 0 || len(ft.Params.List[0].Names) > 0 {
		return // none, or named (Go allows no mix)
	}
	for _, f := range ft.Params.List {
		f.Names = []*ast.Ident{{NamePos: f.Pos(), Name: "_"}}
	}
	r.res.Changed = true
}
