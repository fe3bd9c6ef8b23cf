package models_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/models/checkpoint"
	"github.com/mlx-go/mlx-go/tensor"
)

type variant struct {
	name string
	opts checkpoint.Options
}

// variants are every architecture in fp32, bf16 and 4-bit (bf16 scales,
// as mlx-lm's converter makes them), plus sharded ones.
func variants() []variant {
	var vs []variant
	for _, arch := range checkpoint.Architectures() {
		vs = append(vs,
			variant{arch + "-fp32", checkpoint.Options{Arch: arch, Dtype: "float32", Seed: 1}},
			variant{arch + "-bf16", checkpoint.Options{Arch: arch, Dtype: "bfloat16", Seed: 2}},
			variant{arch + "-4bit", checkpoint.Options{Arch: arch, Dtype: "bfloat16", Bits: 4, Seed: 3}},
		)
	}
	return append(vs,
		variant{"llama-fp32-3shards", checkpoint.Options{Arch: "llama", Shards: 3, Seed: 4}},
		variant{"gemma3-4bit-2shards", checkpoint.Options{Arch: "gemma3", Bits: 4, Shards: 2, Seed: 5}},
		variant{"qwen2-8bit-g32", checkpoint.Options{Arch: "qwen2", Bits: 8, GroupSize: 32, Seed: 6}},
		variant{"llama-4bit-embed8", checkpoint.Options{Arch: "llama", Bits: 4, EmbedBits: 8, Seed: 8}},
		variant{"gemma3-3bit-embed6", checkpoint.Options{Arch: "gemma3", Bits: 3, EmbedBits: 6, Seed: 9}},
	)
}

type peerModel struct {
	Params      int64  `json:"params"`
	Layers      int    `json:"layers"`
	NArrays     int    `json:"n_arrays"`
	LogitsShape []int  `json:"logits_shape"`
	Finite      bool   `json:"finite"`
	EOS         []int  `json:"eos"`
	Error       string `json:"error"`
}

// mlx-lm (installed from PyPI) loads every checkpoint we write, strictly,
// with its tokenizer, runs it, and counts the same parameters Info does.
func TestCheckpointsLoadInMLXLM(t *testing.T) {
	root := t.TempDir()
	vs := variants()
	var dirs []string
	for _, v := range vs {
		dir := filepath.Join(root, v.name)
		if err := checkpoint.Write(dir, v.opts); err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		dirs = append(dirs, dir)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "mlxlm_load.py"))
	if err != nil {
		t.Fatal(err)
	}
	var peer map[string]peerModel
	if err := json.Unmarshal(testutil.RunPython(t, string(script), dirs...), &peer); err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			p := peer[dirs[i]]
			if p.Error != "" {
				t.Fatalf("mlx-lm cannot load it: %s", p.Error)
			}
			info, err := models.Info(dirs[i])
			if err != nil {
				t.Fatal(err)
			}
			if info.Params != p.Params || info.Layers != p.Layers || info.Tensors != p.NArrays {
				t.Errorf("Info: %d params, %d layers, %d tensors; mlx-lm: %d, %d, %d",
					info.Params, info.Layers, info.Tensors, p.Params, p.Layers, p.NArrays)
			}
			if !p.Finite || len(p.LogitsShape) != 3 || p.LogitsShape[2] != info.VocabSize {
				t.Errorf("mlx-lm forward: logits %v finite=%v, vocab %d", p.LogitsShape, p.Finite, info.VocabSize)
			}
			if eos, err := models.EOSTokenIDs(dirs[i]); err != nil || !slices.Equal(eos, p.EOS) {
				t.Errorf("EOSTokenIDs = %v, %v; mlx-lm stops on %v", eos, err, p.EOS)
			}
			if info.QuantBits != v.opts.Bits {
				t.Errorf("QuantBits = %d, want %d", info.QuantBits, v.opts.Bits)
			}
			if v.opts.Shards > 1 && len(info.WeightFiles) != v.opts.Shards {
				t.Errorf("%d weight files, want %d", len(info.WeightFiles), v.opts.Shards)
			}
			ck, err := models.Load(dirs[i])
			if err != nil {
				t.Fatal(err)
			}
			defer ck.Free()
			if len(ck.Weights) != p.NArrays {
				t.Errorf("Load kept %d arrays, mlx-lm has %d", len(ck.Weights), p.NArrays)
			}
		})
	}
}

func TestInfoFields(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "g")
	if err := checkpoint.Write(dir, checkpoint.Options{Arch: "gemma3", Dtype: "bfloat16", Bits: 4}); err != nil {
		t.Fatal(err)
	}
	info, err := models.Info(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := info.Config
	got := fmt.Sprint(info.ModelType, info.Architecture, c.TextModelType, info.VocabSize, info.Layers, info.Hidden,
		info.Heads, info.KVHeads, info.HeadDim, info.QuantBits, info.QuantGroup, info.Dtype, info.HasTokenizer, info.HasChat)
	// Compare with the config.json we asked the writer for.
	var cfg map[string]any
	data, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	json.Unmarshal(data, &cfg)
	tc := cfg["text_config"].(map[string]any)
	want := fmt.Sprint(cfg["model_type"], cfg["architectures"].([]any)[0], tc["model_type"], cfg["vocab_size"],
		tc["num_hidden_layers"], tc["hidden_size"], tc["num_attention_heads"], tc["num_key_value_heads"], tc["head_dim"],
		4, 32, "BF16", true, true)
	if got != want {
		t.Errorf("Info fields:\n got %s\nwant %s", got, want)
	}
	if info.BytesOnDisk <= info.WeightBytes || info.WeightBytes <= 0 {
		t.Errorf("bytes: on disk %d, weights %d", info.BytesOnDisk, info.WeightBytes)
	}
	if !strings.Contains(info.String(), "4-bit/g32") {
		t.Errorf("String() = %q", info.String())
	}
}

// Each broken checkpoint fails with an error naming what is wrong.
func TestLoadErrorsNameTheProblem(t *testing.T) {
	root := t.TempDir()
	fresh := func(name string, o checkpoint.Options) string {
		dir := filepath.Join(root, name)
		if err := checkpoint.Write(dir, o); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	editJSON := func(path string, edit func(map[string]any)) {
		var m map[string]any
		data, _ := os.ReadFile(path)
		json.Unmarshal(data, &m)
		edit(m)
		data, _ = json.Marshal(m)
		os.WriteFile(path, data, 0o644)
	}
	cases := []struct {
		name  string
		setup func() string
		want  []string
	}{
		{"missing config", func() string {
			d := fresh("nocfg", checkpoint.Options{Arch: "llama"})
			os.Remove(filepath.Join(d, "config.json"))
			return d
		}, []string{"missing config.json"}},
		{"corrupt config", func() string {
			d := fresh("badcfg", checkpoint.Options{Arch: "llama"})
			os.WriteFile(filepath.Join(d, "config.json"), []byte(`{"model_type": "llama",`), 0o644)
			return d
		}, []string{"config.json", "corrupt JSON"}},
		{"unsupported model_type", func() string {
			d := fresh("bert", checkpoint.Options{Arch: "llama"})
			editJSON(filepath.Join(d, "config.json"), func(m map[string]any) { m["model_type"] = "bert" })
			return d
		}, []string{`unsupported model_type "bert"`, "gemma3, gemma3_text, llama, qwen2, qwen3"}},
		{"missing weights", func() string {
			d := fresh("noweights", checkpoint.Options{Arch: "qwen2"})
			os.Remove(filepath.Join(d, "model.safetensors"))
			return d
		}, []string{"missing weights"}},
		{"missing shard", func() string {
			d := fresh("noshard", checkpoint.Options{Arch: "qwen2", Shards: 2})
			os.Remove(filepath.Join(d, "model-00002-of-00002.safetensors"))
			return d
		}, []string{"missing shard model-00002-of-00002.safetensors"}},
		{"truncated safetensors", func() string {
			d := fresh("trunc", checkpoint.Options{Arch: "qwen3"})
			f := filepath.Join(d, "model.safetensors")
			st, _ := os.Stat(f)
			os.Truncate(f, st.Size()-100)
			return d
		}, []string{"model.safetensors", "truncated", "tensor"}},
		{"corrupt safetensors header", func() string {
			d := fresh("hdr", checkpoint.Options{Arch: "qwen3"})
			os.WriteFile(filepath.Join(d, "model.safetensors"), []byte("\x10\x00\x00\x00\x00\x00\x00\x00{not json......}"), 0o644)
			return d
		}, []string{"model.safetensors", "corrupt safetensors header"}},
		{"shape mismatch", func() string {
			d := fresh("shape", checkpoint.Options{Arch: "llama"})
			editJSON(filepath.Join(d, "config.json"), func(m map[string]any) { m["intermediate_size"] = 192 })
			return d
		}, []string{`"model.layers.0.mlp.gate_proj.weight"`, "[128 64]", "[192 64]"}},
		{"missing tensor", func() string {
			d := fresh("missing", checkpoint.Options{Arch: "llama"})
			editJSON(filepath.Join(d, "config.json"), func(m map[string]any) { m["num_hidden_layers"] = 3 })
			return d
		}, []string{`missing tensor "model.layers.2.`}},
		{"unexpected tensor", func() string {
			d := fresh("extra", checkpoint.Options{Arch: "qwen2"})
			f := filepath.Join(d, "model.safetensors")
			w, meta, err := tensor.LoadSafetensors(f)
			if err != nil {
				t.Fatal(err)
			}
			w["model.layers.1.self_attn.q_norm.weight"] = tensor.Ones([]int{16})
			if err := tensor.SaveSafetensors(f, w, meta); err != nil {
				t.Fatal(err)
			}
			return d
		}, []string{`unexpected tensor "model.layers.1.self_attn.q_norm.weight"`, "qwen2"}},
		{"quantized without config", func() string {
			d := fresh("q", checkpoint.Options{Arch: "gemma3_text", Bits: 4})
			editJSON(filepath.Join(d, "config.json"), func(m map[string]any) { delete(m, "quantization") })
			return d
		}, []string{"quantization"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := c.setup()
			_, err := models.Info(dir)
			if err == nil {
				t.Fatal("Info succeeded")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if _, lerr := models.Load(dir); lerr == nil || lerr.Error() != err.Error() {
				t.Errorf("Load error %v differs from Info's", lerr)
			}
		})
	}
}

// Discover finds plain model directories and Hugging Face cache snapshots
// (files symlinked to blobs), and reports broken ones without hiding the
// good ones.
func TestDiscover(t *testing.T) {
	root := t.TempDir()
	mk := func(dir string, o checkpoint.Options) {
		if err := checkpoint.Write(dir, o); err != nil {
			t.Fatal(err)
		}
	}
	mk(filepath.Join(root, "local", "tiny-llama"), checkpoint.Options{Arch: "llama"})
	mk(filepath.Join(root, "local", "nested", "deeper", "tiny-gemma"), checkpoint.Options{Arch: "gemma3_text", Bits: 4})
	// HF cache: blobs hold the files, snapshots/<rev>/ links to them.
	repo := filepath.Join(root, "hub", "models--acme--tiny-qwen3")
	staging := filepath.Join(root, "staging")
	mk(staging, checkpoint.Options{Arch: "qwen3"})
	rev := "0123456789abcdef0123456789abcdef01234567"
	snap := filepath.Join(repo, "snapshots", rev)
	os.MkdirAll(snap, 0o755)
	os.MkdirAll(filepath.Join(repo, "blobs"), 0o755)
	os.MkdirAll(filepath.Join(repo, "refs"), 0o755)
	os.WriteFile(filepath.Join(repo, "refs", "main"), []byte(rev), 0o644)
	entries, _ := os.ReadDir(staging)
	for i, e := range entries {
		blob := filepath.Join(repo, "blobs", fmt.Sprintf("blob%02d", i))
		os.Rename(filepath.Join(staging, e.Name()), blob)
		if err := os.Symlink(filepath.Join("..", "..", "blobs", filepath.Base(blob)), filepath.Join(snap, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(staging)
	// Not loadable: an unsupported architecture; and a non-model folder.
	os.MkdirAll(filepath.Join(root, "local", "bert"), 0o755)
	os.WriteFile(filepath.Join(root, "local", "bert", "config.json"), []byte(`{"model_type": "bert"}`), 0o644)
	os.MkdirAll(filepath.Join(root, "datasets", "x"), 0o755)

	found, err := models.Discover(root)
	var names []string
	for _, m := range found {
		names = append(names, m.Name+":"+m.ModelType)
	}
	want := []string{"acme/tiny-qwen3@01234567:qwen3", "tiny-gemma:gemma3_text", "tiny-llama:llama"}
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Errorf("Discover found %v, want %v", names, want)
	}
	if err == nil || !strings.Contains(err.Error(), "bert") || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("Discover error = %v, want one line about bert", err)
	}
	for _, m := range found {
		if m.Params <= 0 || m.BytesOnDisk <= 0 {
			t.Errorf("%s: params %d, bytes %d", m.Name, m.Params, m.BytesOnDisk)
		}
	}
	if _, err := models.Discover(filepath.Join(root, "nope")); err == nil {
		t.Error("Discover of a missing root succeeded")
	}
}
