package engine

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestModernGoMatchesGoRun runs each program of testdata/modern through the
// engine and through `go run`, and wants the same output: the rewrites
// (range over int and func, iter.Seq, min/max/clear, per-iteration loop
// variables, method values, guarded go statements) must give Go 1.22+
// meaning.
func TestModernGoMatchesGoRun(t *testing.T) {
	files, err := filepath.Glob("testdata/modern/*.go")
	if err != nil || len(files) == 0 {
		t.Fatal("no test programs", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			want, err := exec.Command("go", "run", file).CombinedOutput()
			if err != nil {
				t.Fatalf("go run %s: %v\n%s", file, err, want)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			e, out := newTestEngine(t)
			if r := e.Eval(context.Background(), string(src)); r.Err != nil {
				t.Fatalf("engine: %v (%s)\noutput so far:\n%s", r.Err, r.Err.Kind, out)
			}
			if out.String() != string(want) {
				t.Errorf("engine output differs from go run\n--- engine\n%s--- go run\n%s", out, want)
			}

			// As typed at the prompt: the declarations, then main's body as
			// top-level statements.
			decls, body := splitMain(t, string(src))
			e, out = newTestEngine(t)
			for _, input := range []string{decls, body} {
				if r := e.Eval(context.Background(), input); r.Err != nil {
					t.Fatalf("engine, top level: %v (%s)\ninput:\n%s", r.Err, r.Err.Kind, input)
				}
			}
			if out.String() != string(want) {
				t.Errorf("top-level output differs from go run\n--- engine\n%s--- go run\n%s", out, want)
			}
		})
	}
}

// splitMain cuts a program into its declarations other than main, and the
// statements of main's body.
func splitMain(t *testing.T, src string) (decls, body string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "main" && fd.Recv == nil {
			start, open, end := fset.Position(fd.Pos()).Offset, fset.Position(fd.Body.Lbrace).Offset, fset.Position(fd.Body.Rbrace).Offset
			return src[:start] + src[end+1:], src[open+1 : end]
		}
	}
	t.Fatal("no main")
	return "", ""
}
