package plot

import (
	"fmt"
	"strings"

	"github.com/mlx-go/mlx-go/tensor"
)

// fail reports bad input the way tensor ops do: a panic with a
// *tensor.Error, which the REPL and kernel show as the cell's error (and
// tensor.Try turns back into an error). The constructors return *Figure
// so that a cell can end with plot.Line(a) and see the picture; an error
// result would get in the way of that.
func fail(op string, arrays []*tensor.Array, format string, args ...any) {
	e := &tensor.Error{Op: "plot." + op, Msg: fmt.Sprintf(format, args...)}
	for _, a := range arrays {
		e.Inputs = append(e.Inputs, describe(a))
	}
	panic(e)
}

// describe is dtype[shape], as tensor errors name their inputs.
func describe(a *tensor.Array) string {
	if a == nil {
		return "nil"
	}
	shape := a.Shape()
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return fmt.Sprintf("%s[%s]", a.Dtype(), strings.Join(parts, ","))
}
