package kernel

import (
	"reflect"
	"testing"
)

func lines(entries []historyEntry) []int {
	var out []int
	for _, e := range entries {
		out = append(out, e.line)
	}
	return out
}

func TestHistoryQueries(t *testing.T) {
	var h history
	for i, code := range []string{"x := 1", "6 * 7", "fmt.Println(x)", "6 * 7", "y := 2 /* a*b */"} {
		h.add(i+1, code, nil)
	}
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		name string
		req  historyRequest
		want []int
	}{
		{"tail 2", historyRequest{Access: "tail", N: n(2)}, []int{4, 5}},
		{"tail more than there is", historyRequest{Access: "tail", N: n(50)}, []int{1, 2, 3, 4, 5}},
		{"range", historyRequest{Access: "range", Session: 1, Start: 2, Stop: n(4)}, []int{2, 3}},
		{"range, current session 0, to the end", historyRequest{Access: "range", Start: 4}, []int{4, 5}},
		{"range of an earlier session", historyRequest{Access: "range", Session: -1, Start: 1}, nil},
		{"search glob", historyRequest{Access: "search", Pattern: "6 ? 7"}, []int{2, 4}},
		{"search unique keeps the newest", historyRequest{Access: "search", Pattern: "6*", Unique: true}, []int{4}},
		{"search n", historyRequest{Access: "search", Pattern: "*", N: n(2)}, []int{4, 5}},
		{"search with regexp characters", historyRequest{Access: "search", Pattern: "*(x)"}, []int{3}},
	} {
		got, err := h.query(tc.req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(lines(got), tc.want) {
			t.Errorf("%s: lines %v, want %v", tc.name, lines(got), tc.want)
		}
	}
	if _, err := h.query(historyRequest{Access: "sideways"}); err == nil {
		t.Error("unknown hist_access_type accepted")
	}
}
