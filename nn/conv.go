package nn

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Convolutions are channels-last, as in MLX: inputs [N, L, C] (1-D) or
// [N, H, W, C] (2-D), weights [out, kernel..., in/groups].

// ConvOptions are a convolution's optional settings; zero values take the
// defaults (stride 1, padding 0, dilation 1, groups 1, with a bias).
type ConvOptions struct {
	Stride, Padding, Dilation int
	Groups                    int
	NoBias                    bool
}

func (o ConvOptions) resolve(op string, in int) ConvOptions {
	if o.Stride == 0 {
		o.Stride = 1
	}
	if o.Dilation == 0 {
		o.Dilation = 1
	}
	if o.Groups == 0 {
		o.Groups = 1
	}
	if in%o.Groups != 0 {
		panic(&tensor.Error{Op: op, Msg: fmt.Sprintf("inChannels (%d) must be divisible by Groups (%d)", in, o.Groups)})
	}
	return o
}

// Conv1d is a 1-D convolution over [N, L, C].
type Conv1d struct {
	Base
	Weight                            *tensor.Array // [out, kernel, in/groups]
	Bias                              *tensor.Array // nil: no bias
	Stride, Padding, Dilation, Groups int
}

// NewConv1d makes a Conv1d initialised like MLX (uniform ±1/√(in/groups·k), zero bias).
func NewConv1d(inChannels, outChannels, kernelSize int, opts ConvOptions) *Conv1d {
	const op = "nn.NewConv1d"
	checkDims(op, "kernelSize", kernelSize)
	o := opts.resolve(op, inChannels)
	s := math.Sqrt(1 / float64(inChannels/o.Groups*kernelSize))
	c := &Conv1d{Weight: tensor.RandomUniform([]int{outChannels, kernelSize, inChannels / o.Groups}, tensor.Low(-s), tensor.High(s)),
		Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, Groups: o.Groups}
	if !o.NoBias {
		c.Bias = tensor.Zeros([]int{outChannels})
	}
	return c
}

// Forward convolves x [N, L, C].
func (c *Conv1d) Forward(x *tensor.Array) *tensor.Array {
	y := tensor.Conv1d(x, c.Weight, tensor.Stride(c.Stride), tensor.Padding(c.Padding), tensor.Dilation(c.Dilation), tensor.Groups(c.Groups))
	if c.Bias != nil {
		y = tensor.Add(y, c.Bias)
	}
	return y
}

// Conv2d is a 2-D convolution over [N, H, W, C]; stride, padding and
// dilation apply to both spatial axes.
type Conv2d struct {
	Base
	Weight                    *tensor.Array // [out, kh, kw, in/groups]
	Bias                      *tensor.Array
	Stride, Padding, Dilation [2]int
	Groups                    int
}

// NewConv2d makes a Conv2d with a kh x kw kernel, initialised like MLX.
func NewConv2d(inChannels, outChannels, kh, kw int, opts ConvOptions) *Conv2d {
	const op = "nn.NewConv2d"
	checkDims(op, "kh", kh)
	checkDims(op, "kw", kw)
	o := opts.resolve(op, inChannels)
	s := math.Sqrt(1 / float64(inChannels/o.Groups*kh*kw))
	c := &Conv2d{Weight: tensor.RandomUniform([]int{outChannels, kh, kw, inChannels / o.Groups}, tensor.Low(-s), tensor.High(s)),
		Stride: [2]int{o.Stride, o.Stride}, Padding: [2]int{o.Padding, o.Padding}, Dilation: [2]int{o.Dilation, o.Dilation}, Groups: o.Groups}
	if !o.NoBias {
		c.Bias = tensor.Zeros([]int{outChannels})
	}
	return c
}

// Forward convolves x [N, H, W, C].
func (c *Conv2d) Forward(x *tensor.Array) *tensor.Array {
	y := tensor.Conv2d(x, c.Weight, tensor.Stride(c.Stride[:]...), tensor.Padding(c.Padding[:]...),
		tensor.Dilation(c.Dilation[:]...), tensor.Groups(c.Groups))
	if c.Bias != nil {
		y = tensor.Add(y, c.Bias)
	}
	return y
}

// GroupNorm normalises each of NumGroups groups of the last axis over all
// non-batch positions, then applies weight and bias (mlx.nn.GroupNorm).
type GroupNorm struct {
	Base
	Weight, Bias      *tensor.Array // nil when not affine
	NumGroups         int
	Eps               float64
	PytorchCompatible bool // group the features as PyTorch does (contiguous blocks)
}

// NewGroupNorm makes a GroupNorm over dims features (eps 0 = 1e-5).
func NewGroupNorm(numGroups, dims int, eps float64, affine, pytorchCompatible bool) *GroupNorm {
	const op = "nn.NewGroupNorm"
	checkDims(op, "numGroups", numGroups)
	checkDims(op, "dims", dims)
	if dims%numGroups != 0 {
		panic(&tensor.Error{Op: op, Msg: fmt.Sprintf("dims (%d) must be divisible by numGroups (%d)", dims, numGroups)})
	}
	if eps == 0 {
		eps = 1e-5
	}
	g := &GroupNorm{NumGroups: numGroups, Eps: eps, PytorchCompatible: pytorchCompatible}
	if affine {
		g.Bias, g.Weight = tensor.Zeros([]int{dims}), tensor.Ones([]int{dims})
	}
	return g
}

// Forward normalises x [batch, ..., dims].
func (g *GroupNorm) Forward(x *tensor.Array) *tensor.Array {
	shape := x.Shape()
	batch, dims := shape[0], shape[len(shape)-1]
	groups := g.NumGroups
	if g.PytorchCompatible {
		size := dims / groups
		y := tensor.Reshape(x, []int{batch, -1, groups, size})
		y = tensor.Reshape(tensor.Transpose(y, tensor.Axes(0, 2, 1, 3)), []int{batch, groups, -1})
		y = tensor.FastLayerNorm(y, g.Eps)
		y = tensor.Reshape(y, []int{batch, groups, -1, size})
		x = tensor.Reshape(tensor.Transpose(y, tensor.Axes(0, 2, 1, 3)), shape)
	} else {
		y := tensor.Reshape(x, []int{batch, -1, groups})
		mean := tensor.Mean(y, tensor.Axis(1), tensor.KeepDims(true))
		v := tensor.Var(y, tensor.Axis(1), tensor.KeepDims(true))
		y = tensor.Multiply(tensor.Subtract(y, mean), tensor.Rsqrt(tensor.Add(v, g.Eps)))
		x = tensor.Reshape(y, shape)
	}
	if g.Weight != nil {
		return tensor.Add(tensor.Multiply(g.Weight, x), g.Bias)
	}
	return x
}
