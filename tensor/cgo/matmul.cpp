// matmul as the op table calls it: MLX's op, except on a CPU stream for
// the half-precision x @ W.T products our kernel takes (cpu_primitives.hpp:
// MLX's CPU bf16/fp16 matmul is a scalar, single-threaded loop on x86).
#include "bridge_internal.hpp"
#include "cpu_primitives.hpp"

namespace mlxgo {

mx::array matmul(const mx::array& a, const mx::array& b, const mx::Stream& s) {
  if (auto y = cpu_matmul(a, b, s)) return *y;
  return mx::matmul(a, b, s);
}

}  // namespace mlxgo
