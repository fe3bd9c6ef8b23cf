package kernel_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/kernel"
	"github.com/mlx-go/mlx-go/kernel/kerneltest"
	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/models/lm/lmtest"
)

// tinyModel writes a tiny random-weight checkpoint and returns its folder.
func tinyModel(t *testing.T) string {
	t.Helper()
	return lmtest.TinyDir(t)
}

// displayText is the text/plain of a display_data or update_display_data
// and its display_id.
func displayText(m *kernel.Message) (text, id string) {
	c := kerneltest.Content(m)
	data, _ := c["data"].(map[string]any)
	text, _ = data["text/plain"].(string)
	tr, _ := c["transient"].(map[string]any)
	id, _ = tr["display_id"].(string)
	return text, id
}

// live.Generate streams into one display: a display_data with an id,
// then updates of that id whose text grows to the text a direct
// generation gives, with the speed beneath it; it returns that text.
func TestLiveGenerateStreamsIntoOneDisplay(t *testing.T) {
	dir := tinyModel(t)
	m, err := lm.LoadLLM(dir)
	if err != nil {
		t.Fatal(err)
	}
	const opts = "lm.MaxTokens(150), lm.StopTokens()"
	want, err := m.Generate(context.Background(), "Hello", lm.MaxTokens(150), lm.StopTokens()).Text()
	if err != nil || want == "" {
		t.Fatalf("reference generation %q, %v", want, err)
	}

	p := startKernel(t)
	p.execute(t, fmt.Sprintf("m, err := lm.LoadLLM(%q)\nif err != nil { panic(err) }", dir), "ok")
	ex := p.execute(t, fmt.Sprintf("text, err := live.Generate(m, \"Hello\", %s)\nif err != nil { panic(err) }", opts), "ok")
	var id string
	var texts []string
	for _, msg := range ex.IOPub {
		switch msg.Header.MsgType {
		case "display_data":
			if id != "" {
				t.Fatalf("a second display_data: %v", types(ex.IOPub))
			}
			var text string
			text, id = displayText(msg)
			if id == "" {
				t.Fatal("display_data without a display_id")
			}
			texts = append(texts, text)
		case "update_display_data":
			text, uid := displayText(msg)
			if uid != id {
				t.Fatalf("update of display %q, shown %q", uid, id)
			}
			texts = append(texts, text)
		case "stream":
			t.Fatalf("printed %q besides the display", kerneltest.Content(msg)["text"])
		}
	}
	if len(texts) < 2 {
		t.Fatalf("no update_display_data: %v", types(ex.IOPub))
	}
	t.Logf("%d updates", len(texts)-1)
	prev := ""
	for i, text := range texts {
		generated, _, _ := strings.Cut(text, "\n\n")
		if i > 0 && !strings.HasPrefix(generated, prev) {
			t.Fatalf("update %d does not extend the text: %q after %q", i, generated, prev)
		}
		prev = generated
	}
	final := texts[len(texts)-1]
	if !strings.HasPrefix(final, want+"\n\n") || !strings.Contains(final, "tok/s") || !strings.Contains(final, "TTFT") {
		t.Fatalf("final display %q, want the reference text %q then the speeds", final, want)
	}
	if got := result(p.execute(t, "text", "ok")); got != fmt.Sprintf("%q", want) {
		t.Fatalf("live.Generate returned %s, want %q", got, want)
	}
}

// An interrupt stops live.Generate at once; the display shows why it
// stopped and the kernel goes on.
func TestInterruptStopsLiveGenerate(t *testing.T) {
	dir := tinyModel(t)
	p := startKernel(t)
	p.execute(t, fmt.Sprintf("m, _ := lm.LoadLLM(%q)\nkept := 41", dir), "ok")
	id, _ := p.client.Send(kerneltest.Shell, "execute_request", map[string]any{
		"code": `text, err := live.Generate(m, "Hello", lm.MaxTokens(10000000), lm.StopTokens())`, "silent": false})
	var msgs []*kernel.Message
	deadline := time.Now().Add(30 * time.Second)
	for updates := 0; updates < 3; { // tokens are flowing
		m, err := p.client.Recv(kerneltest.IOPub, time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for updates: %v (got %v)", err, types(msgs))
		}
		if kerneltest.ParentID(m) != id {
			continue
		}
		msgs = append(msgs, m)
		if m.Header.MsgType == "update_display_data" {
			updates++
		}
	}
	sent := time.Now()
	iid, _ := p.client.Send(kerneltest.Control, "interrupt_request", map[string]any{})
	if _, err := p.client.Reply(kerneltest.Control, iid, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	ex, err := p.client.Collect(id, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(sent); d > 3*time.Second {
		t.Errorf("the cell ended %v after the interrupt", d)
	}
	var last string
	for _, m := range ex.IOPub {
		if m.Header.MsgType == "update_display_data" {
			last, _ = displayText(m)
		}
	}
	if !strings.Contains(last, "stopped: interrupted") {
		t.Errorf("last update %q does not say it was interrupted", last)
	}
	if got := result(p.execute(t, "kept + 1", "ok")); got != "42" {
		t.Fatalf("after the interrupt kept+1 = %q", got)
	}
}
