package kernel

// #include "prebind.h"
import "C"

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// prebindTransport is a zmq4 transport that listens on sockets prebind.c
// bound at process start (see there why), and binds as usual otherwise.
type prebindTransport struct {
	mu    sync.Mutex
	taken [C.MLXK_PORTS]bool
}

const prebindScheme = "mlxk-prebound"

var prebound = &prebindTransport{}

func init() {
	if err := zmq4.RegisterTransport(prebindScheme, prebound); err != nil {
		panic(err)
	}
}

// endpoint is where a socket for port should Listen: the prebound socket
// when prebind.c made one for it, else Jupyter's own address.
func (p *prebindTransport) endpoint(c *Connection, port int) string {
	if c.Transport == "tcp" && p.lookup(port) >= 0 {
		return fmt.Sprintf("%s://%s:%d", prebindScheme, c.IP, port)
	}
	return c.Endpoint(port)
}

func (p *prebindTransport) lookup(port int) int {
	for i := 0; i < C.MLXK_PORTS; i++ {
		if int(C.mlxk_prebound_port[i]) == port && C.mlxk_prebound_fd[i] >= 0 {
			return i
		}
	}
	return -1
}

// Listen adopts the prebound socket for addr's port, once.
func (p *prebindTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	_, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var port int
	fmt.Sscan(portText, &port)
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.lookup(port)
	if i < 0 || p.taken[i] {
		return net.Listen("tcp", addr)
	}
	p.taken[i] = true
	f := os.NewFile(uintptr(C.mlxk_prebound_fd[i]), "prebound:"+addr)
	defer f.Close() // FileListener holds its own descriptor
	return net.FileListener(f)
}

func (p *prebindTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	return nil, errors.New("mlxkernel: the prebound transport only listens")
}

func (p *prebindTransport) Addr(ep string) (string, error) { return ep, nil }
