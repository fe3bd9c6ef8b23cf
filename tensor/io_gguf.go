package tensor

import (
	"fmt"
	"sort"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// LoadGGUF reads a .gguf file: its arrays by name and its metadata. A
// metadata value is a string, a []string, or numbers: a single number as
// int64, uint64, float64 or bool (by its GGUF type), a list of numbers as a
// slice of those. Tensors come back as MLX loads them: Q4_0, Q4_1 and Q8_0
// as MLX quantized triples (NAME.weight packed in uint32, NAME.scales and
// NAME.biases, for Dequantize or QuantizedMatmul with group size 32); Q2_K,
// Q4_K, Q6_K and BF16 converted to float16; the rest as they are. Other
// GGML types, and damaged files, are an error (the file's structure is
// checked before MLX reads it: MLX's GGUF reader crashes on damaged files).
func LoadGGUF(path string) (map[string]*Array, map[string]any, error) {
	const op = "load_gguf"
	if err := checkReadable(op, path); err != nil {
		return nil, nil, err
	}
	if err := checkGGUF(path); err != nil {
		return nil, nil, fileError(op, path, err)
	}
	hs, md, err := cgo.LoadGGUF(path, loadStream())
	if err != nil {
		return nil, nil, fileError(op, path, err)
	}
	meta := make(map[string]any, len(md))
	for k, v := range md {
		switch {
		case !v.Array.IsNil():
			a := newArray(v.Array)
			meta[k] = goValue(a)
			a.Free()
		case v.IsList:
			meta[k] = v.Strings
		case v.Strings != nil:
			meta[k] = v.Strings[0]
		default:
			meta[k] = nil
		}
	}
	return wrapHandles(hs), meta, nil
}

// goValue is the Go form of a small metadata array: a scalar for a 0-d
// array, a slice otherwise.
func goValue(a *Array) any {
	d := a.Dtype()
	scalar := a.Ndim() == 0
	switch {
	case d == Bool:
		v := a.Bools()
		if scalar {
			return v[0]
		}
		return v
	case d.IsSigned():
		v := a.Int64s()
		if scalar {
			return v[0]
		}
		return v
	case d.IsInteger():
		v := a.Uint64s()
		if scalar {
			return v[0]
		}
		return v
	default:
		v := a.Float64s()
		if scalar {
			return v[0]
		}
		return v
	}
}

// SaveGGUF writes arrays by name and metadata to a .gguf file. Metadata
// values may be a string, a []string, an *Array, or Go numbers and slices
// of numbers (typed as tensor.New types them: int is int32, float64 is
// float32; pass an *Array for another dtype). MLX writes int8, int16,
// int32, float16 and float32 tensors. Like MLX, it adds the ".gguf"
// extension when path lacks it.
func SaveGGUF(path string, arrays map[string]*Array, metadata map[string]any) error {
	const op = "save_gguf"
	names, hs, err := namedHandles(op, path, arrays)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(metadata))
	for k := range metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]cgo.MetaValue, len(keys))
	var temps []*Array
	defer func() { freeTemps(temps) }()
	for i, k := range keys {
		switch x := metadata[k].(type) {
		case string:
			vals[i] = cgo.MetaValue{Strings: []string{x}}
		case []string:
			vals[i] = cgo.MetaValue{Strings: x, IsList: true}
		case *Array:
			if x == nil || x.h.IsNil() {
				return fileError(op, path, fmt.Errorf("metadata %q: nil or freed *Array", k))
			}
			vals[i] = cgo.MetaValue{Array: x.h}
		case nil:
			return fileError(op, path, fmt.Errorf("metadata %q: nil value", k))
		default:
			a, err := fromAny(x)
			if err != nil {
				return fileError(op, path, fmt.Errorf("metadata %q: %v", k, err))
			}
			temps = append(temps, a)
			vals[i] = cgo.MetaValue{Array: a.h}
		}
	}
	return saveVia(op, path, ".gguf", func(tmp string) error {
		return cgo.SaveGGUF(tmp, names, hs, keys, vals)
	})
}
