package kernel_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/kernel/kerneltest"
)

// history asks for history and returns its rows.
func (p *process) history(t *testing.T, req map[string]any) [][]any {
	t.Helper()
	req["output"], req["raw"] = true, true
	id, _ := p.client.Send(kerneltest.Shell, "history_request", req)
	r, err := p.client.Reply(kerneltest.Shell, id, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	for _, row := range kerneltest.Content(r)["history"].([]any) {
		rows = append(rows, row.([]any))
	}
	return rows
}

// History outlives the kernel: a restarted kernel is a new session that
// still finds the cells (and results) of the one before.
func TestHistoryPersistsAcrossSessions(t *testing.T) {
	env := "MLXKERNEL_HISTORY=" + filepath.Join(t.TempDir(), "history.jsonl")
	conn, file := kerneltest.NewConnection(t, t.TempDir())
	first := startKernelWith(t, conn, file, env)
	first.execute(t, "a := 40", "ok")
	first.execute(t, "a + 2", "ok")
	rows := first.history(t, map[string]any{"hist_access_type": "tail", "n": 2})
	if len(rows) != 2 {
		t.Fatalf("tail: %v", rows)
	}
	session := rows[0][0].(float64)
	id, _ := first.client.Send(kerneltest.Control, "shutdown_request", map[string]any{"restart": true})
	if _, err := first.client.Reply(kerneltest.Control, id, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	first.exited <- nil

	second := startKernelWith(t, conn, file, env)
	second.execute(t, "b := 1", "ok")
	rows = second.history(t, map[string]any{"hist_access_type": "tail", "n": 3})
	want := fmt.Sprint([][]any{
		{session, 1.0, []any{"a := 40", nil}},
		{session, 2.0, []any{"a + 2", "42"}},
		{session + 1, 1.0, []any{"b := 1", nil}},
	})
	if fmt.Sprint(rows) != want {
		t.Fatalf("tail across sessions:\n got %v\nwant %v", rows, want)
	}
	rows = second.history(t, map[string]any{"hist_access_type": "range", "session": -1, "start": 1, "stop": 0})
	if len(rows) != 2 || rows[0][0].(float64) != session {
		t.Fatalf("range of the previous session: %v", rows)
	}
	rows = second.history(t, map[string]any{"hist_access_type": "search", "pattern": "a*", "unique": true})
	if len(rows) != 2 {
		t.Fatalf("search across sessions: %v", rows)
	}
}
