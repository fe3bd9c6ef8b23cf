package cgo

/*
#include <stdlib.h>
#include "kernel.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Kernel is a custom GPU kernel held by MLX.
type Kernel struct{ p C.mlxgo_kernel }

// KernelSpec is what MLX needs to build a custom kernel.
type KernelSpec struct {
	CUDA                bool // else Metal
	Name, Source        string
	Header              string
	InputNames          []string
	OutputNames         []string
	EnsureRowContiguous bool
	AtomicOutputs       bool // Metal only
	SharedMemory        int  // CUDA only: dynamic shared memory bytes
}

// KernelCall is one launch: output shapes and dtypes, grid and threadgroup,
// template arguments (kinds 0 int, 1 bool, 2 dtype code).
type KernelCall struct {
	Inputs       []Handle
	OutputShapes [][]int
	OutputDtypes []int
	Grid         [3]int
	Threadgroup  [3]int
	TemplateKeys []string
	TemplateKind []int
	TemplateVals []int
	InitValue    *float32
	Verbose      bool
}

// NewKernel builds a custom kernel (MLX compiles it on first call).
func NewKernel(spec KernelSpec) (*Kernel, error) {
	ins, freeIns := cStrings(spec.InputNames)
	defer freeIns()
	outs, freeOuts := cStrings(spec.OutputNames)
	defer freeOuts()
	name, src, hdr := C.CString(spec.Name), C.CString(spec.Source), C.CString(spec.Header)
	defer C.free(unsafe.Pointer(name))
	defer C.free(unsafe.Pointer(src))
	defer C.free(unsafe.Pointer(hdr))
	backend := 0
	if spec.CUDA {
		backend = 1
	}
	var res C.mlxgo_kernel
	l := lock()
	err := statusError(C.mlxgo_kernel_new(&res, C.int(backend), name, stringsPtr(ins), C.int(len(ins)), stringsPtr(outs),
		C.int(len(outs)), src, hdr, C.bool(spec.EnsureRowContiguous), C.bool(spec.AtomicOutputs),
		C.int(spec.SharedMemory)))
	unlock(l)
	if err != nil {
		return nil, err
	}
	return &Kernel{res}, nil
}

// Call launches the kernel and returns its outputs.
func (k *Kernel) Call(c KernelCall, s Stream) ([]Handle, error) {
	if k == nil || k.p == nil {
		return nil, errors.New("kernel was freed")
	}
	var shapes, ndims, dts []C.int
	for i, sh := range c.OutputShapes {
		ndims = append(ndims, C.int(len(sh)))
		for _, d := range sh {
			shapes = append(shapes, C.int(d))
		}
		dts = append(dts, C.int(c.OutputDtypes[i]))
	}
	keys, freeKeys := cStrings(c.TemplateKeys)
	defer freeKeys()
	grid, tg := cInts(c.Grid[:]), cInts(c.Threadgroup[:])
	kinds, vals := cInts(c.TemplateKind), cInts(c.TemplateVals)
	in := cHandles(c.Inputs)
	var init C.float
	if c.InitValue != nil {
		init = C.float(*c.InitValue)
	}
	var outs *C.mlxgo_array
	var n C.int
	l := lock()
	err := statusError(C.mlxgo_kernel_call(k.p, handlesPtr(in), C.int(len(in)), intsPtr(shapes), intsPtr(ndims),
		intsPtr(dts), C.int(len(dts)), intsPtr(grid), intsPtr(tg), stringsPtr(keys), intsPtr(kinds), intsPtr(vals),
		C.int(len(c.TemplateKeys)), init, C.bool(c.InitValue != nil), C.bool(c.Verbose), s.c(), &outs, &n))
	unlock(l)
	if err != nil {
		return nil, err
	}
	return takeHandles(outs, n), nil
}

// Free releases the kernel.
func (k *Kernel) Free() {
	if k == nil || k.p == nil {
		return
	}
	l := lock()
	C.mlxgo_kernel_free(k.p)
	unlock(l)
	k.p = nil
}
