// x @ W^T for half-precision dense W in the order MLX 0.32.4's CPU matmul
// adds (simd_gemm with a float accumulator): for each output, products
// x[k]*W[n,k] in float32, summed sequentially over k, rounded to the
// output dtype once. Same bits as MLX, hence as mlx-lm, but with one SIMD
// lane per output column (W's rows are transposed 8x8 in registers) and
// the columns split over threads. cpu_gemm.cpp is the reordered
// (dot-product) alternative.
#include "cpu_kernels.hpp"

#if defined(__x86_64__)

#include "cpu_simd.hpp"

namespace mlxgo::cpu {

namespace {

// v[j] = the 8 rows' elements at k+j, as floats.
template <Elem T>
MLXGO_SIMD_INLINE void transpose8(const uint16_t* const* rows, int k, __m256* v) {
  __m128i r[8];
#pragma GCC unroll 8
  for (int c = 0; c < 8; c++) r[c] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[c] + k));
  __m128i a0 = _mm_unpacklo_epi16(r[0], r[1]), a1 = _mm_unpackhi_epi16(r[0], r[1]);
  __m128i a2 = _mm_unpacklo_epi16(r[2], r[3]), a3 = _mm_unpackhi_epi16(r[2], r[3]);
  __m128i a4 = _mm_unpacklo_epi16(r[4], r[5]), a5 = _mm_unpackhi_epi16(r[4], r[5]);
  __m128i a6 = _mm_unpacklo_epi16(r[6], r[7]), a7 = _mm_unpackhi_epi16(r[6], r[7]);
  __m128i b0 = _mm_unpacklo_epi32(a0, a2), b1 = _mm_unpackhi_epi32(a0, a2);
  __m128i b2 = _mm_unpacklo_epi32(a1, a3), b3 = _mm_unpackhi_epi32(a1, a3);
  __m128i b4 = _mm_unpacklo_epi32(a4, a6), b5 = _mm_unpackhi_epi32(a4, a6);
  __m128i b6 = _mm_unpacklo_epi32(a5, a7), b7 = _mm_unpackhi_epi32(a5, a7);
  v[0] = widen(_mm_unpacklo_epi64(b0, b4), T);
  v[1] = widen(_mm_unpackhi_epi64(b0, b4), T);
  v[2] = widen(_mm_unpacklo_epi64(b1, b5), T);
  v[3] = widen(_mm_unpackhi_epi64(b1, b5), T);
  v[4] = widen(_mm_unpacklo_epi64(b2, b6), T);
  v[5] = widen(_mm_unpackhi_epi64(b2, b6), T);
  v[6] = widen(_mm_unpacklo_epi64(b3, b7), T);
  v[7] = widen(_mm_unpackhi_epi64(b3, b7), T);
}

// bfloat16 only, 16 k at once: the 8 rows' elements k..k+15 transposed
// as 32-bit pairs (one 8x8 float transpose), then split into the even and
// odd k: v[2j] and v[2j+1] are the 8 rows at k+2j and k+2j+1. Half the
// shuffles of transpose8 per element.
MLXGO_SIMD_INLINE void transpose16_bf16(const uint16_t* p, int64_t ld, __m256* v) {
  __m256 r[8];
#pragma GCC unroll 8
  for (int c = 0; c < 8; c++) r[c] = _mm256_loadu_ps(reinterpret_cast<const float*>(p + c * ld));
  __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  __m256 pairs[8] = {
      _mm256_permute2f128_ps(u0, u4, 0x20), _mm256_permute2f128_ps(u1, u5, 0x20),
      _mm256_permute2f128_ps(u2, u6, 0x20), _mm256_permute2f128_ps(u3, u7, 0x20),
      _mm256_permute2f128_ps(u0, u4, 0x31), _mm256_permute2f128_ps(u1, u5, 0x31),
      _mm256_permute2f128_ps(u2, u6, 0x31), _mm256_permute2f128_ps(u3, u7, 0x31)};
  const __m256i hi = _mm256_set1_epi32(static_cast<int>(0xFFFF0000u));
#pragma GCC unroll 8
  for (int j = 0; j < 8; j++) {
    __m256i q = _mm256_castps_si256(pairs[j]);
    v[2 * j] = _mm256_castsi256_ps(_mm256_slli_epi32(q, 16));
    v[2 * j + 1] = _mm256_castsi256_ps(_mm256_and_si256(q, hi));
  }
}

template <Elem T>
struct DLanes {
  static constexpr int kBlocksM1 = 2;  // 4 spills the 16 transposed vectors
  const float* x;
  int K, N;
  const uint16_t* w;
  int64_t ldw;
  void* y;
  Elem yt;

  template <int R, int B>
  MLXGO_SIMD void tile(int m0, int n0, int cols) const {
    const uint16_t* rows[B][8];
#pragma GCC unroll 4
    for (int b = 0; b < B; b++) {
      const int valid = b == B - 1 ? cols : 8;
      for (int c = 0; c < 8; c++) rows[b][c] = w + (n0 + b * 8 + std::min(c, valid - 1)) * ldw;
    }
    const float* xr = x + static_cast<size_t>(m0) * K;
    __m256 acc[R][B];
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
      for (int b = 0; b < B; b++) acc[r][b] = _mm256_setzero_ps();
    int k = 0;
    if constexpr (T == Elem::BF16) {
      // Whole blocks of 8 rows read with one base pointer and stride, 32 k
      // (a 64-byte line of each row) per block at a time: rows 4 KB apart
      // (K = 2048) share one L1 set, and two blocks' 16 rows would evict
      // each other's lines before their second half is read.
      const bool whole = cols == 8;
      auto step16 = [&](int b, int k) MLXGO_SIMD_LAMBDA {
        __m256 v[16];
        transpose16_bf16(w + (n0 + b * 8) * ldw + k, ldw, v);
#pragma GCC unroll 16
        for (int j = 0; j < 16; j++)
#pragma GCC unroll 4
          for (int r = 0; r < R; r++) {
            __m256 xv = _mm256_broadcast_ss(xr + static_cast<size_t>(r) * K + k + j);
            acc[r][b] = _mm256_add_ps(acc[r][b], unfused(_mm256_mul_ps(xv, v[j])));
          }
      };
      for (; whole && k + 32 <= K; k += 32) {
#pragma GCC unroll 4
        for (int b = 0; b < B; b++) {
          step16(b, k);
          step16(b, k + 16);
        }
      }
      for (; whole && k + 16 <= K; k += 16) {
#pragma GCC unroll 4
        for (int b = 0; b < B; b++) step16(b, k);
      }
    }
    const int k8 = K & ~7;
    for (; k < k8; k += 8) {
#pragma GCC unroll 4
      for (int b = 0; b < B; b++) {
        __m256 v[8];
        transpose8<T>(rows[b], k, v);
#pragma GCC unroll 8
        for (int j = 0; j < 8; j++)
#pragma GCC unroll 4
          for (int r = 0; r < R; r++) {
            __m256 xv = _mm256_broadcast_ss(xr + static_cast<size_t>(r) * K + k + j);
            acc[r][b] = _mm256_add_ps(acc[r][b], unfused(_mm256_mul_ps(xv, v[j])));
          }
      }
    }
    for (; k < K; k++) {
#pragma GCC unroll 4
      for (int b = 0; b < B; b++) {
        alignas(32) float wk[8];
        for (int c = 0; c < 8; c++) wk[c] = load1(rows[b][c], T, k);
        __m256 v = _mm256_load_ps(wk);
#pragma GCC unroll 4
        for (int r = 0; r < R; r++) {
          __m256 xv = _mm256_broadcast_ss(xr + static_cast<size_t>(r) * K + k);
          acc[r][b] = _mm256_add_ps(acc[r][b], unfused(_mm256_mul_ps(xv, v)));
        }
      }
    }
    store_tile(acc, y, yt, m0, n0, N, cols);
  }
};

template <Elem T>
void run(const float* x, int M, int K, int N, const void* w, int64_t ldw, void* y, Elem yt) {
  DLanes<T> t{x, K, N, static_cast<const uint16_t*>(w), ldw, y, yt};
  run_columns(M, N, K, [&t, M](int n0, int n1) { walk_lanes(t, M, n0, n1); });
}

}  // namespace

void gemm_nt_exact(const float* x, int M, int K, int N, const void* w, int64_t ldw, Elem wt, void* y, Elem yt) {
  if (wt == Elem::F16) {
    run<Elem::F16>(x, M, K, N, w, ldw, y, yt);
  } else {
    run<Elem::BF16>(x, M, K, N, w, ldw, y, yt);
  }
}

}  // namespace mlxgo::cpu

#endif  // __x86_64__
