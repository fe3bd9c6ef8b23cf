package engine

import (
	"context"
	"errors"
	"fmt"
	"go/scanner"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/mlx-go/mlx-go/engine/rt"
	"github.com/mlx-go/mlx-go/interrupt"
	"github.com/traefik/yaegi/interp"
)

// positioned matches a message that starts with a position: ours (line
// lineBase+L, from the line directives) or yaegi's own ("_.go:1:28: ...",
// "1:28: ..."), which refers to its wrapped copy and is dropped.
var positioned = regexp.MustCompile(`^([^\s:]*\.go:)?(\d+):(\d+): ?`)

// toEvalError turns what the interpreter returned into an error result;
// trace holds yaegi's panic lines, innermost first.
func (e *Engine) toEvalError(err error, trace []string) *EvalError {
	var p interp.Panic
	switch {
	case errors.Is(err, rt.ErrStackOverflow):
		return &EvalError{Kind: "runtime", Msg: err.Error()}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, interrupt.ErrInterrupted):
		return &EvalError{Kind: "interrupted", Msg: "interrupted"}
	case errors.As(err, &p):
		return panicError(p.Value, trace)
	}
	ee := &EvalError{Kind: "compile"}
	ee.Msg, ee.Line, ee.Col = stripPosition(err.Error())
	return ee
}

// maxTrace bounds the frames an error lists (infinite recursion has
// hundreds of thousands).
const maxTrace = 20

// panicError describes a panic of a cell (its own, a runtime error, or one
// of a compiled package such as a *tensor.Error).
func panicError(v any, trace []string) *EvalError {
	ee := &EvalError{Kind: "panic", Msg: fmt.Sprint(v)}
	switch x := v.(type) {
	case runtime.Error:
		ee.Kind = "runtime"
		ee.Msg = strings.TrimPrefix(x.Error(), "runtime error: ")
	case error:
		ee.Msg = x.Error()
		if errors.Is(x, interrupt.ErrInterrupted) {
			return &EvalError{Kind: "interrupted", Msg: "interrupted"}
		}
	}
	if msg, ok := reflectPanic(ee.Msg); ok && ee.Kind == "panic" {
		ee.Kind, ee.Msg = "runtime", msg
	}
	if len(trace) > maxTrace {
		more := fmt.Sprintf("... %d more frames", len(trace)-maxTrace)
		if len(trace) >= maxTraceLines {
			more = "... many more frames"
		}
		trace = append(trace[:maxTrace:maxTrace], more)
	}
	for _, line := range trace {
		msg, l, c := stripPosition(line)
		if strings.HasPrefix(line, "... ") {
			ee.Trace = append(ee.Trace, line)
			continue
		}
		if l == 0 {
			continue
		}
		if ee.Line == 0 {
			ee.Line, ee.Col = l, c
		}
		ee.Trace = append(ee.Trace, fmt.Sprintf("%d:%d: %s", l, c, strings.TrimPrefix(msg, "panic: ")))
	}
	return ee
}

// parseError reports the first syntax error of unit u (text), parsed
// after headerLines lines of wrapping. An error in the wrapping's closing
// brace (an unfinished input) is placed just after the text.
func parseError(err error, headerLines int, text string, u unit) *EvalError {
	ee := &EvalError{Kind: "compile", Msg: err.Error()}
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return ee
	}
	first := list[0]
	ee.Msg = first.Msg
	ee.Line, ee.Col = first.Pos.Line-headerLines, first.Pos.Column
	lastLine := u.line + strings.Count(text, "\n")
	if ee.Line > lastLine || ee.Line < 1 {
		ee.Line = lastLine
		ee.Col = len(text) - strings.LastIndex(text, "\n")
		if ee.Line == u.line {
			ee.Col = u.col + len(text)
		}
	}
	return ee
}

// stripPosition splits "input:3:5: msg" into msg and the position (0, 0
// when the position is not the user's).
func stripPosition(s string) (msg string, line, col int) {
	for {
		m := positioned.FindStringSubmatch(s)
		if m == nil {
			return s, line, col
		}
		s = s[len(m[0]):]
		if l, _ := strconv.Atoi(m[2]); l > lineBase && line == 0 {
			line = l - lineBase
			col, _ = strconv.Atoi(m[3])
		}
	}
}

// reflectPanic translates the reflect panics by which yaegi's runtime
// errors surface into the messages compiled Go gives.
func reflectPanic(s string) (string, bool) {
	if !strings.HasPrefix(s, "reflect") {
		return "", false
	}
	switch {
	case strings.Contains(s, "index out of range"):
		return "index out of range", true
	case strings.Contains(s, "zero Value"), strings.Contains(s, "nil pointer"), strings.Contains(s, "nil map"):
		return "invalid memory address or nil pointer dereference", true
	case strings.Contains(s, "slice bounds out of range"):
		return "slice bounds out of range", true
	}
	return s, true
}
