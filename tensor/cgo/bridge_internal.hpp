// Shared C++ helpers for the bridge: handle conversion and the exception
// guard that turns every C++ exception into a status code plus error text.
#pragma once

#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "mlx/mlx.h"
#include "bridge.h"

namespace mx = mlx::core;

namespace mlxgo {

// The text of the last failure on this OS thread (mlx-c's convention).
void set_error(const char* msg);

// Runs f; any exception becomes status 1 with its message recorded.
template <typename F>
inline int guard(F&& f) noexcept {
  try {
    f();
    return 0;
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception");
  }
  return 1;
}

inline mx::array& arr(mlxgo_array a) {
  if (a == nullptr) {
    throw std::invalid_argument("array handle is null (was it freed?)");
  }
  return *reinterpret_cast<mx::array*>(a);
}

inline mlxgo_array wrap(mx::array a) {
  return reinterpret_cast<mlxgo_array>(new mx::array(std::move(a)));
}

// The stream an op runs on. It also becomes this thread's default stream for
// its device: MLX makes some arrays on the default stream (random keys,
// transform tracers), default streams belong to the thread that made them,
// and a goroutine may evaluate on another thread what it built on this one.
inline mx::Stream stream(mlxgo_stream s) {
  mx::Stream st(s.index, s.device == 1 ? mx::Device::gpu : mx::Device::cpu);
  thread_local int thread_default[2] = {-1, -1};
  int& cur = thread_default[s.device == 1 ? 1 : 0];
  if (cur != s.index) {
    mx::set_default_stream(st);
    cur = s.index;
  }
  return st;
}

// quantized_matmul with the backend workarounds of quantized_matmul.cpp.
mx::array quantized_matmul(const mx::array& x, const mx::array& w, const mx::array& scales,
                           const std::optional<mx::array>& biases, bool transpose, std::optional<int> group_size,
                           std::optional<int> bits, const std::string& mode, const mx::Stream& s);

// residual + quantized_matmul(x, w, ...), and silu(g) * u of the halves of
// quantized_matmul(x, w, ...) (affine, w transposed): one kernel each where
// the GPU matrix-vector kernel takes the product (fused_matmul.cpp), else
// those ops.
mx::array quantized_matmul_add(const mx::array& x, const mx::array& w, const mx::array& scales,
                               const mx::array& biases, const mx::array& residual, int group_size, int bits,
                               const mx::Stream& s);
mx::array quantized_matmul_swiglu(const mx::array& x, const mx::array& w, const mx::array& scales,
                                  const mx::array& biases, int group_size, int bits, const mx::Stream& s);
// The same as the separate ops, always: what the two fall back to, and
// the fused GPU primitive's transforms.
mx::array separate_quantized_matmul_add(const mx::array& x, const mx::array& w, const mx::array& scales,
                                        const mx::array& biases, const mx::array& residual, int group_size, int bits,
                                        const mx::Stream& s);
mx::array separate_quantized_matmul_swiglu(const mx::array& x, const mx::array& w, const mx::array& scales,
                                           const mx::array& biases, int group_size, int bits, const mx::Stream& s);

// matmul with the CPU kernel routing of matmul.cpp.
mx::array matmul(const mx::array& a, const mx::array& b, const mx::Stream& s);

inline mx::Dtype dtype(int code) {
  switch (code) {
    case MLXGO_BOOL: return mx::bool_;
    case MLXGO_UINT8: return mx::uint8;
    case MLXGO_UINT16: return mx::uint16;
    case MLXGO_UINT32: return mx::uint32;
    case MLXGO_UINT64: return mx::uint64;
    case MLXGO_INT8: return mx::int8;
    case MLXGO_INT16: return mx::int16;
    case MLXGO_INT32: return mx::int32;
    case MLXGO_INT64: return mx::int64;
    case MLXGO_FLOAT16: return mx::float16;
    case MLXGO_FLOAT32: return mx::float32;
    case MLXGO_FLOAT64: return mx::float64;
    case MLXGO_BFLOAT16: return mx::bfloat16;
    case MLXGO_COMPLEX64: return mx::complex64;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(code));
}

inline int dtype_code(mx::Dtype d) {
  return static_cast<int>(d.val());
}

inline std::vector<mx::array> arrays(const mlxgo_array* hs, int n) {
  std::vector<mx::array> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(arr(hs[i]));
  return v;
}

inline mx::Shape shape(const int* p, int n) {
  return mx::Shape(p, p + n);
}

inline std::vector<int> ints(const int* p, int n) {
  return std::vector<int>(p, p + n);
}

// Moves a vector of arrays into a malloc'd handle list owned by the caller.
inline void out_arrays(std::vector<mx::array> v, mlxgo_array** outs, int* n) {
  *n = static_cast<int>(v.size());
  *outs = static_cast<mlxgo_array*>(std::malloc(sizeof(mlxgo_array) * (v.size() ? v.size() : 1)));
  if (*outs == nullptr) throw std::bad_alloc();
  for (size_t i = 0; i < v.size(); i++) (*outs)[i] = wrap(std::move(v[i]));
}

}  // namespace mlxgo
