package rewrite

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
)

// The behaviour of each rewrite is tested against go run in the engine
// (testdata/modern); these tests pin what must stay untouched.

func rewriteStmts(t *testing.T, src string) (string, Result) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package p\nfunc main() {\n"+src+"\n}", 0)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	res := Stmts(body, nil)
	var b bytes.Buffer
	printer.Fprint(&b, fset, body.List)
	return b.String(), res
}

func TestLeavesOrdinaryCodeAlone(t *testing.T) {
	for _, src := range []string{
		"s := []int{1, 2}\nfor i, v := range s {\n\t_ = i + v\n}",
		"for k := range unknownThing() {\n\t_ = k\n}",
		"for i := 0; i < 3; i++ {\n\t_ = i\n}",
		"min := func(a, b int) int { return a }\n_ = min(1, 2)",
		"x := 3\n_ = x",
		"if true {\n\tx := 1\n\t_ = x\n}",
		"if true {\n\tdefer g()\n\ta, b := f()\n\t_, _ = a, b\n}",
		"_ = func(a int) int { return a }",
		"x := unknownThing()[0]",
	} {
		if out, res := rewriteStmts(t, src); res.Changed {
			t.Errorf("%q was rewritten:\n%s", src, out)
		}
	}
}

func TestRewritesWhatYaegiLacks(t *testing.T) {
	for src, want := range map[string]string{
		"for i := range 10 {\n\t_ = i\n}": "_mlxn1 - _mlxn1",
		"n := 3\nfor range n {\n}":        "< _mlxn",
		"_ = min(1, 2)":                   "mlxrt.MinInt(1, 2)",
		"f := 2.5\n_ = max(3, f)":         "mlxrt.MaxFloat64(f, 3)",
		"m := map[int]int{}\nclear(m)":    "mlxrt.Clear(m)",
		"go println(1)":                   "mlxrt.GoPanic(r, 0)",
		"seq := func(yield func(int) bool) {}\nfor x := range seq {\n}":                     "seq(func(",
		"var fs []func()\nfor i := 0; i < 2; i++ {\n\tfs = append(fs, func() { _ = i })\n}": "i := _mlxv",
		"if true {\n\ta, b := f()\n\t_, _ = a, b\n}":                                        "func() {\n\tif true {",
		"_ = func(int, string) int { return 1 }":                                            "func(_ int, _ string) int",
		"s := []string{\"a\"}\nx := s[0]":                                                   "var x string\nx = s[0]",
		"m := map[string]float64{}\nv, ok := m[\"a\"]":                                      "var (\n\tv\tfloat64\n\tok\tbool\n)\nv, ok = m[\"a\"]",
	} {
		out, res := rewriteStmts(t, src)
		if !res.Changed || !strings.Contains(out, want) {
			t.Errorf("%q:\n%s\nwant it to contain %q", src, out, want)
		}
	}
}
