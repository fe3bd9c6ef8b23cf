package repl

import "testing"

// TestTopLevelCodeYaegiMishandled types, at the prompt, the cells a
// notebook author reported failing: variables defined from one call inside
// a block, indexing a slice a compiled function returned, a var using an
// earlier variable, and a function literal with an unnamed parameter.
func TestTopLevelCodeYaegiMishandled(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line(`if true { b, err := fmt.Println("w"); fmt.Println(b, err) }`)
	tm.expect(`\nw\n2 <nil>\nmlx> `, wait)
	tm.line(`gs := strings.Fields("a b")`)
	tm.prompt()
	tm.line(`pe := gs[0]`)
	tm.prompt()
	tm.line(`var second = gs[1]`)
	tm.prompt()
	tm.line(`pe + second`)
	tm.expect(`\n"ab"\nmlx> `, wait)
	tm.line(`func apply(b func(int) int) int { return b(3) }`)
	tm.prompt()
	tm.line(`apply(func(int) int { return 7 })`)
	tm.expect(`\n7\nmlx> `, wait)
}
