/* Custom GPU kernels (mx.fast.metal_kernel / mx.fast.cuda_kernel). MLX builds
 * without that backend throw, which comes back as an error status. */
#ifndef MLXGO_KERNEL_H
#define MLXGO_KERNEL_H

#include "bridge.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mlxgo_kernel_* mlxgo_kernel;

/* backend: 0 Metal, 1 CUDA. Names are arrays of C strings. */
int mlxgo_kernel_new(mlxgo_kernel* res, int backend, const char* name, const char** input_names, int nin,
                     const char** output_names, int nout, const char* source, const char* header,
                     bool ensure_row_contiguous, bool atomic_outputs, int shared_memory);
/* out_shapes holds the output shapes back to back; out_ndims their lengths.
 * Template args: names, kinds (0 int, 1 bool, 2 dtype) and values. */
int mlxgo_kernel_call(mlxgo_kernel k, const mlxgo_array* inputs, int nin, const int* out_shapes,
                      const int* out_ndims, const int* out_dtypes, int nout, const int* grid,
                      const int* threadgroup, const char** tmpl_names, const int* tmpl_kinds,
                      const int* tmpl_values, int ntmpl, float init_value, bool has_init, bool verbose,
                      mlxgo_stream s, mlxgo_array** outs, int* nouts);
int mlxgo_kernel_free(mlxgo_kernel k);

#ifdef __cplusplus
}
#endif

#endif
