package main

import (
	"os"
	"os/signal"

	"github.com/mlx-go/mlx-go/engine"
)

// interruptOnSignal makes Ctrl-C (SIGINT) stop the running input instead
// of the process. At the interactive prompt readline reads Ctrl-C as a key
// (the terminal is in raw mode), so the signal only arrives while an input
// runs.
func interruptOnSignal(e *engine.Engine) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go func() {
		for range ch {
			e.Interrupt()
		}
	}()
}
