package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// socket is a ZeroMQ socket with a lock around Send: handlers on several
// goroutines answer on the same socket, and a message's frames must not
// interleave with another's.
type socket struct {
	name string
	zmq4.Socket
	mu   sync.Mutex
	cork *corkListener // set for ROUTER sockets on tcp: sends go out in one write
}

func (s *socket) sendFrames(frames [][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	send := func() error { return s.SendMulti(zmq4.NewMsgFrom(frames...)) }
	if s.cork != nil {
		return s.cork.corked(send)
	}
	return send()
}

// sockets are the five channels of a kernel, bound where the connection
// file says and nowhere else.
type sockets struct {
	shell, control, stdin, iopub, hb *socket
}

// zmq4 logs to os.Stderr unless told otherwise; in a kernel that is the
// notebook's stderr stream, so its messages go to the kernel's log instead.
func openSockets(ctx context.Context, c *Connection, logger *log.Logger) (*sockets, error) {
	opt := zmq4.WithLogger(logger)
	s := &sockets{
		shell:   &socket{name: "shell", Socket: zmq4.NewRouter(ctx, opt)},
		control: &socket{name: "control", Socket: zmq4.NewRouter(ctx, opt)},
		stdin:   &socket{name: "stdin", Socket: zmq4.NewRouter(ctx, opt)},
		iopub:   &socket{name: "iopub", Socket: zmq4.NewPub(ctx, opt)},
		hb:      &socket{name: "heartbeat", Socket: zmq4.NewRep(ctx, opt)},
	}
	for _, b := range []struct {
		s    *socket
		port int
	}{{s.shell, c.ShellPort}, {s.control, c.ControlPort}, {s.stdin, c.StdinPort}, {s.iopub, c.IOPubPort}, {s.hb, c.HBPort}} {
		endpoint, corker := listenOn(c, b.port, b.s.Socket.Type() == zmq4.Router)
		if err := b.s.Listen(endpoint); err != nil {
			s.close()
			return nil, fmt.Errorf("%s socket: %w", b.s.name, err)
		}
		b.s.cork = corker()
	}
	return s, nil
}

func (s *sockets) close() {
	for _, x := range []*socket{s.shell, s.control, s.stdin, s.iopub, s.hb} {
		x.Close()
	}
}

// send signs and sends one message on sock. ids route it to the client that
// asked (ROUTER sockets) or name its topic (IOPub).
func (k *Kernel) send(sock *socket, ids [][]byte, msgType string, parent json.RawMessage, content any) {
	frames, err := Encode(ids, NewHeader(msgType, k.session), parent, content, k.signer)
	if err == nil {
		err = sock.sendFrames(frames)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		k.log.Printf("send %s on %s: %v", msgType, sock.name, err)
	}
}

// reply answers req on the socket it came in on.
func (k *Kernel) reply(sock *socket, req *Message, msgType string, content any) {
	k.send(sock, req.Identities, msgType, req.rawHeader(), content)
}

// publish broadcasts on IOPub. The topic follows ipykernel's
// "kernel.<id>.<type>" so topic-filtering clients work the same.
func (k *Kernel) publish(msgType string, parent json.RawMessage, content any) {
	topic := []byte("kernel." + k.session + "." + msgType)
	k.send(k.sockets.iopub, [][]byte{topic}, msgType, parent, content)
}

// receive calls handle for every valid message arriving on sock until ctx
// ends. Messages with a bad signature or a broken shape are logged and
// dropped: a stray or hostile client must not bring the kernel down.
func (k *Kernel) receive(ctx context.Context, sock *socket, handle func(*Message)) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			k.log.Printf("receive on %s: %v", sock.name, err)
			time.Sleep(10 * time.Millisecond) // a persistent error must not spin a core
			continue
		}
		msg, err := Decode(raw.Frames, k.signer)
		if err != nil {
			k.log.Printf("dropped a message on %s: %v", sock.name, err)
			continue
		}
		handle(msg)
	}
}

// heartbeat echoes every ping, so the front end knows the process lives
// even while a cell keeps the kernel busy.
func (k *Kernel) heartbeat(ctx context.Context) {
	for {
		m, err := k.sockets.hb.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if err := k.sockets.hb.Send(m); err != nil && ctx.Err() == nil {
			k.log.Printf("heartbeat: %v", err)
		}
	}
}
