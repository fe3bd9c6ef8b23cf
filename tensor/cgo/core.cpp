// Hand-written runtime part of the C ABI: handles, data in and out,
// evaluation, devices and streams, memory. Ops are generated (ops_gen.cpp).
#include <cstdlib>
#include <sstream>

#include "bridge_internal.hpp"
#include "mlx/graph_utils.h"

using namespace mlxgo;

namespace mlxgo {
static thread_local std::string last_error;
void set_error(const char* msg) { last_error = msg ? msg : ""; }
}  // namespace mlxgo

namespace {
// Python MLX prints True/False; so do we, so String() matches repr().
struct PrintInit {
  PrintInit() { mx::get_global_formatter().capitalize_bool = true; }
} print_init;
}  // namespace

extern "C" {

const char* mlxgo_last_error(void) { return last_error.c_str(); }

int mlxgo_array_free(mlxgo_array a) {
  return guard([&] { delete reinterpret_cast<mx::array*>(a); });
}

int mlxgo_array_from_data(mlxgo_array* res, const void* data, const int* shp, int ndim, int dt) {
  return guard([&] {
    auto d = dtype(dt);
    auto s = shape(shp, ndim);
    size_t n = 1;
    for (auto x : s) {
      if (x < 0) throw std::invalid_argument("negative dimension in shape");
      n *= static_cast<size_t>(x);
    }
    size_t nbytes = n * mx::size_of(d);
    auto buf = mx::allocator::malloc(nbytes);
    if (nbytes > 0) std::memcpy(buf.buffer().raw_ptr(), data, nbytes);
    *res = wrap(mx::array(std::move(buf), std::move(s), d));
  });
}

int mlxgo_array_from_scalar(mlxgo_array* res, double re, double im, int dt) {
  return guard([&] {
    auto d = dtype(dt);
    if (d == mx::complex64) {
      *res = wrap(mx::array(std::complex<float>(float(re), float(im))));
    } else if (d == mx::float64) {
      *res = wrap(mx::array(re, d));
    } else {
      *res = wrap(mx::array(static_cast<float>(re), d));
    }
  });
}

int mlxgo_array_copy_handle(mlxgo_array* res, mlxgo_array a) {
  return guard([&] { *res = wrap(arr(a)); });
}

int mlxgo_array_ndim(mlxgo_array a) { return static_cast<int>(arr(a).ndim()); }

int mlxgo_array_shape(mlxgo_array a, int* out) {
  return guard([&] {
    auto& s = arr(a).shape();
    for (size_t i = 0; i < s.size(); i++) out[i] = s[i];
  });
}

int mlxgo_array_dtype(mlxgo_array a) { return dtype_code(arr(a).dtype()); }

size_t mlxgo_array_size(mlxgo_array a) { return arr(a).size(); }

int mlxgo_array_read(mlxgo_array h, void* dst, size_t nbytes) {
  return guard([&] {
    auto a = arr(h);
    if (nbytes != a.nbytes()) throw std::invalid_argument("read: destination size does not match array");
    a.eval();
    if (!a.flags().row_contiguous) {
      // On the CPU: the copy is for the host anyway, and the thread's default
      // stream may be a GPU's, which has no float64.
      a = mx::contiguous(a, false, mx::Device(mx::Device::cpu));
      a.eval();
    }
    if (nbytes > 0) std::memcpy(dst, a.data<char>(), nbytes);
  });
}

int mlxgo_array_tostring(mlxgo_array h, char** out) {
  return guard([&] {
    std::ostringstream os;
    os << arr(h);
    *out = strdup(os.str().c_str());
    if (*out == nullptr) throw std::bad_alloc();
  });
}

void mlxgo_free_string(char* s) { std::free(s); }

int mlxgo_array_id(mlxgo_array a, uintptr_t* id) {
  return guard([&] { *id = arr(a).id(); });
}

int mlxgo_array_is_evaluated(mlxgo_array a) {
  return arr(a).status() != mx::array::Status::unscheduled;
}

int mlxgo_export_to_dot(const mlxgo_array* hs, int n, char** out) {
  return guard([&] {
    std::ostringstream os;
    mx::export_to_dot(os, arrays(hs, n));
    *out = strdup(os.str().c_str());
    if (*out == nullptr) throw std::bad_alloc();
  });
}

int mlxgo_eval(const mlxgo_array* hs, int n) {
  return guard([&] { mx::eval(arrays(hs, n)); });
}

int mlxgo_async_eval(const mlxgo_array* hs, int n) {
  return guard([&] { mx::async_eval(arrays(hs, n)); });
}

int mlxgo_device_available(int device) {
  int ok = 0;
  guard([&] { ok = mx::is_available(mx::Device(device == 1 ? mx::Device::gpu : mx::Device::cpu)); });
  return ok;
}

int mlxgo_device_count(int device) {
  int n = 0;
  guard([&] { n = mx::device_count(device == 1 ? mx::Device::gpu : mx::Device::cpu); });
  return n;
}

int mlxgo_new_stream(mlxgo_stream* res, int device) {
  return guard([&] {
    auto s = mx::new_thread_unsafe_stream(mx::Device(device == 1 ? mx::Device::gpu : mx::Device::cpu));
    res->index = s.index;
    res->device = device;
  });
}

int mlxgo_synchronize(mlxgo_stream s) {
  return guard([&] { mx::synchronize(stream(s)); });
}

int mlxgo_memory_stats(size_t* active, size_t* peak, size_t* cache) {
  return guard([&] {
    *active = mx::get_active_memory();
    *peak = mx::get_peak_memory();
    *cache = mx::get_cache_memory();
  });
}

int mlxgo_memory_limits(size_t* memory_limit, size_t* cache_limit) {
  return guard([&] {
    *memory_limit = mx::get_memory_limit();
    // MLX has no getter for the cache limit: set it to itself.
    size_t prev = mx::set_cache_limit(0);
    mx::set_cache_limit(prev);
    *cache_limit = prev;
  });
}

int mlxgo_set_memory_limit(size_t limit, size_t* previous) {
  return guard([&] { *previous = mx::set_memory_limit(limit); });
}

int mlxgo_set_cache_limit(size_t limit, size_t* previous) {
  return guard([&] { *previous = mx::set_cache_limit(limit); });
}

int mlxgo_clear_cache(void) {
  return guard([&] { mx::clear_cache(); });
}

int mlxgo_reset_peak_memory(void) {
  return guard([&] { mx::reset_peak_memory(); });
}

int mlxgo_version(char** out) {
  return guard([&] { *out = strdup(mx::version()); });
}

int mlxgo_random_seed(uint64_t seed) {
  return guard([&] { mx::random::seed(seed); });
}

void mlxgo_free_handles(mlxgo_array* hs) { std::free(hs); }

}  // extern "C"
