package tensor

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

// indexCase is one a[spec] (or a[spec] = value) evaluated by Go and by
// Python MLX on a = arange(size).reshape(shape).astype(dtype).
type indexCase struct {
	Shape []int          `json:"shape"`
	Dtype string         `json:"dtype"`
	Spec  string         `json:"spec"`
	Set   map[string]any `json:"set,omitempty"`
}

type pyIndexResult struct {
	OK     bool      `json:"ok"`
	Dtype  string    `json:"dtype"`
	Shape  []int     `json:"shape"`
	Values []float64 `json:"values"`
	Error  string    `json:"error"`
}

func runPythonIndex(t *testing.T, cases []indexCase) []pyIndexResult {
	t.Helper()
	dir := t.TempDir()
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "cases.json")
	os.WriteFile("/tmp/cases.json", b, 0o644)
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "index", "python_index.py"))
	if err != nil {
		t.Fatal(err)
	}
	var res []pyIndexResult
	if err := json.Unmarshal(testutil.RunPython(t, string(script), in), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(cases) {
		t.Fatalf("Python answered %d cases of %d", len(res), len(cases))
	}
	return res
}

func caseInput(c indexCase) *Array {
	n := 1
	for _, d := range c.Shape {
		n *= d
	}
	d, err := ParseDtype(c.Dtype)
	if err != nil {
		panic(err)
	}
	return Arange(0, float64(n), Int32).Reshape(c.Shape).AsType(d)
}

// runGoIndex does the case in Go; err is the *Error it panicked with.
func runGoIndex(c indexCase) (out *Array, err error) {
	a := caseInput(c)
	err = Try(func() {
		if c.Set == nil {
			out = a.Index(c.Spec)
			return
		}
		var value any
		if s, ok := c.Set["scalar"]; ok {
			value = s
		} else {
			shape := toInts(c.Set["arange"])
			n := 1
			for _, d := range shape {
				n *= d
			}
			value = Arange(100, float64(100+n), Int32).Reshape(shape).AsType(a.Dtype())
		}
		a.SetIndex(c.Spec, value)
		out = a
	})
	return out, err
}

func toInts(v any) []int {
	switch x := v.(type) {
	case []int:
		return x
	case []any:
		out := make([]int, len(x))
		for i, e := range x {
			out[i] = int(e.(float64))
		}
		return out
	}
	panic(fmt.Sprintf("not a shape: %#v", v))
}

func compareIndexCases(t *testing.T, cases []indexCase) {
	t.Helper()
	want := runPythonIndex(t, cases)
	failures := 0
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		if failures++; failures >= 20 {
			t.Fatal("too many failures")
		}
	}
	for i, c := range cases {
		what := fmt.Sprintf("%s%v a[%s]", c.Dtype, c.Shape, c.Spec)
		if c.Set != nil {
			what += fmt.Sprintf(" = %v", c.Set)
		}
		got, err := runGoIndex(c)
		switch w := want[i]; {
		case !w.OK && err == nil:
			fail("%s: Go gave %s, Python failed: %s", what, describe(got), w.Error)
		case w.OK && err != nil:
			fail("%s: Go failed (%v), Python gave %s%v", what, err, w.Dtype, w.Shape)
		case w.OK && (got.Dtype().String() != w.Dtype || !slices.Equal(got.Shape(), w.Shape)):
			fail("%s: Go %s, Python %s%v", what, describe(got), w.Dtype, w.Shape)
		case w.OK:
			if vals := got.Float64s(); !slices.Equal(vals, w.Values) && len(vals)+len(w.Values) > 0 {
				fail("%s: values differ\n go %v\n py %v", what, vals, w.Values)
			}
		}
	}
}

func TestIndexMatchesPython(t *testing.T) {
	specs := map[string][]string{
		"2,3,4": {
			"0", "1", "-1", "-2", ":", "::", "...", "", "()", "1:", ":1", "::2", "::-1", "1::-1",
			"-1:-100:-1", "100:", "-100:1", "5:-5", "1:3, ::2", "1:3, ::2, None, ...", "..., 0",
			"..., -1, None", "None", "None, None", "0, None, 1:", "None, ..., None", ":, 1",
			":, :, 3", "1, 2, 3", "-1, -1, -1", "::2, ::-2, ::3", "..., ::-1", "0, ...",
			"..., 1, :", "1, ..., 2", "0,", ":, -3", "np.newaxis, 0", "newaxis", "mx.newaxis, 1",
			"Ellipsis, 0", " 1 : 3 , :: 2 ", "+1", "0:0", "2:1", "::-3, 1:-1",
			"[0, 1]", "[1, 0, 1]", "[-1]", ":, [0, 2]", ":, [0, 2], 1", "1, :, [0, 2]",
			"[0, 1], :, [0, 2]", "[[0], [1]]", "[[0], [1]], :, [0, 1, 2]", "None, [0, 1], None, 1",
			"[1, 0], 1:, [0, 2]", ":, [0, 2], [1, 3]", "..., [0, 2]", "..., [[3, 2], [1, 0]]",
			":, [0, 2], None, 1", "::-1, [2, 1], ::2", "[1], [2], [3]", "0, [2, 1]", "[0, 1], 2",
			"None, :, [1], [[0, 1, 2, 3]]",
		},
		"5":   {"0", "-5", "4", "::-1", "1:4:2", "-2:", ":-2", "None, 1:", "[4, 0, 3]", "[[0, 1], [2, 3]]", "...", "..., None"},
		"":    {"...", "None", "..., None", "", "None, ..., None"},
		"0,3": {":", "1:", ":, 1", "::-1, [0, 2]", "..., 2"},
		"3,1,2": {"0, 0", ":, 0", "..., 0, 1", "[2, 0], 0", ":, :, [1, 1, 0]"},
	}
	var cases []indexCase
	for shape, list := range specs {
		for _, spec := range list {
			if spec == "()" {
				continue // Python's empty tuple; "" is the same index here
			}
			cases = append(cases, indexCase{Shape: parseShape(shape), Dtype: "int32", Spec: spec})
		}
	}
	compareIndexCases(t, cases)
}

func parseShape(s string) []int {
	if s == "" {
		return []int{}
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		var d int
		fmt.Sscan(f, &d)
		out = append(out, d)
	}
	return out
}

// randomSpec makes a valid index for shape: integers in range, slices with
// bounds inside and outside the axis and steps of either sign, None, at most
// one ..., and (when lists is true) integer lists.
func randomSpec(rng *rand.Rand, shape []int, lists bool, distinct bool) string {
	var parts []string
	axis := 0
	ellipsis := false
	usedList := false
	for axis < len(shape) || (rng.IntN(4) == 0 && len(parts) < 6) {
		if axis >= len(shape) {
			parts = append(parts, "None")
			continue
		}
		d := shape[axis]
		switch r := rng.IntN(10); {
		case r == 0:
			parts = append(parts, "None")
			continue
		case r == 1 && !ellipsis:
			ellipsis = true
			// The ellipsis takes the rest of the axes but any named after it.
			keep := rng.IntN(len(shape) - axis + 1)
			parts = append(parts, "...")
			axis = len(shape) - keep
			continue
		case r <= 4 && d > 0:
			parts = append(parts, fmt.Sprint(rng.IntN(2*d)-d))
		case r <= 6 && d > 0 && lists && !(distinct && usedList):
			usedList = true
			parts = append(parts, randomList(rng, d, distinct))
		default:
			parts = append(parts, randomSlice(rng, d))
		}
		axis++
	}
	if len(parts) > 0 && rng.IntN(3) == 0 {
		// Drop trailing whole-axis items sometimes: Python fills them in.
		for len(parts) > 0 && parts[len(parts)-1] == ":" {
			parts = parts[:len(parts)-1]
		}
	}
	return strings.Join(parts, ", ")
}

func randomSlice(rng *rand.Rand, d int) string {
	b := func() string {
		if rng.IntN(3) == 0 {
			return ""
		}
		return fmt.Sprint(rng.IntN(2*d+7) - d - 3)
	}
	steps := []string{"", "1", "2", "3", "-1", "-2", "-3"}
	s := b() + ":" + b()
	if st := steps[rng.IntN(len(steps))]; st != "" || rng.IntN(2) == 0 {
		s += ":" + st
	}
	return s
}

func randomList(rng *rand.Rand, d int, distinct bool) string {
	n := 1 + rng.IntN(3)
	if distinct {
		n = min(n, d)
		perm := rng.Perm(d)[:n]
		parts := make([]string, n)
		for i, v := range perm {
			if rng.IntN(2) == 0 {
				v -= d
			}
			parts[i] = fmt.Sprint(v)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	row := func() string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprint(rng.IntN(2*d) - d)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if rng.IntN(3) == 0 {
		return "[" + row() + ", " + row() + "]"
	}
	return row()
}

func randomShape(rng *rand.Rand) []int {
	shape := make([]int, rng.IntN(5))
	for i := range shape {
		shape[i] = rng.IntN(5)
		if rng.IntN(6) != 0 {
			shape[i]++
		}
	}
	return shape
}

func TestIndexRandomMatchesPython(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var cases []indexCase
	for range 400 {
		shape := randomShape(rng)
		cases = append(cases, indexCase{Shape: shape, Dtype: "int32", Spec: randomSpec(rng, shape, rng.IntN(3) == 0, false)})
	}
	compareIndexCases(t, cases)
}

func TestSetIndexMatchesPython(t *testing.T) {
	fixed := []indexCase{
		{Shape: []int{10}, Spec: "::-2", Set: map[string]any{"arange": []int{5}}},
		{Shape: []int{3, 4}, Spec: "1", Set: map[string]any{"scalar": 5}},
		{Shape: []int{3, 4}, Spec: ":, [0, 2]", Set: map[string]any{"arange": []int{3, 1}}},
		{Shape: []int{2, 3, 4}, Spec: "[1, 0], 1:, [0, 2]", Set: map[string]any{"scalar": 5}},
		{Shape: []int{2, 3, 4}, Spec: "::-1, 2", Set: map[string]any{"arange": []int{1, 4}}},
		{Shape: []int{2, 3, 4}, Spec: ":, [0, 2], None, 1", Set: map[string]any{"arange": []int{2, 1, 1}}},
		{Shape: []int{2, 3, 4}, Spec: ":, [0, 2], None, 1", Set: map[string]any{"arange": []int{2}}},
		{Shape: []int{2, 3, 4}, Spec: "1", Set: map[string]any{"scalar": 2.7}},
		{Shape: []int{2, 3, 4}, Spec: "...", Set: map[string]any{"arange": []int{4}}},
		{Shape: []int{2, 3, 4}, Spec: "None", Set: map[string]any{"arange": []int{1, 1, 3, 1}}},
		{Shape: []int{2, 3, 4}, Spec: "0, 1:3", Set: map[string]any{"arange": []int{3, 4}}},
		{Shape: []int{2, 3, 4}, Spec: "..., ::-1", Set: map[string]any{"arange": []int{2, 3, 4}}},
		{Shape: []int{2, 3, 4}, Spec: "1, 2, 3", Set: map[string]any{"scalar": -1}},
		{Shape: []int{2, 3, 4}, Spec: "1, [2, 0]", Set: map[string]any{"arange": []int{2, 4}}},
		{Shape: []int{2, 3, 4}, Spec: "[1], :, [3, 0]", Set: map[string]any{"arange": []int{2, 3}}},
		{Shape: []int{5}, Spec: "[4, 0, 3]", Set: map[string]any{"arange": []int{3}}},
		{Shape: []int{}, Spec: "...", Set: map[string]any{"scalar": 9}},
	}
	var cases []indexCase
	for _, dt := range []string{"int32", "float32"} {
		for _, c := range fixed {
			c.Dtype = dt
			cases = append(cases, c)
		}
	}
	rng := rand.New(rand.NewPCG(21, 22))
	for range 300 {
		shape := randomShape(rng)
		c := indexCase{Shape: shape, Dtype: []string{"int32", "float32", "int16"}[rng.IntN(3)],
			Spec: randomSpec(rng, shape, rng.IntN(2) == 0, true)}
		// The value: a scalar, or an array shaped like the target with some
		// dimensions 1 and maybe a leading 1 (both broadcast).
		target, err := runGoIndex(c)
		if err != nil || rng.IntN(4) == 0 {
			c.Set = map[string]any{"scalar": 7}
		} else {
			vs := slices.Clone(target.Shape())
			for i := range vs {
				if rng.IntN(3) == 0 {
					vs[i] = 1
				}
			}
			if rng.IntN(4) == 0 {
				vs = append([]int{1}, vs...)
			}
			c.Set = map[string]any{"arange": vs}
		}
		cases = append(cases, c)
	}
	compareIndexCases(t, cases)
}
