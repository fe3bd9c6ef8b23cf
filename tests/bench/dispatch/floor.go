package main

// The C++ floor links against the MLX that scripts/setup.sh links at .mlx,
// as package tensor/cgo does.

/*
#cgo CXXFLAGS: -std=c++20 -O2 -I${SRCDIR}/../../../.mlx/include -Wno-deprecated-declarations
#cgo LDFLAGS: -L${SRCDIR}/../../../.mlx/lib -lmlx -Wl,-rpath,${SRCDIR}/../../../.mlx/lib -lstdc++
double mlxgo_bench_cpp_ns_per_op(int ops, int reps);
*/
import "C"

import "log"

// cppNsPerOp is MLX's own cost for the graph, from C++.
func cppNsPerOp(ops, reps int) float64 {
	ns := float64(C.mlxgo_bench_cpp_ns_per_op(C.int(ops), C.int(reps)))
	if ns == 0 {
		log.Fatal("the C++ floor failed inside MLX")
	}
	return ns
}
