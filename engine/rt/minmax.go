package rt

// The min and max builtins (Go 1.21) for each ordered basic type. yaegi
// has neither the builtins nor reliable generic instantiation (two
// instantiations in one top-level input fail), so the rewrite calls the
// helper of the type it inferred; compiled Go's own builtins give the exact
// semantics (NaN, -0).

func MinInt(x int, ys ...int) int {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxInt(x int, ys ...int) int {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinInt8(x int8, ys ...int8) int8 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxInt8(x int8, ys ...int8) int8 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinInt16(x int16, ys ...int16) int16 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxInt16(x int16, ys ...int16) int16 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinInt32(x int32, ys ...int32) int32 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxInt32(x int32, ys ...int32) int32 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinInt64(x int64, ys ...int64) int64 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxInt64(x int64, ys ...int64) int64 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinUint(x uint, ys ...uint) uint {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxUint(x uint, ys ...uint) uint {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinUint8(x uint8, ys ...uint8) uint8 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxUint8(x uint8, ys ...uint8) uint8 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinUint16(x uint16, ys ...uint16) uint16 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxUint16(x uint16, ys ...uint16) uint16 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinUint32(x uint32, ys ...uint32) uint32 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxUint32(x uint32, ys ...uint32) uint32 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinUint64(x uint64, ys ...uint64) uint64 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxUint64(x uint64, ys ...uint64) uint64 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinUintptr(x uintptr, ys ...uintptr) uintptr {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxUintptr(x uintptr, ys ...uintptr) uintptr {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinFloat32(x float32, ys ...float32) float32 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxFloat32(x float32, ys ...float32) float32 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinFloat64(x float64, ys ...float64) float64 {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxFloat64(x float64, ys ...float64) float64 {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}

func MinString(x string, ys ...string) string {
	for _, y := range ys {
		x = min(x, y)
	}
	return x
}

func MaxString(x string, ys ...string) string {
	for _, y := range ys {
		x = max(x, y)
	}
	return x
}
