package fast

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// KernelSpec describes a custom GPU kernel the way mx.fast.metal_kernel and
// mx.fast.cuda_kernel take it: the kernel body and the names its inputs and
// outputs are bound to.
type KernelSpec struct {
	Name                string
	InputNames          []string
	OutputNames         []string
	Source              string // the kernel body
	Header              string // code placed before the kernel (helpers, includes)
	EnsureRowContiguous bool
	AtomicOutputs       bool // Metal only
	SharedMemory        int  // CUDA only: dynamic shared memory in bytes
}

// Kernel is a compiled custom kernel.
type Kernel struct {
	spec KernelSpec
	k    *tensor.CustomKernel
}

// KernelCall is one launch of a Kernel, as mx.fast.*_kernel's call takes it.
type KernelCall struct {
	Inputs       []*tensor.Array
	OutputShapes [][]int
	OutputDtypes []tensor.Dtype
	Grid         [3]int // total threads in x, y, z
	Threadgroup  [3]int // threads per block/threadgroup
	Template     []tensor.KernelTemplateArg
	InitValue    *float32 // fill outputs with this before the kernel runs
	Verbose      bool     // print the generated source
}

// Call launches the kernel; it panics with *tensor.Error on bad input.
func (k *Kernel) Call(c KernelCall, opts ...tensor.Opt) []*tensor.Array {
	return k.k.Call(c.Inputs, c.OutputShapes, c.OutputDtypes, c.Grid, c.Threadgroup, c.Template, c.InitValue, c.Verbose, opts...)
}

// Free releases the kernel.
func (k *Kernel) Free() { k.k.Free() }

// NewMetalKernel is mx.fast.metal_kernel: a custom kernel in Metal Shading
// Language. MLX runs such kernels only on its Metal backend (Apple silicon),
// so on other backends this returns an error saying so rather than failing
// at the first call the way Python does.
func NewMetalKernel(spec KernelSpec) (*Kernel, error) {
	return newKernel("fast.NewMetalKernel", false, "Metal", "the Metal backend (macOS on Apple silicon, mlx-metal)", spec)
}

// NewCUDAKernel is mx.fast.cuda_kernel: a custom kernel in CUDA C++. MLX
// runs such kernels only on its CUDA backend (mlx-cuda); elsewhere this
// returns an error saying so.
func NewCUDAKernel(spec KernelSpec) (*Kernel, error) {
	return newKernel("fast.NewCUDAKernel", true, "CUDA", "the CUDA backend (Linux with an NVIDIA GPU, mlx-cuda)", spec)
}

func newKernel(op string, cuda bool, lang, where string, spec KernelSpec) (*Kernel, error) {
	if spec.Name == "" || spec.Source == "" || len(spec.OutputNames) == 0 {
		return nil, fmt.Errorf("%s: spec needs Name, Source and at least one of OutputNames", op)
	}
	if !tensor.GPU.Available() {
		return nil, fmt.Errorf("%s: custom %s kernels run only on %s; this MLX has no GPU backend (it runs on %s). "+
			"Custom kernels exist for the Metal and CUDA backends only", op, lang, where, tensor.DefaultDevice())
	}
	k, err := tensor.NewCustomKernel(cuda, spec.Name, spec.InputNames, spec.OutputNames, spec.Source, spec.Header,
		spec.EnsureRowContiguous, spec.AtomicOutputs, spec.SharedMemory)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &Kernel{spec: spec, k: k}, nil
}
