package kernel

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
)

type historyEntry struct {
	session int
	line    int
	input   string
	output  *string // text of the result, nil when the cell had none
}

// history is what cells ran, for history_request: this session's cells in
// memory, and with a file (see historyFile) those of earlier sessions too.
type history struct {
	mu      sync.Mutex
	session int // this kernel's session number
	entries []historyEntry
	file    *historyFile // nil: this session only
}

func (h *history) add(line int, input string, output *string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := historyEntry{h.currentSession(), line, input, output}
	h.entries = append(h.entries, e)
	if h.file != nil {
		h.file.append(e)
	}
}

func (h *history) currentSession() int {
	if h.session == 0 {
		return 1
	}
	return h.session
}

// all is every entry known, oldest first.
func (h *history) all() []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.file != nil {
		if entries, err := h.file.read(); err == nil {
			return entries
		}
	}
	return append([]historyEntry(nil), h.entries...)
}

type historyRequest struct {
	Output  bool   `json:"output"`
	Raw     bool   `json:"raw"`
	Access  string `json:"hist_access_type"`
	Session int    `json:"session"`
	Start   int    `json:"start"`
	Stop    *int   `json:"stop"`
	N       *int   `json:"n"`
	Pattern string `json:"pattern"`
	Unique  bool   `json:"unique"`
}

func (k *Kernel) historyRequest(sock *socket, m *Message) {
	var r historyRequest
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.reply(sock, m, "history_reply", errorContent("BadRequest", "history_request content: "+err.Error(), nil))
		return
	}
	picked, err := k.history.query(r)
	if err != nil {
		k.reply(sock, m, "history_reply", errorContent("BadRequest", err.Error(), nil))
		return
	}
	rows := make([]any, 0, len(picked))
	for _, e := range picked {
		var cell any = e.input
		if r.Output {
			var out any // JSON null when the cell had no result
			if e.output != nil {
				out = *e.output
			}
			cell = []any{e.input, out}
		}
		rows = append(rows, []any{e.session, e.line, cell})
	}
	k.reply(sock, m, "history_reply", map[string]any{"status": "ok", "history": rows})
}

// query picks entries the way IPython's history manager does: tail (the
// last n), range (lines start <= line < stop of a session: 0 is this one,
// negative counts back from it) and search (a glob on the input, newest n,
// optionally without repeats).
func (h *history) query(r historyRequest) ([]historyEntry, error) {
	all := h.all()
	switch r.Access {
	case "tail":
		return lastN(all, r.N), nil
	case "range":
		session := r.Session
		if session <= 0 {
			session += h.currentSession()
		}
		var out []historyEntry
		for _, e := range all {
			if e.session == session && e.line >= r.Start && (r.Stop == nil || *r.Stop <= 0 || e.line < *r.Stop) {
				out = append(out, e)
			}
		}
		return out, nil
	case "search":
		re, err := globRegexp(r.Pattern)
		if err != nil {
			return nil, err
		}
		var out []historyEntry
		seen := map[string]bool{}
		for i := len(all) - 1; i >= 0; i-- { // newest first, so unique keeps the latest
			e := all[i]
			if !re.MatchString(e.input) || (r.Unique && seen[e.input]) {
				continue
			}
			seen[e.input] = true
			out = append(out, e)
		}
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return lastN(out, r.N), nil
	}
	return nil, &requestError{"hist_access_type must be tail, range or search, not " + quote(r.Access)}
}

func lastN(entries []historyEntry, n *int) []historyEntry {
	if n == nil || *n <= 0 || *n >= len(entries) {
		return entries
	}
	return entries[len(entries)-*n:]
}

// globRegexp compiles a history search pattern: '*' is any run of
// characters, '?' any one, as in IPython (SQLite GLOB).
func globRegexp(glob string) (*regexp.Regexp, error) {
	if glob == "" {
		glob = "*"
	}
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

type requestError struct{ msg string }

func (e *requestError) Error() string { return e.msg }

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }
