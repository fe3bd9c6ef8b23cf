/* mlx-go's C ABI over MLX's C++ API, in mlx-c's conventions: opaque handles,
 * an int status per call (0 = ok), and the text of the last failure kept per
 * OS thread (mlxgo_last_error). No C++ exception crosses this boundary.
 *
 * This header holds the hand-written runtime part (handles, data, evaluation,
 * devices, memory, transforms); ops_gen.h holds the ops generated from ops.def. */
#ifndef MLXGO_BRIDGE_H
#define MLXGO_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mlxgo_array_* mlxgo_array;

/* A stream is small and copyable: its index and device type (0 cpu, 1 gpu). */
typedef struct {
  int index;
  int device;
} mlxgo_stream;

/* Dtype codes, in mlx::core::Dtype::Val order. */
enum {
  MLXGO_BOOL = 0, MLXGO_UINT8, MLXGO_UINT16, MLXGO_UINT32, MLXGO_UINT64,
  MLXGO_INT8, MLXGO_INT16, MLXGO_INT32, MLXGO_INT64, MLXGO_FLOAT16,
  MLXGO_FLOAT32, MLXGO_FLOAT64, MLXGO_BFLOAT16, MLXGO_COMPLEX64
};

const char* mlxgo_last_error(void);

/* --- array handles --- */
int mlxgo_array_free(mlxgo_array a);
int mlxgo_array_from_data(mlxgo_array* res, const void* data, const int* shape, int ndim, int dtype);
int mlxgo_array_from_scalar(mlxgo_array* res, double re, double im, int dtype);
int mlxgo_array_copy_handle(mlxgo_array* res, mlxgo_array a);
int mlxgo_array_ndim(mlxgo_array a);
int mlxgo_array_shape(mlxgo_array a, int* shape); /* shape has room for ndim */
int mlxgo_array_dtype(mlxgo_array a);
size_t mlxgo_array_size(mlxgo_array a);
/* Evaluates a and copies its elements, in row-major order, into dst
 * (nbytes = size * itemsize). Works for any view (transposed, broadcast...). */
int mlxgo_array_read(mlxgo_array a, void* dst, size_t nbytes);
/* MLX's own text for the array, as Python's repr prints it; free with mlxgo_free_string. */
int mlxgo_array_tostring(mlxgo_array a, char** out);
void mlxgo_free_string(char* s);
int mlxgo_array_id(mlxgo_array a, uintptr_t* id);
int mlxgo_array_is_evaluated(mlxgo_array a);
/* The unevaluated graph behind arrs in Graphviz DOT (mx.export_to_dot);
 * free with mlxgo_free_string. */
int mlxgo_export_to_dot(const mlxgo_array* arrs, int n, char** out);

/* --- evaluation --- */
int mlxgo_eval(const mlxgo_array* arrs, int n);
int mlxgo_async_eval(const mlxgo_array* arrs, int n);

/* --- devices and streams --- */
int mlxgo_device_available(int device);
int mlxgo_device_count(int device);
/* A stream usable from any OS thread (our Go layer serialises use). */
int mlxgo_new_stream(mlxgo_stream* res, int device);
int mlxgo_synchronize(mlxgo_stream s);

/* --- memory --- */
int mlxgo_memory_stats(size_t* active, size_t* peak, size_t* cache);
int mlxgo_memory_limits(size_t* memory_limit, size_t* cache_limit);
int mlxgo_set_memory_limit(size_t limit, size_t* previous);
int mlxgo_set_cache_limit(size_t limit, size_t* previous);
int mlxgo_clear_cache(void);
int mlxgo_reset_peak_memory(void);

/* --- misc --- */
int mlxgo_version(char** out);
int mlxgo_random_seed(uint64_t seed);

/* --- transforms over Go functions ---
 * A Go function is named by an id; MLX calls back into Go through
 * mlxgoCallFunc (exported by the Go side), which returns 0 on success and
 * allocates *outs with malloc (handles owned by the caller). */
int mlxgo_vjp(int fn, const mlxgo_array* primals, int np, const mlxgo_array* cotans, int nc,
              mlxgo_array** outs, int* nouts, mlxgo_array** vjps, int* nvjps);
int mlxgo_jvp(int fn, const mlxgo_array* primals, int np, const mlxgo_array* tangents, int nt,
              mlxgo_array** outs, int* nouts, mlxgo_array** jvps, int* njvps);
int mlxgo_value_and_grad(int fn, const int* argnums, int nargnums, const mlxgo_array* args, int nargs,
                         mlxgo_array** vals, int* nvals, mlxgo_array** grads, int* ngrads);
/* checkpoint / compile return a function handle; call it with mlxgo_func_call. */
typedef struct mlxgo_func_* mlxgo_func;
int mlxgo_checkpoint(mlxgo_func* res, int fn);
int mlxgo_compile(mlxgo_func* res, int fn, bool shapeless);
int mlxgo_func_call(mlxgo_func f, const mlxgo_array* args, int nargs, mlxgo_array** outs, int* nouts);
int mlxgo_func_free(mlxgo_func f);
int mlxgo_set_compile_enabled(bool enabled);
/* Makes s the current thread's default stream for its device. MLX's
 * transforms make some arrays on the default stream, which is per thread;
 * a transform must use a stream every thread can evaluate on. */
int mlxgo_use_default_stream(mlxgo_stream s);
void mlxgo_free_handles(mlxgo_array* hs);

#ifdef __cplusplus
}
#endif

#include "ops_gen.h"

#endif
