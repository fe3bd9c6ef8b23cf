package kernel_test

import (
	"bytes"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/kernel"
	"github.com/mlx-go/mlx-go/kernel/kerneltest"
)

// process is one mlxkernel process started the way Jupyter starts it, with
// a Go client connected to it.
type process struct {
	cmd    *exec.Cmd
	conn   *kernel.Connection
	file   string
	log    *lockedBuffer // the kernel's own stderr (its log)
	client *kerneltest.Client
	exited chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startKernel starts a kernel on a fresh connection file and waits until it
// answers.
func startKernel(t *testing.T) *process {
	t.Helper()
	conn, file := kerneltest.NewConnection(t, t.TempDir())
	return startKernelWith(t, conn, file)
}

// startKernelWith starts a kernel on a given connection file, with extra
// environment variables.
func startKernelWith(t *testing.T, conn *kernel.Connection, file string, env ...string) *process {
	t.Helper()
	p := &process{conn: conn, file: file, log: &lockedBuffer{}, exited: make(chan error, 1)}
	p.cmd = exec.Command(binary, "-f", file)
	p.cmd.Env = append(append([]string(nil), jupyterEnv...), env...)
	p.cmd.Stderr = p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.client != nil {
			p.client.Close()
		}
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("kernel log:\n%s", p.log.String())
		}
	})
	var err error
	p.client, err = kerneltest.Dial(conn)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.client.WaitReady(20 * time.Second); err != nil {
		t.Fatalf("%v\nkernel log:\n%s", err, p.log.String())
	}
	return p
}

// execute runs code and fails the test unless the reply has status want.
func (p *process) execute(t *testing.T, code, want string) *kerneltest.Execution {
	t.Helper()
	ex, err := p.client.Execute(code, 60*time.Second)
	if err != nil {
		t.Fatalf("execute %q: %v", code, err)
	}
	if got := kerneltest.Content(ex.Reply)["status"]; got != want {
		t.Fatalf("execute %q: status %v, want %s; reply %v", code, got, want, kerneltest.Content(ex.Reply))
	}
	return ex
}

// result is the text/plain of an execution's execute_result, "" if none.
func result(ex *kerneltest.Execution) string {
	for _, m := range ex.IOPub {
		if m.Header.MsgType == "execute_result" {
			data, _ := kerneltest.Content(m)["data"].(map[string]any)
			s, _ := data["text/plain"].(string)
			return s
		}
	}
	return ""
}
