package kernel

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
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
		file *os.File
	}{{"stdout", 1, os.Stdout}, {"stderr", 2, os.Stderr}} {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("capture: %w", err)
		}
		if err := unix.Dup2(int(w.Fd()), s.fd); err != nil {
			return nil, fmt.Errorf("capture: redirect %s: %w", s.name, err)
		}
		w.Close()
		c.streams[i] = &capturedStream{
			name:    s.name,
			r:       r,
			w:       s.file,
			marker:  []byte("\x00mlxkernel-flush-" + hex.EncodeToString(nonce) + "\x00"),
			flushed: make(chan struct{}, 1),
		}
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

// Flush implements Output.
func (c *Capture) Flush() {
	for _, s := range c.streams {
		s.flush()
	}
}

// capturedStream is one redirected descriptor. A flush writes a marker
// through the pipe behind whatever is in it and waits for the reader to
// reach it: then every earlier byte was emitted.
type capturedStream struct {
	name    string
	r       *os.File
	w       *os.File
	marker  []byte
	flushMu sync.Mutex
	flushed chan struct{}
}

func (s *capturedStream) flush() {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	if _, err := s.w.Write(s.marker); err != nil {
		return
	}
	select {
	case <-s.flushed:
	case <-time.After(5 * time.Second): // a wedged reader must not hang the kernel
	}
}

func (s *capturedStream) pump(emit func(stream, text string)) {
	buf := make([]byte, 64<<10)
	var pending []byte
	for {
		n, err := s.r.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, s.marker)
			if i < 0 {
				break
			}
			if i > 0 {
				emit(s.name, string(pending[:i]))
			}
			pending = pending[i+len(s.marker):]
			select {
			case s.flushed <- struct{}{}:
			default:
			}
		}
		cut := completeText(pending, s.marker)
		if cut > 0 {
			emit(s.name, string(pending[:cut]))
			pending = append(pending[:0], pending[cut:]...)
		}
		if err != nil {
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
