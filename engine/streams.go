package engine

import (
	"bytes"
	"io"
	"regexp"
	"sync"
)

// yaegiPanicLine is what yaegi prints to stderr for each frame a panic
// unwinds through ("input:3:5: panic: main.f(...)"). The engine turns those
// lines into the error's position and trace instead of showing them.
var yaegiPanicLine = regexp.MustCompile(`^(?:\S*?:)?\d+:\d+: panic: .*\(\.\.\.\)$`)

// maxTraceLines bounds the panic lines kept (a deep recursion prints one
// per frame).
const maxTraceLines = 1000

// panicFilter is the cell's stderr: it passes the cell's own output through
// and keeps yaegi's panic trace lines aside.
type panicFilter struct {
	mu    sync.Mutex
	w     io.Writer
	trace []string
}

func (p *panicFilter) begin() {
	p.mu.Lock()
	p.trace = nil
	p.mu.Unlock()
}

// takeTrace returns the panic lines seen since begin, innermost frame first.
func (p *panicFilter) takeTrace() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.trace
	p.trace = nil
	return t
}

// Write relies on yaegi printing each panic line with one Fprintln, so a
// panic line is always one whole write.
func (p *panicFilter) Write(b []byte) (int, error) {
	line := bytes.TrimSuffix(b, []byte("\n"))
	if len(line) < len(b) && bytes.IndexByte(line, '\n') < 0 && yaegiPanicLine.Match(line) {
		p.mu.Lock()
		if len(p.trace) < maxTraceLines {
			p.trace = append(p.trace, string(line))
		}
		p.mu.Unlock()
		return len(b), nil
	}
	return p.w.Write(b)
}
