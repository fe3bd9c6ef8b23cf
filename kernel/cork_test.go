package kernel

import (
	"bytes"
	"net"
	"testing"
)

// countingConn records each write that reaches the network.
type countingConn struct {
	net.Conn
	writes [][]byte
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, append([]byte(nil), p...))
	return len(p), nil
}
func (c *countingConn) Close() error { return nil }

func TestCorkedSendLeavesInOneWrite(t *testing.T) {
	l := newCorkListener(nil)
	under := &countingConn{}
	c := &corkConn{Conn: under, owner: l}
	l.conns[c] = struct{}{}

	c.Write([]byte("before"))
	l.corked(func() error {
		for _, part := range []string{"\x01\x09", "<IDS|MSG>", "\x00\x02", "{}"} {
			c.Write([]byte(part))
		}
		return nil
	})
	c.Write([]byte("after"))

	want := [][]byte{[]byte("before"), []byte("\x01\x09<IDS|MSG>\x00\x02{}"), []byte("after")}
	if len(under.writes) != len(want) {
		t.Fatalf("%d writes %q, want %q", len(under.writes), under.writes, want)
	}
	for i := range want {
		if !bytes.Equal(under.writes[i], want[i]) {
			t.Fatalf("write %d = %q, want %q", i, under.writes[i], want[i])
		}
	}
	c.Close()
	if len(l.conns) != 0 {
		t.Fatal("closed connection still registered")
	}
}
