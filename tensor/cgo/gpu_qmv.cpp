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

#include "bridge_internal.hpp"
#include "mlx/backend/cuda/cuda.h"
#include "mlx/fast.h"
#include "quantized_primitive.hpp"

namespace mlxgo {

namespace {

#include "gpu_qmv_source.inc"

// The kernel's variants: the product alone, or the product and the op
// that follows it, applied to each output as the kernel writes it
// (gpu_qmv_source.inc, MLXGO_QMV_EPI): a residual add, or SwiGLU of the
// product's two halves. Each saves the launch of that op, about 7 us of
// MLX's host time, on what decoding small models waits on.
enum Epilogue { kPlain = 0, kAdd = 1, kSwiGLU = 2 };

// MLX caches compiled kernels on disk by name, so the name carries a hash
// of the source: an edited kernel is never served from a stale cache.
mx::fast::CustomKernelFunction make_kernel(Epilogue e) {
  const std::string header = "#define MLXGO_QMV_EPI " + std::to_string(e) + "\n" + kQmvHeader;
  size_t h = std::hash<std::string>{}(header + kQmvSource);
  char name[40];
  std::snprintf(name, sizeof name, "mlxgo_qmv4_%d_%016zx", static_cast<int>(e), h);
  std::vector<std::string> inputs{"x", "w", "scales", "biases"};
  if (e == kAdd) inputs.push_back("res");
  return mx::fast::cuda_kernel(name, inputs, {"y"}, kQmvSource, header, true, 0);
}

mx::fast::CustomKernelFunction& kernel(Epilogue e) {
  static mx::fast::CustomKernelFunction plain = make_kernel(kPlain), add = make_kernel(kAdd),
                                        glu = make_kernel(kSwiGLU);
  return e == kAdd ? add : e == kSwiGLU ? glu : plain;
}

bool enabled() {
  static const bool on = [] {
    const char* v = std::getenv("MLXGO_GPU_QMV");
    return !(v != nullptr && std::strcmp(v, "off") == 0);
  }();
  return on;
}

// MLX's custom-kernel primitives for one product: for inputs that all
// start on 16-byte boundaries (every buffer MLX allocates), and for any
// (views that start elsewhere, read element by element).
struct KernelVariants {
  std::shared_ptr<mx::Primitive> aligned, any;

  void eval_gpu(const std::vector<mx::array>& inputs, mx::array& out) const {
    // A view's offset says where it starts (not data(): on CUDA that is the
    // host's view of the buffer).
    bool all_aligned = true;
    for (const auto& a : inputs) all_aligned = all_aligned && a.offset() % 16 == 0;
    std::vector<mx::array> outs{out};
    (all_aligned ? aligned : any)->eval_gpu(inputs, outs);
  }
};

class GPUQuantizedMatvec : public AffineQuantizedMatmul {
 public:
  GPUQuantizedMatvec(mx::Stream stream, int group_size, int bits, KernelVariants kernels)
      : AffineQuantizedMatmul(stream, group_size, bits), kernels_(std::move(kernels)) {}

  void eval_cpu(const std::vector<mx::array>&, mx::array&) override {
    throw std::runtime_error("[mlxgo GPUQuantizedMatvec] runs on GPU streams only");
  }

  void eval_gpu(const std::vector<mx::array>& inputs, mx::array& out) override { kernels_.eval_gpu(inputs, out); }

 protected:
  const char* kind() const override { return "GPUQuantizedMatvec"; }

 private:
  KernelVariants kernels_;
};

// The product and the op after it (a residual add, or SwiGLU of its
// halves) in one kernel. Only decoding on a GPU builds it; its transforms
// are those of the ops it stands for (reference), so it differentiates
// like them.
class GPUEpilogueMatvec : public mx::UnaryPrimitive {
 public:
  GPUEpilogueMatvec(mx::Stream stream, Epilogue e, int group_size, int bits, KernelVariants kernels)
      : mx::UnaryPrimitive(stream), e_(e), group_size_(group_size), bits_(bits), kernels_(std::move(kernels)) {}

  void eval_cpu(const std::vector<mx::array>&, mx::array&) override {
    throw std::runtime_error("[mlxgo GPUEpilogueMatvec] runs on GPU streams only");
  }

  void eval_gpu(const std::vector<mx::array>& inputs, mx::array& out) override { kernels_.eval_gpu(inputs, out); }

  // The separate ops this primitive stands for (fused_matmul.cpp's, with
  // mlx-go's product routing, so a transform sees the forward pass's own
  // bits): inputs are x, w, scales, biases (then res for the residual add).
  mx::array reference(const std::vector<mx::array>& in) {
    if (e_ == kAdd) return separate_quantized_matmul_add(in[0], in[1], in[2], in[3], in[4], group_size_, bits_, stream());
    return separate_quantized_matmul_swiglu(in[0], in[1], in[2], in[3], group_size_, bits_, stream());
  }

  std::vector<mx::array> jvp(const std::vector<mx::array>& primals, const std::vector<mx::array>& tangents,
                             const std::vector<int>& argnums) override {
    return mx::jvp(partial(primals, argnums), chosen(primals, argnums), tangents).second;
  }

  std::vector<mx::array> vjp(const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                             const std::vector<int>& argnums, const std::vector<mx::array>&) override {
    return mx::vjp(partial(primals, argnums), chosen(primals, argnums), cotangents).second;
  }

  std::pair<std::vector<mx::array>, std::vector<int>> vmap(const std::vector<mx::array>&,
                                                           const std::vector<int>&) override {
    throw std::runtime_error("[mlxgo GPUEpilogueMatvec] vmap is not supported");
  }

  const char* name() const override { return e_ == kAdd ? "QuantizedMatmulAdd" : "QuantizedMatmulSwiGLU"; }

  bool is_equivalent(const mx::Primitive& other) const override {
    if (typeid(other) != typeid(*this)) return false;
    auto& o = static_cast<const GPUEpilogueMatvec&>(other);
    return o.e_ == e_ && o.group_size_ == group_size_ && o.bits_ == bits_;
  }

  std::vector<mx::Shape> output_shapes(const std::vector<mx::array>& inputs) override {
    const int n = inputs[1].shape(0);
    return {product_shape(inputs[0], e_ == kSwiGLU ? n / 2 : n)};
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

  Epilogue e_;
  int group_size_, bits_;
  KernelVariants kernels_;
};

// Whether the kernel takes x @ dequant(w)^T (1 to 4 rows of x).
bool takes(const mx::array& x, const mx::array& w, const mx::array& scales, const mx::array& biases,
           int group_size, int bits, const mx::Stream& s) {
  if (s.device != mx::Device::gpu || !enabled() || !mx::cu::is_available()) return false;
  if (bits != 4 || (group_size != 32 && group_size != 64 && group_size != 128)) return false;
  if (x.dtype() != mx::bfloat16 && x.dtype() != mx::float16) return false;
  if (scales.dtype() != x.dtype() || biases.dtype() != x.dtype() || w.dtype() != mx::uint32) return false;
  if (x.ndim() < 1 || w.ndim() != 2) return false;
  const int k = x.shape(-1), n = w.shape(0);
  if (k == 0 || k % 128 != 0 || n == 0 || n % 8 != 0 || w.shape(1) * 8 != k) return false;
  const mx::Shape sshape{n, k / group_size};
  if (scales.shape() != sshape || biases.shape() != sshape) return false;
  const size_t m = x.size() / x.shape(-1);
  return m >= 1 && m <= 4;
}

// The kernel's custom-kernel primitives for these inputs and output shape
// (nt: 8-row weight tiles per block).
KernelVariants variants(Epilogue e, const std::vector<mx::array>& inputs, const mx::Shape& shape, int nt,
                        int group_size, const mx::Stream& s) {
  const mx::array& x = inputs[0];
  const int n = inputs[1].shape(0), k = inputs[1].shape(1) * 8;
  const int m = static_cast<int>(x.size() / k);
  // Measured on an H200 (qmv_probe.py): 32-row blocks of 4 warps, each
  // lane reading 64 contiguous bytes of a row at a time, were within a few
  // percent of the best layout at every Llama and Gemma shape. VEC and
  // WARPS depend on K only, so a row's sums are the same whatever N is.
  const int vec = k % 512 == 0 ? 4 : k % 256 == 0 ? 2 : 1;
  constexpr int warps = 4;
  const int blocks = n / (nt * 8);
  auto launch = [&](bool aligned) {
    return kernel(e)(inputs, {shape}, {x.dtype()}, {blocks * warps * 32, 1, 1}, {warps * 32, 1, 1},
                     {{"T", x.dtype()},
                      {"M", m},
                      {"GS", group_size},
                      {"NT", nt},
                      {"WARPS", warps},
                      {"VEC", vec},
                      {"FOLD", true},
                      {"ALIGNED", aligned}},
                     std::nullopt, false, s)[0]
        .primitive_ptr();
  };
  return {launch(true), launch(false)};
}

int tiles_for(int n) { return n % 32 == 0 ? 4 : n % 16 == 0 ? 2 : 1; }

}  // namespace

std::optional<mx::array> gpu_quantized_matvec(const mx::array& x, const mx::array& w, const mx::array& scales,
                                              const mx::array& biases, bool transpose, int group_size, int bits,
                                              const std::string& mode, const mx::Stream& s) {
  if (mode != "affine" || !transpose || !takes(x, w, scales, biases, group_size, bits, s)) return std::nullopt;
  const mx::Shape shape = product_shape(x, w.shape(0));
  const std::vector<mx::array> in{x, w, scales, biases};
  const int nt = tiles_for(w.shape(0));
  return mx::array(shape, x.dtype(),
                   std::make_shared<GPUQuantizedMatvec>(s, group_size, bits, variants(kPlain, in, shape, nt, group_size, s)),
                   in);
}

std::optional<mx::array> gpu_quantized_matvec_add(const mx::array& x, const mx::array& w, const mx::array& scales,
                                                  const mx::array& biases, const mx::array& residual, int group_size,
                                                  int bits, const mx::Stream& s) {
  if (!takes(x, w, scales, biases, group_size, bits, s)) return std::nullopt;
  const mx::Shape shape = product_shape(x, w.shape(0));
  if (residual.shape() != shape || residual.dtype() != x.dtype()) return std::nullopt;
  // The kernel reads the residual as rows of N; MLX's custom kernel
  // copies an input that is not row-contiguous (ensure_row_contiguous).
  const std::vector<mx::array> in{x, w, scales, biases, residual};
  const int nt = tiles_for(w.shape(0));
  return mx::array(shape, x.dtype(),
                   std::make_shared<GPUEpilogueMatvec>(s, kAdd, group_size, bits,
                                                       variants(kAdd, in, shape, nt, group_size, s)),
                   in);
}

std::optional<mx::array> gpu_quantized_matvec_swiglu(const mx::array& x, const mx::array& w, const mx::array& scales,
                                                     const mx::array& biases, int group_size, int bits,
                                                     const mx::Stream& s) {
  if (!takes(x, w, scales, biases, group_size, bits, s)) return std::nullopt;
  const int half = w.shape(0) / 2;
  // A block takes nt/2 tiles of each half: at least one of each.
  const int nt = half % 16 == 0 ? 4 : half % 8 == 0 ? 2 : 0;
  if (w.shape(0) % 2 != 0 || nt == 0) return std::nullopt;
  const mx::Shape shape = product_shape(x, half);
  const std::vector<mx::array> in{x, w, scales, biases};
  // Each block writes nt/2 tiles of the output from nt of w's rows.
  return mx::array(shape, x.dtype(),
                   std::make_shared<GPUEpilogueMatvec>(s, kSwiGLU, group_size, bits,
                                                       variants(kSwiGLU, in, shape, nt, group_size, s)),
                   in);
}

}  // namespace mlxgo
