package models

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// TensorHeader is one entry of a safetensors header: enough to check names,
// shapes and sizes without reading any weight.
type TensorHeader struct {
	Name  string
	Dtype string // safetensors spelling: F32, BF16, U32, ...
	Shape []int
	File  string
	Begin int64 // byte range within the file's data section
	End   int64
}

var dtypeBytes = map[string]int64{"BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
	"U16": 2, "I16": 2, "F16": 2, "BF16": 2, "U32": 4, "I32": 4, "F32": 4, "U64": 8, "I64": 8, "F64": 8, "C64": 8}

// maxHeader bounds the JSON header (the format's own limit is 100 MB).
const maxHeader = 100 << 20

// ReadSafetensorsHeader reads and checks a safetensors file's header: the
// JSON must parse, every tensor's byte size must match dtype and shape,
// and the data section must be as long as the header says (a truncated
// download is caught here, naming the first tensor cut off).
func ReadSafetensorsHeader(path string) ([]TensorHeader, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("missing file %s", path)
		}
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	var lenBuf [8]byte
	if _, err := io.ReadFull(f, lenBuf[:]); err != nil {
		return nil, nil, fmt.Errorf("%s: truncated safetensors: %d bytes, no header", path, st.Size())
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n == 0 || n > maxHeader {
		return nil, nil, fmt.Errorf("%s: corrupt safetensors: header length %d", path, n)
	}
	if int64(n)+8 > st.Size() {
		return nil, nil, fmt.Errorf("%s: truncated safetensors: header needs %d bytes, file has %d", path, n+8, st.Size())
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return nil, nil, fmt.Errorf("%s: corrupt safetensors header: %w", path, err)
	}
	meta := map[string]string{}
	var out []TensorHeader
	for name, r := range raw {
		if name == "__metadata__" {
			_ = json.Unmarshal(r, &meta)
			continue
		}
		var e struct {
			Dtype   string  `json:"dtype"`
			Shape   []int   `json:"shape"`
			Offsets []int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(r, &e); err != nil || len(e.Offsets) != 2 {
			return nil, nil, fmt.Errorf("%s: corrupt safetensors entry for tensor %q", path, name)
		}
		size, ok := dtypeBytes[e.Dtype]
		if !ok {
			return nil, nil, fmt.Errorf("%s: tensor %q has unknown dtype %q", path, name, e.Dtype)
		}
		for _, d := range e.Shape {
			size *= int64(d)
		}
		if e.Offsets[1]-e.Offsets[0] != size || e.Offsets[0] < 0 {
			return nil, nil, fmt.Errorf("%s: tensor %q: %s%v needs %d bytes, header gives %d", path, name, e.Dtype, e.Shape, size, e.Offsets[1]-e.Offsets[0])
		}
		out = append(out, TensorHeader{name, e.Dtype, e.Shape, path, e.Offsets[0], e.Offsets[1]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Begin < out[j].Begin })
	data := st.Size() - 8 - int64(n)
	for _, t := range out {
		if t.End > data {
			return nil, nil, fmt.Errorf("%s: truncated safetensors: tensor %q ends at byte %d of the data, file has %d", path, t.Name, t.End, data)
		}
	}
	return out, meta, nil
}
