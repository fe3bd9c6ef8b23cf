package lm

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/tensor"
)

func TestMemDbg(t *testing.T) {
	dir := "/tmp/mlxbench-576992677/llama-3.2-1b_4-bf16"
	fmt.Println("start", tensor.ActiveMemory()/1e6)
	l, err := LoadLLM(dir)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("loaded", tensor.ActiveMemory()/1e6, tensor.PeakMemory()/1e6)
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	tensor.Eval(tensor.Zeros([]int{1}))
	fmt.Println("after gc", tensor.ActiveMemory()/1e6)
	prompt := make([]int, 128)
	for i := range prompt {
		prompt[i] = i + 5
	}
	for r := 0; r < 2; r++ {
		g := l.GenerateIDs(t.Context(), prompt, MaxTokens(8), StopTokens())
		g.IDs()
		fmt.Println("gen", r, tensor.ActiveMemory()/1e6, g.Metrics().PeakMemory/1e6)
	}
}
