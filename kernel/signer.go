package kernel

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Signer makes and checks the HMAC-SHA256 signature of a message: the hex
// digest of header, parent header, metadata and content, in that order. An
// empty key turns signing off, as the protocol says.
type Signer struct{ key []byte }

// NewSigner signs with key (from the connection file).
func NewSigner(key []byte) Signer { return Signer{key: key} }

func (s Signer) sign(parts [4][]byte) string {
	if len(s.key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// valid reports whether sig is the signature of parts. With no key every
// message is valid; with a key a missing or wrong signature is not.
func (s Signer) valid(sig []byte, parts [4][]byte) bool {
	if len(s.key) == 0 {
		return true
	}
	want := s.sign(parts)
	return hmac.Equal(sig, []byte(want))
}
