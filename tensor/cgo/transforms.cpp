// Autodiff and compilation over Go functions. MLX traces a function by
// calling it; here the function lives in Go, so each call crosses back into
// Go through mlxgoCallFunc (exported by transforms.go). A Go failure comes
// back as a status and is rethrown as a C++ exception, so it unwinds only
// through C++ frames and is caught by guard() before returning to Go.
#include <cstdlib>
#include <stdexcept>

#include "bridge_internal.hpp"

using namespace mlxgo;

extern "C" int mlxgoCallFunc(int fn, mlxgo_array* args, int nargs, mlxgo_array** outs, int* nouts);

namespace {

std::vector<mx::array> call_go(int fn, const std::vector<mx::array>& in) {
  std::vector<mlxgo_array> hs;
  hs.reserve(in.size());
  for (auto& a : in) hs.push_back(wrap(a));  // ownership passes to Go
  mlxgo_array* outs = nullptr;
  int n = 0;
  if (mlxgoCallFunc(fn, hs.data(), static_cast<int>(hs.size()), &outs, &n) != 0) {
    // The Go side keeps the real error; this text only unwinds the C++ stack.
    throw std::runtime_error("mlx-go: Go function failed during tracing");
  }
  std::vector<mx::array> res;
  res.reserve(n);
  for (int i = 0; i < n; i++) {
    auto* p = reinterpret_cast<mx::array*>(outs[i]);
    res.push_back(std::move(*p));
    delete p;
  }
  std::free(outs);
  return res;
}

std::function<std::vector<mx::array>(const std::vector<mx::array>&)> go_fn(int fn) {
  return [fn](const std::vector<mx::array>& in) { return call_go(fn, in); };
}

struct Func {
  std::function<std::vector<mx::array>(const std::vector<mx::array>&)> f;
};

}  // namespace

extern "C" {

int mlxgo_vjp(int fn, const mlxgo_array* primals, int np, const mlxgo_array* cotans, int nc,
              mlxgo_array** outs, int* nouts, mlxgo_array** vjps, int* nvjps) {
  return guard([&] {
    auto [o, v] = mx::vjp(go_fn(fn), arrays(primals, np), arrays(cotans, nc));
    out_arrays(std::move(o), outs, nouts);
    out_arrays(std::move(v), vjps, nvjps);
  });
}

int mlxgo_jvp(int fn, const mlxgo_array* primals, int np, const mlxgo_array* tangents, int nt,
              mlxgo_array** outs, int* nouts, mlxgo_array** jvps, int* njvps) {
  return guard([&] {
    auto [o, v] = mx::jvp(go_fn(fn), arrays(primals, np), arrays(tangents, nt));
    out_arrays(std::move(o), outs, nouts);
    out_arrays(std::move(v), jvps, njvps);
  });
}

int mlxgo_value_and_grad(int fn, const int* argnums, int nargnums, const mlxgo_array* args, int nargs,
                         mlxgo_array** vals, int* nvals, mlxgo_array** grads, int* ngrads) {
  return guard([&] {
    auto vg = mx::value_and_grad(go_fn(fn), ints(argnums, nargnums));
    auto [v, g] = vg(arrays(args, nargs));
    out_arrays(std::move(v), vals, nvals);
    out_arrays(std::move(g), grads, ngrads);
  });
}

int mlxgo_checkpoint(mlxgo_func* res, int fn) {
  return guard([&] {
    *res = reinterpret_cast<mlxgo_func>(new Func{mx::checkpoint(go_fn(fn))});
  });
}

int mlxgo_compile(mlxgo_func* res, int fn, bool shapeless) {
  return guard([&] {
    *res = reinterpret_cast<mlxgo_func>(new Func{mx::compile(go_fn(fn), shapeless)});
  });
}

int mlxgo_func_call(mlxgo_func f, const mlxgo_array* args, int nargs, mlxgo_array** outs, int* nouts) {
  return guard([&] {
    if (f == nullptr) throw std::invalid_argument("function handle is null (was it freed?)");
    auto r = reinterpret_cast<Func*>(f)->f(arrays(args, nargs));
    out_arrays(std::move(r), outs, nouts);
  });
}

int mlxgo_func_free(mlxgo_func f) {
  return guard([&] { delete reinterpret_cast<Func*>(f); });
}

// The device too: MLX's transforms copy their inputs onto
// default_stream(default_device()), which on a GPU machine is the GPU's
// even while Go's default (and s) is the CPU; that copy then belonged to
// a GPU stream of this thread that no other thread can evaluate ("There is
// no Stream(gpu, N) in current thread"), and put CPU work on the GPU.
int mlxgo_use_default_stream(mlxgo_stream s) {
  return guard([&] {
    mx::Stream st = stream(s);
    if (mx::default_device() != st.device) mx::set_default_device(st.device);
    mx::set_default_stream(st);
  });
}

int mlxgo_set_compile_enabled(bool enabled) {
  return guard([&] {
    if (enabled) mx::enable_compile(); else mx::disable_compile();
  });
}

}  // extern "C"
