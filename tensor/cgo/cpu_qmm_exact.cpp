// x @ dequant(w)^T computed exactly as MLX 0.32.4's CPU kernel (_qmm_t)
// computes it, bit for bit, only vectorized and threaded. MLX evaluates,
// for each output, sequentially over k and in the input dtype T:
//
//   sum = T(sum + T(x[k] * T(T(scale * T(q[k])) + bias)))
//
// so for bfloat16 and float16 every step rounds to T (its accumulator is
// T, not float), and for float32 nothing is fused into an FMA. Doing the
// same keeps mlx-go's logits identical to mlx-lm's (the parity tests),
// while one SIMD lane per output column (8 columns per vector) and two
// threads still make it tens of times faster than the scalar original.
// cpu_qmm.cpp is the float32-accumulating alternative.
#include "cpu_kernels.hpp"

#if defined(__x86_64__)

#include "cpu_simd.hpp"

namespace mlxgo::cpu {

namespace {

// Rounds each lane to T's precision and back, as assigning a float to an
// MLX bfloat16_t / float16_t does (round to nearest even).
template <Elem T>
MLXGO_SIMD_INLINE __m256 round_to(__m256 v) {
  if constexpr (T == Elem::BF16) {
    __m256i u = _mm256_castps_si256(v);
    __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
    u = _mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7FFF)), lsb);
    return _mm256_castsi256_ps(_mm256_and_si256(u, _mm256_set1_epi32(static_cast<int>(0xFFFF0000u))));
  } else if constexpr (T == Elem::F16) {
    return _mm256_cvtph_ps(_mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  } else {
    return v;
  }
}

template <int BITS, Elem T>
struct QLanes {
  // Each lane's running sum is one long chain of add-and-round steps; four
  // blocks keep four chains in flight.
  static constexpr int kBlocksM1 = 4;
  const float* x;
  int K, N, group;
  const uint32_t* w;  // N rows of K*BITS/32 words
  const void* scales;
  const void* biases;
  void* y;

  template <int R, int B>
  MLXGO_SIMD void tile(int m0, int n0, int cols) const {
    constexpr int per_word = 32 / BITS;
    const int groups = K / group;
    const int row_words = K / per_word;
    // Word offsets of the 8 rows of each block (invalid lanes repeat a
    // valid row and are never stored).
    __m256i rows[B];
#pragma GCC unroll 4
    for (int b = 0; b < B; b++) {
      const int valid = b == B - 1 ? cols : 8;
      alignas(32) int idx[8];
      for (int c = 0; c < 8; c++) idx[c] = (n0 + b * 8 + std::min(c, valid - 1)) * row_words;
      rows[b] = _mm256_load_si256(reinterpret_cast<const __m256i*>(idx));
    }
    const float* xr = x + static_cast<size_t>(m0) * K;
    __m256 acc[R][B];
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
      for (int b = 0; b < B; b++) acc[r][b] = _mm256_setzero_ps();
    const __m256i mask = _mm256_set1_epi32((1 << BITS) - 1);
    for (int g = 0; g < groups; g++) {
      __m256 s[B], bias[B];
#pragma GCC unroll 4
      for (int b = 0; b < B; b++) {
        const int valid = b == B - 1 ? cols : 8;
        alignas(32) float sv[8], bv[8];
        for (int c = 0; c < 8; c++) {
          size_t i = static_cast<size_t>(n0 + b * 8 + std::min(c, valid - 1)) * groups + g;
          sv[c] = load1(scales, T, i);
          bv[c] = load1(biases, T, i);
        }
        s[b] = _mm256_load_ps(sv);
        bias[b] = _mm256_load_ps(bv);
      }
      for (int k0 = g * group, end = k0 + group; k0 < end; k0 += per_word) {
        __m256i words[B];
#pragma GCC unroll 4
        for (int b = 0; b < B; b++) {
          words[b] = _mm256_i32gather_epi32(reinterpret_cast<const int*>(w + k0 / per_word), rows[b], 4);
        }
#pragma GCC unroll 8
        for (int j = 0; j < per_word; j++) {
#pragma GCC unroll 4
          for (int b = 0; b < B; b++) {
            __m256 q = _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(words[b], j * BITS), mask));
            __m256 d = round_to<T>(_mm256_add_ps(round_to<T>(unfused(_mm256_mul_ps(s[b], q))), bias[b]));
#pragma GCC unroll 4
            for (int r = 0; r < R; r++) {
              __m256 xv = _mm256_broadcast_ss(xr + static_cast<size_t>(r) * K + k0 + j);
              acc[r][b] = round_to<T>(_mm256_add_ps(acc[r][b], round_to<T>(unfused(_mm256_mul_ps(xv, d)))));
            }
          }
        }
      }
    }
    store_tile(acc, y, T, m0, n0, N, cols);
  }
};

template <int BITS, Elem T>
void run(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases, int group,
         void* y) {
  QLanes<BITS, T> t{x, K, N, group, w, scales, biases, y};
  run_columns(M, N, K, [&t, M](int n0, int n1) { walk_lanes(t, M, n0, n1); });
}

template <int BITS>
void run_bits(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases,
              Elem t, int group, void* y) {
  switch (t) {
    case Elem::F32: run<BITS, Elem::F32>(x, M, K, N, w, scales, biases, group, y); break;
    case Elem::F16: run<BITS, Elem::F16>(x, M, K, N, w, scales, biases, group, y); break;
    case Elem::BF16: run<BITS, Elem::BF16>(x, M, K, N, w, scales, biases, group, y); break;
  }
}

}  // namespace

void qmm_nt_exact(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases,
                  Elem t, int bits, int group, void* y) {
  if (bits == 4) {
    run_bits<4>(x, M, K, N, w, scales, biases, t, group, y);
  } else {
    run_bits<8>(x, M, K, N, w, scales, biases, t, group, y);
  }
}

}  // namespace mlxgo::cpu

#endif  // __x86_64__
