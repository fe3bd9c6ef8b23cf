package lm

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/models/checkpoint"
	"github.com/mlx-go/mlx-go/tensor"
)

var primitiveLabel = regexp.MustCompile(`label ="([^"]+)"`)

// primitives counts the primitives of a DOT graph (mx.export_to_dot), by
// name.
func primitives(dot string) map[string]int {
	n := map[string]int{}
	for _, m := range primitiveLabel.FindAllStringSubmatch(dot, -1) {
		n[m[1]]++
	}
	return n
}

func total(counts map[string]int) int {
	s := 0
	for _, c := range counts {
		s += c
	}
	return s
}

func breakdown(counts map[string]int) string {
	names := slices.Sorted(maps.Keys(counts))
	slices.SortStableFunc(names, func(a, b string) int { return counts[b] - counts[a] })
	var parts []string
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	return strings.Join(parts, ", ")
}

// decodeGraph is the graph one greedy decode step queues after a prompt:
// what the generation loop hands AsyncEval (built, as there, on the
// compile thread, where decoding uses the compiled blocks).
func decodeGraph(t *testing.T, m Model, prompt []int) string {
	o := resolve(nil)
	st, err := newStepper(m, &o)
	if err != nil {
		t.Fatal(err)
	}
	defer st.cache.Free()
	var dot string
	tensor.RunOnCompileThread(func() {
		rest, err := st.prefill(prompt, func() error { return nil }, nil)
		if err != nil {
			t.Error(err)
			return
		}
		y := st.step(tensor.FromInts(rest, len(rest)))
		tensor.Eval(y)
		next := st.step(y)
		dot = tensor.ExportToDot(next)
	})
	return dot
}

// A decode step queues no more primitives than mlx-lm's: per-token work
// (graph building on the host, kernel launches on a GPU) is what decode
// speed on small models comes down to. The counts are logged, by
// primitive (on the CPU, fast ops appear as the primitives they fall
// back to).
func TestDecodeGraphNoLargerThanMLXLM(t *testing.T) {
	prompt := make([]int, 20)
	for i := range prompt {
		prompt[i] = 5 + 7*i
	}
	ids, _ := json.Marshal(prompt)
	names := []string{"llama-fp32", "qwen3-fp32", "gemma3_text-fp32", "llama-4bit", "gemma3_text-4bit"}
	args := []string{string(ids)}
	root := t.TempDir()
	for _, name := range names {
		arch, kind, _ := strings.Cut(name, "-")
		o := checkpoint.Options{Arch: arch, Seed: 5}
		if kind == "4bit" {
			o.Dtype, o.Bits = "bfloat16", 4
		}
		dir := filepath.Join(root, name)
		if err := checkpoint.Write(dir, o); err != nil {
			t.Fatal(err)
		}
		args = append(args, dir, dir+".dot")
	}
	script, err := os.ReadFile(filepath.Join("testdata", "mlxlm_graph.py"))
	if err != nil {
		t.Fatal(err)
	}
	testutil.RunPython(t, string(script), args...)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(root, name)
			m, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			theirsDot, err := os.ReadFile(dir + ".dot")
			if err != nil {
				t.Fatal(err)
			}
			ours, theirs := primitives(decodeGraph(t, m, prompt)), primitives(string(theirsDot))
			t.Logf("%d layers: mlx-go %d primitives per token (%s)", m.Config().NumLayers, total(ours), breakdown(ours))
			t.Logf("%d layers: mlx-lm %d primitives per token (%s)", m.Config().NumLayers, total(theirs), breakdown(theirs))
			if total(ours) > total(theirs) {
				t.Errorf("a decode step queues %d primitives, mlx-lm's %d", total(ours), total(theirs))
			}
		})
	}
}
