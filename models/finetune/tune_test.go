package finetune

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/models/chat"
	"github.com/mlx-go/mlx-go/models/checkpoint"
	"github.com/mlx-go/mlx-go/models/lm"
	"github.com/mlx-go/mlx-go/tensor"
)

const answer = "The password is swordfish."

// writeChats writes n chat examples that all answer the same thing.
func writeChats(t *testing.T, path string, n int) {
	var b strings.Builder
	for i := range n {
		line, _ := json.Marshal(map[string]any{"messages": []map[string]string{
			{"role": "user", "content": fmt.Sprintf("What is the password number %d?", i)},
			{"role": "assistant", "content": answer}}})
		b.Write(append(line, '\n'))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// LoRA end to end, on float and 4-bit models: train on chat JSONL with
// the prompt masked until the model answers as taught; save the adapters;
// reload them into a fresh model, which generates the same; mlx-lm loads
// them too, generates the same tokens, tokenizes and masks the dataset as
// we do, and computes the same loss on the same batch; and adapters
// mlx-lm makes load here and generate mlx-lm's tokens.
func TestLoRAFineTune(t *testing.T) {
	for _, c := range []struct {
		name  string
		opts  checkpoint.Options
		lr    float64
		iters int
	}{{"qwen2-fp32", checkpoint.Options{Arch: "qwen2", Seed: 21}, 3e-4, 40},
		{"llama-4bit", checkpoint.Options{Arch: "llama", Dtype: "bfloat16", Bits: 4, Seed: 22}, 3e-4, 40},
		// Gemma 3's adapters live under mlp.* (and language_model.* in a
		// multimodal checkpoint), where mlx-lm looks for them.
		{"gemma3_text-fp32", checkpoint.Options{Arch: "gemma3_text", Seed: 23}, 3e-4, 40},
		{"gemma3-4bit", checkpoint.Options{Arch: "gemma3", Dtype: "bfloat16", Bits: 4, Seed: 24}, 3e-4, 40}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			model := filepath.Join(dir, "model")
			if err := checkpoint.Write(model, c.opts); err != nil {
				t.Fatal(err)
			}
			l, err := lm.LoadLLM(model)
			if err != nil {
				t.Fatal(err)
			}
			jsonl := filepath.Join(dir, "train.jsonl")
			writeChats(t, jsonl, 8)
			examples, err := LoadJSONL(l, jsonl, true)
			if err != nil {
				t.Fatal(err)
			}
			tuner, err := New(l, Config{Rank: 16, LearningRate: c.lr, BatchSize: 4, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			var losses []float64
			if err := tuner.Train(t.Context(), examples, c.iters, func(_ int, loss float64) { losses = append(losses, loss) }); err != nil {
				t.Fatal(err)
			}
			// bf16 logits put a floor under the loss (~0.8 here); the
			// reply below is the real check.
			if last := losses[len(losses)-1]; last > 0.2*losses[0] {
				t.Fatalf("loss went from %.3f to %.3f", losses[0], last)
			}
			question := []chat.Message{{Role: "user", Content: "What is the password number 3?"}}
			reply, err := l.Chat(t.Context(), question, lm.MaxTokens(16)).Text()
			if err != nil || !strings.HasPrefix(reply, answer) {
				t.Fatalf("tuned reply %q (%v), want %q first", reply, err, answer)
			}
			adapters := filepath.Join(dir, "adapters")
			if err := tuner.Save(adapters); err != nil {
				t.Fatal(err)
			}
			prompt, _ := l.ChatPrompt(question)
			tuned, _ := l.GenerateIDs(t.Context(), prompt, lm.MaxTokens(16), lm.StopTokens()).IDs()

			fresh, err := lm.LoadLLM(model)
			if err != nil {
				t.Fatal(err)
			}
			if err := LoadAdapters(fresh, adapters); err != nil {
				t.Fatal(err)
			}
			reloaded, err := fresh.GenerateIDs(t.Context(), prompt, lm.MaxTokens(16), lm.StopTokens()).IDs()
			if err != nil || !slices.Equal(reloaded, tuned) {
				t.Errorf("reloaded adapters generate %v (%v), tuned model %v", reloaded, err, tuned)
			}

			mixedPath := filepath.Join(dir, "mixed.jsonl")
			os.WriteFile(mixedPath, []byte(`{"text": "Plain text to learn, with émoji 🙂."}
{"prompt": "Say hi", "completion": "Hi there!"}
{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hey."}]}
`), 0o644)
			mixed, err := LoadJSONL(l, mixedPath, true)
			if err != nil {
				t.Fatal(err)
			}
			batch, lengths := tuner.Batch(examples[:4])
			ours, err := tuner.Loss(examples[:4])
			if err != nil {
				t.Fatal(err)
			}
			spec, _ := json.Marshal(map[string]any{"model": model, "adapters": adapters, "jsonl": jsonl, "mask_prompt": true,
				"batch": batch.Ints(), "batch_shape": batch.Shape(), "lengths": lengths.Ints(), "prompt": prompt, "max_tokens": 16, "mixed_jsonl": mixedPath,
				"export_adapters": filepath.Join(dir, "mlxlm-adapters")})
			specPath := filepath.Join(dir, "spec.json")
			os.WriteFile(specPath, spec, 0o644)
			script, _ := os.ReadFile(filepath.Join("testdata", "mlxlm_lora.py"))
			var peer struct {
				Loss     float64             `json:"loss"`
				Examples [][]json.RawMessage `json:"examples"`
				Mixed    [][]json.RawMessage `json:"mixed"`
				Tokens   []int               `json:"tokens"`
				Export   []int               `json:"export_tokens"`
			}
			if err := json.Unmarshal(testutil.RunPython(t, string(script), specPath), &peer); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(peer.Tokens, tuned) {
				t.Errorf("mlx-lm with our adapters generates %v, we %v", peer.Tokens, tuned)
			}
			if d := peer.Loss - ours; d > 1e-3*max(1, ours) || -d > 1e-3*max(1, ours) {
				t.Errorf("loss on the same batch: ours %.6f, mlx-lm %.6f", ours, peer.Loss)
			}
			// Adapters mlx-lm made load here and generate its tokens.
			theirs, err := lm.LoadLLM(model)
			if err != nil {
				t.Fatal(err)
			}
			if err := LoadAdapters(theirs, filepath.Join(dir, "mlxlm-adapters")); err != nil {
				t.Fatal(err)
			}
			got, err := theirs.GenerateIDs(t.Context(), prompt, lm.MaxTokens(16), lm.StopTokens()).IDs()
			if err != nil || !slices.Equal(got, peer.Export) {
				// On a GPU, 4-bit decode steps run mlx-go's matrix-vector
				// kernel (tensor/cgo/gpu_qmv.cpp), which rounds differently
				// from MLX's: the runs may part at a near tie, nowhere else.
				at, ulps, parted, derr := theirs.Divergence(prompt, got, peer.Export)
				if err == nil && derr == nil && parted && ulps <= 4 && c.opts.Bits == 4 && tensor.DefaultDevice() == tensor.GPU {
					t.Logf("mlx-lm's adapters part from mlx-lm's run at %d, a near tie (%.1f bf16 units)", at, ulps)
				} else {
					t.Errorf("mlx-lm's adapters generate %v here (%v), %v in mlx-lm", got, err, peer.Export)
				}
			}
			sameExamples(t, "chat", examples, peer.Examples)
			sameExamples(t, "mixed", mixed, peer.Mixed)
		})
	}
}

func sameExamples(t *testing.T, what string, ours []Example, theirs [][]json.RawMessage) {
	t.Helper()
	if len(ours) != len(theirs) {
		t.Fatalf("%s: %d examples, mlx-lm %d", what, len(ours), len(theirs))
	}
	for i, e := range ours {
		var ids []int
		var offset int
		json.Unmarshal(theirs[i][0], &ids)
		json.Unmarshal(theirs[i][1], &offset)
		if !slices.Equal(ids, e.IDs) || offset != e.Offset {
			t.Errorf("%s example %d: ours %v @%d, mlx-lm %v @%d", what, i, e.IDs, e.Offset, ids, offset)
		}
	}
}

// Bad datasets and settings are errors naming the problem.
func TestDataErrors(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model")
	if err := checkpoint.Write(model, checkpoint.Options{Arch: "qwen3", Seed: 3}); err != nil {
		t.Fatal(err)
	}
	l, err := lm.LoadLLM(model)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"bad json":      "{\"text\": \"ok\"}\n{not json}\n",
		"unknown shape": "{\"question\": \"?\"}\n",
		"empty":         "\n",
	} {
		path := filepath.Join(dir, "bad.jsonl")
		os.WriteFile(path, []byte(content), 0o644)
		if _, err := LoadJSONL(l, path, false); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := LoadJSONL(l, filepath.Join(dir, "missing.jsonl"), false); err == nil {
		t.Error("missing file: no error")
	}
	tuner, err := New(l, Config{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := tuner.Train(t.Context(), []Example{{IDs: []int{1, 2, 3}}}, 1, nil); err == nil {
		t.Error("fewer examples than the batch size: no error")
	}
	bad := []Example{{IDs: []int{1, 2}}, {IDs: []int{1, 99999}}, {IDs: []int{1, 2}}, {IDs: []int{1, 2}}}
	if err := tuner.Train(t.Context(), bad, 1, nil); err == nil {
		t.Error("token outside the vocabulary: no error")
	}
	if _, err := New(l, Config{Keys: []string{"no_such_proj"}}); err == nil {
		t.Error("keys matching nothing: no error")
	}
}
