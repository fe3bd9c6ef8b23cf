package kernel

import (
	"context"
	"fmt"
	"io"
)

// Evaluator runs cells and answers editor requests. The binary adapts
// mlx-go's engine to it (cmd/mlxkernel); keeping the kernel's own small
// types here lets the protocol layer build and be tested on its own.
type Evaluator interface {
	Eval(ctx context.Context, src string) Result
	// Complete, Inspect and IsComplete take and give byte offsets.
	Complete(src string, cursor int) (items []string, start, end int)
	Inspect(src string, cursor int) (text string, ok bool)
	IsComplete(src string) (status, indent string) // complete, incomplete, invalid
	Interrupt()                                    // any goroutine; stops the running Eval
}

// Result is the outcome of one Eval.
type Result struct {
	Value *Value     // nil when the cell has no value to show
	Err   *EvalError // nil on success
}

// Value is a cell's value: its text and any richer forms (mime -> data).
type Value struct {
	Text string
	Rich map[string]any
}

// EvalError is why a cell failed.
type EvalError struct {
	Kind      string // compile, runtime, panic, interrupted, command, ...
	Msg       string // the message, positions relative to the cell
	Line, Col int    // 1-based place in the cell, 0 when unknown
	Trace     []string
}

func (e *EvalError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return e.Msg
}

// Display is one rich output of a running cell.
type Display struct {
	Data     map[string]any // mime type -> content
	Metadata map[string]any
	ID       string // display_id, so later outputs can update it
	Update   bool   // replace the output shown under ID
	Clear    bool   // clear the cell's output instead (Wait: when the next output comes)
	Wait     bool
}

// IO is what the kernel gives the evaluator: where a cell's output goes and
// where its input comes from.
type IO struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader // reads become input_requests to the front end
	Display        func(Display)
}
