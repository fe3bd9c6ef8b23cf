package kernel

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// Capture redirects the process's file descriptors 1 and 2 into pipes, so
// everything a cell prints — Go through os.Stdout, C and C++ through
// printf or std::cout, child processes — becomes stream messages, live.
type Capture struct {
	streams [2]*capturedStream
	// Log is the process's original standard error, for the kernel's own
	// messages (Jupyter shows it in the server's console).
	Log *os.File
}

// CaptureStdio takes over descriptors 1 and 2. Call it once, before
// anything else writes to them.
func CaptureStdio() (*Capture, error) {
	saved, err := unix.Dup(2)
	if err != nil {
		return nil, fmt.Errorf("capture: dup stderr: %w", err)
	}
	unix.CloseOnExec(saved)
	c := &Capture{Log: os.NewFile(uintptr(saved), "stderr")}
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	for i, s := range []struct {
		name string
		fd   int
	}{{"stdout", 1}, {"stderr", 2}} {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("capture: %w", err)
		}
		cs := &capturedStream{
			name:    s.name,
			fd:      s.fd,
			r:       r,
			w:       w,
			marker:  []byte("\x00mlxkernel-flush-" + hex.EncodeToString(nonce) + "\x00"),
			flushed: make(chan struct{}, 1),
		}
		if err := cs.redirect(); err != nil {
			return nil, fmt.Errorf("capture: redirect %s: %w", s.name, err)
		}
		c.streams[i] = cs
	}
	return c, nil
}

// Start implements Output.
func (c *Capture) Start(emit func(stream, text string)) {
	for _, s := range c.streams {
		go s.pump(emit)
	}
}

// Stdout implements Output: the real descriptor 1, now a pipe.
func (c *Capture) Stdout() io.Writer { return os.Stdout }

// Stderr implements Output.
func (c *Capture) Stderr() io.Writer { return os.Stderr }

// Flush implements Output. Both streams are flushed at once: each waits
// for its own reader, so together they take the time of one.
func (c *Capture) Flush() {
	done := make(chan struct{})
	go func() { c.streams[1].flush(); close(done) }()
	c.streams[0].flush()
	<-done
}

// Repair implements Output.
func (c *Capture) Repair() {
	for _, s := range c.streams {
		s.repair()
	}
}

// capturedStream is one redirected descriptor. A flush writes a marker
// through the pipe behind whatever is in it and waits for the reader to
// reach it: then every earlier byte was emitted.
type capturedStream struct {
	name    string
	fd      int      // 1 or 2
	r       *os.File // the pipe's read end, drained by pump
	w       *os.File // the pipe's write end, kept so fd can be pointed at it again
	marker  []byte
	flushMu sync.Mutex
	flushed chan struct{}
}

// redirect points the descriptor at the pipe.
func (s *capturedStream) redirect() error {
	return unix.Dup2(int(s.w.Fd()), s.fd)
}

// repair re-points the descriptor at the pipe if a cell closed or replaced
// it (os.NewFile(1, ...) closes descriptor 1 when collected), so one cell
// cannot silence every later one.
func (s *capturedStream) repair() {
	var fd, pipe unix.Stat_t
	if err := unix.Fstat(int(s.w.Fd()), &pipe); err != nil {
		return
	}
	if unix.Fstat(s.fd, &fd) == nil && fd.Dev == pipe.Dev && fd.Ino == pipe.Ino {
		return
	}
	_ = s.redirect()
}

func (s *capturedStream) flush() {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.repair()
	if _, err := s.w.Write(s.marker); err != nil {
		return
	}
	select {
	case <-s.flushed:
	case <-time.After(5 * time.Second): // a wedged reader must not hang the kernel
	}
}

// coalesce is how long output may wait to be sent with what follows it: a
// loop printing a line a millisecond becomes a few dozen messages a second,
// not a thousand, and still looks live. A flush sends at once.
const coalesce = 20 * time.Millisecond

// pump reads the pipe until it closes, emitting text as stream messages.
func (s *capturedStream) pump(emit func(stream, text string)) {
	buf := make([]byte, 64<<10)
	var pending []byte // read, not yet emitted
	var due time.Time  // when pending must go out; zero while pending is empty
	send := func(text []byte) {
		if len(text) > 0 {
			emit(s.name, string(text))
		}
	}
	for {
		if due.IsZero() {
			s.r.SetReadDeadline(time.Time{})
		} else {
			s.r.SetReadDeadline(due)
		}
		n, err := s.r.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, s.marker)
			if i < 0 {
				break
			}
			send(pending[:i])
			pending = pending[i+len(s.marker):]
			select {
			case s.flushed <- struct{}{}:
			default:
			}
		}
		if due.IsZero() && len(pending) > 0 {
			due = time.Now().Add(coalesce)
		}
		if !time.Now().Before(due) || len(pending) >= len(buf) || (err != nil && !errors.Is(err, os.ErrDeadlineExceeded)) {
			cut := completeText(pending, s.marker)
			send(pending[:cut])
			pending = append(pending[:0], pending[cut:]...)
			due = time.Time{}
			if len(pending) > 0 { // a partial character or marker: wait for the rest
				due = time.Now().Add(coalesce)
			}
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return
		}
	}
}

// completeText is how much of b can be emitted now: all of it except a tail
// that may be the start of a flush marker or of a UTF-8 character whose
// other bytes have not arrived yet.
func completeText(b, marker []byte) int {
	cut := len(b)
	for k := min(len(marker)-1, len(b)); k > 0; k-- {
		if bytes.HasSuffix(b, marker[:k]) {
			cut = len(b) - k
			break
		}
	}
	// Back up over an incomplete trailing rune (at most 3 bytes).
	for i := cut - 1; i >= 0 && i >= cut-3; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:cut]) {
				cut = i
			}
			break
		}
	}
	return cut
}
