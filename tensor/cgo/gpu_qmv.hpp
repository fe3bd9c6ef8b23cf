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

// The same product of rms_norm(x, norm_weight, eps), and of
// silu(gate) * up with gate_up = [gate, up] along its last axis, each in
// one kernel that applies the op to x as it loads it (a launch fewer per
// product: decoding a small model waits on launches). nullopt where the
// kernel does not take the product.
std::optional<mx::array> gpu_rms_norm_matvec(const mx::array& x, const mx::array& norm_weight, float eps,
                                             const mx::array& w, const mx::array& scales, const mx::array& biases,
                                             int group_size, int bits, const mx::Stream& s);
std::optional<mx::array> gpu_swiglu_matvec(const mx::array& gate_up, const mx::array& w, const mx::array& scales,
                                           const mx::array& biases, int group_size, int bits, const mx::Stream& s);

}  // namespace mlxgo
