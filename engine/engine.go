package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mlx-go/mlx-go/engine/display"
	"github.com/mlx-go/mlx-go/engine/rt"
	"github.com/mlx-go/mlx-go/interrupt"
	"github.com/mlx-go/mlx-go/symbols"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// Engine is one interpreter session. Eval, Complete, Inspect, IsComplete
// and Reset are meant to be called from one goroutine (the front end's
// loop); Interrupt may be called from any goroutine.
type Engine struct {
	opts   Options
	stdout *switchWriter // the cell's stdout, fixed for yaegi's lifetime
	stderr *panicFilter  // the cell's stderr, minus yaegi's panic trace lines

	// state guards the session (and which interpreter is current) against
	// Complete and Inspect running beside an Eval; it is not held while
	// code runs.
	state   sync.Mutex
	in      *interp.Interpreter
	session *session // what the user has declared and imported so far

	mu      sync.Mutex
	cancel  context.CancelFunc // of the running Eval, nil when idle
	running bool
	goPanic []string // panics recovered in goroutines started by cells

	benchSeq int    // names the functions :bench compiles
	inputID  int    // numbers the inputs, process-wide (see rt.GoPanic)
	overflow bool   // the running input was stopped for a too-deep stack
	runG     uint64 // the goroutine that runs the input through yaegi (see stopForOverflow)
}

// inputIDs numbers the inputs of all engines. rt.GoPanic's hook is
// process-wide and tells the input only by its number: were numbers per
// engine, a goroutine of another engine's input 1 that panics late would
// fail this engine's input 1.
var inputIDs atomic.Int64

// New makes an engine. It is cheap: packages are imported on first use.
func New(opts Options) (*Engine, error) {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	silenceYaegiLog()
	e := &Engine{opts: opts}
	e.stdout = &switchWriter{w: opts.Stdout}
	e.stderr = &panicFilter{w: opts.Stderr}
	if err := e.start(); err != nil {
		return nil, err
	}
	return e, nil
}

// start makes a fresh interpreter.
func (e *Engine) start() error {
	in := newInterpreter(interp.Options{Stdin: e.opts.Stdin, Stdout: e.stdout, Stderr: e.stderr, Args: []string{"mlxrepl"}},
		isFile(e.opts.Stdout) && isFile(e.opts.Stderr))
	if err := in.Use(stdlib.Symbols); err != nil {
		return err
	}
	if err := in.Use(symbols.Symbols); err != nil {
		return err
	}
	e.state.Lock()
	e.in = in
	e.session = newSession()
	e.state.Unlock()
	return nil
}

// locked runs f holding the session lock.
func (e *Engine) locked(f func()) {
	e.state.Lock()
	defer e.state.Unlock()
	f()
}

// Reset forgets every declaration, variable and import.
func (e *Engine) Reset() error {
	e.Interrupt()
	return e.start()
}

// Interrupt stops the running Eval: interpreted code through its context,
// compiled loops through the interrupt flag they poll.
func (e *Engine) Interrupt() {
	e.mu.Lock()
	cancel := e.cancel
	e.mu.Unlock()
	interrupt.Request()
	if cancel != nil {
		cancel()
	}
}

// Eval runs one input: Go source (declarations, statements, an expression)
// or a command line starting with ':' or '%'. It never panics.
func (e *Engine) Eval(ctx context.Context, src string) (res Result) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			res = Result{Err: &EvalError{Kind: "panic", Msg: fmt.Sprint(r)}}
		}
		res.Duration = time.Since(start)
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	interrupt.Clear()
	e.mu.Lock()
	e.inputID = int(inputIDs.Add(1))
	// A goroutine of the previous input may have panicked after that input's
	// result was made: report it as output, not as this input's failure.
	stale := e.goPanic
	e.goPanic = nil
	e.mu.Unlock()
	for _, msg := range stale {
		fmt.Fprintln(e.opts.Stderr, "panic in goroutine of an earlier input: "+msg)
	}
	if line := strings.TrimSpace(src); isCommand(line) {
		return e.command(ctx, line)
	}
	return e.evalGo(ctx, src)
}

// run evaluates code (already rewritten) in the interpreter under a
// context that Interrupt cancels.
func (e *Engine) run(ctx context.Context, code string) (reflect.Value, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := goroutineID()
	e.mu.Lock()
	e.runG = g
	e.cancel = cancel
	e.running = true
	e.overflow = false
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.cancel = nil
		e.running = false
		e.mu.Unlock()
	}()
	e.stderr.begin()
	// The display and goroutine-panic hooks are process-wide: they belong
	// to the engine that runs now.
	display.SetHandler(e.showDisplay)
	display.SetRich(e.opts.Display != nil)
	rt.SetPanicHandler(e.reportGoPanic)
	rt.SetOverflowHandler(e.stopForOverflow)
	v, err := e.in.EvalWithContext(ctx, code)
	if ctx.Err() != nil && !waitForStragglers(stragglerWait) {
		fmt.Fprintln(e.opts.Stderr, "(the interrupted input is still running a compiled call in the background)")
	}
	e.mu.Lock()
	overflow := e.overflow
	e.mu.Unlock()
	if overflow {
		err = rt.ErrStackOverflow
	}
	return v, err
}

// stopForOverflow stops the running input when rt.Check finds its stack,
// or that of a goroutine it started, too deep. rt.Check calls it on the
// goroutine that recursed, through a process-wide hook: that goroutine may
// as well belong to an input that has ended ("go r(0)" returns at once),
// of this engine or of another. Stopping the running input then failed it
// with "stack overflow" for someone else's recursion (and left the
// recursion going); instead it reports false, and rt.Check reports that
// goroutine as a goroutine panic and parks it.
func (e *Engine) stopForOverflow() bool {
	e.mu.Lock()
	root, running := e.runG, e.running && e.cancel != nil
	e.mu.Unlock()
	// Only here, past rt.Check's depth limit, is the dump of all stacks
	// that startedFrom reads paid for.
	if !running || !startedFrom(root) {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.running || e.cancel == nil || e.runG != root {
		return false
	}
	e.overflow = true
	e.cancel()
	return true
}

// stragglerWait bounds the wait for an interrupted input to wind down (a
// compiled call that does not poll interrupt may run on).
const stragglerWait = time.Second

// showDisplay routes display.* calls of a cell to the front end, or prints
// a text fallback when it has no rich display (the REPL).
func (e *Engine) showDisplay(o display.Output) {
	if e.opts.Display != nil {
		e.opts.Display(Display{Data: o.Data, Metadata: o.Metadata, ID: o.ID, Update: o.Update, Clear: o.Clear, Wait: o.Wait})
		return
	}
	if o.Clear {
		return
	}
	text := textFallback(o.Data)
	if saved := saveImage(o.Data); saved != "" {
		text += " " + saved
	}
	fmt.Fprintln(e.stdout, text)
}

// textFallback is how the REPL shows a mime bundle: its text/plain part,
// else the first textual part.
func textFallback(data map[string]any) string {
	if s, ok := data["text/plain"].(string); ok {
		return s
	}
	for _, mime := range []string{"text/markdown", "text/html", "image/svg+xml"} {
		if s, ok := data[mime].(string); ok {
			return s
		}
	}
	return fmt.Sprintf("<%d mime parts>", len(data))
}

// reportGoPanic records a panic recovered in a goroutine that input
// number input started: while that input runs it becomes its error;
// otherwise it is printed at once.
func (e *Engine) reportGoPanic(msg string, input int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running && input == e.inputID {
		e.goPanic = append(e.goPanic, msg)
		return
	}
	text := "panic in goroutine: " + msg
	if e.opts.Color {
		text = "\x1b[31m" + text + "\x1b[0m"
	}
	fmt.Fprintln(e.opts.Stderr, text)
}

func (e *Engine) takeGoPanics() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.goPanic
	e.goPanic = nil
	return p
}

// switchWriter lets the engine redirect a cell's output (e.g. to measure or
// capture it) while yaegi keeps the writer it was given at start.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	return w.Write(p)
}

func isFile(w io.Writer) bool {
	_, ok := w.(*os.File)
	return ok
}

// newInterpreter makes a yaegi interpreter. When the front end's streams
// are not files (the kernel), os.Stdout and os.Stderr in cells must still
// reach them: yaegi does that only under YAEGI_SPECIAL_STDIO, which it
// reads in New, so the variable is set for that call. (os.Stdout is then an
// io.Writer in cells rather than an *os.File.)
func newInterpreter(o interp.Options, streamsAreFiles bool) *interp.Interpreter {
	if streamsAreFiles {
		return interp.New(o)
	}
	envMu.Lock()
	defer envMu.Unlock()
	prev, had := os.LookupEnv("YAEGI_SPECIAL_STDIO")
	os.Setenv("YAEGI_SPECIAL_STDIO", "1")
	defer func() {
		if had {
			os.Setenv("YAEGI_SPECIAL_STDIO", prev)
		} else {
			os.Unsetenv("YAEGI_SPECIAL_STDIO")
		}
	}()
	return interp.New(o)
}

var envMu sync.Mutex
