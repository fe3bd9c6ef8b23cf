package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mlx-go/mlx-go/engine"
)

const (
	red   = "\x1b[31m"
	dim   = "\x1b[2m"
	reset = "\x1b[0m"
)

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printResult shows a result the way the REPL does: the value once, or the
// error (red on a terminal) with the line it points at.
//
// firstLine is the line of a script where src starts, so that errors name
// the script's lines (1 for an input of its own).
func printResult(stdout, stderr io.Writer, color bool, src string, firstLine int, r engine.Result) {
	if r.Err != nil {
		printError(stderr, color, src, firstLine, r.Err)
		return
	}
	if r.Value != nil {
		fmt.Fprintln(stdout, r.Value.Text)
	}
}

func printError(w io.Writer, color bool, src string, firstLine int, e *engine.EvalError) {
	var b strings.Builder
	shown := *e
	if shown.Line > 0 {
		shown.Line += firstLine - 1
	}
	b.WriteString(shown.Error())
	b.WriteByte('\n')
	if e.Kind == "compile" && e.Line > 0 {
		lines := strings.Split(src, "\n")
		if e.Line <= len(lines) && len(lines) > 1 || e.Line == 1 && len(lines) == 1 && e.Col > 0 {
			line := strings.ReplaceAll(lines[e.Line-1], "\t", " ")
			b.WriteString("  " + line + "\n")
			if e.Col > 0 && e.Col <= len(line)+1 {
				b.WriteString("  " + strings.Repeat(" ", e.Col-1) + "^\n")
			}
		}
	}
	for _, t := range e.Trace[min(1, len(e.Trace)):] {
		b.WriteString("  called from " + t + "\n")
	}
	text := b.String()
	if color {
		text = red + strings.TrimSuffix(text, "\n") + reset + "\n"
	}
	io.WriteString(w, text)
}
