package kernel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// kernelTransport is the zmq4 transport of the kernel's tcp sockets: it
// listens on the socket prebind.c bound at process start when there is one
// (see there why). Under the "cork" scheme its connections can be corked
// (cork.go): ROUTER sockets use it. Others must not: zmq4 sends their
// messages with one writev, which only a bare *net.TCPConn offers.
type kernelTransport struct {
	cork      bool
	mu        sync.Mutex
	listeners map[string]*corkListener // by address, when cork
}

var (
	kernelTCP     = &kernelTransport{}
	kernelTCPCork = &kernelTransport{cork: true, listeners: map[string]*corkListener{}}
	kernelSchemes = map[*kernelTransport]string{kernelTCP: "mlxk-tcp", kernelTCPCork: "mlxk-tcp-cork"}
)

func init() {
	for t, scheme := range kernelSchemes {
		if err := zmq4.RegisterTransport(scheme, t); err != nil {
			panic(err)
		}
	}
}

// listenOn is where a socket for port listens: through the kernel's
// transport for tcp (corked when cork), as Jupyter says for ipc. It
// returns the corkListener to send through, once Listen has made it.
func listenOn(c *Connection, port int, cork bool) (endpoint string, corker func() *corkListener) {
	none := func() *corkListener { return nil }
	if c.Transport != "tcp" {
		return c.Endpoint(port), none
	}
	addr := net.JoinHostPort(c.IP, strconv.Itoa(port))
	if !cork {
		return kernelSchemes[kernelTCP] + "://" + addr, none
	}
	return kernelSchemes[kernelTCPCork] + "://" + addr, func() *corkListener { return kernelTCPCork.listener(addr) }
}

func (t *kernelTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	_, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, _ := strconv.Atoi(portText)
	var l net.Listener
	if f := takePrebound(port); f != nil {
		l, err = net.FileListener(f) // holds its own descriptor
		f.Close()
	} else {
		l, err = net.Listen("tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if !t.cork {
		return l, nil
	}
	cl := newCorkListener(l)
	t.mu.Lock()
	t.listeners[addr] = cl
	t.mu.Unlock()
	return cl, nil
}

// listener is the corkListener serving addr, or nil.
func (t *kernelTransport) listener(addr string) *corkListener {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.listeners[addr]
}

func (t *kernelTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	return nil, errors.New("mlxkernel: the kernel transport only listens")
}

func (t *kernelTransport) Addr(ep string) (string, error) { return ep, nil }
