package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
)

// Output is where a cell's standard output and error go before they become
// IOPub stream messages.
type Output interface {
	// Start begins delivering text written to the streams to emit, whose
	// stream is "stdout" or "stderr".
	Start(emit func(stream, text string))
	// Stdout and Stderr are the writers handed to the evaluator.
	Stdout() io.Writer
	Stderr() io.Writer
	// Flush returns once everything written before the call was emitted.
	Flush()
	// Repair re-attaches the streams if a cell closed or replaced them.
	Repair()
}

// Config is what a kernel needs to start.
type Config struct {
	Connection *Connection
	// NewEvaluator builds the evaluator with the kernel's output writers and
	// display hook. It runs while the kernel already answers kernel_info, so
	// a slow start-up never delays the front end's readiness check.
	NewEvaluator func(IO) (Evaluator, error)
	Output       Output
	Log          *log.Logger
	Version      string // implementation version, shown in kernel_info
	// HistoryFile keeps the cells' history across sessions; empty keeps
	// this session's in memory only.
	HistoryFile string
	// Banner is shown by consoles when they connect; asked for on the first
	// kernel_info, so whatever it has to look up does not delay binding.
	Banner func() string
}

// Kernel is one running kernel.
type Kernel struct {
	cfg     Config
	log     *log.Logger
	signer  Signer
	session string
	sockets *sockets
	out     Output

	queue       chan *Message // shell requests, run one at a time in order
	abortQueued int           // queued executes to abort after a failed cell (worker only)

	ready   chan struct{} // closed when ev/evErr are set
	ev      Evaluator
	evErr   error
	count   int // execution counter
	history *history
	comms   comms

	busy       atomic.Bool                     // the shell worker is handling a request
	subscribed atomic.Bool                     // an IOPub subscriber has been seen
	statusMu   sync.Mutex                      // orders the worker's busy after announce's idle
	parent     atomic.Pointer[json.RawMessage] // header of the request whose output is flowing

	runMu     sync.Mutex
	cancelRun context.CancelFunc // stops the running cell; nil when none runs
	input     *inputState        // stdin round trips of the running cell

	bannerOnce sync.Once
	bannerText string

	stop     chan struct{} // closed by shutdown_request
	stopOnce sync.Once
	shutdown shutdownRequest // the request that closed stop
}

// New checks cfg and prepares a kernel; Run starts it.
func New(cfg Config) (*Kernel, error) {
	if cfg.Connection == nil || cfg.NewEvaluator == nil || cfg.Output == nil {
		return nil, fmt.Errorf("kernel: Connection, NewEvaluator and Output are required")
	}
	if cfg.Log == nil {
		cfg.Log = log.New(io.Discard, "", 0)
	}
	k := &Kernel{
		cfg:     cfg,
		log:     cfg.Log,
		signer:  NewSigner([]byte(cfg.Connection.Key)),
		session: uuid.NewString(),
		out:     cfg.Output,
		queue:   make(chan *Message, 4096),
		ready:   make(chan struct{}),
		stop:    make(chan struct{}),
	}
	k.history = &history{}
	if cfg.HistoryFile != "" {
		h, err := openHistory(cfg.HistoryFile)
		if err != nil {
			cfg.Log.Printf("%v; history is kept for this session only", err)
		} else {
			k.history = h
		}
	}
	empty := json.RawMessage("{}")
	k.parent.Store(&empty)
	k.input = newInputState()
	return k, nil
}

// Run binds the sockets and serves until a shutdown_request or ctx ends. It
// reports whether the front end asked for a restart (the front end starts
// the new process; this one only has to exit).
func (k *Kernel) Run(ctx context.Context) (restart bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	k.sockets, err = openSockets(ctx, k.cfg.Connection, k.log)
	if err != nil {
		cancel()
		return false, err
	}
	defer k.sockets.close()
	defer cancel() // first, so receivers see a cancelled context when the sockets close

	k.out.Start(k.emitStream)
	go k.startEvaluator()
	go k.heartbeat(ctx)
	go k.receive(ctx, k.sockets.shell, k.onShell)
	go k.receive(ctx, k.sockets.control, k.onControl)
	go k.receive(ctx, k.sockets.stdin, k.onStdin)
	go k.work()
	k.publish("status", nil, map[string]any{"execution_state": "starting"})
	go k.announce(ctx.Done())

	var r shutdownRequest
	select {
	case <-ctx.Done():
		return false, nil
	case <-k.stop:
		r = k.shutdown
	}
	return r.Restart, nil
}

func (k *Kernel) startEvaluator() {
	defer close(k.ready)
	k.ev, k.evErr = k.cfg.NewEvaluator(IO{
		Stdout:  k.out.Stdout(),
		Stderr:  k.out.Stderr(),
		Stdin:   k.Stdin(),
		Display: k.display,
	})
	if k.evErr != nil {
		k.log.Printf("evaluator failed to start: %v", k.evErr)
	}
}

// evaluator waits for start-up and returns the evaluator, or why it failed.
func (k *Kernel) evaluator() (Evaluator, error) {
	<-k.ready
	return k.ev, k.evErr
}

// emitStream turns captured output into a stream message for the request
// that is running (or ran last).
func (k *Kernel) emitStream(stream, text string) {
	k.publish("stream", *k.parent.Load(), map[string]any{"name": stream, "text": text})
}

// display publishes a rich output of the running cell, after the text it
// printed before, so the notebook shows both in the order they happened.
func (k *Kernel) display(d Display) {
	flushC()
	k.out.Flush()
	if d.Clear {
		k.publish("clear_output", *k.parent.Load(), map[string]any{"wait": d.Wait})
		return
	}
	data := d.Data
	if data == nil {
		data = map[string]any{}
	}
	meta := d.Metadata
	if meta == nil {
		meta = map[string]any{}
	}
	content := map[string]any{"data": data, "metadata": meta, "transient": map[string]any{}}
	if d.ID != "" {
		content["transient"] = map[string]any{"display_id": d.ID}
	}
	kind := "display_data"
	if d.Update {
		kind = "update_display_data"
	}
	k.publish(kind, *k.parent.Load(), content)
}
