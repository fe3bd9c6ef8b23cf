package nn

import (
	"fmt"
	"reflect"

	"github.com/mlx-go/mlx-go/tensor"
)

// Quantized layers store weights as MLX packs them: Weight is uint32 words
// holding 32/bits values each, Scales (and, for "affine", Biases) hold one
// entry per group of GroupSize values. The parameter names (weight, scales,
// biases, bias) are MLX's and mlx-lm's, so quantized checkpoints load as is.

// quantModes are MLX's quantization modes with their default group size and
// bits, and the (group size, bits) pairs each supports.
var quantModes = map[string]struct {
	group, bits int
	groups      []int
	bitss       []int
}{
	"affine": {64, 4, []int{32, 64, 128}, []int{2, 3, 4, 5, 6, 8}},
	"mxfp4":  {32, 4, []int{32}, []int{4}},
	"nvfp4":  {16, 4, []int{16}, []int{4}},
	"mxfp8":  {32, 8, []int{32}, []int{8}},
}

// quantConfig resolves defaults (0 = the mode's default) and checks the
// combination, naming the bad parameter.
func quantConfig(op string, groupSize, bits int, mode string) (int, int, error) {
	if mode == "" {
		mode = "affine"
	}
	m, ok := quantModes[mode]
	if !ok {
		return 0, 0, fmt.Errorf("%s: mode %q is not a quantization mode (affine, mxfp4, nvfp4, mxfp8)", op, mode)
	}
	if groupSize == 0 {
		groupSize = m.group
	}
	if bits == 0 {
		bits = m.bits
	}
	if !contains(m.groups, groupSize) {
		return 0, 0, fmt.Errorf("%s: groupSize %d is not supported by mode %q (supported: %v)", op, groupSize, mode, m.groups)
	}
	if !contains(m.bitss, bits) {
		return 0, 0, fmt.Errorf("%s: bits %d is not supported by mode %q (supported: %v)", op, bits, mode, m.bitss)
	}
	return groupSize, bits, nil
}

func contains(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// quantizeWeight quantizes w [out, in] along its last axis.
func quantizeWeight(op string, w *tensor.Array, groupSize, bits int, mode string) (q, scales, biases *tensor.Array, err error) {
	if w.Ndim() != 2 {
		return nil, nil, nil, fmt.Errorf("%s: weight must be 2-D, got shape %v", op, w.Shape())
	}
	if in := w.Dim(-1); in%groupSize != 0 {
		return nil, nil, nil, fmt.Errorf("%s: weight's last axis (%d) is not a multiple of groupSize %d", op, in, groupSize)
	}
	err = tensor.Try(func() {
		r := tensor.Quantize(w, tensor.GroupSize(groupSize), tensor.Bits(bits), tensor.Mode(mode))
		q, scales = r[0], r[1]
		if len(r) > 2 {
			biases = r[2]
		}
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	return q, scales, biases, nil
}

// QuantizedLinear is Linear with a quantized weight. Its weight, scales,
// biases and bias are frozen (never trained), as in MLX.
type QuantizedLinear struct {
	Base
	Weight    *tensor.Array // packed uint32 [out, in·bits/32]
	Scales    *tensor.Array
	Biases    *tensor.Array // affine mode only
	Bias      *tensor.Array // nil: no bias
	GroupSize int
	Bits      int
	Mode      string
}

// QuantizedLinearFrom quantizes a Linear layer (groupSize/bits 0 = the
// mode's default; mode "" = "affine").
func QuantizedLinearFrom(l *Linear, groupSize, bits int, mode string) (*QuantizedLinear, error) {
	const op = "nn.QuantizedLinearFrom"
	if mode == "" {
		mode = "affine"
	}
	g, b, err := quantConfig(op, groupSize, bits, mode)
	if err != nil {
		return nil, err
	}
	q, s, bi, err := quantizeWeight(op, l.Weight, g, b, mode)
	if err != nil {
		return nil, err
	}
	ql := &QuantizedLinear{Weight: q, Scales: s, Biases: bi, Bias: l.Bias, GroupSize: g, Bits: b, Mode: mode}
	return ql, nil
}

// NewQuantizedLinear makes a randomly initialised QuantizedLinear (load
// real weights with Update or LoadWeights).
func NewQuantizedLinear(inDims, outDims int, bias bool, groupSize, bits int, mode string) (*QuantizedLinear, error) {
	return QuantizedLinearFrom(NewLinear(inDims, outDims, bias), groupSize, bits, mode)
}

func (*QuantizedLinear) alwaysFrozen() {}

// InputDims is the number of input features the packed weight stands for.
func (q *QuantizedLinear) InputDims() int {
	bits := q.Bits
	if bits == 0 {
		mode := q.Mode
		if mode == "" {
			mode = "affine"
		}
		bits = quantModes[mode].bits
	}
	if bits == 0 {
		panic(&tensor.Error{Op: "nn.QuantizedLinear", Msg: fmt.Sprintf("unknown quantization mode %q", q.Mode)})
	}
	return q.Weight.Dim(1) * 32 / bits
}

// Forward is quantized_matmul(x, Wᵀ) + b.
func (q *QuantizedLinear) Forward(x *tensor.Array) *tensor.Array {
	checkFeatures("nn.QuantizedLinear", x, q.InputDims())
	y := tensor.QuantizedMatmul(x, q.Weight, q.Scales, quantOpts(q.Biases, q.GroupSize, q.Bits, q.Mode)...)
	if q.Bias != nil {
		y = tensor.Add(y, q.Bias)
	}
	return y
}

// Dequantized is the float weight [out, in] the packed one stands for.
func (q *QuantizedLinear) Dequantized() *tensor.Array {
	return tensor.Dequantize(q.Weight, q.Scales, quantOpts(q.Biases, q.GroupSize, q.Bits, q.Mode)...)
}

// quantOpts are the options of MLX's quantized ops; zero fields (a layer
// built as a literal) take MLX's defaults for the mode.
func quantOpts(biases *tensor.Array, groupSize, bits int, mode string) []tensor.Opt {
	if mode == "" {
		mode = "affine"
	}
	opts := []tensor.Opt{tensor.Mode(mode)}
	if groupSize != 0 {
		opts = append(opts, tensor.GroupSize(groupSize))
	}
	if bits != 0 {
		opts = append(opts, tensor.Bits(bits))
	}
	if biases != nil {
		opts = append(opts, tensor.Biases(biases))
	}
	return opts
}

// QuantizedEmbedding is Embedding with a quantized table.
type QuantizedEmbedding struct {
	Base
	Weight    *tensor.Array
	Scales    *tensor.Array
	Biases    *tensor.Array // affine mode only
	GroupSize int
	Bits      int
	Mode      string
}

// QuantizedEmbeddingFrom quantizes an Embedding.
func QuantizedEmbeddingFrom(e *Embedding, groupSize, bits int, mode string) (*QuantizedEmbedding, error) {
	const op = "nn.QuantizedEmbeddingFrom"
	if mode == "" {
		mode = "affine"
	}
	g, b, err := quantConfig(op, groupSize, bits, mode)
	if err != nil {
		return nil, err
	}
	q, s, bi, err := quantizeWeight(op, e.Weight, g, b, mode)
	if err != nil {
		return nil, err
	}
	qe := &QuantizedEmbedding{Weight: q, Scales: s, Biases: bi, GroupSize: g, Bits: b, Mode: mode}
	return qe, nil
}

func (*QuantizedEmbedding) alwaysFrozen() {}

// Forward gathers and dequantizes the rows of ids.
func (e *QuantizedEmbedding) Forward(ids *tensor.Array) *tensor.Array {
	checkIDs("nn.QuantizedEmbedding", ids)
	take := func(a *tensor.Array) *tensor.Array {
		if a == nil {
			return nil
		}
		return tensor.Take(a, ids, tensor.Axis(0))
	}
	return tensor.Dequantize(take(e.Weight), take(e.Scales), quantOpts(take(e.Biases), e.GroupSize, e.Bits, e.Mode)...)
}

// AsLinear is x·Wᵀ with the quantized table, for tied output heads.
func (e *QuantizedEmbedding) AsLinear(x *tensor.Array) *tensor.Array {
	return tensor.QuantizedMatmul(x, e.Weight, e.Scales, quantOpts(e.Biases, e.GroupSize, e.Bits, e.Mode)...)
}

// Quantizable is a layer that has a quantized counterpart.
type Quantizable interface {
	ToQuantized(groupSize, bits int, mode string) (any, error)
}

// Quantize replaces, in place, every sub-module of m that is Quantizable
// (Linear, Embedding) and that predicate accepts (nil = all) by its
// quantized form, in affine mode. groupSize/bits 0 take the defaults (64, 4).
// predicate gets the module's dotted path and the module.
func Quantize(m any, groupSize, bits int, predicate func(path string, module any) bool) error {
	return QuantizeMode(m, groupSize, bits, "affine", predicate)
}

// QuantizeMode is Quantize with a mode: "affine", "mxfp4", "nvfp4" or "mxfp8".
func QuantizeMode(m any, groupSize, bits int, mode string, predicate func(path string, module any) bool) error {
	const op = "nn.Quantize"
	if _, err := moduleValue(op, m); err != nil {
		return err
	}
	if _, _, err := quantConfig(op, groupSize, bits, mode); err != nil {
		return err
	}
	for _, c := range walkModule(m).children {
		v := c.slot
		if v.Kind() == reflect.Interface {
			v = v.Elem()
		}
		mod, ok := v.Interface().(Quantizable)
		if !ok || (predicate != nil && !predicate(c.path, v.Interface())) {
			continue
		}
		q, err := mod.ToQuantized(groupSize, bits, mode)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", op, c.path, err)
		}
		if err := replace(op, c, q); err != nil {
			return err
		}
	}
	return nil
}

// replace stores module q in the slot c, or says why Go cannot.
func replace(op string, c child, q any) error {
	qv := reflect.ValueOf(q)
	if !c.slot.CanSet() {
		return fmt.Errorf("%s: %s cannot be replaced (held by value; use a pointer or an interface field)", op, c.path)
	}
	if !qv.Type().AssignableTo(c.slot.Type()) {
		return fmt.Errorf("%s: %s is declared %s, which cannot hold a %s: declare the field as an interface (nn.Layer, nn.Embedder)",
			op, c.path, c.slot.Type(), qv.Type())
	}
	c.slot.Set(qv)
	return nil
}
