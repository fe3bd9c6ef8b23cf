// mlx-go's 4-bit matrix-vector kernel on the CUDA backend (gpu_qmv.cpp):
// quantized_matmul.cpp routes decode-shaped GPU products here; otherwise
// this returns nothing and the caller uses MLX's op.
#pragma once

#include <optional>
#include <string>

#include "mlx/mlx.h"

namespace mlxgo {

namespace mx = mlx::core;

// x @ dequant(w)^T for affine 4-bit weights (transpose=true), x bfloat16 or
// float16 with 1 to 4 rows, scales and biases of x's dtype, K a multiple
// of 128 and N of 8, on a CUDA stream. MLXGO_GPU_QMV=off leaves every
// product to MLX.
std::optional<mx::array> gpu_quantized_matvec(const mx::array& x, const mx::array& w, const mx::array& scales,
                                              const mx::array& biases, bool transpose, int group_size, int bits,
                                              const std::string& mode, const mx::Stream& s);

// The same product followed by the op after it, in one kernel (a launch
// fewer: decoding a small model waits on launches): residual + x @ w^T,
// and silu(g) * u of the product's halves g = x @ w[:N/2]^T and
// u = x @ w[N/2:]^T (a SwiGLU MLP's fused gate and up). nullopt where the
// kernel does not take the product.
std::optional<mx::array> gpu_quantized_matvec_add(const mx::array& x, const mx::array& w, const mx::array& scales,
                                                  const mx::array& biases, const mx::array& residual, int group_size,
                                                  int bits, const mx::Stream& s);
std::optional<mx::array> gpu_quantized_matvec_swiglu(const mx::array& x, const mx::array& w, const mx::array& scales,
                                                     const mx::array& biases, int group_size, int bits,
                                                     const mx::Stream& s);

}  // namespace mlxgo
