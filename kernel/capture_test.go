package kernel

import "testing"

func TestCompleteTextHoldsBackPartialMarkersAndRunes(t *testing.T) {
	marker := []byte("\x00flush\x00")
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"hello", 5},
		{"hello\x00fl", 5},         // may be the start of a marker
		{"hello\x00", 5},           //
		{"h\x00x", 3},              // a NUL that cannot start the marker
		{"caf\xc3", 3},             // first byte of é only
		{"caf\xc3\xa9", 5},         // é complete
		{"\xe2\x82", 0},            // two of €'s three bytes
		{"\xe2\x82\xac", 3},        // € complete
		{"ok\xf0\x9f\x98", 2},      // three of 😀's four bytes
		{"ok\xf0\x9f\x98\x80", 6},  // 😀 complete
		{"bad \xff\xfe bytes", 12}, // invalid bytes pass (JSON replaces them)
		{"", 0},
	} {
		if got := completeText([]byte(tc.in), marker); got != tc.want {
			t.Errorf("completeText(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
