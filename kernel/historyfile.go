package kernel

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// historyFile keeps history across kernel sessions, as IPython's history
// database does: one JSON object a line, appended under an exclusive lock so
// that kernels running side by side neither interleave lines nor take the
// same session number.
type historyFile struct {
	path string
	f    *os.File // open for reading and appending
}

// historyRecord is one line of the file: a session's start (Line 0) or a cell.
type historyRecord struct {
	Session int     `json:"session"`
	Line    int     `json:"line,omitempty"`
	Input   string  `json:"input,omitempty"`
	Output  *string `json:"output,omitempty"`
	Start   string  `json:"start,omitempty"`
}

// openHistory opens (creating it) the history file at path and claims the
// next session number.
func openHistory(path string) (*history, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	hf := &historyFile{path: path, f: f}
	var session int
	err = hf.locked(func(f *os.File) error {
		records, err := readRecords(f)
		if err != nil {
			return err
		}
		for _, r := range records {
			session = max(session, r.Session)
		}
		session++
		return writeRecord(f, historyRecord{Session: session, Start: time.Now().UTC().Format(time.RFC3339)})
	})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("history file %s: %w", path, err)
	}
	return &history{session: session, file: hf}, nil
}

// locked runs fn on the file under an exclusive lock, which other kernels
// sharing the file wait for.
func (hf *historyFile) locked(fn func(*os.File) error) error {
	fd := int(hf.f.Fd())
	if err := unix.Flock(fd, unix.LOCK_EX); err != nil {
		return err
	}
	defer unix.Flock(fd, unix.LOCK_UN)
	return fn(hf.f)
}

func (hf *historyFile) append(e historyEntry) {
	// A history that cannot be written must not fail the cell; the entry
	// stays in memory.
	_ = hf.locked(func(f *os.File) error {
		return writeRecord(f, historyRecord{Session: e.session, Line: e.line, Input: e.input, Output: e.output})
	})
}

func (hf *historyFile) read() ([]historyEntry, error) {
	var entries []historyEntry
	err := hf.locked(func(f *os.File) error {
		records, err := readRecords(f)
		for _, r := range records {
			if r.Line > 0 {
				entries = append(entries, historyEntry{r.Session, r.Line, r.Input, r.Output})
			}
		}
		return err
	})
	return entries, err
}

// readRecords reads every record, skipping lines it cannot parse (a line
// cut short by a crash must not lose the rest).
func readRecords(f *os.File) ([]historyRecord, error) {
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	var out []historyRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		var r historyRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Session > 0 {
			out = append(out, r)
		}
	}
	return out, sc.Err()
}

func writeRecord(f *os.File, r historyRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	return err
}
