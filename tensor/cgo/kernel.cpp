// Custom GPU kernels: MLX compiles the source on first call for the shapes
// and template arguments given. The CPU build of MLX has the same entry
// points and throws from them, so callers get MLX's own error there.
#include "bridge_internal.hpp"
#include "kernel.h"

using namespace mlxgo;

namespace {
struct Kernel {
  mx::fast::CustomKernelFunction f;
};

std::vector<std::string> strings(const char** p, int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; i++) v.emplace_back(p[i]);
  return v;
}
}  // namespace

extern "C" {

int mlxgo_kernel_new(mlxgo_kernel* res, int backend, const char* name, const char** input_names, int nin,
                     const char** output_names, int nout, const char* source, const char* header,
                     bool ensure_row_contiguous, bool atomic_outputs, int shared_memory) {
  return guard([&] {
    auto ins = strings(input_names, nin);
    auto outs = strings(output_names, nout);
    mx::fast::CustomKernelFunction f;
    if (backend == 1) {
      f = mx::fast::cuda_kernel(name, ins, outs, source, header, ensure_row_contiguous, shared_memory);
    } else {
      f = mx::fast::metal_kernel(name, ins, outs, source, header, ensure_row_contiguous, atomic_outputs);
    }
    *res = reinterpret_cast<mlxgo_kernel>(new Kernel{std::move(f)});
  });
}

int mlxgo_kernel_call(mlxgo_kernel k, const mlxgo_array* inputs, int nin, const int* out_shapes,
                      const int* out_ndims, const int* out_dtypes, int nout, const int* grid,
                      const int* threadgroup, const char** tmpl_names, const int* tmpl_kinds,
                      const int* tmpl_values, int ntmpl, float init_value, bool has_init, bool verbose,
                      mlxgo_stream s, mlxgo_array** outs, int* nouts) {
  return guard([&] {
    if (k == nullptr) throw std::invalid_argument("kernel handle is null (was it freed?)");
    std::vector<mx::Shape> shapes;
    std::vector<mx::Dtype> dtypes;
    for (int i = 0, off = 0; i < nout; off += out_ndims[i], i++) {
      shapes.push_back(shape(out_shapes + off, out_ndims[i]));
      dtypes.push_back(dtype(out_dtypes[i]));
    }
    std::vector<std::pair<std::string, mx::fast::TemplateArg>> tmpl;
    for (int i = 0; i < ntmpl; i++) {
      mx::fast::TemplateArg v = tmpl_values[i];
      if (tmpl_kinds[i] == 1) v = tmpl_values[i] != 0;
      if (tmpl_kinds[i] == 2) v = dtype(tmpl_values[i]);
      tmpl.emplace_back(tmpl_names[i], v);
    }
    std::optional<float> init = has_init ? std::optional<float>(init_value) : std::nullopt;
    auto r = reinterpret_cast<Kernel*>(k)->f(arrays(inputs, nin), shapes, dtypes,
                                             {grid[0], grid[1], grid[2]},
                                             {threadgroup[0], threadgroup[1], threadgroup[2]}, tmpl,
                                             init, verbose, stream(s));
    out_arrays(std::move(r), outs, nouts);
  });
}

int mlxgo_kernel_free(mlxgo_kernel k) {
  return guard([&] { delete reinterpret_cast<Kernel*>(k); });
}

}  // extern "C"
