package kernel

import (
	"fmt"
	"strings"
)

// errorContent is the body of an error message or error reply.
func errorContent(ename, evalue string, tb []string) map[string]any {
	if tb == nil {
		tb = []string{ename + ": " + evalue}
	}
	return map[string]any{"status": "error", "ename": ename, "evalue": evalue, "traceback": tb}
}

// errorName is the ename shown for an engine error kind.
func errorName(kind string) string {
	switch kind {
	case "compile":
		return "CompileError"
	case "runtime":
		return "RuntimeError"
	case "panic":
		return "Panic"
	case "interrupted":
		return "Interrupted"
	case "command":
		return "CommandError"
	case "":
		return "Error"
	}
	return strings.ToUpper(kind[:1]) + kind[1:] + "Error"
}

const (
	red   = "\x1b[0;31m"
	green = "\x1b[0;32m"
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// traceback is the error as a notebook shows it: the message, then the
// user's own lines around the failing one with a caret under the column,
// then the engine's trace.
func traceback(e *EvalError, src string) []string {
	tb := []string{red + bold + errorName(e.Kind) + reset + ": " + e.Error()}
	lines := strings.Split(src, "\n")
	if e.Line >= 1 && e.Line <= len(lines) {
		var b strings.Builder
		first, last := max(1, e.Line-2), min(len(lines), e.Line+2)
		width := len(fmt.Sprint(last))
		for n := first; n <= last; n++ {
			mark := "   "
			if n == e.Line {
				mark = green + "-->" + reset
			}
			fmt.Fprintf(&b, "%s %*d | %s\n", mark, width, n, lines[n-1])
			if n == e.Line && e.Col >= 1 {
				fmt.Fprintf(&b, "    %*s | %s%s^%s\n", width, "", caretIndent(lines[n-1], e.Col), red, reset)
			}
		}
		tb = append(tb, strings.TrimRight(b.String(), "\n"))
	}
	return append(tb, e.Trace...)
}

// caretIndent is the blank that puts a caret under byte column col
// (1-based) of line: tabs stay tabs so it lines up with the source above.
func caretIndent(line string, col int) string {
	var b strings.Builder
	for i, r := range line {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
