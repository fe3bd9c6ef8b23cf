package kernel

import (
	"time"

	"github.com/go-zeromq/zmq4"
)

// A PUB socket drops what it sends before a subscription arrives, so the
// kernel watches for its first IOPub subscriber before saying anything
// that front ends must see.

// waitForSubscriber polls IOPub's subscriptions until one exists, max
// passes or stop closes, and reports whether one came.
func (k *Kernel) waitForSubscriber(max time.Duration, stop <-chan struct{}) bool {
	topics, ok := k.sockets.iopub.Socket.(zmq4.Topics)
	if !ok {
		return true
	}
	deadline := time.NewTimer(max)
	defer deadline.Stop()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for len(topics.Topics()) == 0 {
		select {
		case <-stop:
			return false
		case <-deadline.C:
			return false
		case <-tick.C:
		}
	}
	return true
}

// awaitFirstSubscriber holds a kernel_info answer until the first IOPub
// subscriber arrives (at most 200ms, once per kernel). Front ends learn the
// kernel is ready from its reply *and* a status message; a lost status
// costs the front end another full readiness round.
func (k *Kernel) awaitFirstSubscriber() {
	if !k.subscribed.Load() {
		k.waitForSubscriber(200*time.Millisecond, nil)
		k.subscribed.Store(true)
	}
}

// announce tells the first subscriber the kernel's state: "starting" (the
// one sent at launch reached nobody), then "idle" once the evaluator is up.
// A server that watches IOPub (jupyter_server's activity monitor) thus
// sees the kernel idle without having to ask.
func (k *Kernel) announce(stop <-chan struct{}) {
	if !k.waitForSubscriber(time.Minute, stop) {
		return
	}
	k.subscribed.Store(true)
	k.publish("status", nil, map[string]any{"execution_state": "starting"})
	select {
	case <-stop:
		return
	case <-k.ready:
	}
	k.statusMu.Lock()
	defer k.statusMu.Unlock()
	if !k.busy.Load() {
		k.publish("status", nil, map[string]any{"execution_state": "idle"})
	}
}
