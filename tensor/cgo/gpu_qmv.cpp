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

// The kernel's variants: plain x, or x through a prologue the kernel
// applies as it loads x (gpu_qmv_source.inc, MLXGO_QMV_PRO), saving the
// launch of the op that would have made it: RMSNorm (with its weight nw),
// or SwiGLU of x's two halves (gate, up).
enum Prologue { kPlain = 0, kRMSNorm = 1, kSwiGLU = 2 };

// MLX caches compiled kernels on disk by name, so the name carries a hash
// of the source: an edited kernel is never served from a stale cache.
mx::fast::CustomKernelFunction make_kernel(Prologue p) {
  const std::string header = "#define MLXGO_QMV_PRO " + std::to_string(p) + "\n" + kQmvHeader;
  size_t h = std::hash<std::string>{}(header + kQmvSource);
  char name[40];
  std::snprintf(name, sizeof name, "mlxgo_qmv4_%d_%016zx", static_cast<int>(p), h);
  std::vector<std::string> inputs{"x", "w", "scales", "biases"};
  if (p == kRMSNorm) inputs.push_back("nw");
  return mx::fast::cuda_kernel(name, inputs, {"y"}, kQmvSource, header, true, 0);
}

mx::fast::CustomKernelFunction& kernel(Prologue p) {
  static mx::fast::CustomKernelFunction plain = make_kernel(kPlain), rms = make_kernel(kRMSNorm),
                                        glu = make_kernel(kSwiGLU);
  return p == kRMSNorm ? rms : p == kSwiGLU ? glu : plain;
}

bool enabled() {
  static const bool on = [] {
    const char* v = std::getenv("MLXGO_GPU_QMV");
    return !(v != nullptr && std::strcmp(v, "off") == 0);
  }();
  return on;
}

// Every input starts on a 16-byte boundary (a view's offset says whether
// it does; not data(): on CUDA that is the host's view of the buffer).
bool all_aligned(const std::vector<mx::array>& inputs) {
  for (const auto& a : inputs) {
    if (a.offset() % 16 != 0) return false;
  }
  return true;
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
    std::vector<mx::array> outs{out};
    (all_aligned(inputs) ? aligned_ : any_)->eval_gpu(inputs, outs);
  }

 protected:
  const char* kind() const override { return "GPUQuantizedMatvec"; }

 private:
  // MLX's custom-kernel primitives, configured for these shapes: for
  // aligned x and w, and for any (compiled only if one comes).
  std::shared_ptr<mx::Primitive> aligned_, any_;
};

// x through a prologue (RMSNorm or SwiGLU), then @ dequant(w)^T, in one
// kernel. Only decoding on a GPU builds it; its transforms are those of
// the ops it stands for (reference), so it differentiates like them.
class GPUPrologueMatvec : public mx::UnaryPrimitive {
 public:
  GPUPrologueMatvec(mx::Stream stream, Prologue p, float eps, int group_size, int bits,
                    std::shared_ptr<mx::Primitive> aligned, std::shared_ptr<mx::Primitive> any)
      : mx::UnaryPrimitive(stream),
        p_(p),
        eps_(eps),
        group_size_(group_size),
        bits_(bits),
        aligned_(std::move(aligned)),
        any_(std::move(any)) {}

  void eval_cpu(const std::vector<mx::array>&, mx::array&) override {
    throw std::runtime_error("[mlxgo GPUPrologueMatvec] runs on GPU streams only");
  }

  void eval_gpu(const std::vector<mx::array>& inputs, mx::array& out) override {
    std::vector<mx::array> outs{out};
    (all_aligned(inputs) ? aligned_ : any_)->eval_gpu(inputs, outs);
  }

  // The ops this primitive stands for: inputs are x, w, scales, biases
  // (then nw for RMSNorm).
  mx::array reference(const std::vector<mx::array>& in) {
    auto s = stream();
    mx::array x = in[0];
    if (p_ == kRMSNorm) {
      x = mx::fast::rms_norm(x, in[4], eps_, s);
    } else {
      auto gu = mx::split(x, 2, -1, s);
      x = mx::multiply(mx::multiply(gu[0], mx::sigmoid(gu[0], s), s), gu[1], s);
    }
    return mx::quantized_matmul(x, in[1], in[2], in[3], true, group_size_, bits_, "affine", s);
  }

  std::vector<mx::array> jvp(const std::vector<mx::array>& primals, const std::vector<mx::array>& tangents,
                             const std::vector<int>& argnums) override {
    auto [out, t] = mx::jvp(partial(primals, argnums), chosen(primals, argnums), tangents);
    return t;
  }

  std::vector<mx::array> vjp(const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                             const std::vector<int>& argnums, const std::vector<mx::array>&) override {
    auto [out, g] = mx::vjp(partial(primals, argnums), chosen(primals, argnums), cotangents);
    return g;
  }

  std::pair<std::vector<mx::array>, std::vector<int>> vmap(const std::vector<mx::array>&,
                                                           const std::vector<int>&) override {
    throw std::runtime_error("[mlxgo GPUPrologueMatvec] vmap is not supported");
  }

  const char* name() const override { return p_ == kRMSNorm ? "RMSNormQuantizedMatmul" : "SwiGLUQuantizedMatmul"; }

  bool is_equivalent(const mx::Primitive& other) const override {
    if (typeid(other) != typeid(*this)) return false;
    auto& o = static_cast<const GPUPrologueMatvec&>(other);
    return o.p_ == p_ && o.eps_ == eps_ && o.group_size_ == group_size_ && o.bits_ == bits_;
  }

  std::vector<mx::Shape> output_shapes(const std::vector<mx::array>& inputs) override {
    mx::Shape shape = inputs[0].shape();
    shape.back() = inputs[1].shape(0);
    return {shape};
  }

 private:
  // reference as a function of the inputs at argnums (the others fixed),
  // so a transform asks nothing of the packed weights unless asked.
  std::function<std::vector<mx::array>(const std::vector<mx::array>&)> partial(const std::vector<mx::array>& primals,
                                                                              const std::vector<int>& argnums) {
    return [this, primals, argnums](const std::vector<mx::array>& chosen) {
      std::vector<mx::array> in = primals;
      for (size_t i = 0; i < argnums.size(); i++) in[argnums[i]] = chosen[i];
      return std::vector<mx::array>{reference(in)};
    };
  }

  static std::vector<mx::array> chosen(const std::vector<mx::array>& primals, const std::vector<int>& argnums) {
    std::vector<mx::array> c;
    for (int a : argnums) c.push_back(primals[a]);
    return c;
  }

  Prologue p_;
  float eps_;
  int group_size_, bits_;
  std::shared_ptr<mx::Primitive> aligned_, any_;
};

// Whether the kernel takes x @ dequant(w)^T with x of k columns (m rows).
bool takes(const mx::array& x, int k, const mx::array& w, const mx::array& scales, const mx::array& biases,
           int group_size, int bits, const mx::Stream& s) {
  if (s.device != mx::Device::gpu || !enabled() || !mx::cu::is_available()) return false;
  if (bits != 4 || (group_size != 32 && group_size != 64 && group_size != 128)) return false;
  if (x.dtype() != mx::bfloat16 && x.dtype() != mx::float16) return false;
  if (scales.dtype() != x.dtype() || biases.dtype() != x.dtype() || w.dtype() != mx::uint32) return false;
  if (x.ndim() < 1 || w.ndim() != 2) return false;
  const int n = w.shape(0);
  if (k == 0 || k % 128 != 0 || n == 0 || n % 8 != 0 || w.shape(1) * 8 != k) return false;
  const mx::Shape sshape{n, k / group_size};
  if (scales.shape() != sshape || biases.shape() != sshape) return false;
  const size_t m = x.size() / x.shape(-1);
  return m >= 1 && m <= 4;
}

// The kernel's custom-kernel primitive for these inputs: aligned or not.
std::shared_ptr<mx::Primitive> launch(Prologue p, const std::vector<mx::array>& inputs, const mx::Shape& shape,
                                      int group_size, float eps, bool aligned, const mx::Stream& s) {
  const mx::array& x = inputs[0];
  const int n = inputs[1].shape(0), k = inputs[1].shape(1) * 8;
  const int m = static_cast<int>(x.size() / x.shape(-1));
  // Measured on an H200 (qmv_probe.py): 32-row blocks of 4 warps, each
  // lane reading 64 contiguous bytes of a row at a time, were within a few
  // percent of the best layout at every Llama and Gemma shape. VEC and
  // WARPS depend on K only, so a row's sums are the same whatever N is.
  const int nt = n % 32 == 0 ? 4 : n % 16 == 0 ? 2 : 1;
  const int vec = k % 512 == 0 ? 4 : k % 256 == 0 ? 2 : 1;
  constexpr int warps = 4;
  int eps_bits;
  std::memcpy(&eps_bits, &eps, sizeof eps_bits);
  std::vector<std::pair<std::string, mx::fast::TemplateArg>> targs{
      {"T", x.dtype()}, {"M", m},     {"GS", group_size}, {"NT", nt},           {"WARPS", warps},
      {"VEC", vec},     {"FOLD", true}, {"ALIGNED", aligned}, {"EPS_BITS", eps_bits}};
  return kernel(p)(inputs, {shape}, {x.dtype()}, {n / (nt * 8) * warps * 32, 1, 1}, {warps * 32, 1, 1}, targs,
                   std::nullopt, false, s)[0]
      .primitive_ptr();
}

}  // namespace

std::optional<mx::array> gpu_quantized_matvec(const mx::array& x, const mx::array& w, const mx::array& scales,
                                              const mx::array& biases, bool transpose, int group_size, int bits,
                                              const std::string& mode, const mx::Stream& s) {
  if (mode != "affine" || !transpose || x.ndim() < 1) return std::nullopt;
  if (!takes(x, x.shape(-1), w, scales, biases, group_size, bits, s)) return std::nullopt;
  const mx::Shape shape = product_shape(x, w.shape(0));
  const std::vector<mx::array> in{x, w, scales, biases};
  return mx::array(shape, x.dtype(),
                   std::make_shared<GPUQuantizedMatvec>(s, group_size, bits, launch(kPlain, in, shape, group_size, 0, true, s),
                                                        launch(kPlain, in, shape, group_size, 0, false, s)),
                   in);
}

std::optional<mx::array> gpu_rms_norm_matvec(const mx::array& x, const mx::array& norm_weight, float eps,
                                             const mx::array& w, const mx::array& scales, const mx::array& biases,
                                             int group_size, int bits, const mx::Stream& s) {
  if (x.ndim() < 1 || norm_weight.ndim() != 1 || norm_weight.dtype() != x.dtype() ||
      norm_weight.shape(0) != x.shape(-1) || !(eps >= 0.0f)) {
    return std::nullopt;
  }
  if (!takes(x, x.shape(-1), w, scales, biases, group_size, bits, s)) return std::nullopt;
  const mx::Shape shape = product_shape(x, w.shape(0));
  const std::vector<mx::array> in{x, w, scales, biases, norm_weight};
  return mx::array(shape, x.dtype(),
                   std::make_shared<GPUPrologueMatvec>(s, kRMSNorm, eps, group_size, bits,
                                                       launch(kRMSNorm, in, shape, group_size, eps, true, s),
                                                       launch(kRMSNorm, in, shape, group_size, eps, false, s)),
                   in);
}

std::optional<mx::array> gpu_swiglu_matvec(const mx::array& gate_up, const mx::array& w, const mx::array& scales,
                                           const mx::array& biases, int group_size, int bits, const mx::Stream& s) {
  if (gate_up.ndim() < 1 || gate_up.shape(-1) % 2 != 0) return std::nullopt;
  if (!takes(gate_up, gate_up.shape(-1) / 2, w, scales, biases, group_size, bits, s)) return std::nullopt;
  const mx::Shape shape = product_shape(gate_up, w.shape(0));
  const std::vector<mx::array> in{gate_up, w, scales, biases};
  return mx::array(shape, gate_up.dtype(),
                   std::make_shared<GPUPrologueMatvec>(s, kSwiGLU, 0.0f, group_size, bits,
                                                       launch(kSwiGLU, in, shape, group_size, 0, true, s),
                                                       launch(kSwiGLU, in, shape, group_size, 0, false, s)),
                   in);
}

}  // namespace mlxgo
