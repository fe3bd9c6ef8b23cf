package kernel

import (
	"encoding/json"
	"unicode/utf8"
)

// Jupyter counts cursor positions in Unicode code points (protocol 5.2+);
// the engine counts bytes. These convert between the two.

func byteOffset(s string, runes int) int {
	i := 0
	for n := 0; n < runes && i < len(s); n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

func runeOffset(s string, bytes int) int {
	bytes = max(0, min(bytes, len(s)))
	return utf8.RuneCountInString(s[:bytes])
}

type cursorRequest struct {
	Code      string `json:"code"`
	CursorPos *int   `json:"cursor_pos"`
}

// cursor is the request's cursor as a byte offset; absent means the end.
func (r cursorRequest) cursor() int {
	if r.CursorPos == nil {
		return len(r.Code)
	}
	return byteOffset(r.Code, *r.CursorPos)
}

func (k *Kernel) complete(sock *socket, m *Message) {
	var r cursorRequest
	ev, err := k.decodeForEditor(m, &r)
	if err != nil {
		k.reply(sock, m, "complete_reply", errorContent("BadRequest", err.Error(), nil))
		return
	}
	items, start, end := ev.Complete(r.Code, r.cursor())
	if items == nil {
		items = []string{}
	}
	k.reply(sock, m, "complete_reply", map[string]any{
		"status": "ok", "matches": items, "metadata": map[string]any{},
		"cursor_start": runeOffset(r.Code, start), "cursor_end": runeOffset(r.Code, end),
	})
}

func (k *Kernel) inspect(sock *socket, m *Message) {
	var r cursorRequest
	ev, err := k.decodeForEditor(m, &r)
	if err != nil {
		k.reply(sock, m, "inspect_reply", errorContent("BadRequest", err.Error(), nil))
		return
	}
	text, found := ev.Inspect(r.Code, r.cursor())
	data := map[string]any{}
	if found {
		data["text/plain"] = text
	}
	k.reply(sock, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": map[string]any{}})
}

func (k *Kernel) isComplete(sock *socket, m *Message) {
	var r cursorRequest
	ev, err := k.decodeForEditor(m, &r)
	if err != nil {
		k.reply(sock, m, "is_complete_reply", map[string]any{"status": "unknown"})
		return
	}
	if _, ok := pagerTopic(r.Code); ok { // "name?" is ours, not Go: it runs as is
		k.reply(sock, m, "is_complete_reply", map[string]any{"status": "complete"})
		return
	}
	status, indent := ev.IsComplete(r.Code)
	content := map[string]any{"status": status}
	if status == "incomplete" {
		content["indent"] = indent
	}
	k.reply(sock, m, "is_complete_reply", content)
}

// decodeForEditor reads an editor request and waits for the evaluator.
func (k *Kernel) decodeForEditor(m *Message, into any) (Evaluator, error) {
	if err := json.Unmarshal(m.Content, into); err != nil {
		return nil, err
	}
	return k.evaluator()
}
