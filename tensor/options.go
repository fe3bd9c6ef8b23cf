package tensor

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor/cgo"
)

// Opt is an optional argument of an op, the Go spelling of Python's keyword
// arguments: tensor.Sum(a, tensor.Axis(1), tensor.KeepDims(true)). A Dtype,
// Device or Stream is itself an Opt: tensor.Zeros([]int{2}, tensor.Float16, tensor.CPU).
type Opt interface {
	opt() (key string, value any)
}

type option struct {
	key   string
	value any
}

func (o option) opt() (string, any) { return o.key, o.value }

func badOption(op, key, allowed string) {
	msg := fmt.Sprintf("does not take option %s", key)
	if allowed != "" {
		msg += " (it takes " + allowed + ", and a Device or Stream)"
	} else {
		msg += " (it takes only a Device or Stream)"
	}
	panic(&Error{Op: op, Msg: msg})
}

func badOptionValue(op, key string, v any, want string) {
	panic(&Error{Op: op, Msg: fmt.Sprintf("option %s wants %s, got %T", key, want, v)})
}

func optInt(op, key string, v any) int {
	switch x := v.(type) {
	case int:
		return x
	case []int:
		if len(x) == 1 {
			return x[0]
		}
	}
	badOptionValue(op, key, v, "one int")
	return 0
}

func optInts(op, key string, v any) []int {
	switch x := v.(type) {
	case int:
		return []int{x}
	case []int:
		return x
	}
	badOptionValue(op, key, v, "ints")
	return nil
}

func optFloat(op, key string, v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return float64(x)
	}
	badOptionValue(op, key, v, "a number")
	return 0
}

func optBool(op, key string, v any) bool {
	if b, ok := v.(bool); ok {
		return b
	}
	badOptionValue(op, key, v, "a bool")
	return false
}

func optString(op, key string, v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	badOptionValue(op, key, v, "a string")
	return ""
}

func optArray(op, key string, v any) *Array {
	if a, ok := v.(*Array); ok {
		return a
	}
	badOptionValue(op, key, v, "an *Array")
	return nil
}

func optDtype(op, key string, v any) Dtype {
	if d, ok := v.(Dtype); ok {
		return d
	}
	badOptionValue(op, key, v, "a Dtype")
	return 0
}

func optAny(op, key string, v any) any { return v }

func optStream(v any) cgo.Stream {
	switch x := v.(type) {
	case Device:
		return DefaultStreamOf(x).s
	case Stream:
		return x.s
	}
	return defaultStream()
}

// optHandle is an optional array argument's handle (nil when absent); a
// freed array is an error named by op.
func optHandle(op string, a *Array) cgo.Handle {
	if a == nil {
		return cgo.Nil
	}
	return a.handle(op)
}
