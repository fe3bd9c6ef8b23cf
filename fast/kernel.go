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
	AtomicOutputs       bool
}

// Kernel is a compiled custom kernel. No backend this build links provides
// one yet (see NewMetalKernel), so a *Kernel is never returned non-nil.
type Kernel struct{ spec KernelSpec }

// NewMetalKernel is mx.fast.metal_kernel: a custom kernel in Metal Shading
// Language. MLX runs such kernels only on its Metal backend (Apple silicon),
// so on other backends this returns an error saying so rather than failing
// at the first call the way Python does.
func NewMetalKernel(spec KernelSpec) (*Kernel, error) {
	return newKernel("fast.NewMetalKernel", "Metal", "the Metal backend (macOS on Apple silicon, mlx-metal)", spec)
}

// NewCUDAKernel is mx.fast.cuda_kernel: a custom kernel in CUDA C++. MLX
// runs such kernels only on its CUDA backend (mlx-cuda); elsewhere this
// returns an error saying so.
func NewCUDAKernel(spec KernelSpec) (*Kernel, error) {
	return newKernel("fast.NewCUDAKernel", "CUDA", "the CUDA backend (Linux with an NVIDIA GPU, mlx-cuda)", spec)
}

func newKernel(op, lang, where string, spec KernelSpec) (*Kernel, error) {
	if spec.Name == "" || spec.Source == "" || len(spec.OutputNames) == 0 {
		return nil, fmt.Errorf("%s: spec needs Name, Source and at least one of OutputNames", op)
	}
	if !tensor.GPU.Available() {
		return nil, fmt.Errorf("%s: custom %s kernels run only on %s; this MLX has no GPU backend (it runs on %s). "+
			"Custom kernels exist for the Metal and CUDA backends only", op, lang, where, tensor.DefaultDevice())
	}
	// A GPU backend is linked, but the C bridge (tensor/cgo) has no entry
	// for MLX's custom-kernel primitive yet.
	return nil, fmt.Errorf("%s: this build's C bridge does not expose MLX's custom %s kernels yet", op, lang)
}
