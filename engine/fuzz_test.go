package engine

import (
	"context"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// neverDieCorpus is Go that once crashed an interpreter, or could: bad
// syntax, bad types, panics of every kind, goroutines that panic, deep
// recursion, and odd declarations.
var neverDieCorpus = []string{
	"", "}", "{", "func", "func (", "for range", "x :=", "package", "import", `import "nosuch/pkg"`,
	"type T T", "type T struct{ T }", "var x = x", "const c = c", "func f() { f() }\nf()",
	"func f(n int) int { return f(n+1) + 1 }\nf(0)",
	"var g func()\ng = func() { g() }\ng()",
	"func r(n int) int { return r(n+1) + 1 }\ngo r(0)\ntime.Sleep(300 * time.Millisecond)",
	"func r2(n int) int { return r2(n+1) + 1 }\ngo r2(0)",
	"go func() { panic(1) }()\ntime.Sleep(50 * time.Millisecond)",
	"go func() { var m map[int]int; m[1] = 1 }()\ntime.Sleep(50 * time.Millisecond)",
	"var p *int\n*p = 1", "var s []int\ns[-1+len(s)] = 0", "x := []int{1}[5]", "var i interface{} = 1\n_ = i.(string)",
	"close((chan int)(nil))", "panic(nil)", "panic(fmt.Errorf(\"wrapped: %w\", io.EOF))", "os.Exit(3)",
	"for i := range 1 << 62 { if i > 10 { break } }", "for x := range func(yield func(int) bool) { yield(1); yield(2) } { break }",
	"min()", "max(1)", "clear(1)", "clear(nil)", "a := tensor.New([]float32{1})\na.Reshape([]int{7})",
	"tensor.New(nil)", "tensor.New(struct{}{})", "var a *tensor.Array\na.Sum()", "type S struct{}\nfunc (s *S) M() int { return 1 }\nf := (*S)(nil).M\nf()",
	"defer func() {}()", "goto L", "L: for { break L }", "select {}", "var c chan int\n<-c",
	"switch x := 5; { case x > 1: fallthrough; default: }", "func(){}()", "x := func() int { for { } }",
	"type G[T any] struct{ v T }\nvar g G[int]\ng", "func id[T any](x T) T { return x }\nid(3)",
	"var _ = [1 << 40]byte{}", "make([]int, -1)", "make([]int, 1<<62)", "new(int)", "import \"iter\"\nvar s iter.Seq[int]\nfor x := range s { _ = x }",
	":time", ":bench", ":load", ":load /nonexistent.go", ":type", ":doc", ":doc nosuch.Thing", ":device", "%%time", ": ", "%",
}

func neverDie(t *testing.T, e *Engine, src string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	done := make(chan Result, 1)
	go func() { done <- e.Eval(ctx, src) }()
	select {
	case r := <-done:
		if r.Err != nil && r.Err.Msg == "" {
			t.Errorf("%q: error without a message: %+v", src, r.Err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%q: Eval did not return", src)
	}
}

// FuzzEvalNeverDies: whatever the input, Eval returns (the process lives)
// and the session still evaluates afterwards. `go test` runs the corpus;
// `go test -fuzz FuzzEvalNeverDies ./engine` explores further.
func FuzzEvalNeverDies(f *testing.F) {
	for _, s := range neverDieCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		neverDie(t, e, src)
		if r := e.Eval(context.Background(), "1 + 1"); r.Err != nil || r.Value == nil || r.Value.Text != "2" {
			t.Errorf("after %q the session is broken: %+v %+v", src, r.Value, r.Err)
		}
	})
}

// TestNeverDieOnMutatedPrograms feeds one session a few hundred random
// mutations (cuts, splices, stray tokens) of the corpus and of the
// modern-Go programs: the process must survive all of them.
func TestNeverDieOnMutatedPrograms(t *testing.T) {
	sources := append([]string(nil), neverDieCorpus...)
	files, _ := filepath.Glob("testdata/modern/*.go")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	tokens := []string{"{", "}", "(", ")", "[", "]", ":=", "=", "go ", "range ", "func", "nil", "panic(", "*", "&",
		"<-", "...", "\n", ";", "for ", "return", "break", "continue", "defer ", "x", "0", "1<<60", `"s"`, ".", ","}
	rng := rand.New(rand.NewSource(1))
	e, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	n := 300
	if testing.Short() {
		n = 60
	}
	for i := 0; i < n; i++ {
		src := sources[rng.Intn(len(sources))]
		for m := rng.Intn(4); m >= 0 && len(src) > 0; m-- {
			a := rng.Intn(len(src))
			b := a + rng.Intn(len(src)-a+1)
			switch rng.Intn(4) {
			case 0: // cut
				src = src[:a] + src[b:]
			case 1: // stray token
				src = src[:a] + tokens[rng.Intn(len(tokens))] + src[a:]
			case 2: // truncate
				src = src[:b]
			case 3: // duplicate a piece
				src = src[:b] + src[a:b] + src[b:]
			}
		}
		neverDie(t, e, src)
	}
	if r := e.Eval(context.Background(), "1 + 1"); r.Err != nil || r.Value.Text != "2" {
		t.Errorf("session broken after the mutations: %+v %+v", r.Value, r.Err)
	}
}
