package kernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEndpoints(t *testing.T) {
	for _, tc := range []struct {
		c    Connection
		want string
	}{
		{Connection{Transport: "tcp", IP: "127.0.0.1"}, "tcp://127.0.0.1:5555"},
		{Connection{Transport: "tcp", IP: "::1"}, "tcp://[::1]:5555"},
		{Connection{Transport: "ipc", IP: "/tmp/kernel-1"}, "ipc:///tmp/kernel-1-5555"},
	} {
		if got := tc.c.Endpoint(5555); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.c, got, tc.want)
		}
	}
}

func TestReadConnectionRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := `"shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5`
	for _, tc := range []struct {
		json, want string
	}{
		{`{not json`, "invalid character"},
		{`{"ip":"127.0.0.1","transport":"udp",` + good + `}`, "not tcp or ipc"},
		{`{"transport":"tcp",` + good + `}`, "no ip"},
		{`{"ip":"127.0.0.1","key":"k","signature_scheme":"hmac-md5",` + good + `}`, "only hmac-sha256"},
		{`{"ip":"127.0.0.1","shell_port":0,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5}`, "shell_port 0 is not a port"},
	} {
		path := filepath.Join(dir, "c.json")
		os.WriteFile(path, []byte(tc.json), 0o600)
		if _, err := ReadConnection(path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.json, err, tc.want)
		}
	}
	path := filepath.Join(dir, "ok.json")
	os.WriteFile(path, []byte(`{"ip":"127.0.0.1",`+good+`}`), 0o600)
	c, err := ReadConnection(path)
	if err != nil || c.Transport != "tcp" || c.SignatureScheme != "hmac-sha256" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
}
