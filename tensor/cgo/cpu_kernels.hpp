// Hand-written CPU matmul kernels for small M (decode steps and prefill
// chunks): y = x @ W^T with W as N rows of K, either MLX's affine
// quantized format or half-precision dense rows.
//
// Why: MLX 0.32.4's CPU backend on x86 runs quantized_matmul and
// bf16/fp16 matmul as scalar loops on one thread (its SIMD layer only has
// Apple/NEON back ends). These kernels use AVX2+FMA and split the output
// columns over a persistent thread pool (threadpool.hpp). They are plain
// functions over pointers; cpu_primitives.cpp wraps them as MLX primitives.
//
// Two families, chosen by the environment variable MLXGO_CPU_MATMUL:
//   (unset) or "exact"  cpu_qmm_exact.cpp, cpu_gemm_exact.cpp: MLX's own
//                       arithmetic, in its order, bit for bit (so logits
//                       equal mlx-lm's), vectorized across output columns.
//   "fast"              cpu_qmm.cpp, cpu_gemm.cpp: float32 dot products
//                       (for quantized bf16 far more accurate than MLX,
//                       which accumulates in bf16; not bit-equal to it).
//   "off"               MLX's op everywhere.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mlxgo::cpu {

enum class Elem : int { F32, F16, BF16 };

// True where the kernels run: an x86-64 CPU with AVX2, FMA and F16C, and
// MLXGO_CPU_MATMUL not "off". Elsewhere callers use MLX's own ops.
bool kernels_available();

// Converts n elements of type t to float32.
void to_float(const void* src, Elem t, float* dst, size_t n);

// y[M,N] (row-major, x's type t) = x[M,K] (float32 rows holding values of
// type t) @ dequant(w)^T; w: N rows of K values packed little-endian into
// uint32 words (bits 4 or 8); scales, biases: [N, K/group] of type t.
void qmm_nt(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases,
            Elem t, int bits, int group, void* y);

// y[M,N] (row-major, type yt) = x[M,K] (float32 rows) @ W^T; W: N rows of
// K elements of type wt (F16 or BF16), row n starting at element n*ldw.
void gemm_nt(const float* x, int M, int K, int N, const void* w, int64_t ldw, Elem wt, void* y, Elem yt);

// The two families behind qmm_nt and gemm_nt (see above).
void qmm_nt_exact(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases,
                  Elem t, int bits, int group, void* y);
void qmm_nt_fast(const float* x, int M, int K, int N, const uint32_t* w, const void* scales, const void* biases,
                 Elem st, int bits, int group, void* y, Elem yt);
void gemm_nt_exact(const float* x, int M, int K, int N, const void* w, int64_t ldw, Elem wt, void* y, Elem yt);
void gemm_nt_fast(const float* x, int M, int K, int N, const void* w, int64_t ldw, Elem wt, void* y, Elem yt);

}  // namespace mlxgo::cpu
