// x @ dequant(w)^T for MLX's affine quantized weights with AVX2+FMA,
// accumulating in float32 (MLXGO_CPU_MATMUL=fast; the default is
// cpu_qmm_exact.cpp). Each weight vector of 8 is unpacked, turned into
// scale*q + bias with one FMA and multiplied into up to 4 rows of x; each
// output is a dot product of 8 partial sums. For bfloat16 x this is far
// more accurate than MLX's kernel (which accumulates in bfloat16), so its
// results differ from mlx-lm's.
#include "cpu_kernels.hpp"

#if defined(__x86_64__)

#include "cpu_simd.hpp"

namespace mlxgo::cpu {

namespace {

template <int BITS>
struct QTile {
  const float* x;
  int K, N, group;
  const uint8_t* w;  // N rows of K*BITS/8 bytes
  const void* scales;
  const void* biases;
  Elem st;
  void* y;
  Elem yt;

  // The 8 quantized values at k (a multiple of 8) of a row, as floats.
  MLXGO_SIMD_INLINE static __m256 q8(const uint8_t* row, int k) {
    if constexpr (BITS == 4) {
      uint32_t word;
      std::memcpy(&word, row + k / 2, 4);
      __m256i v = _mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(word)),
                                    _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28));
      return _mm256_cvtepi32_ps(_mm256_and_si256(v, _mm256_set1_epi32(15)));
    } else {
      __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row + k));
      return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b));
    }
  }

  template <int R, int C>
  MLXGO_SIMD void tile(int m0, int n0) const {
    const int groups = K / group;
    const size_t row_bytes = static_cast<size_t>(K) * BITS / 8;
    const uint8_t* rows[C];
#pragma GCC unroll 8
    for (int c = 0; c < C; c++) rows[c] = w + (n0 + c) * row_bytes;
    const float* xr = x + static_cast<size_t>(m0) * K;
    __m256 acc[R][C];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
#pragma GCC unroll 8
      for (int c = 0; c < C; c++) acc[r][c] = _mm256_setzero_ps();
    for (int g = 0; g < groups; g++) {
      __m256 s[C], b[C];
#pragma GCC unroll 8
      for (int c = 0; c < C; c++) {
        size_t i = static_cast<size_t>(n0 + c) * groups + g;
        s[c] = _mm256_set1_ps(load1(scales, st, i));
        b[c] = _mm256_set1_ps(load1(biases, st, i));
      }
      for (int k = g * group, end = k + group; k < end; k += 8) {
        __m256 wv[C];
#pragma GCC unroll 8
        for (int c = 0; c < C; c++) wv[c] = _mm256_fmadd_ps(q8(rows[c], k), s[c], b[c]);
        fma_rows<R, C>(acc, wv, xr, K, k);
      }
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 8
      for (int c = 0; c < C; c++) store1(y, yt, static_cast<size_t>(m0 + r) * N + n0 + c, hsum(acc[r][c]));
  }
};

}  // namespace

void qmm_nt_fast(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases,
            Elem st, int bits, int group, void* y, Elem yt) {
  auto w8 = reinterpret_cast<const uint8_t*>(w);
  if (bits == 4) {
    QTile<4> t{x, K, N, group, w8, scales, biases, st, y, yt};
    run_columns(M, N, K, [&t, M](int n0, int n1) { walk_tiles(t, M, n0, n1); });
  } else {
    QTile<8> t{x, K, N, group, w8, scales, biases, st, y, yt};
    run_columns(M, N, K, [&t, M](int n0, int n1) { walk_tiles(t, M, n0, n1); });
  }
}

}  // namespace mlxgo::cpu

#endif  // __x86_64__
