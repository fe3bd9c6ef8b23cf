// The transforms of an affine-quantized x @ dequant(w)^T primitive, shared
// by mlx-go's own kernels for it (the CPU kernels in cpu_primitives.cpp,
// the GPU matrix-vector kernel in gpu_qmv.cpp): gradients and jvps are MLX
// ops, as MLX's QuantizedMatmul gives them (x, scales and biases; none for
// the packed weights), so LoRA trains through quantized base layers
// whichever kernel ran the forward pass. Subclasses supply evaluation.
#pragma once

#include <stdexcept>
#include <typeinfo>
#include <vector>

#include "mlx/mlx.h"
#include "mlx/primitives.h"

namespace mlxgo {

namespace mx = mlx::core;

// The output shape of a product: x's batch and row axes, then N.
inline mx::Shape product_shape(const mx::array& x, int n) {
  mx::Shape shape = x.shape();
  shape.back() = n;
  return shape;
}

// x flattened to 2-D rows (for gradients w.r.t. weights).
inline mx::array rows2d(const mx::array& x, const mx::Stream& s) { return mx::reshape(x, {-1, x.shape(-1)}, s); }

class AffineQuantizedMatmul : public mx::UnaryPrimitive {
 public:
  AffineQuantizedMatmul(mx::Stream stream, int group_size, int bits)
      : mx::UnaryPrimitive(stream), group_size_(group_size), bits_(bits) {}

  std::vector<mx::array> jvp(const std::vector<mx::array>& primals, const std::vector<mx::array>& tangents,
                             const std::vector<int>& argnums) override {
    for (int a : argnums) {
      if (a != 0) throw std::invalid_argument("[QuantizedMatmul::jvp] only w.r.t. x (the quantized matrix's input)");
    }
    return {mx::quantized_matmul(tangents[0], primals[1], primals[2], primals[3], true, group_size_, bits_, "affine",
                                 stream())};
  }

  std::vector<mx::array> vjp(const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                             const std::vector<int>& argnums, const std::vector<mx::array>&) override {
    const auto& x = primals[0];
    const auto& w = primals[1];
    const auto& scales = primals[2];
    const auto& biases = primals[3];
    const auto& cot = cotangents[0];
    auto s = stream();
    std::vector<mx::array> vjps;
    for (int a : argnums) {
      if (a == 0) {
        vjps.push_back(mx::quantized_matmul(cot, w, scales, biases, false, group_size_, bits_, "affine", s));
      } else if (a == 1) {
        throw std::invalid_argument("[QuantizedMatmul::vjp] no gradient wrt the quantized weights.");
      } else {
        // y[r,n] = sum_g s[n,g] * sum_{k in g} x[r,k] q[n,k] + b[n,g] * sum_{k in g} x[r,k]
        int n = w.shape(0), k = x.shape(-1), groups = k / group_size_;
        auto x2 = mx::astype(rows2d(x, s), mx::float32, s);
        auto c2 = mx::astype(rows2d(cot, s), mx::float32, s);
        mx::array g = mx::zeros({1}, mx::float32, s);
        if (a == 3) {
          auto xs = mx::sum(mx::reshape(x2, {-1, groups, group_size_}, s), -1, false, s);  // [R, G]
          g = mx::matmul(mx::transpose(c2, s), xs, s);                                      // [N, G]
        } else {
          auto q = mx::dequantize(w, mx::ones_like(scales, s), mx::zeros_like(biases, s), group_size_, bits_,
                                  "affine", std::nullopt, mx::float32, s);  // [N, K] integers
          auto p = mx::multiply(mx::matmul(mx::transpose(c2, s), x2, s), q, s);  // [N, K]
          g = mx::sum(mx::reshape(p, {n, groups, group_size_}, s), -1, false, s);
        }
        vjps.push_back(mx::astype(g, a == 2 ? scales.dtype() : biases.dtype(), s));
      }
    }
    return vjps;
  }

  std::pair<std::vector<mx::array>, std::vector<int>> vmap(const std::vector<mx::array>&,
                                                           const std::vector<int>&) override {
    throw std::runtime_error(std::string("[mlxgo ") + kind() + "] vmap is not supported");
  }

  const char* name() const override { return "QuantizedMatmul"; }

  bool is_equivalent(const mx::Primitive& other) const override {
    if (typeid(other) != typeid(*this)) return false;
    auto& o = static_cast<const AffineQuantizedMatmul&>(other);
    return o.group_size_ == group_size_ && o.bits_ == bits_;
  }

  std::vector<mx::Shape> output_shapes(const std::vector<mx::array>& inputs) override {
    return {product_shape(inputs[0], inputs[1].shape(0))};
  }

 protected:
  // The subclass's name, for errors.
  virtual const char* kind() const = 0;

  int group_size_;
  int bits_;
};

}  // namespace mlxgo
