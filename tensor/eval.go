package tensor

import "github.com/mlx-go/mlx-go/tensor/cgo"

// Eval computes the arrays (and what they depend on) now.
func Eval(arrays ...*Array) {
	check("eval", cgo.Eval(handles("eval", arrays)), arrays...)
	collectIfNeeded()
}

// AsyncEval schedules the arrays for computation and returns at once;
// reading their data (or Eval) waits for the result.
func AsyncEval(arrays ...*Array) {
	check("async_eval", cgo.AsyncEval(handles("async_eval", arrays)), arrays...)
}

// Eval computes a now and returns it, for chaining.
func (a *Array) Eval() *Array {
	Eval(a)
	return a
}

// IsEvaluated reports whether a has been computed or scheduled.
func (a *Array) IsEvaluated() bool { return cgo.IsEvaluated(a.handle("is_evaluated")) }

// ExportToDot is the graph that computing arrays would run, in Graphviz
// DOT, as mx.export_to_dot writes it: one box per primitive, which is how
// one counts the work a step queues.
func ExportToDot(arrays ...*Array) string {
	s, err := cgo.ExportToDot(handles("export_to_dot", arrays))
	check("export_to_dot", err, arrays...)
	return s
}
