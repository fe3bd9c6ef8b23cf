package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mlx-go/mlx-go/engine"
)

// newEngine makes the engine for a non-interactive run.
func newEngine() *engine.Engine {
	e, err := engine.New(engine.Options{Stdout: os.Stdout, Stderr: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mlxrepl:", err)
		os.Exit(1)
	}
	interruptOnSignal(e)
	return e
}

// runSource evaluates one source text (a file or -e).
func runSource(src string) int {
	e := newEngine()
	r := e.Eval(context.Background(), src)
	printResult(os.Stdout, os.Stderr, false, src, 1, r)
	if r.Err != nil {
		return 1
	}
	return 0
}

// runScript reads inputs from a pipe the way the REPL reads them from a
// terminal (a statement may span lines), evaluating each; it stops at the
// first error.
func runScript(in io.Reader) int {
	e := newEngine()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	var pending []string
	lineNo, firstLine := 0, 1
	flush := func() bool {
		src := strings.Join(pending, "\n")
		pending = pending[:0]
		if strings.TrimSpace(src) == "" {
			return true
		}
		if isQuit(src) {
			os.Exit(0)
		}
		r := e.Eval(context.Background(), src)
		printResult(os.Stdout, os.Stderr, false, src, firstLine, r)
		return r.Err == nil
	}
	for sc.Scan() {
		lineNo++
		if len(pending) == 0 {
			firstLine = lineNo
		}
		pending = append(pending, sc.Text())
		if status, _ := e.IsComplete(strings.Join(pending, "\n")); status == "incomplete" {
			continue
		}
		if !flush() {
			return 1
		}
	}
	if !flush() {
		return 1
	}
	return 0
}

func isQuit(src string) bool {
	switch strings.TrimSpace(src) {
	case ":quit", ":q", "%quit", ":exit":
		return true
	}
	return false
}
