package kernel

import (
	"encoding/json"
	"sync"
)

// comms tracks the comms front ends opened. mlxkernel registers no comm
// targets yet, so an open is refused the protocol's way: with a comm_close
// the front end sees (as ipykernel does for an unknown target).
type comms struct {
	mu   sync.Mutex
	open map[string]string // comm id -> target name
}

type commMessage struct {
	CommID     string         `json:"comm_id"`
	TargetName string         `json:"target_name"`
	Data       map[string]any `json:"data"`
}

// targets are the comm targets this kernel serves: none for now.
var targets = map[string]bool{}

func (k *Kernel) commOpen(m *Message) {
	var c commMessage
	if err := json.Unmarshal(m.Content, &c); err != nil || c.CommID == "" {
		k.log.Printf("comm_open without a comm_id: %s", m.Content)
		return
	}
	if !targets[c.TargetName] {
		k.log.Printf("comm_open: no comm target %q; closing comm %s", c.TargetName, c.CommID)
		k.publish("comm_close", m.rawHeader(), map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
		return
	}
	k.comms.mu.Lock()
	if k.comms.open == nil {
		k.comms.open = map[string]string{}
	}
	k.comms.open[c.CommID] = c.TargetName
	k.comms.mu.Unlock()
}

func (k *Kernel) commMsg(m *Message) {
	var c commMessage
	_ = json.Unmarshal(m.Content, &c)
	k.comms.mu.Lock()
	_, ok := k.comms.open[c.CommID]
	k.comms.mu.Unlock()
	if !ok {
		k.log.Printf("comm_msg for unknown comm %q ignored", c.CommID)
	}
}

func (k *Kernel) commClose(m *Message) {
	var c commMessage
	_ = json.Unmarshal(m.Content, &c)
	k.comms.mu.Lock()
	delete(k.comms.open, c.CommID)
	k.comms.mu.Unlock()
}

func (k *Kernel) commInfo(sock *socket, m *Message) {
	var r struct {
		TargetName string `json:"target_name"`
	}
	_ = json.Unmarshal(m.Content, &r)
	list := map[string]any{}
	k.comms.mu.Lock()
	for id, target := range k.comms.open {
		if r.TargetName == "" || r.TargetName == target {
			list[id] = map[string]any{"target_name": target}
		}
	}
	k.comms.mu.Unlock()
	k.reply(sock, m, "comm_info_reply", map[string]any{"status": "ok", "comms": list})
}
