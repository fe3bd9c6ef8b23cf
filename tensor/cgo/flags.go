package cgo

// The bridge compiles against the MLX install that scripts/setup.sh links at
// ./.mlx (the pinned official wheel in .venv, or $MLX_PREFIX), so building and
// testing need no exported variables. The rpath lets binaries find libmlx
// without LD_LIBRARY_PATH.

/*
#cgo CXXFLAGS: -std=c++20 -O2 -I${SRCDIR}/../../.mlx/include -Wno-deprecated-declarations
#cgo CFLAGS: -I${SRCDIR}/../../.mlx/include
#cgo LDFLAGS: -L${SRCDIR}/../../.mlx/lib -lmlx -Wl,-rpath,${SRCDIR}/../../.mlx/lib -lstdc++
*/
import "C"
