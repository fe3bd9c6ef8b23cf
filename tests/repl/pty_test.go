// Package repl drives the real mlxrepl binary in a pseudo-terminal, the way
// a user does: typing, keys, pastes, Ctrl-C, Ctrl-D.
package repl

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// binary is the mlxrepl built once for all tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mlxrepl-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "mlxrepl")
	// MLXREPL_BIN tests a binary built elsewhere (a machine without a C++
	// toolchain, or an installed release) instead of building one.
	if prebuilt := os.Getenv("MLXREPL_BIN"); prebuilt != "" {
		binary = prebuilt
	} else {
		build := exec.Command("go", "build", "-o", binary, "github.com/mlx-go/mlx-go/cmd/mlxrepl")
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building mlxrepl:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// term is one mlxrepl process on a pty.
type term struct {
	t       *testing.T
	cmd     *exec.Cmd
	pty     *os.File
	mu      sync.Mutex
	out     bytes.Buffer // everything the program wrote
	mark    int          // expect searches from here
	done    chan struct{}
	waitErr error
}

// ansi matches terminal escape sequences, which readline writes while it
// redraws the line.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][AB0-2]|\r`)

// start runs mlxrepl with HOME set to home (so history is the test's own).
func start(t *testing.T, home string, args ...string) *term {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "HOME="+home, "TERM=xterm")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 200})
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, cmd: cmd, pty: f, done: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			tm.mu.Lock()
			tm.out.Write(buf[:n])
			tm.mu.Unlock()
			if err != nil {
				break
			}
		}
	}()
	go func() {
		tm.waitErr = cmd.Wait()
		close(tm.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-tm.done
		f.Close()
	})
	return tm
}

func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.pty, s); err != nil {
		tm.t.Fatal(err)
	}
}

// line types s and Enter.
func (tm *term) line(s string) { tm.t.Helper(); tm.send(s + "\r") }

// plain is the output since mark without escape sequences.
func (tm *term) raw() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()[tm.mark:]
}

// expect waits until the output since the last match matches re (escape
// sequences removed) and returns the match.
func (tm *term) expect(re string, timeout time.Duration) string {
	tm.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(timeout)
	for {
		tm.mu.Lock()
		all := tm.out.String()
		tm.mu.Unlock()
		rest := all[tm.mark:]
		plain := ansi.ReplaceAllString(rest, "")
		if loc := rx.FindStringIndex(plain); loc != nil {
			// Advance mark past the match in the raw output: find where the
			// plain prefix ends.
			tm.mark += rawOffset(rest, loc[1])
			return plain[loc[0]:loc[1]]
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("no %q within %v; output:\n%s", re, timeout, plain)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rawOffset maps an offset in the escape-free text back to raw.
func rawOffset(raw string, plainOff int) int {
	p := 0
	i := 0
	for i < len(raw) && p < plainOff {
		if loc := ansi.FindStringIndex(raw[i:]); loc != nil && loc[0] == 0 {
			i += loc[1]
			continue
		}
		i++
		p++
	}
	return i
}

// prompt waits for a fresh primary prompt: "mlx> " starting a line and
// ending the output (readline also writes "mlx> ..." while it redraws a
// line being typed).
func (tm *term) prompt() { tm.t.Helper(); tm.expect(`(?:^|\n)mlx> [ \x08]*$`, 20*time.Second) }

// exited waits for the process to end and returns its exit code.
func (tm *term) exited(timeout time.Duration) int {
	tm.t.Helper()
	select {
	case <-tm.done:
	case <-time.After(timeout):
		tm.t.Fatalf("mlxrepl did not exit; output:\n%s", ansi.ReplaceAllString(tm.raw(), ""))
	}
	return tm.cmd.ProcessState.ExitCode()
}

const wait = 20 * time.Second

// TestStartupPromptTime measures launch-to-prompt on a real pty.
func TestStartupPromptTime(t *testing.T) {
	home := t.TempDir()
	var times []time.Duration
	for i := 0; i < 5; i++ {
		begin := time.Now()
		tm := start(t, home)
		tm.expect(`mlx> `, wait)
		times = append(times, time.Since(begin))
		tm.send("\x04")
		tm.exited(wait)
	}
	best := times[0]
	for _, d := range times {
		best = min(best, d)
	}
	// Reported, not asserted (goal: <= 150 ms): timings depend on the
	// machine's load. The test checks that the prompt appears at all.
	t.Logf("launch to prompt: %v (best %v, goal <= 150ms)", times, best)
}
