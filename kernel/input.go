package kernel

import (
	"encoding/json"
	"errors"
	"io"
	"sync"
)

// inputState carries the stdin round trips of the running cell: a read from
// the cell's standard input becomes an input_request to the front end that
// sent the cell, and the read returns the line it answers with.
type inputState struct {
	mu      sync.Mutex
	req     *Message      // the running execute_request; nil between cells
	allowed bool          // the front end said allow_stdin
	done    chan struct{} // closed when the cell ends or is interrupted
	replies chan string
	pending []byte // rest of the last answered line
}

func newInputState() *inputState {
	return &inputState{replies: make(chan string, 1)}
}

func (s *inputState) begin(req *Message, allowed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.req, s.allowed, s.done, s.pending = req, allowed, make(chan struct{}), nil
	select { // an answer to an earlier cell's prompt must not leak into this one
	case <-s.replies:
	default:
	}
}

func (s *inputState) end() { s.cancel(); s.mu.Lock(); s.req = nil; s.mu.Unlock() }

// cancel ends a wait for input (interrupt or end of cell).
func (s *inputState) cancel() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done != nil {
		select {
		case <-s.done:
		default:
			close(s.done)
		}
	}
}

// ErrNoStdin is what reading standard input returns when the front end
// cannot answer input requests (allow_stdin false) or no cell runs.
var ErrNoStdin = errors.New("standard input is not available: this front end does not answer input requests")

// errInputInterrupted is what a read waiting for the user returns when the
// cell is interrupted.
var errInputInterrupted = errors.New("input interrupted")

// stdinReader is the cell's standard input.
type stdinReader struct{ k *Kernel }

// Stdin is the reader to give the evaluator as the cells' standard input.
func (k *Kernel) Stdin() io.Reader { return &stdinReader{k} }

func (r *stdinReader) Read(p []byte) (int, error) {
	s := r.k.input
	s.mu.Lock()
	if len(s.pending) > 0 {
		n := copy(p, s.pending)
		s.pending = s.pending[n:]
		s.mu.Unlock()
		return n, nil
	}
	req, allowed, done := s.req, s.allowed, s.done
	s.mu.Unlock()
	if req == nil || !allowed {
		return 0, ErrNoStdin
	}
	// The prompt the cell printed must be on screen before the input box.
	flushC()
	r.k.out.Flush()
	r.k.send(r.k.sockets.stdin, req.Identities, "input_request", req.rawHeader(),
		map[string]any{"prompt": "", "password": false})
	select {
	case line := <-s.replies:
		s.mu.Lock()
		s.pending = []byte(line + "\n")
		n := copy(p, s.pending)
		s.pending = s.pending[n:]
		s.mu.Unlock()
		return n, nil
	case <-done:
		return 0, errInputInterrupted
	}
}

func (k *Kernel) onStdin(m *Message) {
	if m.Header.MsgType != "input_reply" {
		k.log.Printf("stdin: unexpected %s", m.Header.MsgType)
		return
	}
	var r struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.log.Printf("input_reply: %v", err)
		return
	}
	select {
	case k.input.replies <- r.Value:
	default:
		k.log.Printf("input_reply with no input request waiting: dropped")
	}
}
