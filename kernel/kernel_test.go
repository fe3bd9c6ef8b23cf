package kernel_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/kernel"
	"github.com/mlx-go/mlx-go/kernel/kerneltest"
)

// These tests drive the protocol layer in-process with a tiny evaluator of
// their own; tests/kernel drives the real binary with the real engine.

type scriptedEval struct{ io kernel.IO }

func (e *scriptedEval) Eval(ctx context.Context, src string) kernel.Result {
	switch {
	case strings.HasPrefix(src, "print "):
		io.WriteString(e.io.Stdout, strings.TrimPrefix(src, "print ")+"\n")
		return kernel.Result{}
	case src == "fail":
		return kernel.Result{Err: &kernel.EvalError{Kind: "compile", Msg: "undefined: fail", Line: 1, Col: 1}}
	case src == "wait":
		<-ctx.Done()
		return kernel.Result{Err: &kernel.EvalError{Kind: "interrupted", Msg: "interrupted"}}
	case src == "show":
		e.io.Display(kernel.Display{Data: map[string]any{"text/html": "<b>x</b>"}})
		return kernel.Result{}
	case src == "clear":
		e.io.Display(kernel.Display{Clear: true, Wait: true})
		return kernel.Result{}
	case src == "ask":
		var name string
		if _, err := fmt.Fscanln(e.io.Stdin, &name); err != nil {
			return kernel.Result{Err: &kernel.EvalError{Kind: "runtime", Msg: err.Error()}}
		}
		return kernel.Result{Value: &kernel.Value{Text: "hello " + name}}
	}
	return kernel.Result{Value: &kernel.Value{Text: "value of " + src}}
}
func (e *scriptedEval) Complete(src string, cursor int) ([]string, int, int) {
	return []string{"Println", "Printf"}, cursor - 2, cursor
}
func (e *scriptedEval) Inspect(src string, cursor int) (string, bool) { return "doc of " + src, true }
func (e *scriptedEval) IsComplete(src string) (string, string)        { return "complete", "" }
func (e *scriptedEval) Interrupt()                                    {}

// directOutput hands writes straight to the kernel: no descriptors are
// captured in a test process.
type directOutput struct {
	mu   sync.Mutex
	emit func(stream, text string)
}

func (o *directOutput) Start(emit func(stream, text string)) {
	o.mu.Lock()
	o.emit = emit
	o.mu.Unlock()
}
func (o *directOutput) Stdout() io.Writer { return streamWriter{o, "stdout"} }
func (o *directOutput) Stderr() io.Writer { return streamWriter{o, "stderr"} }
func (o *directOutput) Flush()            {}
func (o *directOutput) Repair()           {}

type streamWriter struct {
	o    *directOutput
	name string
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.o.mu.Lock()
	defer w.o.mu.Unlock()
	w.o.emit(w.name, string(p))
	return len(p), nil
}

func startKernel(t *testing.T) *kerneltest.Client {
	t.Helper()
	conn, _ := kerneltest.NewConnection(t, t.TempDir())
	k, err := kernel.New(kernel.Config{Connection: conn, Output: &directOutput{},
		NewEvaluator: func(io kernel.IO) (kernel.Evaluator, error) { return &scriptedEval{io}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); k.Run(ctx) }()
	cl, err := kerneltest.Dial(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close(); cancel(); <-done })
	if err := cl.WaitReady(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	return cl
}

func TestProtocolExecute(t *testing.T) {
	cl := startKernel(t)
	ex, err := cl.Execute("print hello", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(ex.Reply); c["status"] != "ok" || c["execution_count"] != 1.0 {
		t.Fatalf("reply %v", c)
	}
	if ex.Stdout != "hello\n" {
		t.Fatalf("stdout %q", ex.Stdout)
	}
	ex, err = cl.Execute("1+1", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var result map[string]any
	for _, m := range ex.IOPub {
		if m.Header.MsgType == "execute_result" {
			result = kerneltest.Content(m)
		}
	}
	if result == nil || result["data"].(map[string]any)["text/plain"] != "value of 1+1" {
		t.Fatalf("execute_result %v in %d messages", result, len(ex.IOPub))
	}
	ex, err = cl.Execute("fail", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(ex.Reply); c["status"] != "error" || c["ename"] != "CompileError" {
		t.Fatalf("error reply %v", c)
	}
}

func TestProtocolForgedSignatureIsDropped(t *testing.T) {
	cl := startKernel(t)
	frames, id := cl.Encode("kernel_info_request", map[string]any{})
	for i, f := range frames {
		if string(f) == "<IDS|MSG>" {
			frames[i+1] = []byte(strings.Repeat("0", 64))
		}
	}
	if err := cl.SendFrames(kerneltest.Shell, frames); err != nil {
		t.Fatal(err)
	}
	if m, err := cl.Reply(kerneltest.Shell, id, 300*time.Millisecond); err == nil {
		t.Fatalf("forged request answered: %s", m.Header.MsgType)
	}
	if err := cl.WaitReady(5 * time.Second); err != nil {
		t.Fatalf("kernel gone after a forged message: %v", err)
	}
}

func TestProtocolInterrupt(t *testing.T) {
	cl := startKernel(t)
	id, _ := cl.Send(kerneltest.Shell, "execute_request", map[string]any{"code": "wait", "silent": false})
	time.Sleep(100 * time.Millisecond)
	iid, _ := cl.Send(kerneltest.Control, "interrupt_request", map[string]any{})
	if _, err := cl.Reply(kerneltest.Control, iid, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	ex, err := cl.Collect(id, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(ex.Reply); c["ename"] != "Interrupted" {
		t.Fatalf("reply %v", c)
	}
}

// A cell reading standard input sends input_request on stdin to the client
// that sent the cell and reads the line of its input_reply.
func TestProtocolStdinRoundTrip(t *testing.T) {
	cl := startKernel(t)
	id, _ := cl.Send(kerneltest.Shell, "execute_request", map[string]any{"code": "ask", "allow_stdin": true})
	req, err := cl.Recv(kerneltest.Stdin, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if req.Header.MsgType != "input_request" || kerneltest.ParentID(req) != id {
		t.Fatalf("got %s for %s", req.Header.MsgType, kerneltest.ParentID(req))
	}
	if _, err := cl.Send(kerneltest.Stdin, "input_reply", map[string]any{"value": "gopher"}); err != nil {
		t.Fatal(err)
	}
	ex, err := cl.Collect(id, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var got any
	for _, m := range ex.IOPub {
		if m.Header.MsgType == "execute_result" {
			got = kerneltest.Content(m)["data"].(map[string]any)["text/plain"]
		}
	}
	if got != "hello gopher" {
		t.Fatalf("result %v", got)
	}
}

// Without allow_stdin, reading input fails at once instead of hanging.
func TestProtocolStdinNotAllowed(t *testing.T) {
	cl := startKernel(t)
	id, _ := cl.Send(kerneltest.Shell, "execute_request", map[string]any{"code": "ask", "allow_stdin": false})
	ex, err := cl.Collect(id, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(ex.Reply); c["status"] != "error" || !strings.Contains(fmt.Sprint(c["evalue"]), "standard input is not available") {
		t.Fatalf("reply %v", c)
	}
}

// Interrupting a cell that waits for input ends the wait.
func TestProtocolInterruptWhileWaitingForInput(t *testing.T) {
	cl := startKernel(t)
	id, _ := cl.Send(kerneltest.Shell, "execute_request", map[string]any{"code": "ask", "allow_stdin": true})
	if _, err := cl.Recv(kerneltest.Stdin, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	cl.Send(kerneltest.Control, "interrupt_request", map[string]any{})
	ex, err := cl.Collect(id, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(ex.Reply); c["status"] != "error" {
		t.Fatalf("reply %v", c)
	}
}

func TestProtocolClearOutput(t *testing.T) {
	cl := startKernel(t)
	ex, err := cl.Execute("clear", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.IOPub) < 1 || ex.IOPub[len(ex.IOPub)-1].Header.MsgType != "clear_output" ||
		kerneltest.Content(ex.IOPub[len(ex.IOPub)-1])["wait"] != true {
		t.Fatalf("no clear_output(wait) in %d messages", len(ex.IOPub))
	}
}
