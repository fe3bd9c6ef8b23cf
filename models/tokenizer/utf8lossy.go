package tokenizer

import "unicode/utf8"

// lossyUTF8 replaces invalid UTF-8 the way Rust's String::from_utf8_lossy
// does (one U+FFFD per "maximal subpart" of an ill-formed sequence, as the
// Unicode standard recommends), so decoded text matches HF tokenizers byte
// for byte. Go's strings.ToValidUTF8 differs: it folds a whole run of bad
// bytes into one U+FFFD.
func lossyUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size > 1 {
			out = append(out, s[i:i+size]...)
			i += size
			continue
		}
		out = utf8.AppendRune(out, utf8.RuneError)
		i += maximalSubpart(s[i:])
	}
	return string(out)
}

// maximalSubpart is the length (>= 1) of the longest prefix of s that could
// start a valid UTF-8 sequence; s does not start with a valid one.
func maximalSubpart(s string) int {
	b0 := s[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case b0 >= 0xC2 && b0 <= 0xDF:
		need = 2
	case b0 == 0xE0:
		need, lo = 3, 0xA0
	case b0 == 0xED:
		need, hi = 3, 0x9F
	case b0 >= 0xE1 && b0 <= 0xEF:
		need = 3
	case b0 == 0xF0:
		need, lo = 4, 0x90
	case b0 == 0xF4:
		need, hi = 4, 0x8F
	case b0 >= 0xF1 && b0 <= 0xF3:
		need = 4
	default:
		return 1
	}
	n := 1
	for ; n < need && n < len(s); n++ {
		c := s[n]
		if n == 1 && (c < lo || c > hi) || n > 1 && (c < 0x80 || c > 0xBF) {
			break
		}
	}
	return n
}
