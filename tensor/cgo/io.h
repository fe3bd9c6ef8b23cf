/* File IO part of the C ABI: safetensors, .npy and GGUF through MLX's own
 * loaders and savers. Same conventions as bridge.h: status 0 = ok, the
 * message in mlxgo_last_error. Lists returned by these calls are malloc'd and
 * owned by the caller (free them with the mlxgo_free_* calls below); array
 * handles in them are owned by the caller as usual. */
#ifndef MLXGO_IO_H
#define MLXGO_IO_H

#include "bridge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Loads evaluate their arrays before returning, so a file that is short or
 * unreadable fails here, inside the guard, and not later in some other op. */
int mlxgo_load_safetensors(const char* path, mlxgo_stream s,
                           char*** names, mlxgo_array** arrays, int* n,
                           char*** meta_keys, char*** meta_values, int* nmeta);
int mlxgo_save_safetensors(const char* path,
                           const char* const* names, const mlxgo_array* arrays, int n,
                           const char* const* meta_keys, const char* const* meta_values, int nmeta);

int mlxgo_load_npy(const char* path, mlxgo_stream s, mlxgo_array* res);
int mlxgo_save_npy(const char* path, mlxgo_array a);

/* A GGUF metadata value is nothing, an array (numbers), a string, or a list
 * of strings (mx::GGUFMetaData). */
enum { MLXGO_META_NONE = 0, MLXGO_META_ARRAY, MLXGO_META_STRING, MLXGO_META_STRINGS };

typedef struct {
  char* key;
  int kind;
  mlxgo_array array; /* kind ARRAY */
  char** strings;    /* kind STRING: one item; kind STRINGS: nstrings items */
  int nstrings;
} mlxgo_meta_entry;

int mlxgo_load_gguf(const char* path, mlxgo_stream s,
                    char*** names, mlxgo_array** arrays, int* n,
                    mlxgo_meta_entry** meta, int* nmeta);
int mlxgo_save_gguf(const char* path,
                    const char* const* names, const mlxgo_array* arrays, int n,
                    const mlxgo_meta_entry* meta, int nmeta);

void mlxgo_free_strings(char** list, int n);
/* Frees the keys and strings of the entries; their array handles stay with the caller. */
void mlxgo_free_meta(mlxgo_meta_entry* meta, int n);

#ifdef __cplusplus
}
#endif

#endif
