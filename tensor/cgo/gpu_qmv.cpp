// The GPU matrix-vector product for 4-bit weights. MLX 0.32.4's own CUDA
// kernel for it moves ~0.9-1.0 TB/s at Llama-8B's shapes on an H200, a
// quarter of the card's copy bandwidth, and decode spends most of its time
// there; this one (gpu_qmv_source.inc: tensor-core products of weights
// dequantized two at a time) moves 1.8-2.5 TB/s at the same shapes
// (tests/cuda/qmv_probe.py). MLX compiles it at run time (NVRTC) and keeps
// the result in its on-disk kernel cache.
//
// It runs as a primitive of our own whose gradients are MLX ops
// (quantized_primitive.hpp) and whose evaluation launches the kernel
// through MLX's custom-kernel primitive, so it composes with compile,
// grad and the stream machinery like MLX's QuantizedMatmul.
#include "gpu_qmv.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>

#include "mlx/backend/cuda/cuda.h"
#include "mlx/fast.h"
#include "quantized_primitive.hpp"

namespace mlxgo {

namespace {

#include "gpu_qmv_source.inc"

// MLX caches compiled kernels on disk by name, so the name carries a hash
// of the source: an edited kernel is never served from a stale cache.
const std::string& kernel_name() {
  static const std::string name = [] {
    size_t h = std::hash<std::string>{}(std::string(kQmvHeader) + kQmvSource);
    char buf[32];
    std::snprintf(buf, sizeof buf, "mlxgo_qmv4_%016zx", h);
    return std::string(buf);
  }();
  return name;
}

mx::fast::CustomKernelFunction& kernel() {
  static mx::fast::CustomKernelFunction f =
      mx::fast::cuda_kernel(kernel_name(), {"x", "w", "scales", "biases"}, {"y"}, kQmvSource, kQmvHeader, true, 0);
  return f;
}

bool enabled() {
  static const bool on = [] {
    const char* v = std::getenv("MLXGO_GPU_QMV");
    return !(v != nullptr && std::strcmp(v, "off") == 0);
  }();
  return on;
}

class GPUQuantizedMatvec : public AffineQuantizedMatmul {
 public:
  GPUQuantizedMatvec(mx::Stream stream, int group_size, int bits, std::shared_ptr<mx::Primitive> aligned,
                     std::shared_ptr<mx::Primitive> any)
      : AffineQuantizedMatmul(stream, group_size, bits), aligned_(std::move(aligned)), any_(std::move(any)) {}

  void eval_cpu(const std::vector<mx::array>&, mx::array&) override {
    throw std::runtime_error("[mlxgo GPUQuantizedMatvec] runs on GPU streams only");
  }

  void eval_gpu(const std::vector<mx::array>& inputs, mx::array& out) override {
    // Buffers start aligned; a view's offset says whether it does. (Not
    // data(): on CUDA that is the host's view of the buffer.)
    bool aligned = inputs[0].offset() % 16 == 0 && inputs[1].offset() % 16 == 0;
    std::vector<mx::array> outs{out};
    (aligned ? aligned_ : any_)->eval_gpu(inputs, outs);
  }

 protected:
  const char* kind() const override { return "GPUQuantizedMatvec"; }

 private:
  // MLX's custom-kernel primitives, configured for these shapes: for
  // aligned x and w, and for any (compiled only if one comes).
  std::shared_ptr<mx::Primitive> aligned_, any_;
};

}  // namespace

std::optional<mx::array> gpu_quantized_matvec(const mx::array& x, const mx::array& w, const mx::array& scales,
                                              const mx::array& biases, bool transpose, int group_size, int bits,
                                              const std::string& mode, const mx::Stream& s) {
  if (s.device != mx::Device::gpu || !enabled() || !mx::cu::is_available()) return std::nullopt;
  if (mode != "affine" || !transpose || bits != 4) return std::nullopt;
  if (group_size != 32 && group_size != 64 && group_size != 128) return std::nullopt;
  if (x.dtype() != mx::bfloat16 && x.dtype() != mx::float16) return std::nullopt;
  if (scales.dtype() != x.dtype() || biases.dtype() != x.dtype() || w.dtype() != mx::uint32) return std::nullopt;
  if (x.ndim() < 1 || w.ndim() != 2) return std::nullopt;
  const int k = x.shape(-1), n = w.shape(0);
  if (k == 0 || k % 128 != 0 || n == 0 || n % 8 != 0 || w.shape(1) * 8 != k) return std::nullopt;
  const mx::Shape sshape{n, k / group_size};
  if (scales.shape() != sshape || biases.shape() != sshape) return std::nullopt;
  const size_t m = x.size() / k;
  if (m < 1 || m > 4) return std::nullopt;

  // Measured on an H200 (qmv_probe.py): 32-row blocks of 4 warps, each
  // lane reading 64 contiguous bytes of a row at a time, were within a few
  // percent of the best layout at every Llama and Gemma shape. VEC and
  // WARPS depend on K only, so a row's sums are the same whatever N is.
  const int nt = n % 32 == 0 ? 4 : n % 16 == 0 ? 2 : 1;
  const int vec = k % 512 == 0 ? 4 : k % 256 == 0 ? 2 : 1;
  constexpr int warps = 4;
  const mx::Shape shape = product_shape(x, n);
  auto launch = [&](bool aligned) {
    return kernel()({x, w, scales, biases}, {shape}, {x.dtype()}, {n / (nt * 8) * warps * 32, 1, 1},
                    {warps * 32, 1, 1},
                    {{"T", x.dtype()},
                     {"M", static_cast<int>(m)},
                     {"GS", group_size},
                     {"NT", nt},
                     {"WARPS", warps},
                     {"VEC", vec},
                     {"FOLD", true},
                     {"ALIGNED", aligned}},
                    std::nullopt, false, s)[0]
        .primitive_ptr();
  };
  return mx::array(shape, x.dtype(),
                   std::make_shared<GPUQuantizedMatvec>(s, group_size, bits, launch(true), launch(false)),
                   {x, w, scales, biases});
}

}  // namespace mlxgo
