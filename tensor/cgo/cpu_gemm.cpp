// x @ W^T for dense half (and float) weights with AVX2+FMA, as dot
// products of 8 partial float32 sums (MLXGO_CPU_MATMUL=fast; the default is
// cpu_gemm_exact.cpp): each row of W is read in its own layout and widened
// in registers. Same precision as MLX's sequential float32 sum, different
// rounding order, so a bfloat16 output can land one ulp away.
#include "cpu_kernels.hpp"

#if defined(__x86_64__)

#include "cpu_simd.hpp"

namespace mlxgo::cpu {

namespace {

template <Elem WT>
struct DTile {
  const float* x;
  int K, N;
  const void* w;
  int64_t ldw;
  void* y;
  Elem yt;

  MLXGO_SIMD_INLINE static __m256 w8(const void* row, int k) {
    if constexpr (WT == Elem::F32) {
      return load8(static_cast<const float*>(row) + k);
    } else {
      return load8(static_cast<const uint16_t*>(row) + k, WT);
    }
  }

  template <int R, int C>
  MLXGO_SIMD void tile(int m0, int n0) const {
    constexpr size_t esize = WT == Elem::F32 ? 4 : 2;
    const char* rows[C];
#pragma GCC unroll 8
    for (int c = 0; c < C; c++) rows[c] = static_cast<const char*>(w) + (n0 + c) * ldw * esize;
    const float* xr = x + static_cast<size_t>(m0) * K;
    __m256 acc[R][C];
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 8
      for (int c = 0; c < C; c++) acc[r][c] = _mm256_setzero_ps();
    const int k8 = K & ~7;
    for (int k = 0; k < k8; k += 8) {
      __m256 wv[C];
#pragma GCC unroll 8
      for (int c = 0; c < C; c++) wv[c] = w8(rows[c], k);
      fma_rows<R, C>(acc, wv, xr, K, k);
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 8
      for (int c = 0; c < C; c++) {
        float v = hsum(acc[r][c]);
        for (int k = k8; k < K; k++) v += xr[static_cast<size_t>(r) * K + k] * load1(rows[c], WT, k);
        store1(y, yt, static_cast<size_t>(m0 + r) * N + n0 + c, v);
      }
  }
};

template <typename T>
void dense(const T& t, int M) {
  run_columns(M, t.N, t.K, [&t, M](int n0, int n1) { walk_tiles(t, M, n0, n1); });
}

}  // namespace

void gemm_nt_fast(const float* x, int M, int K, int N, const void* w, int64_t ldw, Elem wt, void* y, Elem yt) {
  switch (wt) {
    case Elem::F32: dense<DTile<Elem::F32>>({x, K, N, w, ldw, y, yt}, M); break;
    case Elem::F16: dense<DTile<Elem::F16>>({x, K, N, w, ldw, y, yt}, M); break;
    case Elem::BF16: dense<DTile<Elem::BF16>>({x, K, N, w, ldw, y, yt}, M); break;
  }
}

}  // namespace mlxgo::cpu

#endif  // __x86_64__
