// Command mkcheckpoint writes a tiny random-weight checkpoint (Hugging Face
// layout: config.json, safetensors, tokenizer with a chat template,
// generation_config.json) for tests. Examples:
//
//	mkcheckpoint -arch llama -out /tmp/llama
//	mkcheckpoint -arch gemma3 -dtype bfloat16 -bits 4 -out /tmp/gemma3-4bit
//	mkcheckpoint -arch qwen3 -shards 3 -out /tmp/qwen3-sharded
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/models/checkpoint"
)

func main() {
	var o checkpoint.Options
	out := flag.String("out", "", "directory to write (created if missing)")
	flag.StringVar(&o.Arch, "arch", "llama", "architecture: "+strings.Join(checkpoint.Architectures(), ", "))
	flag.StringVar(&o.Dtype, "dtype", "float32", "weight dtype: float32, bfloat16 or float16")
	flag.IntVar(&o.Bits, "bits", 0, "quantize linear and embedding weights to this many bits (0: no)")
	flag.IntVar(&o.EmbedBits, "embed-bits", 0, "with -bits: other bits for embeddings and lm_head (mixed precision)")
	flag.IntVar(&o.GroupSize, "group-size", 64, "quantization group size")
	flag.IntVar(&o.Shards, "shards", 1, "number of safetensors files")
	flag.Uint64Var(&o.Seed, "seed", 0, "random seed for the weights")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "mkcheckpoint: -out is required")
		flag.Usage()
		os.Exit(2)
	}
	if err := checkpoint.Write(*out, o); err != nil {
		fmt.Fprintln(os.Stderr, "mkcheckpoint:", err)
		os.Exit(1)
	}
	info, err := models.Info(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkcheckpoint: wrote an unreadable checkpoint:", err)
		os.Exit(1)
	}
	fmt.Println(info)
}
