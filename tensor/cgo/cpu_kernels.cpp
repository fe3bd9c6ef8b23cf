// The runtime CPU check, the family switch (MLXGO_CPU_MATMUL, see
// cpu_kernels.hpp) and the x -> float32 conversion the kernels start from;
// stubs where the kernels are not built (non-x86), so callers link
// everywhere and take MLX's path.
#include "cpu_kernels.hpp"

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace mlxgo::cpu {

namespace {

enum class Family { Exact, Fast, Off };

Family family() {
  static const Family f = [] {
    const char* v = std::getenv("MLXGO_CPU_MATMUL");
    std::string s = v ? v : "";
    if (s == "off") return Family::Off;
    if (s == "fast") return Family::Fast;
    return Family::Exact;
  }();
  return f;
}

}  // namespace

}  // namespace mlxgo::cpu

#if defined(__x86_64__)

#include "cpu_simd.hpp"

namespace mlxgo::cpu {

bool kernels_available() {
  static const bool ok = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
  }();
  return ok && family() != Family::Off;
}

MLXGO_SIMD static void half_to_float(const uint16_t* src, Elem t, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, load8(src + i, t));
  for (; i < n; i++) dst[i] = load1(src, t, i);
}

void to_float(const void* src, Elem t, float* dst, size_t n) {
  if (t == Elem::F32) {
    std::memcpy(dst, src, n * sizeof(float));
  } else {
    half_to_float(static_cast<const uint16_t*>(src), t, dst, n);
  }
}

void qmm_nt(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases,
            Elem t, int bits, int group, void* y) {
  if (family() == Family::Fast) {
    qmm_nt_fast(x, M, K, N, w, scales, biases, t, bits, group, y, t);
  } else {
    qmm_nt_exact(x, M, K, N, w, scales, biases, t, bits, group, y);
  }
}

void gemm_nt(const float* x, int M, int K, int N, const void* w, int64_t ldw, Elem wt, void* y, Elem yt) {
  if (family() == Family::Fast || wt == Elem::F32) {
    gemm_nt_fast(x, M, K, N, w, ldw, wt, y, yt);
  } else {
    gemm_nt_exact(x, M, K, N, w, ldw, wt, y, yt);
  }
}

}  // namespace mlxgo::cpu

#else

namespace mlxgo::cpu {

bool kernels_available() { return false; }

void to_float(const void*, Elem, float*, size_t) { throw std::logic_error("mlxgo: CPU kernels not built"); }

void qmm_nt(const float*, int, int, int, const uint32_t*, const void*, const void*, Elem, int, int, void*) {
  throw std::logic_error("mlxgo: CPU kernels not built");
}

void gemm_nt(const float*, int, int, int, const void*, int64_t, Elem, void*, Elem) {
  throw std::logic_error("mlxgo: CPU kernels not built");
}

}  // namespace mlxgo::cpu

#endif
