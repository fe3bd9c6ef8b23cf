package kernel

import (
	"encoding/json"
	"time"

	"github.com/mlx-go/mlx-go/interrupt"
)

// onShell routes a shell request. kernel_info and comm_info never touch the
// evaluator, so they are answered at once even while a cell runs; every
// other request waits its turn, in order, on the worker.
func (k *Kernel) onShell(m *Message) {
	switch m.Header.MsgType {
	case "kernel_info_request":
		k.awaitFirstSubscriber()
		k.withStatus(m, func() { k.reply(k.sockets.shell, m, "kernel_info_reply", k.info()) })
	case "comm_info_request":
		k.withStatus(m, func() { k.commInfo(k.sockets.shell, m) })
	case "shutdown_request": // old clients send it on shell
		k.onShutdown(k.sockets.shell, m)
	default:
		k.queue <- m
	}
}

// onControl answers control requests at once, never behind a running cell.
func (k *Kernel) onControl(m *Message) {
	switch m.Header.MsgType {
	case "kernel_info_request":
		k.withStatus(m, func() { k.reply(k.sockets.control, m, "kernel_info_reply", k.info()) })
	case "interrupt_request":
		k.interruptCell()
		k.withStatus(m, func() { k.reply(k.sockets.control, m, "interrupt_reply", map[string]any{"status": "ok"}) })
	case "shutdown_request":
		k.onShutdown(k.sockets.control, m)
	default:
		k.log.Printf("control: %s is not supported", m.Header.MsgType)
		k.reply(k.sockets.control, m, replyType(m.Header.MsgType), errorContent("NotSupported", m.Header.MsgType+" is not supported by mlxkernel", nil))
	}
}

// withStatus brackets an immediate answer with busy/idle, which is how front
// ends (and jupyter_client's readiness check) see the kernel alive — unless
// a cell is running: then the kernel already said busy, and an idle now
// would wrongly tell the notebook the cell had finished.
func (k *Kernel) withStatus(m *Message, answer func()) {
	if k.busy.Load() {
		answer()
		return
	}
	k.publish("status", m.rawHeader(), map[string]any{"execution_state": "busy"})
	answer()
	k.publish("status", m.rawHeader(), map[string]any{"execution_state": "idle"})
}

// work handles queued shell requests one at a time.
func (k *Kernel) work() {
	for m := range k.queue {
		k.statusMu.Lock()
		k.busy.Store(true)
		k.publish("status", m.rawHeader(), map[string]any{"execution_state": "busy"})
		k.statusMu.Unlock()
		queuedBehindError := k.abortQueued > 0
		if queuedBehindError {
			k.abortQueued--
		}
		if queuedBehindError && m.Header.MsgType == "execute_request" {
			k.abort(m)
		} else {
			k.handleShell(m)
		}
		k.publish("status", m.rawHeader(), map[string]any{"execution_state": "idle"})
		k.busy.Store(len(k.queue) > 0)
	}
}

func (k *Kernel) handleShell(m *Message) {
	sock := k.sockets.shell
	switch m.Header.MsgType {
	case "execute_request":
		k.execute(m)
	case "complete_request":
		k.complete(sock, m)
	case "inspect_request":
		k.inspect(sock, m)
	case "is_complete_request":
		k.isComplete(sock, m)
	case "history_request":
		k.historyRequest(sock, m)
	case "comm_open":
		k.commOpen(m)
	case "comm_msg":
		k.commMsg(m)
	case "comm_close":
		k.commClose(m)
	case "connect_request":
		c := k.cfg.Connection
		k.reply(sock, m, "connect_reply", map[string]any{"status": "ok", "shell_port": c.ShellPort,
			"iopub_port": c.IOPubPort, "stdin_port": c.StdinPort, "hb_port": c.HBPort, "control_port": c.ControlPort})
	default:
		k.log.Printf("shell: %s is not supported", m.Header.MsgType)
		k.reply(sock, m, replyType(m.Header.MsgType), errorContent("NotSupported", m.Header.MsgType+" is not supported by mlxkernel", nil))
	}
}

// replyType is the reply name of a request type.
func replyType(request string) string {
	if n := len(request) - len("_request"); n > 0 && request[n:] == "_request" {
		return request[:n] + "_reply"
	}
	return request + "_reply"
}

// Interrupt stops the running cell, as an interrupt_request does.
func (k *Kernel) Interrupt() { k.interruptCell() }

// interruptCell stops the running cell, if any. With none running it does
// nothing, so a late interrupt cannot kill the next cell.
func (k *Kernel) interruptCell() {
	k.runMu.Lock()
	defer k.runMu.Unlock()
	if k.cancelRun == nil {
		return
	}
	k.cancelRun()
	interrupt.Request()
	if k.ev != nil {
		k.ev.Interrupt()
	}
	k.input.cancel()
}

type shutdownRequest struct {
	Restart bool `json:"restart"`
}

// onShutdown answers, stops a running cell and ends Run. The front end
// restarts by starting a fresh process, so restart only changes the reply.
func (k *Kernel) onShutdown(sock *socket, m *Message) {
	var r shutdownRequest
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.log.Printf("shutdown_request: %v", err)
	}
	content := map[string]any{"status": "ok", "restart": r.Restart}
	k.reply(sock, m, "shutdown_reply", content)
	k.publish("shutdown_reply", m.rawHeader(), content)
	k.interruptCell()
	k.stopOnce.Do(func() {
		k.shutdown = r
		// IOPub sends are queued; give the last ones a moment to leave.
		time.AfterFunc(20*time.Millisecond, func() { close(k.stop) })
	})
}
