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

// checkQuantized checks MLX's affine layout for a [out, in] weight:
// uint32 [out, in*bits/32] plus scales and biases [out, in/group_size].
func checkQuantized(c *Config, spec TensorSpec, w, scales, biases TensorHeader) (int64, error) {
	q := c.Quantization
	if q == nil {
		return 0, fmt.Errorf("tensor %q is quantized (has .scales) but config.json has no quantization entry", spec.Name)
	}
	if biases.Name == "" {
		return 0, fmt.Errorf("quantized tensor %q has scales but no biases", spec.Name)
	}
	out, in := spec.Shape[0], spec.Shape[1]
	if in*q.Bits%32 != 0 || in%q.GroupSize != 0 {
		return 0, fmt.Errorf("tensor %q: input size %d does not fit %d-bit groups of %d", spec.Name, in, q.Bits, q.GroupSize)
	}
	packed := []int{out, in * q.Bits / 32}
	groups := []int{out, in / q.GroupSize}
	switch {
	case w.Dtype != "U32" || !slices.Equal(w.Shape, packed):
		return 0, fmt.Errorf("quantized tensor %q is %s%v, want U32%v (%d-bit of %v)", spec.Name, w.Dtype, w.Shape, packed, q.Bits, spec.Shape)
	case !slices.Equal(scales.Shape, groups):
		return 0, fmt.Errorf("tensor %q has shape %v, want %v (group size %d)", scales.Name, scales.Shape, groups, q.GroupSize)
	case !slices.Equal(biases.Shape, groups):
		return 0, fmt.Errorf("tensor %q has shape %v, want %v (group size %d)", biases.Name, biases.Shape, groups, q.GroupSize)
	}
	return int64(product(w.Shape)) * 32 / int64(q.Bits), nil
}

func product(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
