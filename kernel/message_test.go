package kernel

import (
	"errors"
	"testing"
)

func TestEncodeDecodeRoundTripAndRejections(t *testing.T) {
	s := NewSigner([]byte("secret"))
	h := NewHeader("execute_request", "session-1")
	frames, err := Encode([][]byte{[]byte("client-id")}, h, nil, map[string]any{"code": "1+1"}, s)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(frames, s)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header != h || string(m.Identities[0]) != "client-id" || string(m.Content) != `{"code":"1+1"}` {
		t.Fatalf("round trip: %+v", m)
	}

	if _, err := Decode(frames, NewSigner([]byte("other key"))); !errors.Is(err, ErrBadSignature) {
		t.Errorf("wrong key: %v", err)
	}
	unsigned := append([][]byte(nil), frames...)
	unsigned[2] = nil
	if _, err := Decode(unsigned, s); !errors.Is(err, ErrBadSignature) {
		t.Errorf("missing signature: %v", err)
	}
	if _, err := Decode(unsigned, NewSigner(nil)); err != nil {
		t.Errorf("no key means no signing, yet: %v", err)
	}
	for name, bad := range map[string][][]byte{
		"no delimiter": {[]byte("a"), []byte("b")},
		"too short":    frames[:4],
		"no msg_type":  mustEncodeRaw(t, s, `{"msg_id":"1"}`, `{}`),
		"bad content":  mustEncodeRaw(t, s, `{"msg_type":"x"}`, `{nope`),
	} {
		if _, err := Decode(bad, s); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// mustEncodeRaw signs hand-written header and content frames.
func mustEncodeRaw(t *testing.T, s Signer, header, content string) [][]byte {
	t.Helper()
	parts := [4][]byte{[]byte(header), []byte("{}"), []byte("{}"), []byte(content)}
	return append([][]byte{delimiter, []byte(s.sign(parts))}, parts[:]...)
}
