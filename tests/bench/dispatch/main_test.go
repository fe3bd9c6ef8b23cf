package main

import (
	"testing"

	"github.com/mlx-go/mlx-go/tensor"
)

// The comparison is only fair if both sides build the same graph: run both
// briefly and compare the graphs' values (no timing is asserted).
func TestGoAndPythonBuildTheSameGraph(t *testing.T) {
	// On the CPU, as main() and the Python peer run it: a GPU's fast exp
	// rounds differently, and the values are compared exactly.
	was := tensor.DefaultDevice()
	tensor.SetDefaultDevice(tensor.CPU)
	defer tensor.SetDefaultDevice(was)
	goNs := goNsPerOp(40, 2, false)
	pyNs, value := pythonNsPerOp(40, 2)
	if goNs <= 0 || pyNs <= 0 {
		t.Errorf("no time measured: Go %v ns/op, Python %v ns/op", goNs, pyNs)
	}
	if err := sameGraph(40, value); err != nil {
		t.Error(err)
	}
	if err := sameGraph(40, append(value[:len(value)-1:len(value)-1], value[len(value)-1]+1)); err == nil {
		t.Error("sameGraph did not notice a changed value")
	}
}
