// Package kerneltest is a small Jupyter client for tests: it connects to a
// kernel's five sockets the way jupyter_client does and speaks the wire
// protocol through package kernel's own codec.
package kerneltest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"
	"github.com/mlx-go/mlx-go/kernel"
)

// NewConnection writes a connection file for a kernel on free 127.0.0.1
// ports, signed with a random key, into dir.
func NewConnection(t testing.TB, dir string) (*kernel.Connection, string) {
	t.Helper()
	c := &kernel.Connection{Transport: "tcp", IP: "127.0.0.1", Key: uuid.NewString(),
		SignatureScheme: "hmac-sha256", KernelName: "mlx-go"}
	ports := make([]int, 5)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = l.Addr().(*net.TCPAddr).Port
		defer l.Close()
	}
	c.ShellPort, c.ControlPort, c.StdinPort, c.IOPubPort, c.HBPort = ports[0], ports[1], ports[2], ports[3], ports[4]
	raw, _ := json.Marshal(c)
	path := filepath.Join(dir, "kernel-"+uuid.NewString()[:8]+".json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return c, path
}

// Channel names a client socket.
type Channel int

const (
	Shell Channel = iota
	Control
	Stdin
	IOPub
)

// Client is a connected Jupyter client.
type Client struct {
	Conn    *kernel.Connection
	Session string
	signer  kernel.Signer
	socks   [4]zmq4.Socket
	hb      zmq4.Socket
	in      [4]chan *kernel.Message
	cancel  context.CancelFunc
}

// Dial connects to every channel of the kernel c describes.
func Dial(c *kernel.Connection) (*Client, error) {
	ctx, cancel := context.WithCancel(context.Background())
	cl := &Client{Conn: c, Session: uuid.NewString(), signer: kernel.NewSigner([]byte(c.Key)), cancel: cancel}
	// The kernel may still be starting: keep dialling for a few seconds.
	retry := []zmq4.Option{zmq4.WithDialerRetry(10 * time.Millisecond), zmq4.WithDialerMaxRetries(1000)}
	dealer := append([]zmq4.Option{zmq4.WithID(zmq4.SocketIdentity(cl.Session))}, retry...)
	cl.socks = [4]zmq4.Socket{zmq4.NewDealer(ctx, dealer...), zmq4.NewDealer(ctx, dealer...),
		zmq4.NewDealer(ctx, dealer...), zmq4.NewSub(ctx, retry...)}
	cl.hb = zmq4.NewReq(ctx, retry...)
	ports := []int{c.ShellPort, c.ControlPort, c.StdinPort, c.IOPubPort}
	for i, s := range cl.socks {
		if err := s.Dial(c.Endpoint(ports[i])); err != nil {
			cl.Close()
			return nil, fmt.Errorf("dial channel %d: %w", i, err)
		}
	}
	if err := cl.socks[IOPub].SetOption(zmq4.OptionSubscribe, ""); err != nil {
		cl.Close()
		return nil, err
	}
	if err := cl.hb.Dial(c.Endpoint(c.HBPort)); err != nil {
		cl.Close()
		return nil, err
	}
	for i := range cl.socks {
		cl.in[i] = make(chan *kernel.Message, 100000)
		go cl.read(Channel(i))
	}
	return cl, nil
}

// read decodes everything a channel receives into its queue; messages the
// kernel signed wrongly are a test failure, reported as a nil message.
func (cl *Client) read(ch Channel) {
	for {
		raw, err := cl.socks[ch].Recv()
		if err != nil {
			close(cl.in[ch])
			return
		}
		m, err := kernel.Decode(raw.Frames, cl.signer)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kerneltest: undecodable message on channel %d: %v\n", ch, err)
			continue
		}
		cl.in[ch] <- m
	}
}

// Close disconnects.
func (cl *Client) Close() {
	for _, s := range cl.socks {
		if s != nil {
			s.Close()
		}
	}
	cl.hb.Close()
	cl.cancel()
}

// Send sends a request and returns its msg_id.
func (cl *Client) Send(ch Channel, msgType string, content any) (string, error) {
	h := kernel.NewHeader(msgType, cl.Session)
	frames, err := kernel.Encode(nil, h, nil, content, cl.signer)
	if err != nil {
		return "", err
	}
	return h.MsgID, cl.SendFrames(ch, frames)
}

// SendFrames sends raw frames, for tests of malformed or forged messages.
func (cl *Client) SendFrames(ch Channel, frames [][]byte) error {
	return cl.socks[ch].SendMulti(zmq4.NewMsgFrom(frames...))
}

// Encode is a signed request's frames, for tests that then damage them.
func (cl *Client) Encode(msgType string, content any) ([][]byte, string) {
	h := kernel.NewHeader(msgType, cl.Session)
	frames, _ := kernel.Encode(nil, h, nil, content, cl.signer)
	return frames, h.MsgID
}

// Recv is the next message on ch, or an error after timeout.
func (cl *Client) Recv(ch Channel, timeout time.Duration) (*kernel.Message, error) {
	select {
	case m, ok := <-cl.in[ch]:
		if !ok {
			return nil, fmt.Errorf("channel %d closed", ch)
		}
		return m, nil
	case <-time.After(timeout):
		return nil, fmt.Errorf("no message on channel %d within %v", ch, timeout)
	}
}

// Reply waits on ch for the reply to msgID, skipping others (such as
// replies to a readiness check's extra kernel_info requests).
func (cl *Client) Reply(ch Channel, msgID string, timeout time.Duration) (*kernel.Message, error) {
	deadline := time.Now().Add(timeout)
	for {
		m, err := cl.Recv(ch, time.Until(deadline))
		if err != nil {
			return nil, err
		}
		if ParentID(m) == msgID {
			return m, nil
		}
	}
}

// ParentID is the msg_id of the request m answers.
func ParentID(m *kernel.Message) string {
	var p struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.Parent, &p)
	return p.MsgID
}

// Content decodes m's content.
func Content(m *kernel.Message) map[string]any {
	var c map[string]any
	_ = json.Unmarshal(m.Content, &c)
	return c
}

// WaitReady sends kernel_info until the reply and an IOPub message both
// came through (as jupyter_client does: a PUB socket drops what it sends
// before the subscription arrives).
func (cl *Client) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		id, err := cl.Send(Shell, "kernel_info_request", map[string]any{})
		if err != nil {
			return err
		}
		if _, err := cl.Reply(Shell, id, 500*time.Millisecond); err != nil {
			continue
		}
		if _, err := cl.Recv(IOPub, 200*time.Millisecond); err == nil {
			cl.Drain(50 * time.Millisecond)
			return nil
		}
	}
	return fmt.Errorf("kernel not ready after %v", timeout)
}

// Drain discards whatever arrives on shell and IOPub until quiet for d.
func (cl *Client) Drain(d time.Duration) {
	for _, ch := range []Channel{Shell, IOPub} {
		for {
			if _, err := cl.Recv(ch, d); err != nil {
				break
			}
		}
	}
}

// Execution is everything one execute_request produced.
type Execution struct {
	Reply  *kernel.Message
	IOPub  []*kernel.Message // between busy and idle, both excluded
	Stdout string            // concatenated stdout stream text
	Stderr string
}

// Execute runs code and collects its reply and IOPub output up to idle.
func (cl *Client) Execute(code string, timeout time.Duration) (*Execution, error) {
	id, err := cl.Send(Shell, "execute_request", map[string]any{
		"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{},
		"allow_stdin": false, "stop_on_error": true})
	if err != nil {
		return nil, err
	}
	return cl.Collect(id, timeout)
}

// Collect gathers the reply and IOPub messages of request id.
func (cl *Client) Collect(id string, timeout time.Duration) (*Execution, error) {
	ex := &Execution{}
	deadline := time.Now().Add(timeout)
	idle := false
	for !idle {
		m, err := cl.Recv(IOPub, time.Until(deadline))
		if err != nil {
			return ex, fmt.Errorf("waiting for idle: %w", err)
		}
		if ParentID(m) != id {
			continue
		}
		c := Content(m)
		switch m.Header.MsgType {
		case "status":
			idle = c["execution_state"] == "idle"
			continue
		case "stream":
			if c["name"] == "stdout" {
				ex.Stdout += c["text"].(string)
			} else {
				ex.Stderr += c["text"].(string)
			}
		}
		ex.IOPub = append(ex.IOPub, m)
	}
	reply, err := cl.Reply(Shell, id, time.Until(deadline))
	ex.Reply = reply
	return ex, err
}

// Heartbeat pings the kernel's heartbeat socket once.
func (cl *Client) Heartbeat(timeout time.Duration) error {
	done := make(chan error, 1)
	go func() {
		if err := cl.hb.Send(zmq4.NewMsgString("ping")); err != nil {
			done <- err
			return
		}
		_, err := cl.hb.Recv()
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("no heartbeat within %v", timeout)
	}
}
