// File IO part of the C ABI (io.h): MLX's own safetensors, .npy and GGUF
// readers and writers behind guard(), with lists handed to Go in malloc'd
// memory.
#include <cstdlib>
#include <stdexcept>
#include <unordered_map>

#include "bridge_internal.hpp"
#include "io.h"

using namespace mlxgo;

namespace {

char* copy_string(const std::string& s) {
  char* p = strdup(s.c_str());
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

template <typename T>
T* alloc_list(size_t n) {
  auto* p = static_cast<T*>(std::calloc(n ? n : 1, sizeof(T)));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

// Hands a name -> array map to the caller as two parallel lists, after
// evaluating every array so read errors surface now.
void out_array_map(std::unordered_map<std::string, mx::array>& m, char*** names, mlxgo_array** arrays, int* n) {
  std::vector<mx::array> all;
  all.reserve(m.size());
  for (auto& [k, v] : m) all.push_back(v);
  mx::eval(all);
  *names = alloc_list<char*>(m.size());
  *arrays = alloc_list<mlxgo_array>(m.size());
  *n = 0;
  for (auto& [k, v] : m) {
    (*names)[*n] = copy_string(k);
    (*arrays)[*n] = wrap(v);
    (*n)++;
  }
}

std::unordered_map<std::string, mx::array> in_array_map(const char* const* names, const mlxgo_array* arrays, int n) {
  std::unordered_map<std::string, mx::array> m;
  for (int i = 0; i < n; i++) {
    if (!m.insert({names[i], arr(arrays[i])}).second) {
      throw std::invalid_argument(std::string("duplicate array name ") + names[i]);
    }
  }
  return m;
}

// MLX's savers make the array contiguous on the thread's default stream
// before writing it. On a GPU machine that is the GPU's, which has no
// float64, so saving a float64 array failed there; the bytes go to the host
// anyway, so the copy happens on the CPU while a save runs.
struct HostStreams {
  mx::StreamContext ctx{mx::Device(mx::Device::cpu)};
};

}  // namespace

extern "C" {

int mlxgo_load_safetensors(const char* path, mlxgo_stream s, char*** names, mlxgo_array** arrays, int* n,
                           char*** meta_keys, char*** meta_values, int* nmeta) {
  return guard([&] {
    auto [tensors, meta] = mx::load_safetensors(std::string(path), stream(s));
    out_array_map(tensors, names, arrays, n);
    *meta_keys = alloc_list<char*>(meta.size());
    *meta_values = alloc_list<char*>(meta.size());
    *nmeta = 0;
    for (auto& [k, v] : meta) {
      (*meta_keys)[*nmeta] = copy_string(k);
      (*meta_values)[*nmeta] = copy_string(v);
      (*nmeta)++;
    }
  });
}

int mlxgo_save_safetensors(const char* path, const char* const* names, const mlxgo_array* arrays, int n,
                           const char* const* meta_keys, const char* const* meta_values, int nmeta) {
  return guard([&] {
    std::unordered_map<std::string, std::string> meta;
    for (int i = 0; i < nmeta; i++) meta[meta_keys[i]] = meta_values[i];
    HostStreams on_cpu;
    mx::save_safetensors(std::string(path), in_array_map(names, arrays, n), meta);
  });
}

int mlxgo_load_npy(const char* path, mlxgo_stream s, mlxgo_array* res) {
  return guard([&] {
    auto a = mx::load(std::string(path), stream(s));
    a.eval();
    *res = wrap(std::move(a));
  });
}

int mlxgo_save_npy(const char* path, mlxgo_array a) {
  return guard([&] {
    HostStreams on_cpu;
    mx::save(std::string(path), arr(a));
  });
}

int mlxgo_load_gguf(const char* path, mlxgo_stream s, char*** names, mlxgo_array** arrays, int* n,
                    mlxgo_meta_entry** meta, int* nmeta) {
  return guard([&] {
    auto [tensors, md] = mx::load_gguf(std::string(path), stream(s));
    std::vector<mx::array> meta_arrays;
    for (auto& [k, v] : md) {
      if (auto* a = std::get_if<mx::array>(&v)) meta_arrays.push_back(*a);
    }
    mx::eval(meta_arrays);
    out_array_map(tensors, names, arrays, n);
    *meta = alloc_list<mlxgo_meta_entry>(md.size());
    *nmeta = 0;
    for (auto& [k, v] : md) {
      auto& e = (*meta)[*nmeta];
      (*nmeta)++;
      e.key = copy_string(k);
      if (auto* a = std::get_if<mx::array>(&v)) {
        e.kind = MLXGO_META_ARRAY;
        e.array = wrap(*a);
      } else if (auto* str = std::get_if<std::string>(&v)) {
        e.kind = MLXGO_META_STRING;
        e.strings = alloc_list<char*>(1);
        e.nstrings = 1;
        e.strings[0] = copy_string(*str);
      } else if (auto* list = std::get_if<std::vector<std::string>>(&v)) {
        e.kind = MLXGO_META_STRINGS;
        e.strings = alloc_list<char*>(list->size());
        for (auto& item : *list) e.strings[e.nstrings++] = copy_string(item);
      } else {
        e.kind = MLXGO_META_NONE;
      }
    }
  });
}

int mlxgo_save_gguf(const char* path, const char* const* names, const mlxgo_array* arrays, int n,
                    const mlxgo_meta_entry* meta, int nmeta) {
  return guard([&] {
    std::unordered_map<std::string, mx::GGUFMetaData> md;
    for (int i = 0; i < nmeta; i++) {
      const auto& e = meta[i];
      switch (e.kind) {
        case MLXGO_META_ARRAY:
          md[e.key] = arr(e.array);
          break;
        case MLXGO_META_STRING:
          if (e.nstrings != 1 || e.strings == nullptr) {
            throw std::invalid_argument("metadata string entry without one string");
          }
          md[e.key] = std::string(e.strings[0]);
          break;
        case MLXGO_META_STRINGS:
          if (e.nstrings > 0 && e.strings == nullptr) throw std::invalid_argument("metadata string list is null");
          md[e.key] = std::vector<std::string>(e.strings, e.strings + e.nstrings);
          break;
        default:
          md[e.key] = std::monostate{};
      }
    }
    mx::save_gguf(std::string(path), in_array_map(names, arrays, n), md);
  });
}

void mlxgo_free_strings(char** list, int n) {
  if (list == nullptr) return;
  for (int i = 0; i < n; i++) std::free(list[i]);
  std::free(list);
}

void mlxgo_free_meta(mlxgo_meta_entry* meta, int n) {
  if (meta == nullptr) return;
  for (int i = 0; i < n; i++) {
    std::free(meta[i].key);
    mlxgo_free_strings(meta[i].strings, meta[i].nstrings);
  }
  std::free(meta);
}

}  // extern "C"
