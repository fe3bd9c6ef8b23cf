package kernel

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
)

// historySession is this kernel's session number in history replies. The
// history lives in memory, so only the current session (0 or 1) has lines.
const historySession = 1

type historyEntry struct {
	line   int
	input  string
	output *string // text of the result, nil when the cell had none
}

// history is what cells ran, in order, for history_request.
type history struct {
	mu      sync.Mutex
	entries []historyEntry
}

func (h *history) add(line int, input string, output *string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, historyEntry{line, input, output})
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
		rows = append(rows, []any{historySession, e.line, cell})
	}
	k.reply(sock, m, "history_reply", map[string]any{"status": "ok", "history": rows})
}

// query picks entries the way IPython's history manager does: tail (the
// last n), range (lines start <= line < stop of a session) and search (a
// glob on the input, newest n, optionally without repeats).
func (h *history) query(r historyRequest) ([]historyEntry, error) {
	h.mu.Lock()
	all := append([]historyEntry(nil), h.entries...)
	h.mu.Unlock()
	switch r.Access {
	case "tail":
		return lastN(all, r.N), nil
	case "range":
		if r.Session != 0 && r.Session != historySession {
			return nil, nil // earlier sessions were not kept
		}
		var out []historyEntry
		for _, e := range all {
			if e.line >= r.Start && (r.Stop == nil || *r.Stop <= 0 || e.line < *r.Stop) {
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
