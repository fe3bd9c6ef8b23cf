// Package engine evaluates Go typed by a user, one input at a time, with
// state kept across inputs. It is the one evaluator behind both front ends:
// mlxrepl (a terminal) and mlxkernel (Jupyter); they differ only in how
// inputs arrive and results leave.
//
// Inputs run in the yaegi interpreter after a go/ast rewrite that gives them
// modern Go meaning (see package rewrite), with our compiled packages
// (tensor, interrupt, display, ...) pre-imported.
package engine

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Options configures an Engine.
type Options struct {
	Stdout, Stderr io.Writer       // where a cell's interpreted output goes (fmt.Print*, os.Stdout in the cell)
	Stdin          io.Reader       // what a cell reads (fmt.Scan*); nil = the process's stdin
	Display        func(d Display) // rich output from a cell (kernel: display_data/update_display_data); nil = text
	Color          bool            // ANSI colours in error text (REPL on a terminal)
}

// Display is one rich output of a cell.
type Display struct {
	Data     map[string]any // mime type -> content ("text/plain", "text/html", "image/png" as base64 string, ...)
	Metadata map[string]any
	ID       string // display_id, for updates
	Update   bool   // true: update_display_data for ID
	Clear    bool   // clear the cell's output instead of showing Data
	Wait     bool   // with Clear: clear when the next output arrives
}

// Value is the value of an input that is an expression.
type Value struct {
	Text string         // what the REPL prints (arrays: MLX's repr)
	Type string         // Go type, e.g. "*tensor.Array"
	Rich map[string]any // extra mime bundle for the kernel (arrays: "text/html" table with shape/dtype header)
}

// EvalError is why an input failed.
type EvalError struct {
	Kind      string // "compile", "runtime", "panic", "interrupted", "command"
	Msg       string // clean message; positions refer to the user's own input (line:col)
	Line, Col int
	Trace     []string
}

func (e *EvalError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Col)
	}
	switch e.Kind {
	case "panic":
		b.WriteString("panic: ")
	case "runtime":
		b.WriteString("runtime error: ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Result is the outcome of one Eval.
type Result struct {
	Value    *Value     // nil when the input is not an expression with a value
	Err      *EvalError // nil on success
	Duration time.Duration
}
