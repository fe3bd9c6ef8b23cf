package tensor

import (
	"testing"
	"unsafe"
)

// An Array weighs 128 bytes (see its padding).
func TestArraySize(t *testing.T) {
	if n := unsafe.Sizeof(Array{}); n != 128 {
		t.Errorf("an Array is %d bytes, want 128", n)
	}
}

// Free frees many arrays at once, skipping nil and freed ones.
func TestFreeMany(t *testing.T) {
	live := LiveArrays()
	a, b := Ones([]int{2}), Zeros([]int{3})
	c := Add(a, 1)
	b.Free()
	Free(a, nil, b, c, a)
	for _, x := range []*Array{a, b, c} {
		if !x.h.IsNil() {
			t.Fatal("an array was not freed")
		}
	}
	if n := LiveArrays(); n != live {
		t.Errorf("%d live arrays after freeing, want %d", n, live)
	}
	Free()
}
