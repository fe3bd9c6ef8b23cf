package cgo

/*
#include <stdlib.h>
#include "io.h"
*/
import "C"

import "unsafe"

// cStrings copies Go strings into C memory; free releases them.
func cStrings(v []string) (list []*C.char, free func()) {
	list = make([]*C.char, len(v))
	for i, s := range v {
		list[i] = C.CString(s)
	}
	return list, func() {
		for _, p := range list {
			C.free(unsafe.Pointer(p))
		}
	}
}

func stringsPtr(v []*C.char) **C.char {
	if len(v) == 0 {
		return nil
	}
	return &v[0]
}

// takeStrings copies a malloc'd string list into Go and frees it.
func takeStrings(p **C.char, n C.int) []string {
	if p == nil {
		return nil
	}
	out := make([]string, int(n))
	for i, s := range unsafe.Slice(p, int(n)) {
		out[i] = C.GoString(s)
	}
	C.mlxgo_free_strings(p, n)
	return out
}

// takeNamedArrays pairs the names and handles a load returned.
func takeNamedArrays(names **C.char, arrays *C.mlxgo_array, n C.int) map[string]Handle {
	keys := takeStrings(names, n)
	hs := takeHandles(arrays, n)
	out := make(map[string]Handle, len(keys))
	for i, k := range keys {
		out[k] = hs[i]
	}
	return out
}

// LoadSafetensors reads every array (evaluated) and the metadata of a
// .safetensors file, on stream s (MLX loads on the CPU).
func LoadSafetensors(path string, s Stream) (map[string]Handle, map[string]string, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var names, mkeys, mvals **C.char
	var arrays *C.mlxgo_array
	var n, nmeta C.int
	l := lock()
	st := C.mlxgo_load_safetensors(cpath, s.c(), &names, &arrays, &n, &mkeys, &mvals, &nmeta)
	err := statusError(st)
	unlock(l)
	if err != nil {
		return nil, nil, err
	}
	keys := takeStrings(mkeys, nmeta)
	vals := takeStrings(mvals, nmeta)
	meta := make(map[string]string, len(keys))
	for i, k := range keys {
		meta[k] = vals[i]
	}
	return takeNamedArrays(names, arrays, n), meta, nil
}

// SaveSafetensors writes named arrays and string metadata to path.
func SaveSafetensors(path string, names []string, arrays []Handle, metaKeys, metaValues []string) error {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cnames, freeNames := cStrings(names)
	defer freeNames()
	ckeys, freeKeys := cStrings(metaKeys)
	defer freeKeys()
	cvals, freeVals := cStrings(metaValues)
	defer freeVals()
	hs := cHandles(arrays)
	l := lock()
	st := C.mlxgo_save_safetensors(cpath, stringsPtr(cnames), handlesPtr(hs), C.int(len(hs)),
		stringsPtr(ckeys), stringsPtr(cvals), C.int(len(ckeys)))
	err := statusError(st)
	unlock(l)
	return err
}

// LoadNpy reads one array (evaluated) from a .npy file.
func LoadNpy(path string, s Stream) (Handle, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var res C.mlxgo_array
	l := lock()
	st := C.mlxgo_load_npy(cpath, s.c(), &res)
	err := statusError(st)
	unlock(l)
	return Handle{unsafe.Pointer(res)}, err
}

// SaveNpy writes one array to a .npy file.
func SaveNpy(path string, a Handle) error {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	l := lock()
	st := C.mlxgo_save_npy(cpath, a.c())
	err := statusError(st)
	unlock(l)
	return err
}

// MetaValue is one GGUF metadata value: an array of numbers (Array set), a
// string list (Strings set; IsList tells a single string from a list), or
// nothing.
type MetaValue struct {
	Array   Handle
	Strings []string
	IsList  bool
}

// LoadGGUF reads every array (evaluated) and the metadata of a .gguf file.
func LoadGGUF(path string, s Stream) (map[string]Handle, map[string]MetaValue, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var names **C.char
	var arrays *C.mlxgo_array
	var meta *C.mlxgo_meta_entry
	var n, nmeta C.int
	l := lock()
	st := C.mlxgo_load_gguf(cpath, s.c(), &names, &arrays, &n, &meta, &nmeta)
	err := statusError(st)
	unlock(l)
	if err != nil {
		return nil, nil, err
	}
	md := make(map[string]MetaValue, int(nmeta))
	if meta != nil {
		for _, e := range unsafe.Slice(meta, int(nmeta)) {
			var v MetaValue
			switch e.kind {
			case C.MLXGO_META_ARRAY:
				v.Array = Handle{unsafe.Pointer(e.array)}
			case C.MLXGO_META_STRING, C.MLXGO_META_STRINGS:
				v.IsList = e.kind == C.MLXGO_META_STRINGS
				for _, p := range unsafe.Slice(e.strings, int(e.nstrings)) {
					v.Strings = append(v.Strings, C.GoString(p))
				}
			}
			md[C.GoString(e.key)] = v
		}
		C.mlxgo_free_meta(meta, nmeta)
	}
	return takeNamedArrays(names, arrays, n), md, nil
}

// SaveGGUF writes named arrays and metadata to a .gguf file.
func SaveGGUF(path string, names []string, arrays []Handle, metaKeys []string, metaValues []MetaValue) error {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cnames, freeNames := cStrings(names)
	defer freeNames()
	hs := cHandles(arrays)
	// The entries live in C memory: cgo forbids passing Go memory that
	// holds Go pointers.
	entries := (*C.mlxgo_meta_entry)(C.calloc(C.size_t(max(len(metaKeys), 1)), C.size_t(unsafe.Sizeof(C.mlxgo_meta_entry{}))))
	defer C.free(unsafe.Pointer(entries))
	list := unsafe.Slice(entries, len(metaKeys))
	var frees []func()
	defer func() {
		for _, f := range frees {
			f()
		}
	}()
	for i, k := range metaKeys {
		e := &list[i]
		e.key = C.CString(k)
		frees = append(frees, func() { C.free(unsafe.Pointer(e.key)) })
		v := metaValues[i]
		switch {
		case !v.Array.IsNil():
			e.kind = C.MLXGO_META_ARRAY
			e.array = v.Array.c()
		case v.Strings != nil || v.IsList:
			e.kind = C.MLXGO_META_STRING
			if v.IsList {
				e.kind = C.MLXGO_META_STRINGS
			}
			strs := (**C.char)(C.calloc(C.size_t(max(len(v.Strings), 1)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
			items := unsafe.Slice(strs, len(v.Strings))
			for j, s := range v.Strings {
				items[j] = C.CString(s)
			}
			e.strings, e.nstrings = strs, C.int(len(v.Strings))
			frees = append(frees, func() { C.mlxgo_free_strings(strs, C.int(len(items))) })
		default:
			e.kind = C.MLXGO_META_NONE
		}
	}
	l := lock()
	st := C.mlxgo_save_gguf(cpath, stringsPtr(cnames), handlesPtr(hs), C.int(len(hs)), entries, C.int(len(metaKeys)))
	err := statusError(st)
	unlock(l)
	return err
}
