// quantized_matmul as the op table calls it: MLX's own op, except where a
// backend is known to compute it wrongly, on a CPU stream where our own
// kernel takes the shape (cpu_primitives.hpp: MLX's CPU path is a scalar,
// single-threaded loop on x86), and for decode-shaped 4-bit products on a
// CUDA stream (gpu_qmv.hpp: twice MLX's bandwidth there).
#include "bridge_internal.hpp"
#include "cpu_primitives.hpp"
#include "gpu_qmv.hpp"

namespace mlxgo {

// Where MLX 0.32.4's CUDA kernels for quantized_matmul fail, the product
// is computed from the dequantized weights instead: the op's definition,
// and cheap at the shapes concerned. Both failures need more than one row
// of x (one row takes the matrix-vector kernel, which is right):
//   - a weight row that is a single quantization group (K <= group size):
//     the Hopper (sm90) kernel returns garbage, measured on an H100 and an
//     H200, e.g. x[2,64] @ w[32,64] 4-bit g64 is off by the output's whole
//     scale and sometimes non-finite (Python MLX does the same). Real
//     models never have K that small, but tiny ones and notebooks do;
//   - float32 activations at group size 128: the kernel fails to launch
//     ("cuGraphAddKernelNode ... invalid argument", measured on an H200 at
//     x[33,4096] @ w[1024,4096] 4-bit; bf16 and smaller groups run).
//     Quantized checkpoints keep bf16 activations, so this is rare.
static bool gpu_kernel_fails(const mx::array& x, std::optional<int> group_size, const std::string& mode,
                             bool transpose, const mx::Stream& s) {
  if (s.device != mx::Device::gpu || mode != "affine" || !transpose || x.ndim() < 2) {
    return false;
  }
  int k = x.shape(-1);
  int rows = k == 0 ? 0 : static_cast<int>(x.size() / k);
  int group = group_size.value_or(64);
  bool single_group_rows = k <= group;
  bool float32_wide_groups = x.dtype() == mx::float32 && group >= 128;
  return rows > 1 && (single_group_rows || float32_wide_groups);
}

mx::array quantized_matmul(const mx::array& x, const mx::array& w, const mx::array& scales,
                           const std::optional<mx::array>& biases, bool transpose, std::optional<int> group_size,
                           std::optional<int> bits, const std::string& mode, const mx::Stream& s) {
  if (biases && s.device == mx::Device::cpu) {
    if (auto y = cpu_quantized_matmul(x, w, scales, *biases, transpose, group_size.value_or(64), bits.value_or(4), mode,
                                      s)) {
      return *y;
    }
  }
  if (biases) {
    if (auto y = gpu_quantized_matvec(x, w, scales, *biases, transpose, group_size.value_or(64), bits.value_or(4), mode,
                                      s)) {
      return *y;
    }
  }
  if (biases && gpu_kernel_fails(x, group_size, mode, transpose, s)) {
    mx::array deq = mx::dequantize(w, scales, biases, group_size, bits, mode, std::nullopt, std::nullopt, s);
    return mx::matmul(x, mx::swapaxes(mx::astype(deq, x.dtype(), s), -1, -2, s), s);
  }
  return mx::quantized_matmul(x, w, scales, biases, transpose, group_size, bits, mode, s);
}

}  // namespace mlxgo
