// Package interrupt is the process-wide "stop what you are doing" flag.
//
// The REPL sets it on Ctrl-C and the Jupyter kernel on interrupt_request.
// Interpreted loops are stopped by cancelling their context, but a long
// compiled loop (generation, training, a big benchmark) never returns to the
// interpreter, so it must poll Check between steps and return the error.
package interrupt

import (
	"errors"
	"sync/atomic"
)

// ErrInterrupted is what Check returns after Request.
var ErrInterrupted = errors.New("interrupted")

var flag atomic.Bool

// Request asks every long-running loop to stop.
func Request() { flag.Store(true) }

// Clear resets the flag; front ends call it before each input.
func Clear() { flag.Store(false) }

// Requested reports whether a stop was asked for.
func Requested() bool { return flag.Load() }

// Check returns ErrInterrupted if a stop was asked for.
func Check() error {
	if flag.Load() {
		return ErrInterrupted
	}
	return nil
}
