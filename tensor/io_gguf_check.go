package tensor

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
)

// checkGGUF walks a GGUF file's header, metadata and tensor table and checks
// that every length, count and offset stays inside the file, before MLX
// opens it: MLX's GGUF reader trusts those numbers and crashes the process
// on a damaged file (Python MLX dies the same way). The format:
// https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
func checkGGUF(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	r := &ggufReader{r: bufio.NewReaderSize(f, 1<<16), size: uint64(st.Size())}
	return r.check()
}

// GGUF metadata value types.
const (
	ggufUint8 = iota
	ggufInt8
	ggufUint16
	ggufInt16
	ggufUint32
	ggufInt32
	ggufFloat32
	ggufBool
	ggufString
	ggufArray
	ggufUint64
	ggufInt64
	ggufFloat64
)

var ggufScalarSizes = map[uint32]uint64{ggufUint8: 1, ggufInt8: 1, ggufUint16: 2, ggufInt16: 2,
	ggufUint32: 4, ggufInt32: 4, ggufFloat32: 4, ggufBool: 1, ggufUint64: 8, ggufInt64: 8, ggufFloat64: 8}

// ggmlTypes are the tensor types MLX 0.32 can load (others fail in MLX
// with "gguf_tensor_to_f16 failed"): elements per block and bytes per block.
var ggmlTypes = map[uint32]struct {
	name        string
	block, size uint64
}{
	0: {"F32", 1, 4}, 1: {"F16", 1, 2}, 30: {"BF16", 1, 2},
	24: {"I8", 1, 1}, 25: {"I16", 1, 2}, 26: {"I32", 1, 4},
	2: {"Q4_0", 32, 18}, 3: {"Q4_1", 32, 20}, 8: {"Q8_0", 32, 34},
	10: {"Q2_K", 256, 84}, 12: {"Q4_K", 256, 144}, 14: {"Q6_K", 256, 210},
}

// ggufReader reads the file front to back (one buffered pass: a tokenizer
// vocabulary is hundreds of thousands of strings), knowing the file's size.
type ggufReader struct {
	r    *bufio.Reader
	off  uint64
	size uint64
}

var errGGUFShort = errors.New("file ends early: truncated or not a GGUF file")

func (g *ggufReader) bytes(n uint64) ([]byte, error) {
	if n > g.size || g.off > g.size-n {
		return nil, errGGUFShort
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(g.r, b); err != nil {
		return nil, err
	}
	g.off += n
	return b, nil
}

func (g *ggufReader) skip(n uint64) error {
	if n > g.size || g.off > g.size-n {
		return errGGUFShort
	}
	if _, err := g.r.Discard(int(n)); err != nil {
		return err
	}
	g.off += n
	return nil
}

func (g *ggufReader) u32() (uint32, error) {
	b, err := g.bytes(4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (g *ggufReader) u64() (uint64, error) {
	b, err := g.bytes(8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

func (g *ggufReader) str(what string) (string, error) {
	n, err := g.u64()
	if err != nil {
		return "", err
	}
	if n > g.size-g.off {
		return "", fmt.Errorf("%s is %d bytes long, past the end of the file", what, n)
	}
	b, err := g.bytes(n)
	return string(b), err
}

func (g *ggufReader) check() error {
	magic, err := g.bytes(4)
	if err != nil {
		return err
	}
	if string(magic) != "GGUF" {
		return fmt.Errorf("not a GGUF file (starts with %q)", magic)
	}
	version, err := g.u32()
	if err != nil {
		return err
	}
	if version != 2 && version != 3 {
		return fmt.Errorf("GGUF version %d is not supported (MLX reads versions 2 and 3)", version)
	}
	ntensors, err := g.u64()
	if err != nil {
		return err
	}
	nkv, err := g.u64()
	if err != nil {
		return err
	}
	// Every entry takes at least 12 bytes; more entries than that cannot fit.
	if nkv > g.size/12 || ntensors > g.size/12 {
		return fmt.Errorf("header claims %d metadata entries and %d tensors, more than the file holds", nkv, ntensors)
	}
	alignment := uint64(32)
	for range nkv {
		key, err := g.str("a metadata key")
		if err != nil {
			return err
		}
		typ, err := g.u32()
		if err != nil {
			return err
		}
		if key == "general.alignment" && typ == ggufUint32 {
			b, err := g.bytes(4)
			if err != nil {
				return err
			}
			alignment = uint64(binary.LittleEndian.Uint32(b))
			if alignment == 0 || alignment&(alignment-1) != 0 {
				return fmt.Errorf("general.alignment %d is not a power of two", alignment)
			}
			continue
		}
		if err := g.value(key, typ, true); err != nil {
			return err
		}
	}
	type tensorInfo struct {
		name         string
		offset, size uint64
	}
	tensors := make([]tensorInfo, 0, ntensors)
	for range ntensors {
		name, err := g.str("a tensor name")
		if err != nil {
			return err
		}
		ndim, err := g.u32()
		if err != nil {
			return err
		}
		if ndim == 0 || ndim > 4 {
			return fmt.Errorf("tensor %q has %d dimensions (GGUF allows 1 to 4)", name, ndim)
		}
		count := uint64(1)
		var first uint64
		for i := range ndim {
			d, err := g.u64()
			if err != nil {
				return err
			}
			if i == 0 {
				first = d
			}
			if d > math.MaxInt32 {
				return fmt.Errorf("tensor %q has dimension %d, too large", name, d)
			}
			hi, lo := bits.Mul64(count, d)
			if hi != 0 {
				return fmt.Errorf("tensor %q has too many elements", name)
			}
			count = lo
		}
		typ, err := g.u32()
		if err != nil {
			return err
		}
		tt, ok := ggmlTypes[typ]
		if !ok {
			return fmt.Errorf("tensor %q has GGML type %d, which MLX cannot load "+
				"(it loads F32, F16, BF16, I8, I16, I32, Q4_0, Q4_1, Q8_0, Q2_K, Q4_K and Q6_K)", name, typ)
		}
		if first%tt.block != 0 {
			return fmt.Errorf("tensor %q: %s needs rows of a multiple of %d elements, has %d", name, tt.name, tt.block, first)
		}
		offset, err := g.u64()
		if err != nil {
			return err
		}
		tensors = append(tensors, tensorInfo{name, offset, count / tt.block * tt.size})
	}
	data := (g.off + alignment - 1) / alignment * alignment
	for _, t := range tensors {
		if data > g.size || t.offset > g.size-data || t.size > g.size-data-t.offset {
			return fmt.Errorf("tensor %q (%d bytes at offset %d) extends past the end of the file", t.name, t.size, t.offset)
		}
	}
	return nil
}

// value skips one metadata value of type typ, checking its lengths.
func (g *ggufReader) value(key string, typ uint32, top bool) error {
	if n, ok := ggufScalarSizes[typ]; ok {
		return g.skip(n)
	}
	switch typ {
	case ggufString:
		_, err := g.str(fmt.Sprintf("metadata %q", key))
		return err
	case ggufArray:
		if !top {
			return fmt.Errorf("metadata %q: nested arrays are not supported", key)
		}
		elem, err := g.u32()
		if err != nil {
			return err
		}
		n, err := g.u64()
		if err != nil {
			return err
		}
		if n > math.MaxInt32 {
			return fmt.Errorf("metadata %q: array of %d items is too long", key, n)
		}
		if size, ok := ggufScalarSizes[elem]; ok {
			if n > (g.size-g.off)/size {
				return fmt.Errorf("metadata %q: array of %d items extends past the end of the file", key, n)
			}
			return g.skip(n * size)
		}
		if elem != ggufString {
			return g.badType(key, elem)
		}
		for range n {
			if err := g.value(key, elem, false); err != nil {
				return err
			}
		}
		return nil
	}
	return g.badType(key, typ)
}

func (g *ggufReader) badType(key string, typ uint32) error {
	if typ == ggufArray {
		return fmt.Errorf("metadata %q: nested arrays are not supported", key)
	}
	return fmt.Errorf("metadata %q has unknown value type %d", key, typ)
}
