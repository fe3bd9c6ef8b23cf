// MLX primitives over the hand-written CPU kernels (cpu_kernels.hpp):
// quantized_matmul.cpp and matmul.cpp route CPU-stream products here when
// the shapes and dtypes are ones the kernels take; otherwise these return
// nothing and the caller uses MLX's op.
#pragma once

#include <optional>
#include <string>

#include "mlx/mlx.h"

namespace mlxgo {

namespace mx = mlx::core;

// x @ dequant(w)^T for affine 4/8-bit weights (transpose=true), x float32,
// float16 or bfloat16 with scales and biases of the same dtype.
std::optional<mx::array> cpu_quantized_matmul(const mx::array& x, const mx::array& w, const mx::array& scales,
                                              const mx::array& biases, bool transpose, int group_size, int bits,
                                              const std::string& mode, const mx::Stream& s);

// a @ b for a [..., M, K] and a 2-D b [K, N] of the same half dtype (the
// shape nn.Linear's x @ W.T has).
std::optional<mx::array> cpu_matmul(const mx::array& a, const mx::array& b, const mx::Stream& s);

}  // namespace mlxgo
