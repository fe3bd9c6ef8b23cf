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

	"github.com/mlx-go/mlx-go/interrupt"
	"github.com/traefik/yaegi/interp"
)

// positioned matches a message that starts with a position: ours
// ("input:3:5: ...", from the line directives) or yaegi's own ("_.go:1:28:
// ...", "1:28: ..."), which refers to its wrapped copy and is dropped.
var positioned = regexp.MustCompile(`^(input|[^\s:]*\.go|):?(\d+):(\d+): ?`)

// toEvalError turns what the interpreter returned into an error result;
// trace holds yaegi's panic lines, innermost first.
func (e *Engine) toEvalError(err error, trace []string) *EvalError {
	var p interp.Panic
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, interrupt.ErrInterrupted):
		return &EvalError{Kind: "interrupted", Msg: "interrupted"}
	case errors.As(err, &p):
		return panicError(p.Value, trace)
	}
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return parseError(list)
	}
	ee := &EvalError{Kind: "compile"}
	ee.Msg, ee.Line, ee.Col = stripPosition(err.Error())
	return ee
}

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
	for _, line := range trace {
		msg, l, c := stripPosition(line)
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

// parseError reports the first syntax error of an input.
func parseError(err error) *EvalError {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		first := list[0]
		ee := &EvalError{Kind: "compile", Msg: first.Msg}
		if first.Pos.Filename == "input" {
			ee.Line, ee.Col = first.Pos.Line, first.Pos.Column
		}
		return ee
	}
	msg, l, c := stripPosition(err.Error())
	return &EvalError{Kind: "compile", Msg: msg, Line: l, Col: c}
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
		if m[1] == "input" && line == 0 {
			line, _ = strconv.Atoi(m[2])
			col, _ = strconv.Atoi(m[3])
		}
	}
}
