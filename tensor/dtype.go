package tensor

import "fmt"

// Dtype is an element type. Its values match MLX's dtype codes.
type Dtype int

// The dtypes MLX supports.
const (
	Bool Dtype = iota
	Uint8
	Uint16
	Uint32
	Uint64
	Int8
	Int16
	Int32
	Int64
	Float16
	Float32
	Float64
	Bfloat16
	Complex64
)

var dtypeNames = [...]string{"bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16",
	"int32", "int64", "float16", "float32", "float64", "bfloat16", "complex64"}

var dtypeSizes = [...]int{1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 2, 8}

// String is the name Python MLX uses (float32, bfloat16, ...).
func (d Dtype) String() string {
	if d < 0 || int(d) >= len(dtypeNames) {
		return fmt.Sprintf("Dtype(%d)", int(d))
	}
	return dtypeNames[d]
}

// Size is the number of bytes of one element.
func (d Dtype) Size() int {
	if d < 0 || int(d) >= len(dtypeSizes) {
		return 0
	}
	return dtypeSizes[d]
}

// IsFloat reports float16, bfloat16, float32 and float64.
func (d Dtype) IsFloat() bool {
	return d == Float16 || d == Bfloat16 || d == Float32 || d == Float64
}

// IsComplex reports complex64.
func (d Dtype) IsComplex() bool { return d == Complex64 }

// IsInteger reports the signed and unsigned integer types.
func (d Dtype) IsInteger() bool { return d >= Uint8 && d <= Int64 }

// IsSigned reports signed integers.
func (d Dtype) IsSigned() bool { return d >= Int8 && d <= Int64 }

// ParseDtype returns the dtype named name ("float32", "bf16" also accepted).
func ParseDtype(name string) (Dtype, error) {
	for i, n := range dtypeNames {
		if n == name {
			return Dtype(i), nil
		}
	}
	switch name {
	case "bf16":
		return Bfloat16, nil
	case "f16", "half":
		return Float16, nil
	case "f32", "float":
		return Float32, nil
	case "f64", "double":
		return Float64, nil
	}
	return 0, fmt.Errorf("unknown dtype %q (want one of %v)", name, dtypeNames)
}

// opt lets a Dtype be passed where an op takes options: tensor.Zeros(shape, tensor.Float16).
func (d Dtype) opt() (string, any) { return "dtype", d }
