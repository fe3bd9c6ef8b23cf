package engine

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/interrupt"
	"github.com/mlx-go/mlx-go/tensor"
)

func emptyFset() *token.FileSet { return token.NewFileSet() }

// Bench limits: enough runs for a stable median without keeping the user
// waiting.
const (
	benchBudget  = 1 * time.Second
	benchMinRuns = 5
	benchMaxRuns = 10000
)

// cmdBench compiles arg once into a function, warms it up, then times
// repeated calls (computing any array it returns each time).
func (e *Engine) cmdBench(ctx context.Context, arg string) Result {
	if arg == "" {
		return cmdError("usage: :bench stmt")
	}
	expr, isExpr := parseExpr(arg)
	e.benchSeq++
	name := fmt.Sprintf("_mlxbench%d", e.benchSeq)
	var src string
	if isExpr {
		src = fmt.Sprintf("%s := func() any { return %s }", name, arg)
	} else {
		src = fmt.Sprintf("%s := func() {\n%s\n}", name, arg)
	}
	if r := e.evalGo(ctx, src); r.Err != nil {
		return r
	}
	fn, ok := e.in.Globals()[name]
	if !ok || fn.Kind() != reflect.Func {
		return cmdError("bench: could not compile %s", arg)
	}

	var last any
	once := func() (d time.Duration, err *EvalError) {
		defer func() {
			if r := recover(); r != nil {
				err = panicError(r, nil)
			}
		}()
		start := time.Now()
		out := fn.Call(nil)
		if len(out) == 1 {
			last = out[0].Interface()
			if a, ok := last.(*tensor.Array); ok && a != nil {
				a.Eval()
			}
		}
		return time.Since(start), nil
	}
	stopped := func() bool { return ctx.Err() != nil || interrupt.Requested() }

	warm, err := once()
	if err != nil {
		return Result{Err: err}
	}
	runs := benchMinRuns
	if warm > 0 {
		runs = max(benchMinRuns, min(benchMaxRuns, int(benchBudget/warm)))
	}
	times := make([]time.Duration, 0, runs)
	for i := 0; i < runs && !stopped(); i++ {
		d, err := once()
		if err != nil {
			return Result{Err: err}
		}
		times = append(times, d)
	}
	if stopped() {
		return Result{Err: &EvalError{Kind: "interrupted", Msg: "interrupted"}}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	median := times[len(times)/2]
	q1, q3 := times[len(times)/4], times[len(times)*3/4]
	line := fmt.Sprintf("median %s, spread %s (IQR %s .. %s, min %s, max %s), %d runs after warm-up",
		formatDuration(median), formatDuration(q3-q1), formatDuration(q1), formatDuration(q3),
		formatDuration(times[0]), formatDuration(times[len(times)-1]), len(times))
	if isExpr {
		if rate := e.opRate(expr, last, median); rate != "" {
			line += ", " + rate
		}
	}
	return textValue(line)
}

func parseExpr(src string) (ast.Expr, bool) {
	x, err := parser.ParseExpr(src)
	return x, err == nil
}

// opRate is the throughput of a single MLX op (tensor.Op(a, b, ...) or
// a.Op(b, ...) with variables as operands): TFLOP/s for a matrix product,
// GB/s of operands and result moved otherwise. "" when the expression is
// not one such op.
func (e *Engine) opRate(expr ast.Expr, result any, d time.Duration) string {
	out, ok := result.(*tensor.Array)
	if !ok || out == nil || d <= 0 {
		return ""
	}
	call, ok := expr.(*ast.CallExpr)
	if !ok {
		return ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	operands := call.Args
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "tensor" || e.session.globals["tensor"] {
		operands = append([]ast.Expr{sel.X}, operands...)
	}
	globals := e.in.Globals()
	var inputs []*tensor.Array
	for _, o := range operands {
		id, ok := o.(*ast.Ident)
		if !ok {
			continue // an option or a literal
		}
		if v, ok := globals[id.Name]; ok && v.IsValid() && v.CanInterface() {
			if a, ok := v.Interface().(*tensor.Array); ok && a != nil {
				inputs = append(inputs, a)
			}
		}
	}
	if len(inputs) == 0 {
		return ""
	}
	secs := d.Seconds()
	if name := strings.ToLower(sel.Sel.Name); (name == "matmul" || name == "addmm") && len(inputs) >= 2 {
		a := inputs[len(inputs)-2]
		if name == "addmm" && len(inputs) >= 3 {
			a = inputs[1]
		}
		k := a.Shape()[a.Ndim()-1]
		flops := 2 * float64(out.Size()) * float64(k)
		return fmt.Sprintf("%.3f TFLOP/s", flops/secs/1e12)
	}
	bytes := float64(out.Nbytes())
	for _, a := range inputs {
		bytes += float64(a.Nbytes())
	}
	return fmt.Sprintf("%.2f GB/s", bytes/secs/1e9)
}
