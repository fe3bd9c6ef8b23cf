package engine

import (
	"bytes"
	"io"
	"log"
	"sync"
)

// yaegi reports some compile failures with log.Panic, which also prints the
// message on the process's standard logger. The panic becomes an error
// result; the duplicate line on stderr is dropped here (other log output
// passes through).
var quietYaegiLog sync.Once

type dropYaegiPanics struct{ w io.Writer }

func (d dropYaegiPanics) Write(p []byte) (int, error) {
	if bytes.HasSuffix(p, []byte(" nil type\n")) || bytes.HasSuffix(p, []byte(" nil reflect type\n")) {
		return len(p), nil
	}
	return d.w.Write(p)
}

func silenceYaegiLog() {
	quietYaegiLog.Do(func() { log.SetOutput(dropYaegiPanics{log.Writer()}) })
}

// hintFor adds what the user can do to yaegi's terser messages.
func hintFor(ee *EvalError) {
	switch ee.Msg {
	case "nil type":
		ee.Kind = "compile"
		ee.Msg = "cannot tell the type of a range expression (an integer or an iterator function " +
			"whose type the REPL cannot infer): assign it to a variable of explicit type first"
	case "nil reflect type":
		ee.Kind = "compile"
		ee.Msg = "the interpreter could not resolve a type in this input (a yaegi limitation, " +
			"mostly with generics): try splitting the input"
	}
}
