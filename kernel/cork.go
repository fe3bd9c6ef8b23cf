package kernel

import (
	"net"
	"sync"
)

// zmq4 writes a message to a ROUTER peer one write(2) per frame header and
// one per frame body: a reply of six frames becomes twelve TCP segments.
// A corkListener's connections can hold their writes while one message is
// sent and write it out in one piece afterwards (as TCP_CORK would, but
// portable), which cuts a reply's cost several times.
type corkListener struct {
	net.Listener
	mu    sync.Mutex
	conns map[*corkConn]struct{}
}

func newCorkListener(l net.Listener) *corkListener {
	return &corkListener{Listener: l, conns: map[*corkConn]struct{}{}}
}

func (l *corkListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	cc := &corkConn{Conn: c, owner: l}
	l.mu.Lock()
	l.conns[cc] = struct{}{}
	l.mu.Unlock()
	return cc, nil
}

// corked runs send with every connection holding its writes, then flushes
// them: what send wrote to a peer leaves as one write.
func (l *corkListener) corked(send func() error) error {
	l.mu.Lock()
	conns := make([]*corkConn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		c.cork()
	}
	err := send()
	for _, c := range conns {
		c.uncork()
	}
	return err
}

type corkConn struct {
	net.Conn
	owner  *corkListener
	mu     sync.Mutex
	held   bool
	buffer []byte
}

func (c *corkConn) cork() {
	c.mu.Lock()
	c.held = true
	c.mu.Unlock()
}

// uncork writes what was held. A failed write surfaces to zmq4 on the
// connection's next use, as any broken connection does.
func (c *corkConn) uncork() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held = false
	if len(c.buffer) > 0 {
		c.Conn.Write(c.buffer)
		c.buffer = c.buffer[:0]
	}
}

func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held {
		c.buffer = append(c.buffer, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

func (c *corkConn) Close() error {
	c.owner.mu.Lock()
	delete(c.owner.conns, c)
	c.owner.mu.Unlock()
	return c.Conn.Close()
}
