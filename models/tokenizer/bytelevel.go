package tokenizer

import "unicode/utf8"

// GPT-2's byte-level alphabet: every byte gets a printable rune so BPE can
// work on text made of arbitrary bytes. Printable Latin-1 bytes map to
// themselves; the rest (controls, space, ...) map to U+0100 onwards, in
// byte order.
var (
	byteToRune [256]rune
	runeToByte = map[rune]byte{}
)

func init() {
	n := 0
	for b := 0; b < 256; b++ {
		printable := (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
		if printable {
			byteToRune[b] = rune(b)
		} else {
			byteToRune[b] = rune(256 + n)
			n++
		}
		runeToByte[byteToRune[b]] = byte(b)
	}
}

// toByteLevel spells s's bytes in the byte-level alphabet.
func toByteLevel(s string) string {
	out := make([]byte, 0, len(s)*2)
	for i := 0; i < len(s); i++ {
		out = utf8.AppendRune(out, byteToRune[s[i]])
	}
	return string(out)
}

// fromByteLevel undoes toByteLevel for one token. Like HF's ByteLevel
// decoder, a token with a rune outside the alphabet (an added token such as
// "<|eot_id|>" with non-alphabet characters) is kept as its own UTF-8 text.
func fromByteLevel(tok string) string {
	out := make([]byte, 0, len(tok))
	for _, r := range tok {
		b, ok := runeToByte[r]
		if !ok {
			return tok
		}
		out = append(out, b)
	}
	return string(out)
}
