package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The GPU suite (-suite cuda): the real sizes of the models people run,
// each written as a random-weight checkpoint and timed in mlx-go and in
// mlx-lm on the same files: prefill at 512- and 2048-token prompts,
// decode of 128 tokens, time to first token and peak memory; each decode
// rate is also put against the rate the card's memory bandwidth allows.
type suiteModel struct {
	shape shape
	bits  int // 0: bf16 weights
}

var llama1B = shape{"llama-3.2-1b", "llama", "Llama-3.2-1B", map[string]any{
	"hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
	"num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64, "vocab_size": 128256,
	"tie_word_embeddings": true, "rope_theta": 500000.0, "max_position_embeddings": 131072,
	"rope_scaling": map[string]any{"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
		"high_freq_factor": 4.0, "original_max_position_embeddings": 8192}}}

var llama8B = shape{"llama-3.1-8b", "llama", "Llama-3.1-8B", map[string]any{
	"hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
	"num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128, "vocab_size": 128256,
	"tie_word_embeddings": false, "rope_theta": 500000.0, "max_position_embeddings": 131072,
	"rope_scaling": map[string]any{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
		"high_freq_factor": 4.0, "original_max_position_embeddings": 8192}}}

var gemma1B = shape{"gemma3-1b", "gemma3_text", "Gemma3-1B", map[string]any{
	"hidden_size": 1152, "intermediate_size": 6912, "num_hidden_layers": 26,
	"num_attention_heads": 4, "num_key_value_heads": 1, "head_dim": 256, "query_pre_attn_scalar": 256,
	"sliding_window": 512, "sliding_window_pattern": 6, "vocab_size": 262144,
	"rope_theta": 1000000.0, "rope_local_base_freq": 10000.0, "max_position_embeddings": 32768}}

var gemma4B = shape{"gemma3-4b", "gemma3_text", "Gemma3-4B (text)", map[string]any{
	"hidden_size": 2560, "intermediate_size": 10240, "num_hidden_layers": 34,
	"num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256, "query_pre_attn_scalar": 256,
	"sliding_window": 1024, "sliding_window_pattern": 6, "vocab_size": 262208,
	"rope_theta": 1000000.0, "rope_local_base_freq": 10000.0, "max_position_embeddings": 131072,
	"rope_scaling": map[string]any{"rope_type": "linear", "factor": 8.0}}}

var cudaSuite = []suiteModel{{llama1B, 0}, {llama1B, 4}, {llama8B, 4}, {gemma1B, 4}, {gemma4B, 4}}

func (m suiteModel) name() string {
	if m.bits == 0 {
		return m.shape.name + "-bf16"
	}
	return fmt.Sprintf("%s-%dbit", m.shape.name, m.bits)
}

// suiteRow is one model's measurements, both sides.
type suiteRow struct {
	name                   string
	weightBytes            int64 // bytes one decode step reads from the weights
	go512, lm512           result
	go2048, lm2048         result
	decodeLimitTPS         float64 // bandwidth / weightBytes
	goDecode, lmDecode     float64
	goFraction, lmFraction float64
}

// runSuite runs the suite and prints (and, with mdPath, records) the table.
func runSuite(python, dir string, reps int, only, mdPath string, decodeOnly bool) error {
	env := describeEnvironment(python)
	fmt.Println(env.String())
	bw, err := measureCopyBandwidth()
	if err != nil {
		return err
	}
	peak, err := measureMatmulPeak()
	if err != nil {
		return err
	}
	fmt.Printf("device-to-device copy: %.0f GB/s (bytes read + written); bf16 matmul 8192^3: %.0f TFLOP/s\n", bw/1e9, peak/1e12)
	var rows []suiteRow
	for _, m := range cudaSuite {
		if only != "" && !strings.Contains(","+only+",", ","+m.name()+",") {
			continue
		}
		mdir := filepath.Join(dir, m.name())
		start := time.Now()
		if err := writeScaled(mdir, m.shape, "bfloat16", m.bits); err != nil {
			return fmt.Errorf("%s: %w", m.name(), err)
		}
		wb, err := decodeWeightBytes(mdir)
		if err != nil {
			return err
		}
		fmt.Printf("%s: checkpoint written in %.1fs, %.2f GB read per decoded token\n", m.name(), time.Since(start).Seconds(), float64(wb)/1e9)
		r := suiteRow{name: m.name(), weightBytes: wb}
		if r.go512, r.lm512, err = bench(python, mdir, 512, 128, reps); err != nil {
			return fmt.Errorf("%s: %w", m.name(), err)
		}
		if !decodeOnly {
			if r.go2048, r.lm2048, err = bench(python, mdir, 2048, 2, reps); err != nil {
				return fmt.Errorf("%s: %w", m.name(), err)
			}
		}
		r.decodeLimitTPS = bw / float64(wb)
		r.goDecode, r.lmDecode = median(r.go512.DecodeTPS), median(r.lm512.DecodeTPS)
		r.goFraction, r.lmFraction = r.goDecode/r.decodeLimitTPS, r.lmDecode/r.decodeLimitTPS
		rows = append(rows, r)
		printSuiteRow(r)
		os.RemoveAll(mdir)
	}
	if decodeOnly {
		return nil
	}
	kernels, err := benchKernels(bw, peak)
	if err != nil {
		return err
	}
	printKernels(kernels)
	if mdPath != "" {
		return writeBenchmarksMD(mdPath, env, bw, peak, rows, kernels)
	}
	return nil
}

func printSuiteRow(r suiteRow) {
	fmt.Printf("%-20s %-6s %10s %10s %10s %9s %9s %9s\n", r.name, "side", "pf512 t/s", "pf2048 t/s", "dec t/s", "TTFT ms", "peak GB", "of limit")
	side := func(n string, a, b result, frac float64) {
		fmt.Printf("%-20s %-6s %10.0f %10.0f %10.1f %9.1f %9.2f %8.0f%%\n", "", n, median(a.PrefillTPS), median(b.PrefillTPS),
			median(a.DecodeTPS), median(a.TTFT)*1000, median(a.Peak)/1e9, frac*100)
	}
	side("mlx-go", r.go512, r.go2048, r.goFraction)
	side("mlx-lm", r.lm512, r.lm2048, r.lmFraction)
	rt := ratios(r)
	fmt.Printf("%-20s %-6s %9.2fx %9.2fx %9.2fx %8.2fx %8.2fx   limit %.0f t/s\n", "", "ratio", rt[0], rt[1], rt[2], rt[3], rt[4], r.decodeLimitTPS)
}

// ratios: prefill 512, prefill 2048, decode, TTFT (theirs/ours) and peak
// memory (theirs/ours): >1 means mlx-go is better in each.
func ratios(r suiteRow) [5]float64 {
	return [5]float64{
		median(r.go512.PrefillTPS) / median(r.lm512.PrefillTPS),
		median(r.go2048.PrefillTPS) / median(r.lm2048.PrefillTPS),
		r.goDecode / r.lmDecode,
		median(r.lm512.TTFT) / median(r.go512.TTFT),
		median(r.lm512.Peak) / median(r.go512.Peak),
	}
}
