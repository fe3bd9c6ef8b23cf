package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

func TestFirstValueTime(t *testing.T) {
	begin := time.Now()
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line("1 + 1")
	tm.expect(`\n2\n`, wait)
	t.Logf("launch to first value: %v", time.Since(begin))
}

func TestTypingValuesAndState(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line("x := 40")
	tm.prompt()
	tm.line("x + 2")
	tm.expect(`\n42\nmlx> `, wait)
	tm.line(`fmt.Println("hello", x)`)
	// Printed once, and the byte count of Println is not shown.
	got := tm.expect(`\nhello 40\n(\d+\n)?mlx> `, wait)
	if strings.Contains(got, "9\n") {
		t.Errorf("Println's result was shown: %q", got)
	}
	tm.line(`"go" + "pher"`)
	tm.expect(`\n"gopher"\n`, wait)

	// Arrays print as MLX prints them (Python MLX is the reference).
	want := strings.TrimSpace(string(testutil.RunPython(t,
		"import mlx.core as mx; print(repr(mx.array([[1, 2], [3, 4]], dtype=mx.float32) * 2))")))
	tm.line("a := tensor.New([][]float32{{1, 2}, {3, 4}})")
	tm.prompt()
	tm.line("a.Multiply(2)")
	got = tm.expect(`\narray\([^)]*\)\n`, wait)
	if strings.TrimSpace(got) != want {
		t.Errorf("array printed as\n%s\nMLX prints\n%s", got, want)
	}
}

func TestErrorsRedOnTerminal(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line("y := undefinedName + 1")
	tm.expect(`1:6: undefined: undefinedName`, wait)
	if !strings.Contains(tm.outputAll(), "\x1b[31m1:6: undefined: undefinedName") {
		t.Errorf("error not red: %q", tm.outputAll())
	}
	// A runtime panic is an error too, and the session continues.
	tm.line("var s []int; _ = s[3]")
	tm.expect(`runtime error: index out of range`, wait)
	tm.line("2 * 21")
	tm.expect(`\n42\n`, wait)
}

func (tm *term) outputAll() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

func TestHistoryAcrossRestartsAndReverseSearch(t *testing.T) {
	home := t.TempDir()
	tm := start(t, home)
	tm.prompt()
	tm.line("histMarker := 1234")
	tm.prompt()
	tm.line("other := 5")
	tm.prompt()
	tm.send("\x04")
	if code := tm.exited(wait); code != 0 {
		t.Fatalf("Ctrl-D exit code %d", code)
	}
	data, err := os.ReadFile(filepath.Join(home, ".mlxrepl_history"))
	if err != nil || !strings.Contains(string(data), "histMarker := 1234") {
		t.Fatalf("history file: %q %v", data, err)
	}

	tm = start(t, home)
	tm.prompt()
	// Up twice recalls the first line of the earlier session.
	tm.send("\x1b[A\x1b[A")
	tm.expect(`histMarker := 1234`, wait)
	tm.send("\r")
	tm.prompt()
	tm.line("histMarker + 1")
	tm.expect(`\n1235\n`, wait)

	// Ctrl-R searches back.
	tm.send("\x12")
	tm.send("other")
	tm.expect(`other := 5`, wait)
	tm.send("\r") // accept the found line into the editor
	tm.send("\r") // and run it
	tm.prompt()
	tm.line("other * 2")
	tm.expect(`\n10\n`, wait)
}

func TestTabCompletion(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line("v := tensor.New([]float32{1, 2, 3, 4})")
	tm.prompt()
	// A method of a value in scope: a.Resh<Tab> -> Reshape.
	tm.send("w := v.Resh\t")
	tm.expect(`w := v\.Reshape`, wait)
	tm.line("([]int{2, 2})")
	tm.prompt()
	tm.line("w.Shape()")
	tm.expect(`\n\[2 2\]\n`, wait)
	// A package member: tensor.Arang<Tab> -> Arange.
	tm.send("tensor.Arang\t")
	tm.expect(`tensor\.Arange`, wait)
	tm.line("(0, 3).Sum()")
	tm.expect(`array\(3`, wait)
	// A variable and a keyword.
	tm.line("longVariableName := 7")
	tm.prompt()
	tm.send("longVar\t")
	tm.expect(`longVariableName`, wait)
	tm.line(" * 6")
	tm.expect(`\n42\n`, wait)
	// Several candidates are listed.
	tm.send("tensor.Zeros\t\t")
	tm.expect(`ZerosLike`, wait)
	tm.send("\x03") // leave the candidate list
	tm.send("\x03") // drop the line
	tm.expect(`\^C\n`, wait)
	tm.prompt()
	// File paths after :load.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "script_for_tab.go"), []byte("loadedValue := 99\n"), 0o644)
	tm.send(":load " + dir + "/script_f\t")
	tm.expect(`script_for_tab\.go`, wait)
	tm.send("\r")
	tm.prompt()
	tm.line("loadedValue")
	tm.expect(`\n99\n`, wait)
}

func TestMultiLinePaste(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	// A whole function pasted at once.
	tm.send("func fib(n int) int {\r\tif n < 2 {\r\t\treturn n\r\t}\r\treturn fib(n-1) + fib(n-2)\r}\r")
	tm.expect(`\.\.\.  `, wait) // the continuation prompt
	tm.prompt()
	tm.line("fib(20)")
	tm.expect(`\n6765\n`, wait)
	// An unfinished expression continues too.
	tm.line("total := 1 +")
	tm.expect(`\.\.\.  `, wait)
	tm.line("2")
	tm.prompt()
	tm.line("total")
	tm.expect(`\n3\n`, wait)
}

func TestCtrlCStopsInfiniteLoop(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line("n := 0")
	tm.prompt()
	tm.line("for { n++ }")
	time.Sleep(500 * time.Millisecond)
	sent := time.Now()
	tm.send("\x03")
	tm.expect(`interrupted`, wait)
	if d := time.Since(sent); d > time.Second {
		t.Errorf("Ctrl-C took %v", d)
	}
	t.Logf("Ctrl-C to stop: %v", time.Since(sent))
	tm.prompt()
	tm.line("n > 0")
	tm.expect(`\ntrue\n`, wait)
	// A compiled loop that polls interrupt.Check stops too.
	tm.line("var err error; for err == nil { err = interrupt.Check() }")
	time.Sleep(300 * time.Millisecond)
	tm.send("\x03")
	tm.expect(`interrupted|mlx> `, wait)
	tm.line("3 * 3")
	tm.expect(`\n9\n`, wait)
	// Ctrl-C at the prompt drops the line and keeps the session.
	tm.send("half typed")
	tm.send("\x03")
	tm.prompt()
	tm.line("4 * 4")
	tm.expect(`\n16\n`, wait)
}

func TestCtrlDExits(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.send("\x04")
	if code := tm.exited(wait); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestCommands(t *testing.T) {
	tm := start(t, t.TempDir())
	tm.prompt()
	tm.line(":help")
	tm.expect(`:bench`, wait)
	tm.prompt()
	tm.line("a := tensor.Ones([]int{128, 128})")
	tm.prompt()
	tm.line(":type a.Sum()")
	tm.expect(`\n\*tensor\.Array\n`, wait)
	tm.line(":time b := tensor.Matmul(a, a)")
	tm.expect(`time: [0-9.]+ (ns|µs|ms|s)\n`, wait)
	tm.line("b.IsEvaluated()")
	tm.expect(`\ntrue\n`, wait)
	tm.line(":bench tensor.Matmul(a, a)")
	tm.expect(`median .*spread .*runs.*TFLOP/s`, wait)
	tm.line("%timeit a.Add(a)")
	tm.expect(`median .*GB/s`, wait)
	tm.line(":mem")
	tm.expect(`active .* live arrays \d+`, wait)
	tm.line(":device cpu")
	tm.expect(`default device: cpu`, wait)
	tm.line(":doc tensor.Matmul")
	tm.expect(`func Matmul\(`, wait)
	tm.line(":models " + t.TempDir())
	tm.expect(`no models under`, wait)
	dir := t.TempDir()
	file := filepath.Join(dir, "prog.go")
	os.WriteFile(file, []byte("package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := range 3 {\n\t\tfmt.Print(i)\n\t}\n\tfmt.Println(\" loaded\")\n}\n"), 0o644)
	tm.line(":load " + file)
	tm.expect(`\n012 loaded\n`, wait)
	tm.line(":reset")
	tm.prompt()
	tm.line("a")
	tm.expect(`undefined: a`, wait)
	tm.line(":quit")
	if code := tm.exited(wait); code != 0 {
		t.Errorf(":quit exit code %d", code)
	}
}
