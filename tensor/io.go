package tensor

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Files: safetensors, .npy and GGUF, read and written by MLX's own code, so
// what Python MLX writes Go reads and the other way round.
//
// Loads read the whole file and evaluate every array before returning:
// a short or damaged file is reported here, as an error naming the file,
// and not later from some unrelated op. Saves write a temporary file and
// rename it into place, so a failed save leaves no partial file. Failures
// are *os.PathError values (Op is the function, Path the file), so
// errors.Is(err, fs.ErrNotExist) works for a missing file.

func fileError(op, path string, err error) error {
	return &os.PathError{Op: op, Path: path, Err: err}
}

// checkReadable reports a missing or unreadable file with the operating
// system's own error before MLX sees the path.
func checkReadable(op, path string) error {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fileError(op, path, err)
	}
	st, err := f.Stat()
	f.Close()
	if err == nil && st.IsDir() {
		return fileError(op, path, errors.New("is a directory"))
	}
	return nil
}

// checkSavePath refuses a path C would read differently: a NUL byte ends
// a C string, so "a\x00b" would write to "a".
func checkSavePath(op, path string) error {
	if strings.IndexByte(path, 0) >= 0 {
		return fileError(op, path, errors.New("path contains a NUL byte"))
	}
	return nil
}

// saveVia has write (MLX's saver) write a temporary file beside the
// destination and renames it into place once complete, so a failed save
// leaves no partial file and keeps any file that was there. Like MLX, it
// adds ext to path when path lacks it.
func saveVia(op, path, ext string, write func(tmp string) error) error {
	final := path
	if !strings.HasSuffix(final, ext) {
		final += ext
	}
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fileError(op, path, err)
	}
	tmp := filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".tmp-"+hex.EncodeToString(rnd[:])+ext)
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return fileError(op, path, errors.New(strings.ReplaceAll(err.Error(), tmp, final)))
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return fileError(op, path, err)
	}
	return nil
}

// loadStream is where loads run: MLX reads files on the CPU.
func loadStream() cgo.Stream { return DefaultStreamOf(CPU).s }

func wrapHandles(hs map[string]cgo.Handle) map[string]*Array {
	out := make(map[string]*Array, len(hs))
	for k, h := range hs {
		out[k] = newArray(h)
	}
	return out
}

// namedHandles lists the arrays in name order (files come out the same for
// the same map), refusing nil and freed arrays.
func namedHandles(op, path string, arrays map[string]*Array) ([]string, []cgo.Handle, error) {
	if err := checkSavePath(op, path); err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(arrays))
	for k := range arrays {
		names = append(names, k)
	}
	sort.Strings(names)
	hs := make([]cgo.Handle, len(names))
	for i, k := range names {
		a := arrays[k]
		switch {
		case a == nil:
			return nil, nil, fileError(op, path, fmt.Errorf("array %q is nil", k))
		case a.h.IsNil():
			return nil, nil, fileError(op, path, fmt.Errorf("array %q was freed", k))
		}
		hs[i] = a.h
	}
	return names, hs, nil
}

// LoadSafetensors reads a .safetensors file: its arrays by name and its
// string metadata.
func LoadSafetensors(path string) (map[string]*Array, map[string]string, error) {
	const op = "load_safetensors"
	if err := checkReadable(op, path); err != nil {
		return nil, nil, err
	}
	hs, meta, err := cgo.LoadSafetensors(path, loadStream())
	if err != nil {
		return nil, nil, fileError(op, path, err)
	}
	return wrapHandles(hs), meta, nil
}

// SaveSafetensors writes arrays by name, with optional string metadata, to
// a .safetensors file (float64 is not a safetensors dtype in MLX). Like
// MLX, it adds the ".safetensors" extension when path lacks it.
func SaveSafetensors(path string, arrays map[string]*Array, metadata map[string]string) error {
	const op = "save_safetensors"
	if _, ok := arrays["__metadata__"]; ok {
		// MLX would write the array where the metadata goes: a file
		// nothing can read.
		return fileError(op, path, errors.New(`array name "__metadata__" is reserved by the safetensors format`))
	}
	names, hs, err := namedHandles(op, path, arrays)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(metadata))
	for k := range metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = metadata[k]
	}
	return saveVia(op, path, ".safetensors", func(tmp string) error {
		return cgo.SaveSafetensors(tmp, names, hs, keys, vals)
	})
}

// LoadNpy reads one array from a NumPy .npy file.
func LoadNpy(path string) (*Array, error) {
	const op = "load_npy"
	if err := checkReadable(op, path); err != nil {
		return nil, err
	}
	h, err := cgo.LoadNpy(path, loadStream())
	if err != nil {
		if err.Error() == "stoi" { // MLX's header parser, on a shape it cannot read
			err = errors.New("malformed or out-of-range shape in the .npy header")
		}
		return nil, fileError(op, path, err)
	}
	return newArray(h), nil
}

// SaveNpy writes a to a NumPy .npy file. Like MLX, it adds the ".npy"
// extension when path lacks it. Saves write a temporary file and rename it
// into place: a failed save leaves no partial file.
func SaveNpy(path string, a *Array) error {
	const op = "save_npy"
	if err := checkSavePath(op, path); err != nil {
		return err
	}
	switch {
	case a == nil:
		return fileError(op, path, errors.New("array is nil"))
	case a.h.IsNil():
		return fileError(op, path, errors.New("array was freed"))
	}
	return saveVia(op, path, ".npy", func(tmp string) error { return cgo.SaveNpy(tmp, a.h) })
}
