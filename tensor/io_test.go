package tensor

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

var everyDtype = []Dtype{Bool, Uint8, Uint16, Uint32, Uint64, Int8, Int16, Int32, Int64,
	Float16, Float32, Float64, Bfloat16, Complex64}

// storedBytes is a's elements as stored, row-major.
func storedBytes(t *testing.T, a *Array) []byte {
	t.Helper()
	p, n := a.readRaw("test", a.Dtype())
	return slices.Clone(unsafe.Slice((*byte)(p), n*a.Itemsize()))
}

// randomArray fills an array of dtype d with random bytes (bool: 0 or 1), so
// round trips are checked bit for bit, NaN payloads included.
func randomArray(rng *rand.Rand, d Dtype, shape ...int) (*Array, []byte) {
	n := 1
	for _, s := range shape {
		n *= s
	}
	b := make([]byte, n*d.Size())
	for i := range b {
		b[i] = byte(rng.IntN(256))
		if d == Bool {
			b[i] &= 1
		}
	}
	return fromBytes("test", b, shape, d), b
}

// pyArray is one array as the Python scripts describe it.
type pyArray struct {
	Dtype string `json:"dtype"`
	Shape []int  `json:"shape"`
	Hex   string `json:"hex"`
}

func checkAgainstPython(t *testing.T, name string, a *Array, want pyArray) {
	t.Helper()
	if a == nil {
		t.Errorf("%s: missing", name)
		return
	}
	if got := a.Dtype().String(); got != want.Dtype {
		t.Errorf("%s: dtype %s, Python %s", name, got, want.Dtype)
	}
	if got := a.Shape(); !slices.Equal(got, want.Shape) {
		t.Errorf("%s: shape %v, Python %v", name, got, want.Shape)
	}
	if got := hex.EncodeToString(storedBytes(t, a)); got != want.Hex {
		t.Errorf("%s: bytes differ from Python's\n go %s\n py %s", name, got, want.Hex)
	}
}

func TestSafetensorsRoundTripEveryDtype(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	arrays := map[string]*Array{}
	want := map[string][]byte{}
	for _, d := range everyDtype {
		if d == Float64 { // not a safetensors dtype in MLX; see TestSaveErrors
			continue
		}
		arrays[d.String()], want[d.String()] = randomArray(rng, d, 2, 3, 4)
	}
	arrays["scalar"], want["scalar"] = randomArray(rng, Float32)
	arrays["empty"], want["empty"] = randomArray(rng, Bfloat16, 0, 3)
	meta := map[string]string{"format": "mlx", "empty": "", "unicode": "héllo ✓"}
	path := filepath.Join(t.TempDir(), "w.safetensors")
	if err := SaveSafetensors(path, arrays, meta); err != nil {
		t.Fatal(err)
	}
	got, gotMeta, err := LoadSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotMeta, meta) {
		t.Errorf("metadata %v, want %v", gotMeta, meta)
	}
	if len(got) != len(arrays) {
		t.Errorf("loaded %d arrays, saved %d", len(got), len(arrays))
	}
	for k, a := range arrays {
		b := got[k]
		if b == nil {
			t.Errorf("%s: missing after load", k)
			continue
		}
		if b.Dtype() != a.Dtype() || !slices.Equal(b.Shape(), a.Shape()) {
			t.Errorf("%s: loaded %s, saved %s", k, describe(b), describe(a))
		}
		if !slices.Equal(storedBytes(t, b), want[k]) {
			t.Errorf("%s: bytes changed in the round trip", k)
		}
	}
}

func TestNpyRoundTripEveryDtype(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dir := t.TempDir()
	for _, d := range everyDtype {
		for _, shape := range [][]int{{3, 5}, {}, {0, 2}, {2, 1, 3}} {
			a, want := randomArray(rng, d, shape...)
			path := filepath.Join(dir, d.String()+".npy")
			if err := SaveNpy(path, a); err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			b, err := LoadNpy(path)
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			if b.Dtype() != d || !slices.Equal(b.Shape(), shape) {
				t.Errorf("%s%v: loaded %s", d, shape, describe(b))
			}
			if !slices.Equal(storedBytes(t, b), want) {
				t.Errorf("%s%v: bytes changed in the round trip", d, shape)
			}
		}
	}
}

// A transposed (non-contiguous) array is saved in its logical order.
func TestSaveNonContiguous(t *testing.T) {
	a := FromFloat32s([]float32{1, 2, 3, 4, 5, 6}, 2, 3).Transpose()
	path := filepath.Join(t.TempDir(), "t.npy")
	if err := SaveNpy(path, a); err != nil {
		t.Fatal(err)
	}
	b, err := LoadNpy(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Float32s(), a.Float32s()) || !slices.Equal(b.Shape(), []int{3, 2}) {
		t.Errorf("loaded %v, saved %v", b, a)
	}
}

func TestPythonWritesGoReads(t *testing.T) {
	dir := t.TempDir()
	script, err := os.ReadFile(filepath.Join("testdata", "io", "python_write.py"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Safetensors     map[string]pyArray `json:"safetensors"`
		SafetensorsMeta map[string]string  `json:"safetensors_meta"`
		Npy             map[string]pyArray `json:"npy"`
		GGUF            map[string]pyArray `json:"gguf"`
		GGUFMeta        map[string]any     `json:"gguf_meta"`
		NumPy           map[string]pyArray `json:"numpy"`
	}
	if err := json.Unmarshal(testutil.RunPython(t, string(script), dir), &manifest); err != nil {
		t.Fatal(err)
	}

	arrays, meta, err := LoadSafetensors(filepath.Join(dir, "py.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(meta, manifest.SafetensorsMeta) {
		t.Errorf("safetensors metadata %v, Python wrote %v", meta, manifest.SafetensorsMeta)
	}
	if len(arrays) != len(manifest.Safetensors) {
		t.Errorf("loaded %d arrays, Python wrote %d", len(arrays), len(manifest.Safetensors))
	}
	for k, want := range manifest.Safetensors {
		checkAgainstPython(t, "safetensors "+k, arrays[k], want)
	}

	if len(manifest.Npy) != len(everyDtype) {
		t.Errorf("Python wrote %d .npy files, want one per dtype", len(manifest.Npy))
	}
	for k, want := range manifest.Npy {
		a, err := LoadNpy(filepath.Join(dir, "py_"+k+".npy"))
		if err != nil {
			t.Error(err)
			continue
		}
		checkAgainstPython(t, "npy "+k, a, want)
	}

	if len(manifest.NumPy) == 0 {
		t.Error("no NumPy-written files")
	}
	for k, want := range manifest.NumPy {
		a, err := LoadNpy(filepath.Join(dir, "np_"+k+".npy"))
		if err != nil {
			t.Error(err)
			continue
		}
		checkAgainstPython(t, "NumPy npy "+k, a, want)
	}

	garrays, gmeta, err := LoadGGUF(filepath.Join(dir, "py.gguf"))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range manifest.GGUF {
		checkAgainstPython(t, "gguf "+k, garrays[k], want)
	}
	checkGGUFMeta(t, gmeta, manifest.GGUFMeta)
}

// checkGGUFMeta compares Go's metadata values with Python's (as JSON
// decodes them: numbers float64, lists []any).
func checkGGUFMeta(t *testing.T, got map[string]any, want map[string]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("gguf metadata has %d keys, Python %d: %v vs %v", len(got), len(want), got, want)
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("gguf metadata %q missing", k)
			continue
		}
		// Round-trip Go's value through JSON so both sides have one form.
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		var gj any
		if err := json.Unmarshal(b, &gj); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gj, w) {
			t.Errorf("gguf metadata %q: Go %#v, Python %#v", k, g, w)
		}
	}
}

func TestGoWritesPythonReads(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	dir := t.TempDir()
	stPath := filepath.Join(dir, "go.safetensors")
	stArrays := map[string]*Array{}
	want := map[string]map[string][]byte{stPath: {}}
	for _, d := range everyDtype {
		if d != Float64 {
			stArrays[d.String()], want[stPath][d.String()] = randomArray(rng, d, 4, 3)
		}
	}
	stMeta := map[string]string{"written_by": "go", "n": "12"}
	if err := SaveSafetensors(stPath, stArrays, stMeta); err != nil {
		t.Fatal(err)
	}
	files := []string{stPath}
	for _, d := range everyDtype {
		p := filepath.Join(dir, "go_"+d.String()+".npy")
		a, b := randomArray(rng, d, 2, 5)
		if err := SaveNpy(p, a); err != nil {
			t.Fatal(err)
		}
		want[p] = map[string][]byte{"array": b}
		files = append(files, p)
	}
	ggPath := filepath.Join(dir, "go.gguf")
	ggArrays := map[string]*Array{}
	want[ggPath] = map[string][]byte{}
	for _, d := range []Dtype{Int8, Int16, Int32, Float16, Float32} {
		ggArrays[d.String()], want[ggPath][d.String()] = randomArray(rng, d, 3, 4)
	}
	ggMeta := map[string]any{
		"general.name":     "tiny",
		"tokenizer.tokens": []string{"x", "yy"},
		"count":            7,
		"ratio":            0.5,
		"dims":             []int{4, 5, 6},
		"exact":            FromInt16s([]int16{-3, 9}),
	}
	if err := SaveGGUF(ggPath, ggArrays, ggMeta); err != nil {
		t.Fatal(err)
	}
	files = append(files, ggPath)

	script, err := os.ReadFile(filepath.Join("testdata", "io", "python_read.py"))
	if err != nil {
		t.Fatal(err)
	}
	var read map[string]struct {
		Arrays map[string]pyArray `json:"arrays"`
		Meta   map[string]any     `json:"meta"`
	}
	if err := json.Unmarshal(testutil.RunPython(t, string(script), files...), &read); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		r, ok := read[f]
		if !ok {
			t.Errorf("Python did not read %s", f)
			continue
		}
		if len(r.Arrays) != len(want[f]) {
			t.Errorf("%s: Python read %d arrays, Go wrote %d", f, len(r.Arrays), len(want[f]))
		}
		for k, b := range want[f] {
			if got := r.Arrays[k].Hex; got != hex.EncodeToString(b) {
				t.Errorf("%s %s: Python read other bytes than Go wrote", f, k)
			}
		}
	}
	stRead := map[string]any{}
	for k, v := range stMeta {
		stRead[k] = v
	}
	if !reflect.DeepEqual(read[stPath].Meta, stRead) {
		t.Errorf("Python read safetensors metadata %v, Go wrote %v", read[stPath].Meta, stMeta)
	}
	wantMeta := map[string]any{"general.name": "tiny", "tokenizer.tokens": []any{"x", "yy"},
		"count": 7.0, "ratio": 0.5, "dims": []any{4.0, 5.0, 6.0}, "exact": []any{-3.0, 9.0}}
	if !reflect.DeepEqual(read[ggPath].Meta, wantMeta) {
		t.Errorf("Python read gguf metadata %v, Go wrote %v", read[ggPath].Meta, ggMeta)
	}
}

// checkFileError wants a *os.PathError naming path and containing each of
// the words.
func checkFileError(t *testing.T, what string, err error, path string, words ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	var pe *os.PathError
	if !errors.As(err, &pe) || pe.Path != path {
		t.Errorf("%s: error %T %q does not name %s", what, err, err, path)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("%s: message %q does not name %s", what, err, path)
	}
	for _, w := range words {
		if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(w)) {
			t.Errorf("%s: message %q does not say %q", what, err, w)
		}
	}
}

// npyHeader is the start of a version 1.0 .npy file with the given header
// dictionary, padded as NumPy pads it.
func npyHeader(dict string) []byte {
	for (10+len(dict)+1)%64 != 0 {
		dict += " "
	}
	dict += "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = append(b, byte(len(dict)), byte(len(dict)>>8))
	return append(b, dict...)
}

// safetensorsFile is a file with the given JSON header and payload.
func safetensorsFile(t *testing.T, path, header string, payload []byte) {
	t.Helper()
	b := make([]byte, 8, 8+len(header)+len(payload))
	n := uint64(len(header))
	for i := range 8 {
		b[i] = byte(n >> (8 * i))
	}
	b = append(append(b, header...), payload...)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }

	// Missing files: the OS's own error, so errors.Is works.
	missing := at("missing.safetensors")
	_, _, err := LoadSafetensors(missing)
	checkFileError(t, "missing safetensors", err, missing, "no such file")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v is not fs.ErrNotExist", err)
	}
	_, err = LoadNpy(at("missing.npy"))
	checkFileError(t, "missing npy", err, at("missing.npy"), "no such file")
	_, _, err = LoadGGUF(at("missing.gguf"))
	checkFileError(t, "missing gguf", err, at("missing.gguf"), "no such file")
	_, _, err = LoadSafetensors(dir)
	checkFileError(t, "directory", err, dir, "directory")

	// A good file cut short.
	good := at("good.safetensors")
	if err := SaveSafetensors(good, map[string]*Array{"w": Zeros([]int{64, 64})}, nil); err != nil {
		t.Fatal(err)
	}
	full, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{len(full) - 100, 100, 12, 5, 0} {
		p := at("cut.safetensors")
		if err := os.WriteFile(p, full[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := LoadSafetensors(p)
		checkFileError(t, "truncated safetensors", err, p)
	}

	// Damaged headers.
	bad := at("bad.safetensors")
	safetensorsFile(t, bad, `{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]`, make([]byte, 8))
	_, _, err = LoadSafetensors(bad)
	checkFileError(t, "unterminated header", err, bad, "parse error")
	safetensorsFile(t, bad, `not json at all`, nil)
	_, _, err = LoadSafetensors(bad)
	checkFileError(t, "garbage header", err, bad, "parse error")
	safetensorsFile(t, bad, `{"w": {"dtype": "Q7", "shape": [2], "data_offsets": [0, 8]}}`, make([]byte, 8))
	_, _, err = LoadSafetensors(bad)
	checkFileError(t, "unknown dtype", err, bad, "Q7")
	safetensorsFile(t, bad, `{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}`, make([]byte, 8))
	_, _, err = LoadSafetensors(bad)
	checkFileError(t, "shape does not match the data", err, bad)
	big := make([]byte, 8)
	big[5] = 1 // header length 2^40
	if err := os.WriteFile(bad, append(big, "{}"...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = LoadSafetensors(bad)
	checkFileError(t, "header longer than the file", err, bad)

	// .npy: cut short, and not a .npy at all.
	npy := at("x.npy")
	if err := SaveNpy(npy, Ones([]int{100})); err != nil {
		t.Fatal(err)
	}
	full, err = os.ReadFile(npy)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(npy, full[:len(full)-40], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadNpy(npy)
	checkFileError(t, "truncated npy", err, npy)
	if err := os.WriteFile(npy, []byte("PK\x03\x04 this is a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadNpy(npy)
	checkFileError(t, "not an npy", err, npy)

	// .npy with a dtype MLX has no type for (a string array), and one with
	// a shape it cannot read.
	for _, tc := range []struct{ header, words string }{
		{"{'descr': '<U4', 'fortran_order': False, 'shape': (2,), }", "<U4"},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999,), }", "shape"},
	} {
		if err := os.WriteFile(npy, append(npyHeader(tc.header), make([]byte, 64)...), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = LoadNpy(npy)
		checkFileError(t, "npy "+tc.header, err, npy, tc.words)
	}

	// GGUF: a tensor type MLX cannot load (GGML type 6, Q5_0).
	gg := at("x.gguf")
	if err := SaveGGUF(gg, map[string]*Array{"w": Ones([]int{2, 2})}, nil); err != nil {
		t.Fatal(err)
	}
	full, err = os.ReadFile(gg)
	if err != nil {
		t.Fatal(err)
	}
	// The tensor table follows the 24-byte header: name, ndim, dims, type.
	typeAt := 24 + 8 + len("w") + 4 + 2*8
	full[typeAt] = 6
	if err := os.WriteFile(gg, full, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = LoadGGUF(gg)
	checkFileError(t, "gguf Q5_0 tensor", err, gg, "GGML type 6, which MLX cannot load")

	// GGUF: not a GGUF, and a real one cut short.
	if err := os.WriteFile(gg, []byte("GGUF but not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = LoadGGUF(gg)
	checkFileError(t, "corrupt gguf", err, gg)
	if err := SaveGGUF(gg, map[string]*Array{"w": Ones([]int{32, 32})}, map[string]any{"name": "x"}); err != nil {
		t.Fatal(err)
	}
	full, err = os.ReadFile(gg)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{len(full) - 64, 40, 3} {
		if err := os.WriteFile(gg, full[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err = LoadGGUF(gg)
		checkFileError(t, "truncated gguf", err, gg)
	}
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f64.safetensors")
	err := SaveSafetensors(p, map[string]*Array{"x": FromFloat64s([]float64{1, 2})}, nil)
	checkFileError(t, "float64 safetensors", err, p, "dtype")

	p = filepath.Join(dir, "no", "such", "dir", "x.safetensors")
	err = SaveSafetensors(p, map[string]*Array{"x": Ones([]int{2})}, nil)
	checkFileError(t, "missing directory", err, p)

	p = filepath.Join(dir, "nil.npy")
	checkFileError(t, "nil array", SaveNpy(p, nil), p, "nil")
	freed := Ones([]int{2})
	freed.Free()
	checkFileError(t, "freed array", SaveSafetensors(p, map[string]*Array{"x": freed}, nil), p, "freed")

	// A failed save keeps the file that was there.
	p = filepath.Join(dir, "keep.safetensors")
	if err := SaveSafetensors(p, map[string]*Array{"x": FromFloat32s([]float32{1, 2})}, nil); err != nil {
		t.Fatal(err)
	}
	err = SaveSafetensors(p, map[string]*Array{"x": FromFloat64s([]float64{3, 4})}, nil)
	checkFileError(t, "float64 over a good file", err, p, "dtype")
	if kept, _, err := LoadSafetensors(p); err != nil || !slices.Equal(kept["x"].Float32s(), []float32{1, 2}) {
		t.Errorf("the good file did not survive a failed save: %v %v", kept, err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}

	p = filepath.Join(dir, "a\x00b.npy")
	checkFileError(t, "NUL in path", SaveNpy(p, Ones([]int{2})), p, "NUL")
	checkFileError(t, "NUL in path", SaveSafetensors(p, nil, nil), p, "NUL")
	checkFileError(t, "NUL in path", SaveGGUF(p, nil, nil), p, "NUL")
	_, err = LoadNpy(p)
	checkFileError(t, "NUL in path", err, p)
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed saves left files: %v", entries)
	}

	p = filepath.Join(dir, "reserved.safetensors")
	err = SaveSafetensors(p, map[string]*Array{"__metadata__": Ones([]int{2})}, nil)
	checkFileError(t, "reserved name", err, p, "reserved")

	p = filepath.Join(dir, "u8.gguf")
	err = SaveGGUF(p, map[string]*Array{"x": FromUint8s([]uint8{1, 2})}, nil)
	checkFileError(t, "uint8 gguf", err, p, "not supported")
	err = SaveGGUF(p, map[string]*Array{"x": Ones([]int{2})}, map[string]any{"bad": struct{}{}})
	checkFileError(t, "bad metadata value", err, p, "bad")
}

func TestGGUFRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	arrays := map[string]*Array{}
	want := map[string][]byte{}
	for _, d := range []Dtype{Int8, Int16, Int32, Float16, Float32} {
		arrays["blk.0."+d.String()], want["blk.0."+d.String()] = randomArray(rng, d, 2, 16)
	}
	meta := map[string]any{
		"general.architecture": "llama",
		"tokenizer.tokens":     []string{"<s>", "</s>", "héllo"},
		"count":                7,
		"ratio":                0.5,
		"dims":                 []int{4, 5, 6},
		"exact":                FromInt16s([]int16{-3, 9}),
	}
	path := filepath.Join(t.TempDir(), "rt.gguf")
	if err := SaveGGUF(path, arrays, meta); err != nil {
		t.Fatal(err)
	}
	got, gotMeta, err := LoadGGUF(path)
	if err != nil {
		t.Fatal(err)
	}
	for k, b := range want {
		if got[k] == nil || got[k].Dtype() != arrays[k].Dtype() || !slices.Equal(got[k].Shape(), arrays[k].Shape()) {
			t.Errorf("%s: loaded %s, saved %s", k, describe(got[k]), describe(arrays[k]))
		} else if !slices.Equal(storedBytes(t, got[k]), b) {
			t.Errorf("%s: bytes changed in the round trip", k)
		}
	}
	wantMeta := map[string]any{
		"general.architecture": "llama",
		"tokenizer.tokens":     []string{"<s>", "</s>", "héllo"},
		"count":                int64(7),
		"ratio":                0.5,
		"dims":                 []int64{4, 5, 6},
		"exact":                []int64{-3, 9},
	}
	if !reflect.DeepEqual(gotMeta, wantMeta) {
		t.Errorf("metadata %#v, want %#v", gotMeta, wantMeta)
	}
}

// BenchmarkLoadSafetensors reads (and evaluates) a 64 MiB file.
func BenchmarkLoadSafetensors(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.safetensors")
	arrays := map[string]*Array{}
	for i := range 16 {
		arrays[fmt.Sprint("w", i)] = Ones([]int{1024, 1024}) // 4 MiB each
	}
	if err := SaveSafetensors(path, arrays, nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(64 << 20)
	for b.Loop() {
		got, _, err := LoadSafetensors(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range got {
			a.Free()
		}
	}
}

// TestDamagedFilesNeverCrash loads many randomly damaged copies of good
// files: each load must succeed or return an error naming the file, and the
// process must survive (MLX's own GGUF reader crashes on such files; LoadGGUF
// checks the file's structure first).
func TestDamagedFilesNeverCrash(t *testing.T) {
	dir := t.TempDir()
	good := map[string]string{
		".safetensors": filepath.Join(dir, "good.safetensors"),
		".npy":         filepath.Join(dir, "good.npy"),
		".gguf":        filepath.Join(dir, "good.gguf"),
	}
	if err := SaveSafetensors(good[".safetensors"], map[string]*Array{"w": Ones([]int{4, 4}), "b": Ones([]int{3}, Int8)},
		map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	if err := SaveNpy(good[".npy"], Ones([]int{4, 4})); err != nil {
		t.Fatal(err)
	}
	if err := SaveGGUF(good[".gguf"], map[string]*Array{"w": Ones([]int{4, 32})},
		map[string]any{"name": "x", "list": []string{"a", "b"}, "n": 3}); err != nil {
		t.Fatal(err)
	}
	load := func(ext, p string) error {
		var err error
		switch ext {
		case ".safetensors":
			_, _, err = LoadSafetensors(p)
		case ".npy":
			_, err = LoadNpy(p)
		default:
			_, _, err = LoadGGUF(p)
		}
		return err
	}
	rng := rand.New(rand.NewPCG(41, 42))
	for ext, src := range good {
		orig, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for range 500 {
			b := slices.Clone(orig)
			for range 1 + rng.IntN(4) {
				b[rng.IntN(len(b))] = byte(rng.IntN(256))
			}
			if rng.IntN(5) == 0 {
				b = b[:rng.IntN(len(b))]
			}
			p := filepath.Join(dir, "damaged"+ext)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := load(ext, p); err != nil {
				failed++
				var pe *os.PathError
				if !errors.As(err, &pe) || pe.Path != p {
					t.Fatalf("%s: error %q does not name the file", ext, err)
				}
			}
		}
		t.Logf("%s: %d of 500 damaged copies refused", ext, failed)
	}

	// The damage that crashed MLX first: a metadata key length of 3.3 GB.
	orig, err := os.ReadFile(good[".gguf"])
	if err != nil {
		t.Fatal(err)
	}
	b := slices.Clone(orig)
	copy(b[24:32], []byte{4, 0, 0, 0xc9, 0, 0, 0, 0})
	p := filepath.Join(dir, "long_key.gguf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	checkFileError(t, "huge key length", load(".gguf", p), p, "past the end of the file")
}

// ggufTensor is one tensor of a hand-written GGUF file: rows x 256
// elements of GGML type typ, blocks of random bytes.
type ggufTensor struct {
	name        string
	typ         uint32
	rows        int
	block, size int
}

// ggufFile writes a GGUF file by hand (MLX itself writes no quantized or
// bf16 tensors) with the tensors and one uint32 metadata value.
func ggufFile(t *testing.T, path string, tensors []ggufTensor, rng *rand.Rand) {
	t.Helper()
	var le func(b []byte, v any) []byte
	le = func(b []byte, v any) []byte {
		switch x := v.(type) {
		case uint32:
			return append(b, byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
		case uint64:
			for i := range 8 {
				b = append(b, byte(x>>(8*i)))
			}
			return b
		case string:
			return append(le(b, uint64(len(x))), x...)
		}
		panic("type")
	}
	b := append([]byte("GGUF"), 3, 0, 0, 0)
	b = le(b, uint64(len(tensors)))
	b = le(b, uint64(1)) // metadata entries
	b = le(b, "general.quantization_version")
	b = le(b, uint32(4)) // uint32
	b = le(b, uint32(2))
	var data []byte
	for _, tn := range tensors {
		for len(data)%32 != 0 {
			data = append(data, 0)
		}
		b = le(b, tn.name)
		b = le(b, uint32(2))   // dims
		b = le(b, uint64(256)) // GGML order: the row first
		b = le(b, uint64(tn.rows))
		b = le(b, tn.typ)
		b = le(b, uint64(len(data)))
		for range tn.rows * 256 / tn.block * tn.size {
			data = append(data, byte(rng.IntN(256)))
		}
	}
	for len(b)%32 != 0 {
		b = append(b, 0)
	}
	if err := os.WriteFile(path, append(b, data...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestQuantizedGGUFMatchesPython loads a GGUF file with every tensor type
// MLX reads in Go and in Python MLX: the same arrays (quantized ones split
// into weights, scales and biases, or converted to float16), bytes and
// metadata.
func TestQuantizedGGUFMatchesPython(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.gguf")
	ggufFile(t, path, []ggufTensor{
		{"f32.weight", 0, 2, 1, 4}, {"f16.weight", 1, 1, 1, 2}, {"bf16.weight", 30, 2, 1, 2},
		{"i8.weight", 24, 1, 1, 1}, {"i16.weight", 25, 1, 1, 2}, {"i32.weight", 26, 1, 1, 4},
		{"q4_0.weight", 2, 3, 32, 18}, {"q4_1.weight", 3, 2, 32, 20}, {"q8_0.weight", 8, 2, 32, 34},
		{"q2_k.weight", 10, 1, 256, 84}, {"q4_k.weight", 12, 2, 256, 144}, {"q6_k.weight", 14, 1, 256, 210},
	}, rand.New(rand.NewPCG(9, 10)))
	arrays, meta, err := LoadGGUF(path)
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "io", "python_read.py"))
	if err != nil {
		t.Fatal(err)
	}
	var read map[string]struct {
		Arrays map[string]pyArray `json:"arrays"`
		Meta   map[string]any     `json:"meta"`
	}
	if err := json.Unmarshal(testutil.RunPython(t, string(script), path), &read); err != nil {
		t.Fatal(err)
	}
	py := read[path]
	if arrays["q8_0.scales"] == nil || arrays["q4_0.biases"] == nil || len(arrays) != len(py.Arrays) {
		t.Errorf("Go loaded %d arrays, Python %d: %v", len(arrays), len(py.Arrays), py.Arrays)
	}
	for k, want := range py.Arrays {
		checkAgainstPython(t, "gguf "+k, arrays[k], want)
	}
	checkGGUFMeta(t, meta, py.Meta)
}

// Saving to a path without the extension writes path+extension, as MLX
// (and so Python's mx.save*) does.
func TestSaveAddsExtension(t *testing.T) {
	dir := t.TempDir()
	a := FromFloat32s([]float32{1, 2})
	if err := SaveSafetensors(filepath.Join(dir, "m"), map[string]*Array{"a": a}, nil); err != nil {
		t.Fatal(err)
	}
	if err := SaveNpy(filepath.Join(dir, "m"), a); err != nil {
		t.Fatal(err)
	}
	if err := SaveGGUF(filepath.Join(dir, "m"), map[string]*Array{"a": a}, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadSafetensors(filepath.Join(dir, "m.safetensors")); err != nil {
		t.Error(err)
	}
	if _, err := LoadNpy(filepath.Join(dir, "m.npy")); err != nil {
		t.Error(err)
	}
	if _, _, err := LoadGGUF(filepath.Join(dir, "m.gguf")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "m")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file named m exists: %v", err)
	}
}
