package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chzyer/readline"
	"github.com/mlx-go/mlx-go/engine"
	"github.com/mlx-go/mlx-go/tensor"
)

const (
	prompt             = "mlx> "
	continuationPrompt = "...  "
	historyName        = ".mlxrepl_history"
)

// lazyEngine starts the engine in the background, so the prompt appears at
// once; the first input or completion waits for it.
type lazyEngine struct {
	ready chan struct{}
	e     *engine.Engine
	err   error
}

func startEngine() *lazyEngine {
	l := &lazyEngine{ready: make(chan struct{})}
	go func() {
		defer close(l.ready)
		l.e, l.err = engine.New(engine.Options{Stdout: os.Stdout, Stderr: os.Stderr, Color: isTerminal(os.Stdout)})
		if l.err == nil {
			interruptOnSignal(l.e)
		}
	}()
	return l
}

func (l *lazyEngine) get() (*engine.Engine, error) {
	<-l.ready
	return l.e, l.err
}

func historyPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, historyName)
}

func interactive() int {
	eng := startEngine()
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            prompt,
		HistoryFile:       historyPath(),
		HistorySearchFold: true,
		AutoComplete:      &completer{eng: eng},
		InterruptPrompt:   "^C",
		EOFPrompt:         "",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mlxrepl:", err)
		return 1
	}
	defer rl.Close()
	color := isTerminal(os.Stdout)
	fmt.Printf("mlx-go: Go on MLX %s (%s). :help lists the commands, Ctrl-D leaves.\n", tensor.Version(), tensor.DefaultDevice())

	var pending []string
	for {
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			pending = pending[:0] // Ctrl-C drops a half-typed input
			rl.SetPrompt(prompt)
			continue
		case errors.Is(err, io.EOF):
			return 0
		case err != nil:
			fmt.Fprintln(os.Stderr, "mlxrepl:", err)
			return 1
		}
		pending = append(pending, line)
		src := strings.Join(pending, "\n")
		if strings.TrimSpace(src) == "" {
			pending = pending[:0]
			continue
		}
		e, err := eng.get()
		if err != nil {
			fmt.Fprintln(os.Stderr, "mlxrepl: cannot start the interpreter:", err)
			return 1
		}
		if status, _ := e.IsComplete(src); status == "incomplete" {
			rl.SetPrompt(continuationPrompt)
			continue
		}
		pending = pending[:0]
		rl.SetPrompt(prompt)
		if isQuit(src) {
			return 0
		}
		r := e.Eval(context.Background(), src)
		printResult(os.Stdout, os.Stderr, color, src, 1, r)
	}
}

// completer adapts the engine's completion to readline, which wants the
// suffixes to insert and the length of the typed part they extend.
type completer struct{ eng *lazyEngine }

func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	e, err := c.eng.get()
	if err != nil {
		return nil, 0
	}
	src := string(line)
	cursor := len(string(line[:pos]))
	items, start, end := e.Complete(src, cursor)
	typed := src[start:end]
	var out [][]rune
	for _, it := range items {
		if strings.HasPrefix(it, typed) {
			out = append(out, []rune(it[len(typed):]))
		}
	}
	return out, len([]rune(typed))
}
