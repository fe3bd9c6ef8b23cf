// Quantized products whose input is a norm or a gate of another array, as
// one op: on a GPU, for decode-shaped 4-bit products, one kernel
// (gpu_qmv.hpp); elsewhere the ops themselves, so the results there are
// the separate ops' bits.
#include <stdexcept>
#include <string>

#include "bridge_internal.hpp"
#include "gpu_qmv.hpp"

namespace mlxgo {

namespace {

std::string shape_string(const mx::Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); i++) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

}  // namespace

mx::array rms_norm_quantized_matmul(const mx::array& x, const mx::array& norm_weight, float eps, const mx::array& w,
                                    const mx::array& scales, const mx::array& biases, int group_size, int bits,
                                    const mx::Stream& s) {
  if (auto y = gpu_rms_norm_matvec(x, norm_weight, eps, w, scales, biases, group_size, bits, s)) return *y;
  return quantized_matmul(mx::fast::rms_norm(x, norm_weight, eps, s), w, scales, biases, true, group_size, bits,
                          "affine", s);
}

mx::array swiglu_quantized_matmul(const mx::array& gate_up, const mx::array& w, const mx::array& scales,
                                  const mx::array& biases, int group_size, int bits, const mx::Stream& s) {
  if (auto y = gpu_swiglu_matvec(gate_up, w, scales, biases, group_size, bits, s)) return *y;
  if (gate_up.ndim() < 1 || gate_up.shape(-1) % 2 != 0) {
    throw std::invalid_argument("[swiglu_quantized_matmul] gate_up's last axis must hold gate then up (an even size), got shape " +
                                shape_string(gate_up.shape()));
  }
  auto parts = mx::split(gate_up, mx::Shape{gate_up.shape(-1) / 2}, -1, s);
  // nn.SiLU(gate) * up, op for op.
  auto gated = mx::multiply(mx::multiply(parts[0], mx::sigmoid(parts[0], s), s), parts[1], s);
  return quantized_matmul(gated, w, scales, biases, true, group_size, bits, "affine", s);
}

}  // namespace mlxgo
