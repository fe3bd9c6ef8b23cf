package kernel_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mlx-go/mlx-go/kernel"
	"github.com/mlx-go/mlx-go/kernel/kerneltest"
)

// Output written straight to descriptors 1 and 2 with write(2) — what C
// and C++ code does beneath stdio, bypassing every Go writer the engine
// was given — is captured and streamed, in order with what the cell
// printed through fmt.
func TestDescriptorOutputIsCaptured(t *testing.T) {
	p := startKernel(t)
	code := `fd1, fd2 := os.NewFile(1, "fd1"), os.NewFile(2, "fd2")
fmt.Println("from fmt")
fd1.WriteString("raw fd 1\n")
fd2.WriteString("raw fd 2\n")
fmt.Println("after raw")`
	ex := p.execute(t, code, "ok")
	if want := "from fmt\nraw fd 1\nafter raw\n"; ex.Stdout != want {
		t.Fatalf("stdout %q, want %q", ex.Stdout, want)
	}
	if ex.Stderr != "raw fd 2\n" {
		t.Fatalf("stderr %q", ex.Stderr)
	}
}

// A cell that closes descriptor 1 or 2 does not silence later cells.
func TestClosedDescriptorsAreRepaired(t *testing.T) {
	p := startKernel(t)
	p.execute(t, `os.NewFile(1, "fd1").Close()
os.NewFile(2, "fd2").Close()`, "ok")
	ex := p.execute(t, `fmt.Println("still here")
fmt.Fprintln(os.Stderr, "stderr too")`, "ok")
	if ex.Stdout != "still here\n" || ex.Stderr != "stderr too\n" {
		t.Fatalf("after closing the descriptors: stdout %q stderr %q", ex.Stdout, ex.Stderr)
	}
}

// Output appears while the cell is still running, not only at its end.
func TestOutputIsLive(t *testing.T) {
	p := startKernel(t)
	id, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": "fmt.Println(\"first\")\ntime.Sleep(1500 * time.Millisecond)\nfmt.Println(\"second\")", "silent": false})
	start := time.Now()
	waitForStream(t, p, id, "first")
	if d := time.Since(start); d > time.Second {
		t.Fatalf("first line arrived after %v: output is not live", d)
	}
	ex, err := p.client.Collect(id, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ex.Stdout, "second") {
		t.Fatalf("rest of output %q", ex.Stdout)
	}
}

// An error names its kind and points at the user's line.
func TestErrorTracebackPointsAtUserLine(t *testing.T) {
	p := startKernel(t)
	ex := p.execute(t, "a := 1\nb := a + 1\nvar s []int\n_ = s[b+5]\nfmt.Println(b)", "error")
	var errMsg map[string]any
	for _, m := range ex.IOPub {
		if m.Header.MsgType == "error" {
			errMsg = kerneltest.Content(m)
		}
	}
	if errMsg == nil {
		t.Fatal("no error message on IOPub")
	}
	tb := fmt.Sprint(errMsg["traceback"])
	if !strings.Contains(tb, "4 | _ = s[b+5]") || !strings.Contains(tb, "-->") {
		t.Fatalf("traceback does not point at line 4: %q", tb)
	}
	if !strings.Contains(fmt.Sprint(errMsg["evalue"]), "index out of range") {
		t.Fatalf("evalue %v", errMsg["evalue"])
	}
	// The kernel carries on with its state.
	if got := result(p.execute(t, "a + 41", "ok")); got != "42" {
		t.Fatalf("after the error a+41 = %q", got)
	}
}

// silent runs without execute_input or execute_result and without counting;
// store_history=false runs without counting; user_expressions are
// evaluated after the cell.
func TestSilentStoreHistoryAndUserExpressions(t *testing.T) {
	p := startKernel(t)
	p.execute(t, "n := 20", "ok") // execution_count 1
	id, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": "n = n + 1\nn", "silent": true, "store_history": true})
	ex, err := p.client.Collect(id, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ex.IOPub {
		if m.Header.MsgType == "execute_input" || m.Header.MsgType == "execute_result" {
			t.Fatalf("silent execution published %s", m.Header.MsgType)
		}
	}
	if c := kerneltest.Content(ex.Reply); c["execution_count"] != 1.0 {
		t.Fatalf("silent execution counted: %v", c["execution_count"])
	}
	id, _ = p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": "n = n * 2", "store_history": false,
		"user_expressions": map[string]any{"double": "n", "bad": "nosuchname"}})
	ex, err = p.client.Collect(id, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c := kerneltest.Content(ex.Reply)
	if c["execution_count"] != 1.0 {
		t.Fatalf("store_history=false counted: %v", c["execution_count"])
	}
	ue := c["user_expressions"].(map[string]any)
	good := ue["double"].(map[string]any)
	if good["status"] != "ok" || good["data"].(map[string]any)["text/plain"] != "42" {
		t.Fatalf("user expression double: %v", good)
	}
	if bad := ue["bad"].(map[string]any); bad["status"] != "error" {
		t.Fatalf("user expression bad: %v", bad)
	}
	if got := kerneltest.Content(p.execute(t, "n", "ok").Reply)["execution_count"]; got != 2.0 {
		t.Fatalf("next stored cell counted %v, want 2", got)
	}
}

// A queued cell behind a failing one is aborted when stop_on_error is set.
func TestStopOnErrorAbortsQueuedCells(t *testing.T) {
	p := startKernel(t)
	first, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": "time.Sleep(300 * time.Millisecond)\npanic(\"first fails\")", "stop_on_error": true})
	second, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{"code": "fmt.Println(\"should not run\")"})
	if ex, err := p.client.Collect(first, 10*time.Second); err != nil || kerneltest.Content(ex.Reply)["status"] != "error" {
		t.Fatalf("first: %v %v", ex, err)
	}
	ex, err := p.client.Collect(second, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(ex.Reply); c["status"] != "aborted" || ex.Stdout != "" {
		t.Fatalf("queued cell after an error: reply %v, stdout %q", c, ex.Stdout)
	}
	p.execute(t, "1", "ok") // later cells run again
}

// A comm to a target the kernel does not have is closed at once; comm_info
// lists no comms.
func TestCommOpenUnknownTargetIsClosed(t *testing.T) {
	p := startKernel(t)
	id, _ := p.client.Send(kerneltest.Shell, "comm_open", map[string]any{
		"comm_id": "c0ffee", "target_name": "no.such.target", "data": map[string]any{}})
	deadline := time.Now().Add(5 * time.Second)
	for {
		m, err := p.client.Recv(kerneltest.IOPub, time.Until(deadline))
		if err != nil {
			t.Fatal("no comm_close for an unknown target")
		}
		if m.Header.MsgType == "comm_close" && kerneltest.ParentID(m) == id {
			if kerneltest.Content(m)["comm_id"] != "c0ffee" {
				t.Fatalf("comm_close %v", kerneltest.Content(m))
			}
			break
		}
	}
	iid, _ := p.client.Send(kerneltest.Shell, "comm_info_request", map[string]any{})
	r, err := p.client.Reply(kerneltest.Shell, iid, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(r); c["status"] != "ok" || len(c["comms"].(map[string]any)) != 0 {
		t.Fatalf("comm_info %v", c)
	}
}

// Output larger than the pipe's chunks, of multi-byte characters, arrives
// whole: no character is split between two stream messages.
func TestLargeUnicodeOutputIsIntact(t *testing.T) {
	p := startKernel(t)
	ex := p.execute(t, `fmt.Println(strings.Repeat("é", 100000))`, "ok")
	if want := strings.Repeat("é", 100000) + "\n"; ex.Stdout != want {
		t.Fatalf("got %d bytes (valid UTF-8: %v), want %d", len(ex.Stdout), utf8.ValidString(ex.Stdout), len(want))
	}
	for _, m := range ex.IOPub {
		if text, _ := kerneltest.Content(m)["text"].(string); strings.ContainsRune(text, utf8.RuneError) {
			t.Fatal("a stream message holds a broken character")
		}
	}
}

// A cell reading standard input asks the front end with input_request on
// the stdin channel and reads the line the user typed.
func TestStdinInputRequest(t *testing.T) {
	p := startKernel(t)
	id, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": "var name string\nfmt.Scanln(&name)\nfmt.Println(\"hello\", name)", "allow_stdin": true})
	req, err := p.client.Recv(kerneltest.Stdin, 10*time.Second)
	if err != nil {
		t.Fatalf("no input_request: %v", err)
	}
	if req.Header.MsgType != "input_request" || kerneltest.ParentID(req) != id {
		t.Fatalf("got %s for %s", req.Header.MsgType, kerneltest.ParentID(req))
	}
	p.client.Send(kerneltest.Stdin, "input_reply", map[string]any{"value": "gopher"})
	ex, err := p.client.Collect(id, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Stdout != "hello gopher\n" {
		t.Fatalf("stdout %q", ex.Stdout)
	}
}

// Jupyter's ipc transport (Unix sockets named <ip>-<port>) works as tcp does.
func TestIPCTransport(t *testing.T) {
	dir := t.TempDir()
	conn := &kernel.Connection{Transport: "ipc", IP: filepath.Join(dir, "kernel"), Key: "ipc-key",
		SignatureScheme: "hmac-sha256", ShellPort: 1, ControlPort: 2, StdinPort: 3, IOPubPort: 4, HBPort: 5}
	raw, _ := json.Marshal(conn)
	file := filepath.Join(dir, "connection.json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	p := startKernelWith(t, conn, file)
	if got := result(p.execute(t, "6 * 7", "ok")); got != "42" {
		t.Fatalf("6*7 over ipc = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "kernel-1")); err != nil {
		t.Fatalf("no shell socket file: %v", err)
	}
}

// A loop printing line by line becomes a few stream messages, not one per
// line (a notebook slows down under thousands of tiny messages), and none
// of the text is lost.
func TestPrintLoopIsCoalesced(t *testing.T) {
	p := startKernel(t)
	for _, tc := range []struct {
		code        string
		lines, most int
	}{
		{"for i := 0; i < 20000; i++ { fmt.Println(i) }", 20000, 200},
		{"for i := 0; i < 300; i++ { fmt.Println(i); time.Sleep(time.Millisecond) }", 300, 100},
	} {
		ex := p.execute(t, tc.code, "ok")
		if got := strings.Count(ex.Stdout, "\n"); got != tc.lines {
			t.Fatalf("%s: %d lines, want %d", tc.code, got, tc.lines)
		}
		streams := 0
		for _, m := range ex.IOPub {
			if m.Header.MsgType == "stream" {
				streams++
			}
		}
		t.Logf("%d lines in %d stream messages", tc.lines, streams)
		if streams > tc.most {
			t.Fatalf("%s: %d stream messages for %d lines", tc.code, streams, tc.lines)
		}
	}
}
