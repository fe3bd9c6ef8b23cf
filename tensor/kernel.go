package tensor

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// CustomKernel is a user-written GPU kernel (mx.fast.metal_kernel or
// mx.fast.cuda_kernel); package fast builds it. MLX compiles the source on
// the first call for each set of shapes and template arguments.
type CustomKernel struct{ k *cgo.Kernel }

// KernelTemplateArg is one template argument of a kernel: an int, a bool or a Dtype.
type KernelTemplateArg struct {
	Name  string
	Value any
}

// NewCustomKernel builds a kernel for the CUDA backend (cuda) or Metal.
func NewCustomKernel(cuda bool, name string, inputNames, outputNames []string, source, header string,
	ensureRowContiguous, atomicOutputs bool, sharedMemory int) (*CustomKernel, error) {
	k, err := cgo.NewKernel(cgo.KernelSpec{CUDA: cuda, Name: name, Source: source, Header: header,
		InputNames: inputNames, OutputNames: outputNames, EnsureRowContiguous: ensureRowContiguous,
		AtomicOutputs: atomicOutputs, SharedMemory: sharedMemory})
	if err != nil {
		return nil, &Error{Op: "custom_kernel", Msg: err.Error()}
	}
	return &CustomKernel{k}, nil
}

// Call launches the kernel on inputs and returns one array per output.
// initValue, when not nil, fills the outputs before the kernel runs.
func (k *CustomKernel) Call(inputs []*Array, outputShapes [][]int, outputDtypes []Dtype, grid, threadgroup [3]int,
	template []KernelTemplateArg, initValue *float32, verbose bool, opts ...Opt) []*Array {
	if len(outputShapes) != len(outputDtypes) {
		panic(&Error{Op: "custom_kernel", Msg: fmt.Sprintf("%d output shapes but %d output dtypes", len(outputShapes), len(outputDtypes))})
	}
	st := defaultStream()
	for _, o := range opts {
		key, v := o.opt()
		if key != "stream" {
			badOption("custom_kernel", key, "")
		}
		st = optStream(v)
	}
	c := cgo.KernelCall{Inputs: handles("custom_kernel", inputs), OutputShapes: outputShapes, Grid: grid,
		Threadgroup: threadgroup, InitValue: initValue, Verbose: verbose}
	for _, d := range outputDtypes {
		c.OutputDtypes = append(c.OutputDtypes, int(d))
	}
	for _, t := range template {
		c.TemplateKeys = append(c.TemplateKeys, t.Name)
		switch v := t.Value.(type) {
		case int:
			c.TemplateKind, c.TemplateVals = append(c.TemplateKind, 0), append(c.TemplateVals, v)
		case bool:
			b := 0
			if v {
				b = 1
			}
			c.TemplateKind, c.TemplateVals = append(c.TemplateKind, 1), append(c.TemplateVals, b)
		case Dtype:
			c.TemplateKind, c.TemplateVals = append(c.TemplateKind, 2), append(c.TemplateVals, int(v))
		default:
			panic(&Error{Op: "custom_kernel", Msg: fmt.Sprintf("template argument %s must be an int, bool or Dtype, got %T", t.Name, t.Value)})
		}
	}
	hs, err := k.k.Call(c, st)
	return results("custom_kernel", hs, err, inputs)
}

// Free releases the kernel.
func (k *CustomKernel) Free() { k.k.Free() }
