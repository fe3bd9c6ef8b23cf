package tensor_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

// The parity suite replays tensor/testdata/ops_golden.json, written by
// tests/golden/gen_tensor_golden.py from Python MLX on the CPU, through the
// public Go API (the dispatch table in parity_ops_test.go) and compares
// dtype, shape and bytes bit for bit. No case needs a tolerance: both sides
// run the same libmlx on the CPU, whose kernels (BLAS and LAPACK included)
// are deterministic for these sizes, and random ops take explicit keys.

const goldenPath = "testdata/ops_golden.json"

type goldenArray struct {
	Dtype string `json:"dtype"`
	Shape []int  `json:"shape"`
	Data  string `json:"data"`
}

type goldenInput struct {
	Array  *goldenArray  `json:"array"`
	Arrays []goldenArray `json:"arrays"`
	Scalar any           `json:"scalar"`
	Kind   string        `json:"kind"`
	None   bool          `json:"none"`
}

type goldenCase struct {
	Name    string         `json:"name"`
	Op      string         `json:"op"`
	Inputs  []goldenInput  `json:"inputs"`
	Kw      map[string]any `json:"kw"`
	Outputs []goldenArray  `json:"outputs"`
	Error   *string        `json:"error"`
}

type goldenFile struct {
	MLXVersion string       `json:"mlx_version"`
	Cases      []goldenCase `json:"cases"`
}

func loadGolden(t *testing.T) goldenFile {
	t.Helper()
	raw, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep 7 (an int) apart from 7.0 (a float)
	var g goldenFile
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("%s: %v", goldenPath, err)
	}
	return g
}

func TestParityWithPythonMLX(t *testing.T) {
	defer onCPU()()
	g := loadGolden(t)
	if v := tensor.Version(); v != g.MLXVersion {
		t.Fatalf("golden file is from MLX %s, the bridge links MLX %s: regenerate it", g.MLXVersion, v)
	}
	for _, gc := range g.Cases {
		t.Run(gc.Name, func(t *testing.T) {
			run, ok := dispatch[gc.Op]
			if !ok {
				t.Fatalf("no Go dispatch for op %s", gc.Op)
			}
			checkCase(t, gc, newCall(t, gc), run)
		})
	}
}

// TestMethodFormsMatchPython replays the golden cases of every op with a
// method form through the method (a.Sum(...), a.Add(2)).
func TestMethodFormsMatchPython(t *testing.T) {
	defer onCPU()()
	g := loadGolden(t)
	ran := map[string]bool{}
	for _, gc := range g.Cases {
		c := newCall(t, gc)
		run, ok := methodDispatch(gc.Op, c)
		if !ok {
			continue
		}
		ran[gc.Op] = true
		t.Run(gc.Name, func(t *testing.T) { checkCase(t, gc, c, run) })
	}
	if len(ran) < 130 {
		t.Errorf("only %d ops ran in method form; has the method table shrunk?", len(ran))
	}
	t.Logf("%d ops checked in method form", len(ran))
}

// checkCase runs one golden case and compares it with Python's result.
func checkCase(t *testing.T, gc goldenCase, c *call, run func(*call) []*tensor.Array) {
	t.Helper()
	var outs []*tensor.Array
	err := tensor.Try(func() {
		outs = run(c)
		for _, o := range outs {
			rawBytes(o) // evaluation errors surface here
		}
	})
	if u := c.unused(); len(u) > 0 {
		t.Errorf("the Go call did not take the case's %v", u)
	}
	if gc.Error != nil {
		checkGoldenError(t, gc, err)
		return
	}
	if err != nil {
		t.Fatalf("Go failed where Python MLX succeeded: %v", err)
	}
	if len(outs) != len(gc.Outputs) {
		t.Fatalf("%d outputs, Python gave %d", len(outs), len(gc.Outputs))
	}
	for i, o := range outs {
		compareOutput(t, i, o, gc.Outputs[i])
	}
}

// checkGoldenError: where Python MLX refused the input, Go must fail with a
// *tensor.Error naming the op and carrying MLX's message.
func checkGoldenError(t *testing.T, gc goldenCase, err error) {
	t.Helper()
	var te *tensor.Error
	if !errors.As(err, &te) {
		t.Fatalf("Python MLX failed with %q; Go gave %v, want a *tensor.Error", *gc.Error, err)
	}
	if te.Op != gc.Op {
		t.Errorf("error names op %q, want %q (%v)", te.Op, gc.Op, te)
	}
	if !strings.Contains(te.Msg, *gc.Error) {
		t.Errorf("error %q does not carry MLX's message %q", te.Msg, *gc.Error)
	}
}

func compareOutput(t *testing.T, i int, got *tensor.Array, want goldenArray) {
	t.Helper()
	if got.Dtype().String() != want.Dtype {
		t.Errorf("output %d: dtype %s, Python %s", i, got.Dtype(), want.Dtype)
		return
	}
	if !equalInts(got.Shape(), want.Shape) {
		t.Errorf("output %d: shape %v, Python %v", i, got.Shape(), want.Shape)
		return
	}
	if bytes.Equal(rawBytes(got), decodeB64(t, want.Data)) {
		return
	}
	t.Errorf("output %d differs bitwise from Python MLX:\n got  %v\n want %v", i, got, fromGolden(t, want))
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func decodeB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fromGolden(t *testing.T, ga goldenArray) *tensor.Array {
	t.Helper()
	d, err := tensor.ParseDtype(ga.Dtype)
	if err != nil {
		t.Fatal(err)
	}
	return fromBytes(d, ga.Shape, decodeB64(t, ga.Data))
}

// fromBytes builds an array through the public typed constructors. They
// take a shape only as "1-D unless given", so a 0-d array is reshaped.
func fromBytes(d tensor.Dtype, shape []int, b []byte) *tensor.Array {
	n := len(b) / d.Size()
	dims := shape
	if len(shape) == 0 {
		dims = []int{n}
	}
	var a *tensor.Array
	switch d {
	case tensor.Bool:
		a = tensor.FromBools(view[bool](b, n), dims...)
	case tensor.Uint8:
		a = tensor.FromUint8s(view[uint8](b, n), dims...)
	case tensor.Uint16:
		a = tensor.FromUint16s(view[uint16](b, n), dims...)
	case tensor.Uint32:
		a = tensor.FromUint32s(view[uint32](b, n), dims...)
	case tensor.Uint64:
		a = tensor.FromUint64s(view[uint64](b, n), dims...)
	case tensor.Int8:
		a = tensor.FromInt8s(view[int8](b, n), dims...)
	case tensor.Int16:
		a = tensor.FromInt16s(view[int16](b, n), dims...)
	case tensor.Int32:
		a = tensor.FromInt32s(view[int32](b, n), dims...)
	case tensor.Int64:
		a = tensor.FromInt64s(view[int64](b, n), dims...)
	case tensor.Float16:
		a = tensor.FromFloat16Bits(view[uint16](b, n), dims...)
	case tensor.Bfloat16:
		a = tensor.FromBfloat16Bits(view[uint16](b, n), dims...)
	case tensor.Float32:
		a = tensor.FromFloat32s(view[float32](b, n), dims...)
	case tensor.Float64:
		a = tensor.FromFloat64s(view[float64](b, n), dims...)
	case tensor.Complex64:
		a = tensor.FromComplex64s(view[complex64](b, n), dims...)
	default:
		panic("unknown dtype " + d.String())
	}
	if shape != nil && len(shape) == 0 {
		s := tensor.Reshape(a, []int{})
		a.Free()
		a = s
	}
	return a
}

// view reinterprets little-endian bytes as n elements of T (a copy, so the
// result is aligned).
func view[T any](b []byte, n int) []T {
	out := make([]T, n)
	if n > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), len(b)), b)
	}
	return out
}

// rawBytes reads an array's elements through the public typed readers and
// returns their little-endian bytes.
func rawBytes(a *tensor.Array) []byte {
	switch a.Dtype() {
	case tensor.Bool:
		return asBytes(a.Bools())
	case tensor.Uint8:
		return asBytes(a.Uint8s())
	case tensor.Uint16:
		return asBytes(a.Uint16s())
	case tensor.Uint32:
		return asBytes(a.Uint32s())
	case tensor.Uint64:
		return asBytes(a.Uint64s())
	case tensor.Int8:
		return asBytes(a.Int8s())
	case tensor.Int16:
		return asBytes(a.Int16s())
	case tensor.Int32:
		return asBytes(a.Int32s())
	case tensor.Int64:
		return asBytes(a.Int64s())
	case tensor.Float16:
		return asBytes(a.Float16Bits())
	case tensor.Bfloat16:
		return asBytes(a.Bfloat16Bits())
	case tensor.Float32:
		return asBytes(a.Float32s())
	case tensor.Float64:
		return asBytes(a.Float64s())
	case tensor.Complex64:
		return asBytes(a.Complex64s())
	}
	panic("unknown dtype " + a.Dtype().String())
}

func asBytes[T any](v []T) []byte {
	if len(v) == 0 {
		return []byte{}
	}
	var z T
	return bytes.Clone(unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(v)*int(unsafe.Sizeof(z))))
}

// TestGoldenCoversEveryOp fails when an op of ops.def has no golden case or
// no Go dispatch, so a new op cannot land untested.
func TestGoldenCoversEveryOp(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("cgo", "ops.def"))
	if err != nil {
		t.Fatal(err)
	}
	nameRe := regexp.MustCompile(`^\s*(array|arrays|pair)\s+(\w+)\(`)
	var ops []string
	for _, line := range strings.Split(string(src), "\n") {
		if m := nameRe.FindStringSubmatch(line); m != nil {
			ops = append(ops, m[2])
		}
	}
	if len(ops) < 100 {
		t.Fatalf("parsed only %d ops from ops.def; has its syntax changed?", len(ops))
	}
	g := loadGolden(t)
	cases := map[string]int{}
	for _, c := range g.Cases {
		cases[c.Op]++
		if _, ok := dispatch[c.Op]; !ok {
			t.Errorf("golden case %s: no Go dispatch for op %s", c.Name, c.Op)
		}
	}
	inTable := map[string]bool{}
	for _, op := range ops {
		inTable[op] = true
		if cases[op] == 0 {
			t.Errorf("op %s (ops.def) has no golden case: add one to tests/golden/gen_tensor_golden.py", op)
		}
		if _, ok := dispatch[op]; !ok {
			t.Errorf("op %s (ops.def) has no entry in the parity dispatch table", op)
		}
	}
	for op := range dispatch {
		if !inTable[op] {
			t.Errorf("dispatch entry %s is not an op of ops.def", op)
		}
	}
	t.Logf("%d ops in ops.def, %d golden cases", len(ops), len(g.Cases))
}

// TestGoldenFileIsCurrent regenerates the golden file (under a second) and
// requires it to equal the committed one: the generator is deterministic.
func TestGoldenFileIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ops_golden.json")
	script := filepath.Join(testutil.Root(), "tests", "golden", "gen_tensor_golden.py")
	// A generous limit: the generator takes about a second, but a hung MLX
	// kernel must fail this test rather than stall the suite.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testutil.Python(t), script, out)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("generator: %v", err)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatalf("%s is stale: run %s %s", goldenPath, testutil.Python(t), script)
	}
}

// onCPU makes the CPU the default device until the returned func runs. The
// golden file is Python MLX on the CPU (float64 and the LAPACK ops exist
// only there), so on a GPU machine this proof still runs on the CPU; GPU
// results are compared with Python MLX on the same GPU by the fast, nn and
// models tests.
func onCPU() func() {
	was := tensor.DefaultDevice()
	tensor.SetDefaultDevice(tensor.CPU)
	return func() { tensor.SetDefaultDevice(was) }
}
