package kernel_test

import (
	"strings"
	"testing"
)

// TestJupyterKernelTestSuite runs Jupyter's own kernel conformance suite
// (jupyter_kernel_test) against the installed kernel, with every sample
// attribute filled; the script fails on any failure and on any skip.
func TestJupyterKernelTestSuite(t *testing.T) {
	out := runPython(t, "conformance.py")
	if !strings.Contains(out, "OK") {
		t.Fatal("suite did not report OK")
	}
}
