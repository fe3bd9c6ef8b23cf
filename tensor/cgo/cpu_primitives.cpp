// The MLX primitives that run cpu_kernels.hpp on a CPU stream: evaluation
// is scheduled through the stream's command encoder like MLX's own CPU
// primitives; gradients are MLX ops (quantized_primitive.hpp for the
// quantized one, so LoRA trains through quantized and half-precision base
// layers); vmap is not supported and says so.
#include "cpu_primitives.hpp"

#include <cstring>
#include <stdexcept>
#include <vector>

#include "cpu_kernels.hpp"
#include "quantized_primitive.hpp"
#include "mlx/backend/cpu/encoder.h"
#include "mlx/primitives.h"

namespace mlxgo {

namespace {

// Products with more rows than this stay with MLX: the kernels are tuned
// for decode (M = 1) and prefill chunks (2048 rows by default), and they
// convert x to a float32 copy first, which this bounds.
constexpr size_t kMaxRows = 4096;

// The float32 copy of x lives on the stream thread between calls (decode
// makes hundreds per token); one that a long prefill chunk grew is freed.
struct FloatRows {
  std::vector<float> buf;
  void trim() {
    if (buf.capacity() > (size_t(1) << 20)) std::vector<float>().swap(buf);
  }
};

std::optional<cpu::Elem> elem(mx::Dtype t) {
  if (t == mx::float32) return cpu::Elem::F32;
  if (t == mx::float16) return cpu::Elem::F16;
  if (t == mx::bfloat16) return cpu::Elem::BF16;
  return std::nullopt;
}

// Copies any strided array into dst, row-major (the rare non-contiguous
// input: a sliced or transposed x, a broadcast).
void gather(const mx::array& a, void* dst) {
  const size_t es = a.itemsize();
  const char* src = a.data<char>();
  const int nd = a.ndim();
  char* d = static_cast<char*>(dst);
  if (nd == 0) {
    std::memcpy(d, src, es);
    return;
  }
  const auto& shape = a.shape();
  const auto& strides = a.strides();
  std::vector<int> idx(nd, 0);
  const int inner = shape[nd - 1];
  const int64_t is = strides[nd - 1];
  for (size_t done = 0; done < a.size(); done += inner) {
    int64_t off = 0;
    for (int i = 0; i < nd - 1; i++) off += idx[i] * strides[i];
    for (int j = 0; j < inner; j++) std::memcpy(d + (done + j) * es, src + (off + j * is) * es, es);
    for (int i = nd - 2; i >= 0; i--) {
      if (++idx[i] < shape[i]) break;
      idx[i] = 0;
    }
  }
}

// The array's elements, row-major: its own buffer when it already is, else
// a copy kept in keep.
const void* row_major(const mx::array& a, std::vector<char>& keep) {
  if (a.flags().row_contiguous) return a.data<void>();
  keep.resize(a.nbytes());
  gather(a, keep.data());
  return keep.data();
}

// x as M x K float32 rows: x's own buffer when it already is, else
// converted into buf.
const float* float_rows(const mx::array& x, std::vector<float>& buf) {
  if (x.dtype() == mx::float32 && x.flags().row_contiguous) return x.data<float>();
  std::vector<char> keep;
  const void* src = row_major(x, keep);
  buf.resize(x.size());
  cpu::to_float(src, *elem(x.dtype()), buf.data(), x.size());
  return buf.data();
}

class CPUQuantizedMatmul : public AffineQuantizedMatmul {
 public:
  using AffineQuantizedMatmul::AffineQuantizedMatmul;

  void eval_cpu(const std::vector<mx::array>& inputs, mx::array& out) override {
    out.set_data(mx::allocator::malloc(out.nbytes()));
    auto& enc = mx::cpu::get_command_encoder(stream());
    for (auto& in : inputs) enc.set_input_array(in);
    enc.set_output_array(out);
    enc.dispatch([x = mx::array::unsafe_weak_copy(inputs[0]), w = mx::array::unsafe_weak_copy(inputs[1]),
                  scales = mx::array::unsafe_weak_copy(inputs[2]), biases = mx::array::unsafe_weak_copy(inputs[3]),
                  out = mx::array::unsafe_weak_copy(out), group = group_size_, bits = bits_]() mutable {
      thread_local FloatRows xbuf;
      std::vector<char> wk, sk, bk;
      const int K = x.shape(-1), N = w.shape(0);
      const int M = static_cast<int>(x.size() / K);
      const float* xf = float_rows(x, xbuf.buf);
      cpu::qmm_nt(xf, M, K, N, static_cast<const uint32_t*>(row_major(w, wk)), row_major(scales, sk),
                  row_major(biases, bk), *elem(x.dtype()), bits, group, out.data<void>());
      xbuf.trim();
    });
  }

  void eval_gpu(const std::vector<mx::array>&, mx::array&) override {
    throw std::runtime_error("[mlxgo CPUQuantizedMatmul] runs on CPU streams only");
  }

 protected:
  const char* kind() const override { return "CPUQuantizedMatmul"; }
};

class CPUMatmul : public mx::UnaryPrimitive {
 public:
  explicit CPUMatmul(mx::Stream stream) : mx::UnaryPrimitive(stream) {}

  void eval_cpu(const std::vector<mx::array>& inputs, mx::array& out) override {
    out.set_data(mx::allocator::malloc(out.nbytes()));
    auto& enc = mx::cpu::get_command_encoder(stream());
    for (auto& in : inputs) enc.set_input_array(in);
    enc.set_output_array(out);
    enc.dispatch([a = mx::array::unsafe_weak_copy(inputs[0]), b = mx::array::unsafe_weak_copy(inputs[1]),
                  out = mx::array::unsafe_weak_copy(out)]() mutable {
      thread_local FloatRows abuf;
      const int K = a.shape(-1), N = b.shape(1);
      const int M = static_cast<int>(a.size() / K);
      const float* af = float_rows(a, abuf.buf);
      auto t = *elem(b.dtype());
      // W = b^T: nn.Linear's transposed view of its [N, K] weight has
      // k-stride 1, so its rows are read in place; any other layout is
      // copied to [N, K] first.
      const size_t es = b.itemsize();
      const int64_t sk = b.strides(0), sn = b.strides(1);
      if (sk == 1 || K == 1) {
        cpu::gemm_nt(af, M, K, N, b.data<void>(), sn, t, out.data<void>(), *elem(out.dtype()));
      } else {
        std::vector<char> wt(static_cast<size_t>(K) * N * es);
        const char* src = b.data<char>();
        for (int n = 0; n < N; n++)
          for (int k = 0; k < K; k++) std::memcpy(wt.data() + (size_t(n) * K + k) * es, src + (k * sk + n * sn) * es, es);
        cpu::gemm_nt(af, M, K, N, wt.data(), K, t, out.data<void>(), *elem(out.dtype()));
      }
      abuf.trim();
    });
  }

  void eval_gpu(const std::vector<mx::array>&, mx::array&) override {
    throw std::runtime_error("[mlxgo CPUMatmul] runs on CPU streams only");
  }

  std::vector<mx::array> jvp(const std::vector<mx::array>& primals, const std::vector<mx::array>& tangents,
                             const std::vector<int>& argnums) override {
    std::optional<mx::array> r;
    for (size_t i = 0; i < argnums.size(); i++) {
      auto t = argnums[i] == 0 ? mx::matmul(tangents[i], primals[1], stream())
                               : mx::matmul(primals[0], tangents[i], stream());
      r = r ? mx::add(*r, t, stream()) : t;
    }
    return {*r};
  }

  std::vector<mx::array> vjp(const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                             const std::vector<int>& argnums, const std::vector<mx::array>&) override {
    const auto& a = primals[0];
    const auto& b = primals[1];
    const auto& cot = cotangents[0];
    auto s = stream();
    std::vector<mx::array> vjps;
    for (int i : argnums) {
      if (i == 0) {
        vjps.push_back(mx::matmul(cot, mx::transpose(b, s), s));
      } else {
        // b is shared by every row of every batch entry.
        vjps.push_back(mx::matmul(mx::transpose(rows2d(a, s), s), rows2d(cot, s), s));
      }
    }
    return vjps;
  }

  std::pair<std::vector<mx::array>, std::vector<int>> vmap(const std::vector<mx::array>&,
                                                           const std::vector<int>&) override {
    throw std::runtime_error("[mlxgo CPUMatmul] vmap is not supported");
  }

  const char* name() const override { return "Matmul"; }

  bool is_equivalent(const mx::Primitive& other) const override {
    return dynamic_cast<const CPUMatmul*>(&other) != nullptr;
  }

  std::vector<mx::Shape> output_shapes(const std::vector<mx::array>& inputs) override {
    return {product_shape(inputs[0], inputs[1].shape(1))};
  }
};

// Rows of a [..., M, K] product, 0 when it is not a plain stack of rows.
size_t rows_of(const mx::array& x) {
  if (x.ndim() < 2 || x.shape(-1) == 0) return 0;
  return x.size() / x.shape(-1);
}

}  // namespace

std::optional<mx::array> cpu_quantized_matmul(const mx::array& x, const mx::array& w, const mx::array& scales,
                                              const mx::array& biases, bool transpose, int group_size, int bits,
                                              const std::string& mode, const mx::Stream& s) {
  if (s.device != mx::Device::cpu || !cpu::kernels_available() || mode != "affine" || !transpose) return std::nullopt;
  if (bits != 4 && bits != 8) return std::nullopt;
  if (group_size != 32 && group_size != 64 && group_size != 128) return std::nullopt;
  if (!elem(x.dtype()) || scales.dtype() != x.dtype() || biases.dtype() != x.dtype() || w.dtype() != mx::uint32) {
    return std::nullopt;
  }
  if (w.ndim() != 2 || scales.ndim() != 2 || biases.ndim() != 2) return std::nullopt;
  const int k = x.ndim() ? x.shape(-1) : 0, n = w.shape(0);
  const size_t m = rows_of(x);
  if (m == 0 || m > kMaxRows || n == 0 || k % group_size != 0 || w.shape(1) * (32 / bits) != k) return std::nullopt;
  // The exact kernel gathers words by 32-bit index.
  if (static_cast<int64_t>(n) * (k / (32 / bits)) >= (int64_t(1) << 31)) return std::nullopt;
  const mx::Shape sshape{n, k / group_size};
  if (scales.shape() != sshape || biases.shape() != sshape) return std::nullopt;
  return mx::array(product_shape(x, n), x.dtype(), std::make_shared<CPUQuantizedMatmul>(s, group_size, bits),
                   {x, w, scales, biases});
}

std::optional<mx::array> cpu_matmul(const mx::array& a, const mx::array& b, const mx::Stream& s) {
  if (s.device != mx::Device::cpu || !cpu::kernels_available()) return std::nullopt;
  if (a.dtype() != b.dtype() || (a.dtype() != mx::bfloat16 && a.dtype() != mx::float16)) return std::nullopt;
  if (b.ndim() != 2 || b.shape(0) == 0 || b.shape(1) == 0) return std::nullopt;
  const size_t m = rows_of(a);
  if (m == 0 || m > kMaxRows || a.shape(-1) != b.shape(0)) return std::nullopt;
  return mx::array(product_shape(a, b.shape(1)), a.dtype(), std::make_shared<CPUMatmul>(s), {a, b});
}

}  // namespace mlxgo
