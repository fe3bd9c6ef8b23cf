// AVX2 helpers shared by the kernels (cpu_qmm*.cpp, cpu_gemm*.cpp), plus
// the drivers that walk output tiles and spread column ranges over the
// thread pool.
// Everything SIMD is compiled with target("avx2,fma,f16c") rather than a
// global -m flag, so the binary still runs on CPUs without AVX2 (they take
// MLX's path; see kernels_available).
#pragma once

#if defined(__x86_64__)

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "cpu_kernels.hpp"
#include "threadpool.hpp"

#define MLXGO_SIMD __attribute__((target("avx2,fma,f16c")))
#define MLXGO_SIMD_INLINE __attribute__((target("avx2,fma,f16c"), always_inline)) inline
// For a lambda inside an MLXGO_SIMD function (GCC does not pass the target on).
#define MLXGO_SIMD_LAMBDA __attribute__((target("avx2,fma,f16c"), always_inline))

namespace mlxgo::cpu {

// v unchanged, but opaque to the optimizer: a product passed through it
// is never fused with the following add into an FMA (GCC contracts
// a*b + c by default, and the exact kernels must round twice, as MLX does).
MLXGO_SIMD_INLINE __m256 unfused(__m256 v) {
  __asm__("" : "+x"(v));
  return v;
}

MLXGO_SIMD_INLINE float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// 8 half-precision elements (float16 or bfloat16 bits) as float32.
MLXGO_SIMD_INLINE __m256 widen(__m128i h, Elem t) {
  if (t == Elem::F16) return _mm256_cvtph_ps(h);
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

// 8 consecutive elements as float32.
MLXGO_SIMD_INLINE __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
MLXGO_SIMD_INLINE __m256 load8(const uint16_t* p, Elem t) {
  return widen(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), t);
}

// The dot-product kernels' inner step: for R rows of x (K apart from xr)
// and C decoded weight vectors, acc[r][c] += x[r][k..k+8) * wv[c].
template <int R, int C>
MLXGO_SIMD_INLINE void fma_rows(__m256 (&acc)[R][C], const __m256 (&wv)[C], const float* xr, int K, int k) {
#pragma GCC unroll 4
  for (int r = 0; r < R; r++) {
    __m256 xv = load8(xr + static_cast<size_t>(r) * K + k);
#pragma GCC unroll 8
    for (int c = 0; c < C; c++) acc[r][c] = _mm256_fmadd_ps(xv, wv[c], acc[r][c]);
  }
}

MLXGO_SIMD_INLINE float load1(const void* p, Elem t, size_t i) {
  switch (t) {
    case Elem::F32: return static_cast<const float*>(p)[i];
    case Elem::F16: return _cvtsh_ss(static_cast<const uint16_t*>(p)[i]);
    default: {
      uint32_t u = static_cast<uint32_t>(static_cast<const uint16_t*>(p)[i]) << 16;
      float f;
      std::memcpy(&f, &u, 4);
      return f;
    }
  }
}

// Stores v rounded as MLX rounds (round to nearest even; bf16 NaN is 0x7FC0).
MLXGO_SIMD_INLINE void store1(void* p, Elem t, size_t i, float v) {
  switch (t) {
    case Elem::F32: static_cast<float*>(p)[i] = v; break;
    case Elem::F16: static_cast<uint16_t*>(p)[i] = _cvtss_sh(v, _MM_FROUND_TO_NEAREST_INT); break;
    default: {
      uint32_t u;
      std::memcpy(&u, &v, 4);
      static_cast<uint16_t*>(p)[i] = std::isnan(v) ? 0x7FC0 : static_cast<uint16_t>((u + (0x7FFF + ((u >> 16) & 1))) >> 16);
    }
  }
}

// Stores an R x (8*B) tile of lane sums at rows m0.., columns n0.. of y
// (row length N); the last lane group holds only `cols` valid columns.
// The exact kernels' epilogue (cpu_gemm_exact.cpp, cpu_qmm_exact.cpp).
template <int R, int B>
MLXGO_SIMD_INLINE void store_tile(const __m256 (&acc)[R][B], void* y, Elem t, int m0, int n0, int N, int cols) {
#pragma GCC unroll 4
  for (int r = 0; r < R; r++)
#pragma GCC unroll 4
    for (int b = 0; b < B; b++) {
      alignas(32) float out[8];
      _mm256_store_ps(out, acc[r][b]);
      const int valid = b == B - 1 ? cols : 8;
      for (int c = 0; c < valid; c++) store1(y, t, static_cast<size_t>(m0 + r) * N + n0 + b * 8 + c, out[c]);
    }
}

// Walks the output tiles of columns [n0, n1) for the dot-product kernels
// (cpu_qmm.cpp, cpu_gemm.cpp): one row and 8 columns at a time when M is 1 (eight independent sums keep both FMA ports busy), else
// blocks of 4 rows by 2 columns (each weight vector, once decoded, feeds 4
// rows). T::template tile<R, C>(m0, n0) computes one tile.
template <typename T>
void walk_tiles(const T& t, int M, int n0, int n1) {
  auto rows = [&]<int C>(int n) {
    int m = 0;
    for (; m + 4 <= M; m += 4) t.template tile<4, C>(m, n);
    switch (M - m) {
      case 3: t.template tile<3, C>(m, n); break;
      case 2: t.template tile<2, C>(m, n); break;
      case 1: t.template tile<1, C>(m, n); break;
    }
  };
  int n = n0;
  if (M == 1) {
    for (; n + 8 <= n1; n += 8) t.template tile<1, 8>(0, n);
    for (; n < n1; n++) t.template tile<1, 1>(0, n);
    return;
  }
  for (; n + 2 <= n1; n += 2) rows.template operator()<2>(n);
  if (n < n1) rows.template operator()<1>(n);
}

// Splits the N output columns into chunks (multiples of 16) over the pool
// and runs walk(n0, n1) on each; small products run on the calling thread
// alone, as waking a worker costs more than they do.
template <typename W>
void run_columns(int M, int N, int K, W&& walk) {
  auto& pool = ThreadPool::instance();
  double work = static_cast<double>(M) * N * K;
  int chunks = work < (1 << 16) ? 1 : std::min(pool.size() * 4, (N + 15) / 16);
  if (chunks <= 1) {
    walk(0, N);
    return;
  }
  int per = ((N + chunks - 1) / chunks + 15) / 16 * 16;
  chunks = (N + per - 1) / per;
  pool.run(chunks, [&](int i) { walk(i * per, std::min(N, (i + 1) * per)); });
}

// Walks output tiles for the kernels that keep one output column per SIMD
// lane (cpu_qmm_exact.cpp, cpu_gemm_exact.cpp): 8 columns per block,
// T::kBlocksM1 (2 or 4) blocks at once when M is 1 (as many independent
// dependency chains), else one block by up to 4 rows. T::template tile<R, B>(m0, n0, cols) computes
// R rows of B blocks, the last one holding cols (1..8) valid columns.
template <typename T>
void walk_lanes(const T& t, int M, int n0, int n1) {
  int n = n0;
  if (M == 1) {
    if constexpr (T::kBlocksM1 == 4) {
      for (; n + 32 <= n1; n += 32) t.template tile<1, 4>(0, n, 8);
    }
    for (; n + 16 <= n1; n += 16) t.template tile<1, 2>(0, n, 8);
    for (; n < n1; n += 8) t.template tile<1, 1>(0, n, std::min(8, n1 - n));
    return;
  }
  for (; n < n1; n += 8) {
    const int cols = std::min(8, n1 - n);
    int m = 0;
    for (; m + 4 <= M; m += 4) t.template tile<4, 1>(m, n, cols);
    switch (M - m) {
      case 3: t.template tile<3, 1>(m, n, cols); break;
      case 2: t.template tile<2, 1>(m, n, cols); break;
      case 1: t.template tile<1, 1>(m, n, cols); break;
    }
  }
}

}  // namespace mlxgo::cpu

#endif  // __x86_64__
