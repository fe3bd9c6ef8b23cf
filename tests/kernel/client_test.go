package kernel_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/kernel/kerneltest"
)

func TestHeartbeat(t *testing.T) {
	p := startKernel(t)
	for range 3 {
		if err := p.client.Heartbeat(2 * time.Second); err != nil {
			t.Fatal(err)
		}
	}
}

// An interrupt_request on control stops a cell that would run forever; the
// cell's reply is an Interrupted error and the kernel keeps its state.
func TestInterruptRunningCell(t *testing.T) {
	p := startKernel(t)
	p.execute(t, "kept := 41", "ok")
	id, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": "fmt.Println(\"started\")\nfor i := 0; ; i++ {\n\ttime.Sleep(time.Millisecond)\n}", "silent": false})
	waitForStream(t, p, id, "started")
	start := time.Now()
	iid, _ := p.client.Send(kerneltest.Control, "interrupt_request", map[string]any{})
	if r, err := p.client.Reply(kerneltest.Control, iid, 5*time.Second); err != nil || r.Header.MsgType != "interrupt_reply" {
		t.Fatalf("interrupt reply: %v %v", r, err)
	}
	ex, err := p.client.Collect(id, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c := kerneltest.Content(ex.Reply)
	if c["status"] != "error" || c["ename"] != "Interrupted" {
		t.Fatalf("interrupted cell replied %v", c)
	}
	t.Logf("cell stopped %v after the interrupt", time.Since(start))
	if got := result(p.execute(t, "kept + 1", "ok")); got != "42" {
		t.Fatalf("after interrupt kept+1 = %q", got)
	}
}

// waitForStream reads IOPub until a stream of request id contains text.
func waitForStream(t *testing.T, p *process, id, text string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		m, err := p.client.Recv(kerneltest.IOPub, time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for %q: %v", text, err)
		}
		if m.Header.MsgType == "stream" && kerneltest.ParentID(m) == id &&
			strings.Contains(kerneltest.Content(m)["text"].(string), text) {
			return
		}
	}
}

// kernel_info is answered at once on shell and control while a cell runs.
func TestKernelInfoWhileCellRuns(t *testing.T) {
	p := startKernel(t)
	id, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": "fmt.Println(\"sleeping\")\ntime.Sleep(3 * time.Second)", "silent": false})
	waitForStream(t, p, id, "sleeping")
	for _, ch := range []kerneltest.Channel{kerneltest.Shell, kerneltest.Control} {
		start := time.Now()
		kid, _ := p.client.Send(ch, "kernel_info_request", map[string]any{})
		r, err := p.client.Reply(ch, kid, 2*time.Second)
		if err != nil {
			t.Fatalf("kernel_info on channel %d during a cell: %v", ch, err)
		}
		if r.Header.MsgType != "kernel_info_reply" {
			t.Fatalf("got %s", r.Header.MsgType)
		}
		t.Logf("kernel_info on channel %d answered in %v while the cell sleeps", ch, time.Since(start))
	}
	if _, err := p.client.Collect(id, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// shutdown_request with restart: the reply says restart, the process exits,
// and a new process on the same connection file starts with fresh state —
// what jupyter_client's restart_kernel does.
func TestShutdownAndRestart(t *testing.T) {
	p := startKernel(t)
	p.execute(t, "before := 1", "ok")
	id, _ := p.client.Send(kerneltest.Control, "shutdown_request", map[string]any{"restart": true})
	r, err := p.client.Reply(kerneltest.Control, id, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c := kerneltest.Content(r); r.Header.MsgType != "shutdown_reply" || c["restart"] != true || c["status"] != "ok" {
		t.Fatalf("shutdown reply %s %v", r.Header.MsgType, c)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("kernel exited with %v", err)
		}
		p.exited <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("kernel still running 5s after shutdown_request")
	}
	p.client.Close()
	p.client = nil

	q := startKernelWith(t, p.conn, p.file)
	ex := q.execute(t, "before", "error")
	if c := kerneltest.Content(ex.Reply); !strings.Contains(fmt.Sprint(c["evalue"]), "before") {
		t.Fatalf("restarted kernel still knows `before`? %v", c)
	}
	if got := result(q.execute(t, "2 * 21", "ok")); got != "42" {
		t.Fatalf("restarted kernel: 2*21 = %q", got)
	}
}

// A message signed with the wrong key, or not signed, is dropped and
// logged; the kernel goes on answering properly signed ones.
func TestForgedSignatureRejected(t *testing.T) {
	p := startKernel(t)
	for name, forge := range map[string]func(sig []byte) []byte{
		"wrong":   func([]byte) []byte { return []byte(strings.Repeat("ab", 32)) },
		"missing": func([]byte) []byte { return nil },
		"flipped": func(s []byte) []byte { s = append([]byte(nil), s...); s[0] ^= 1; return s },
	} {
		frames, id := p.client.Encode("execute_request", map[string]any{"code": "fmt.Println(\"forged\")", "silent": false})
		i := delimiterIndex(frames)
		frames[i+1] = forge(frames[i+1])
		if err := p.client.SendFrames(kerneltest.Shell, frames); err != nil {
			t.Fatal(err)
		}
		if m, err := p.client.Reply(kerneltest.Shell, id, 500*time.Millisecond); err == nil {
			t.Fatalf("%s signature: kernel answered %s", name, m.Header.MsgType)
		}
	}
	if got := result(p.execute(t, "1 + 1", "ok")); got != "2" {
		t.Fatalf("after forged messages 1+1 = %q", got)
	}
	if n := strings.Count(p.log.String(), "bad or missing message signature"); n != 3 {
		t.Fatalf("kernel logged %d rejected signatures, want 3; log:\n%s", n, p.log.String())
	}
}

func delimiterIndex(frames [][]byte) int {
	for i, f := range frames {
		if string(f) == "<IDS|MSG>" {
			return i
		}
	}
	return -1
}

// Broken multipart messages are dropped and logged; the kernel survives.
func TestMalformedMessagesSurvived(t *testing.T) {
	p := startKernel(t)
	good, _ := p.client.Encode("kernel_info_request", map[string]any{})
	d := delimiterIndex(good)
	cases := map[string][][]byte{
		"one garbage frame":     {[]byte("garbage")},
		"no delimiter":          {[]byte("a"), []byte("b"), []byte("c"), []byte("d"), []byte("e"), []byte("f")},
		"too few frames":        {good[d], good[d+1], good[d+2]},
		"header not JSON":       {good[d], good[d+1], []byte("{not json"), good[d+3], good[d+4], good[d+5]},
		"empty frames":          {good[d], {}, {}, {}, {}, {}},
		"content not an object": {good[d], good[d+1], good[d+2], good[d+3], good[d+4], []byte("[1,2")},
	}
	for name, frames := range cases {
		if err := p.client.SendFrames(kerneltest.Shell, frames); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := p.client.SendFrames(kerneltest.Control, frames); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if err := p.client.Heartbeat(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	if got := result(p.execute(t, "3 * 3", "ok")); got != "9" {
		t.Fatalf("after malformed messages 3*3 = %q", got)
	}
	// Control is served by its own goroutine and the log arrives through a
	// pipe: give both a moment before counting.
	deadline := time.Now().Add(10 * time.Second)
	n := 0
	for {
		n = strings.Count(p.log.String(), "dropped a message")
		if n >= 2*len(cases) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n < 2*len(cases) {
		t.Fatalf("kernel logged %d dropped messages, want %d; log:\n%s", n, 2*len(cases), p.log.String())
	}
}

// 1,000 executes sent back to back, each printing its number: every reply
// comes, in order, and not one line of output is lost or misattributed.
func TestThousandQuickExecutes(t *testing.T) {
	p := startKernel(t)
	const n = 1000
	ids := make([]string, n)
	for i := range n {
		ids[i], _ = p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
			"code": fmt.Sprintf("fmt.Println(\"line\", %d)", i), "silent": false, "store_history": true})
	}
	start := time.Now()
	for i, id := range ids {
		ex, err := p.client.Collect(id, 60*time.Second)
		if err != nil {
			t.Fatalf("execute %d: %v", i, err)
		}
		if want := fmt.Sprintf("line %d\n", i); ex.Stdout != want {
			t.Fatalf("execute %d printed %q, want %q", i, ex.Stdout, want)
		}
		if c := kerneltest.Content(ex.Reply); c["status"] != "ok" {
			t.Fatalf("execute %d: %v", i, c)
		}
	}
	t.Logf("%d executes in %v", n, time.Since(start))
}
