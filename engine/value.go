package engine

import (
	"fmt"
	"go/ast"
	"html"
	"reflect"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/tensor"
)

// describe turns the value of an input's last expression into a Value, or
// nil when there is nothing to show (a call without results, a print).
func (e *Engine) describe(v reflect.Value, call *ast.CallExpr) *Value {
	if !v.IsValid() || isNoValue(v) || isPrintCall(call) {
		return nil
	}
	// yaegi gives a call to a compiled function without results a nil func
	// value; a call that really returns a func returns a non-nil one.
	if call != nil && v.Kind() == reflect.Func && v.IsNil() {
		return nil
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	val := &Value{Type: typeName(v.Type()), Text: formatValue(v)}
	if e.renderValue(v, val) {
		return val
	}
	if a, ok := asArray(v); ok {
		val.Rich = map[string]any{"text/html": arrayHTML(a, val.Text)}
	}
	return val
}

// isNoValue recognises what yaegi returns for statements without a value:
// a pointer to an empty interface.
func isNoValue(v reflect.Value) bool {
	t := v.Type()
	return t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Interface && t.Elem().NumMethod() == 0
}

// isPrintCall: fmt.Println("x") as the last line shows its output, not
// the byte count it returns.
func isPrintCall(call *ast.CallExpr) bool {
	if call == nil {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "fmt" && (strings.HasPrefix(sel.Sel.Name, "Print") || strings.HasPrefix(sel.Sel.Name, "Fprint"))
}

func typeName(t reflect.Type) string {
	return t.String()
}

func asArray(v reflect.Value) (*tensor.Array, bool) {
	if !v.IsValid() || !v.CanInterface() {
		return nil, false
	}
	a, ok := v.Interface().(*tensor.Array)
	return a, ok && a != nil
}

// formatValue is how the REPL prints a value: strings quoted, arrays and
// other Stringers by their String, structs with field names.
func formatValue(v reflect.Value) (text string) {
	defer func() {
		if r := recover(); r != nil {
			text = fmt.Sprintf("<%s: String panicked: %v>", v.Type(), r)
		}
	}()
	if !v.CanInterface() {
		return fmt.Sprint(v)
	}
	x := v.Interface()
	switch x := x.(type) {
	case string:
		return strconv.Quote(x)
	case error:
		return x.Error()
	case fmt.Stringer:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return "nil"
		}
		return x.String()
	}
	switch v.Kind() {
	case reflect.Struct:
		return fmt.Sprintf("%+v", x)
	case reflect.Pointer:
		if v.IsNil() {
			return "nil"
		}
		if v.Elem().Kind() == reflect.Struct {
			return fmt.Sprintf("&%+v", v.Elem().Interface())
		}
	case reflect.Map, reflect.Slice, reflect.Interface, reflect.Func, reflect.Chan:
		if v.IsNil() {
			return "nil"
		}
	}
	return fmt.Sprint(x)
}

// arrayHTML is an array as Jupyter shows it: a dtype/shape header and a
// table for vectors and matrices small enough to read (MLX's repr
// otherwise).
func arrayHTML(a *tensor.Array, repr string) string {
	shape, dtype := a.Shape(), a.Dtype()
	var b strings.Builder
	fmt.Fprintf(&b, "<div><b>tensor.Array</b> dtype=%s shape=%v</div>", html.EscapeString(dtype.String()), shape)
	size := a.Size()
	if len(shape) > 2 || size > 400 || len(shape) == 0 {
		fmt.Fprintf(&b, "<pre>%s</pre>", html.EscapeString(repr))
		return b.String()
	}
	values := arrayCells(a)
	if values == nil {
		fmt.Fprintf(&b, "<pre>%s</pre>", html.EscapeString(repr))
		return b.String()
	}
	rows, cols := 1, shape[0]
	if len(shape) == 2 {
		rows, cols = shape[0], shape[1]
	}
	b.WriteString("<table>")
	for r := 0; r < rows; r++ {
		b.WriteString("<tr>")
		for c := 0; c < cols; c++ {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(values[r*cols+c]))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}

// arrayCells are a's elements as text, or nil for dtypes without a plain
// Go reading.
func arrayCells(a *tensor.Array) (cells []string) {
	defer func() {
		if recover() != nil {
			cells = nil
		}
	}()
	var vals []any
	switch {
	case a.Dtype() == tensor.Complex64:
		return nil
	case a.Dtype() == tensor.Bool:
		for _, x := range a.Bools() {
			vals = append(vals, x)
		}
	case a.Dtype().IsFloat():
		for _, x := range a.AsType(tensor.Float64).Float64s() {
			vals = append(vals, x)
		}
	default:
		for _, x := range a.AsType(tensor.Int64).Int64s() {
			vals = append(vals, x)
		}
	}
	for _, x := range vals {
		cells = append(cells, fmt.Sprint(x))
	}
	return cells
}
