package models

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

var floatDtypes = map[string]bool{"F32": true, "F16": true, "BF16": true}

// checkTensors matches a checkpoint's tensors against its architecture:
// every expected weight present with its shape (or its MLX-quantized
// triple: packed uint32 weight, scales, biases), nothing unexpected.
// It returns the kept tensor names (ignored ones dropped) and the
// parameter count as mlx-lm counts it (quantized weights unpacked; scales
// and biases not counted).
func checkTensors(c *Config, all map[string]TensorHeader) (kept []string, params int64, err error) {
	present := map[string]bool{}
	for n := range all {
		present[n] = true
	}
	settleTying(c, present)
	used := map[string]bool{}
	for _, spec := range ExpectedTensors(c) {
		h, ok := all[spec.Name]
		if !ok {
			return nil, 0, fmt.Errorf("missing tensor %q (expected shape %v)", spec.Name, spec.Shape)
		}
		used[spec.Name] = true
		base := strings.TrimSuffix(spec.Name, ".weight")
		if sc, quant := all[base+".scales"]; quant && spec.Quantizable {
			n, err := checkQuantized(c, spec, h, sc, all[base+".biases"])
			if err != nil {
				return nil, 0, err
			}
			used[base+".scales"], used[base+".biases"] = true, true
			params += n
			continue
		}
		if !slices.Equal(h.Shape, spec.Shape) {
			return nil, 0, fmt.Errorf("tensor %q has shape %v, %s expects %v", spec.Name, h.Shape, c.ModelType, spec.Shape)
		}
		if !floatDtypes[h.Dtype] {
			return nil, 0, fmt.Errorf("tensor %q has dtype %s, want a float type", spec.Name, h.Dtype)
		}
		params += int64(product(h.Shape))
	}
	var extra []string
	for n := range all {
		switch {
		case used[n]:
			kept = append(kept, n)
		case !ignoredTensor(c, n):
			extra = append(extra, n)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return nil, 0, fmt.Errorf("unexpected tensor %q (not part of %s; %d unexpected in all)", extra[0], c.ModelType, len(extra))
	}
	sort.Strings(kept)
	return kept, params, nil
}

// checkQuantized checks MLX's quantized layout of an [out, in] weight:
// uint32 [out, in*bits/32] plus scales (and, affine mode, biases)
// [out, in/group_size]. Bits and group size are read from the shapes, per
// tensor, as mlx-lm's infer_quant_config does, so mixed-precision
// checkpoints (an 8-bit embedding in a 4-bit model) load too.
func checkQuantized(c *Config, spec TensorSpec, w, scales, biases TensorHeader) (int64, error) {
	if c.Quantization == nil {
		return 0, fmt.Errorf("tensor %q is quantized (has .scales) but config.json has no quantization entry", spec.Name)
	}
	out, in := spec.Shape[0], spec.Shape[1]
	if w.Dtype != "U32" || len(w.Shape) != 2 || w.Shape[0] != out || len(scales.Shape) != 2 || scales.Shape[0] != out {
		return 0, fmt.Errorf("quantized tensor %q is %s%v with scales %v, want U32[%d, in*bits/32] for %v", spec.Name, w.Dtype, w.Shape, scales.Shape, out, spec.Shape)
	}
	bits, group, mode, err := InferQuantization(in, w.Shape[1], scales.Shape[1], floatDtypes[scales.Dtype])
	if err != nil {
		return 0, fmt.Errorf("quantized tensor %q: %w", spec.Name, err)
	}
	if mode == "affine" && (biases.Name == "" || !slices.Equal(biases.Shape, scales.Shape)) {
		return 0, fmt.Errorf("quantized tensor %q needs biases of shape %v (affine %d-bit, group %d)", spec.Name, scales.Shape, bits, group)
	}
	return int64(out) * int64(in), nil
}

// InferQuantization recovers how an [out, in] weight was packed from the
// packed and scales column counts: bits, group size and mode (affine keeps
// float scales; the fp4/fp8 modes have uint8 scales and one fixed shape).
func InferQuantization(in, packedCols, scalesCols int, floatScales bool) (bits, group int, mode string, err error) {
	if scalesCols <= 0 || in%scalesCols != 0 || packedCols*32%in != 0 {
		return 0, 0, "", fmt.Errorf("%d packed columns and %d scale columns do not fit %d inputs", packedCols, scalesCols, in)
	}
	bits, group = packedCols*32/in, in/scalesCols
	if floatScales {
		switch bits {
		case 2, 3, 4, 5, 6, 8:
			return bits, group, "affine", nil
		}
		return 0, 0, "", fmt.Errorf("%d bits is not an MLX affine width", bits)
	}
	switch [2]int{bits, group} {
	case [2]int{4, 16}:
		return bits, group, "nvfp4", nil
	case [2]int{4, 32}:
		return bits, group, "mxfp4", nil
	case [2]int{8, 32}:
		return bits, group, "mxfp8", nil
	}
	return 0, 0, "", fmt.Errorf("cannot infer the quantization mode of %d bits with group size %d", bits, group)
}

func product(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
