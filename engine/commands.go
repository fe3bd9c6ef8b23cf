package engine

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mlx-go/mlx-go/tensor"
)

// command is one ':' (or '%') command.
type command struct {
	name, args, help string
	run              func(e *Engine, ctx context.Context, arg string) Result
}

// commands is the table behind :help; the REPL and the kernel share it.
// Aliases name the spelling IPython users know.
var commands []command

var aliases = map[string]string{"timeit": "bench", "q": "quit", "h": "help", "l": "load"}

func init() {
	commands = []command{
		{"help", "", "list the commands", (*Engine).cmdHelp},
		{"load", "file.go", "run a Go file in the session (its main too, if it has one)", (*Engine).cmdLoad},
		{"reset", "", "forget every variable, declaration and import", (*Engine).cmdReset},
		{"type", "expr", "show the Go type of an expression", (*Engine).cmdType},
		{"time", "stmt", "run a statement once and show how long it took (lazy arrays in the result are evaluated)", (*Engine).cmdTime},
		{"bench", "stmt", "run a statement repeatedly: median time, spread, and GB/s or TFLOP/s for one MLX op", (*Engine).cmdBench},
		{"mem", "", "MLX memory: active, peak, cache, limits, live arrays", (*Engine).cmdMem},
		{"device", "[cpu|gpu]", "show or set the default device", (*Engine).cmdDevice},
		{"doc", "name", "documentation of a package member, type, method or variable", (*Engine).cmdDoc},
		{"models", "[dir]", "list the models under dir (default $MLX_MODELS, else the Hugging Face cache)", (*Engine).cmdModels},
		{"quit", "", "leave the REPL (Ctrl-D too)", (*Engine).cmdQuit},
	}
}

// CommandNames lists the commands, for completion.
func CommandNames() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}

func isCommand(line string) bool {
	return strings.HasPrefix(line, ":") || strings.HasPrefix(line, "%")
}

// splitCommand reads ":name args" (also "%name", "%%name").
func splitCommand(line string) (name, arg string) {
	line = strings.TrimLeft(line, ":%")
	name, arg, _ = strings.Cut(line, " ")
	if i := strings.IndexAny(name, "\n\t"); i >= 0 {
		name, arg = name[:i], line[i+1:]
	}
	name = strings.ToLower(name)
	if a, ok := aliases[name]; ok {
		name = a
	}
	return name, strings.TrimSpace(arg)
}

func (e *Engine) command(ctx context.Context, line string) Result {
	name, arg := splitCommand(line)
	for _, c := range commands {
		if c.name == name {
			return c.run(e, ctx, arg)
		}
	}
	return cmdError("unknown command :%s (:help lists them)", name)
}

func cmdError(format string, args ...any) Result {
	return Result{Err: &EvalError{Kind: "command", Msg: fmt.Sprintf(format, args...)}}
}

func textValue(s string) Result { return Result{Value: &Value{Text: s}} }

func (e *Engine) cmdHelp(ctx context.Context, _ string) Result {
	var b strings.Builder
	b.WriteString("Type Go: declarations, statements, or an expression to see its value.\n")
	b.WriteString("Packages (tensor, nn, models, fmt, math, strings, ...) need no import line.\n")
	b.WriteString("Rich output in Jupyter: display.HTML, display.Markdown, display.PNG, display.SVG, display.JSON, display.Update.\n")
	b.WriteString("Plots: plot.Line, plot.Series, plot.Hist, plot.Heatmap, plot.Bars (a figure as the value shows as an image;\n")
	b.WriteString("  in the terminal it is saved as a PNG). Streamed generation: live.Generate(m, prompt), live.Chat(m, messages).\n")
	b.WriteString("\nCommands (also spelled %name):\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  :%-16s %s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	}
	b.WriteString("\nTab completes, Ctrl-R searches the history (~/.mlxrepl_history), Ctrl-C stops the running input,\nCtrl-D (or :quit) leaves.")
	return textValue(b.String())
}

func (e *Engine) cmdLoad(ctx context.Context, arg string) Result {
	if arg == "" {
		return cmdError("usage: :load file.go")
	}
	src, err := os.ReadFile(expandHome(arg))
	if err != nil {
		return cmdError("load: %v", err)
	}
	return e.evalGo(ctx, string(src))
}

func expandHome(path string) string {
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return home + path[1:]
		}
	}
	return path
}

func (e *Engine) cmdReset(ctx context.Context, _ string) Result {
	if err := e.Reset(); err != nil {
		return cmdError("reset: %v", err)
	}
	return Result{}
}

func (e *Engine) cmdQuit(ctx context.Context, _ string) Result {
	return cmdError("quit: leave with Ctrl-D, or stop the kernel")
}

func (e *Engine) cmdType(ctx context.Context, arg string) Result {
	if arg == "" {
		return cmdError("usage: :type expr")
	}
	if _, err := parser.ParseExpr(arg); err != nil {
		return cmdError("type: %s is not an expression", arg)
	}
	r := e.evalGo(ctx, arg)
	if r.Err != nil {
		return r
	}
	if r.Value == nil {
		return textValue("(no value)")
	}
	return textValue(r.Value.Type)
}

// cmdTime runs arg once. The time includes computing the arrays it
// produced: the value shown, and the arrays its assignments stored.
func (e *Engine) cmdTime(ctx context.Context, arg string) Result {
	if arg == "" {
		return cmdError("usage: :time stmt")
	}
	start := time.Now()
	r := e.evalGo(ctx, arg)
	if r.Err != nil {
		return r
	}
	if err := tensor.Try(func() { tensor.Eval(e.assignedArrays(arg)...) }); err != nil {
		return cmdError("time: %v", err)
	}
	fmt.Fprintf(e.stdout, "time: %s\n", formatDuration(time.Since(start)))
	return r
}

// assignedArrays are the arrays that the top-level assignments and
// declarations of src stored.
func (e *Engine) assignedArrays(src string) []*tensor.Array {
	f, err := parser.ParseFile(emptyFset(), "", "package p\nfunc _() {\n"+src+"\n}", 0)
	if err != nil {
		return nil
	}
	var names []string
	for _, s := range f.Decls[0].(*ast.FuncDecl).Body.List {
		switch s := s.(type) {
		case *ast.AssignStmt:
			for _, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					names = append(names, id.Name)
				}
			}
		case *ast.DeclStmt:
			if gd, ok := s.Decl.(*ast.GenDecl); ok {
				for _, sp := range gd.Specs {
					if vs, ok := sp.(*ast.ValueSpec); ok {
						for _, n := range vs.Names {
							names = append(names, n.Name)
						}
					}
				}
			}
		}
	}
	globals := e.in.Globals()
	var arrays []*tensor.Array
	for _, n := range names {
		if v, ok := globals[n]; ok && v.IsValid() && v.CanInterface() {
			if a, ok := v.Interface().(*tensor.Array); ok && a != nil {
				arrays = append(arrays, a)
			}
		}
	}
	return arrays
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.2f µs", float64(d.Nanoseconds())/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.3f ms", float64(d.Nanoseconds())/1e6)
	}
	return fmt.Sprintf("%.3f s", d.Seconds())
}

func (e *Engine) cmdMem(ctx context.Context, _ string) Result {
	m := tensor.Memory()
	mb := func(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }
	limit := func(b uint64) string {
		if b == 0 {
			return "none"
		}
		return mb(b)
	}
	return textValue(fmt.Sprintf("active %s, peak %s, cache %s, limit %s, cache limit %s, live arrays %d",
		mb(m.Active), mb(m.Peak), mb(m.Cache), limit(m.Limit), limit(m.CacheLimit), tensor.LiveArrays()))
}

func (e *Engine) cmdDevice(ctx context.Context, arg string) Result {
	var d tensor.Device
	switch strings.ToLower(arg) {
	case "":
		return textValue("default device: " + tensor.DefaultDevice().String())
	case "cpu":
		d = tensor.CPU
	case "gpu":
		d = tensor.GPU
	default:
		return cmdError("device: want cpu or gpu, not %q", arg)
	}
	if !d.Available() {
		return cmdError("device: %s is not available in this build of MLX", d)
	}
	tensor.SetDefaultDevice(d)
	return textValue("default device: " + d.String())
}

func (e *Engine) cmdDoc(ctx context.Context, arg string) Result {
	if arg == "" {
		return cmdError("usage: :doc name (e.g. :doc tensor.Matmul)")
	}
	text, ok := e.doc(arg)
	if !ok {
		return cmdError("doc: nothing known about %s", arg)
	}
	return textValue(text)
}

// sortedKeys is a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
