// Quantized products and the op after them, as one op: on a GPU, for
// decode-shaped 4-bit products, one kernel (gpu_qmv.hpp); elsewhere the
// ops themselves. Either way the results are the separate ops' bits where
// the product's are: the kernel rounds the product as it would alone, then
// applies the op as MLX does.
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

mx::array separate_quantized_matmul_add(const mx::array& x, const mx::array& w, const mx::array& scales,
                                        const mx::array& biases, const mx::array& residual, int group_size, int bits,
                                        const mx::Stream& s) {
  return mx::add(residual, quantized_matmul(x, w, scales, biases, true, group_size, bits, "affine", s), s);
}

mx::array separate_quantized_matmul_swiglu(const mx::array& x, const mx::array& w, const mx::array& scales,
                                           const mx::array& biases, int group_size, int bits, const mx::Stream& s) {
  if (w.ndim() != 2 || w.shape(0) % 2 != 0) {
    throw std::invalid_argument(
        "[quantized_matmul_swiglu] w's rows must be gate's then up's (an even number), got w of shape " +
        shape_string(w.shape()));
  }
  auto y = quantized_matmul(x, w, scales, biases, true, group_size, bits, "affine", s);
  auto parts = mx::split(y, mx::Shape{w.shape(0) / 2}, -1, s);
  // nn.SiLU(gate) * up, op for op.
  return mx::multiply(mx::multiply(parts[0], mx::sigmoid(parts[0], s), s), parts[1], s);
}

mx::array quantized_matmul_add(const mx::array& x, const mx::array& w, const mx::array& scales,
                               const mx::array& biases, const mx::array& residual, int group_size, int bits,
                               const mx::Stream& s) {
  if (auto y = gpu_quantized_matvec_add(x, w, scales, biases, residual, group_size, bits, s)) return *y;
  return separate_quantized_matmul_add(x, w, scales, biases, residual, group_size, bits, s);
}

mx::array quantized_matmul_swiglu(const mx::array& x, const mx::array& w, const mx::array& scales,
                                  const mx::array& biases, int group_size, int bits, const mx::Stream& s) {
  if (auto y = gpu_quantized_matvec_swiglu(x, w, scales, biases, group_size, bits, s)) return *y;
  return separate_quantized_matmul_swiglu(x, w, scales, biases, group_size, bits, s);
}

}  // namespace mlxgo
