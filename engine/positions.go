package engine

import (
	"bytes"
	"go/printer"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// Positions. yaegi reports positions in its wrapped copy of an input
// ("package main; func main() {" + input), and keys imports by file name,
// so the file name must stay yaegi's own (empty). The engine therefore
// marks the user's positions by line number alone: a line directive puts
// input line L at line lineBase+L, which yaegi's own wrapper (line 1) can
// never reach, and errors are mapped back by subtracting it.
const lineBase = 1_000_000

// lineDirective makes what follows start at the user's line and column.
func lineDirective(line, col int) string {
	return "/*line :" + strconv.Itoa(lineBase+line) + ":" + strconv.Itoa(col) + "*/"
}

// padded places text at its line and column in the input, after a header
// of headerLines lines, so that parse positions are the user's plus
// headerLines lines.
func padded(header string, text string, u unit) string {
	return header + strings.Repeat("\n", u.line-1) + strings.Repeat(" ", u.col-1) + text
}

// printedLine matches the line comments go/printer writes in SourcePos
// mode; their numbers are positions in the padded parse source.
var printedLine = regexp.MustCompile(`(?m)^//line :(\d+)`)

// shiftLines turns printed line comments into directives for the user's
// lines. They become /*line :L:1*/ comments on the line before, because
// yaegi loses track of imports after a "//line :N" without a column (the
// file name changes); the comment's own newline moves to line L+1.
func shiftLines(code string, headerLines int) string {
	return printedLine.ReplaceAllStringFunc(code, func(m string) string {
		n, _ := strconv.Atoi(m[len("//line :"):])
		return "/*line :" + strconv.Itoa(n-headerLines+lineBase-1) + ":1*/"
	})
}

// printSource prints rewritten code with //line comments that keep the
// user's positions. The leading newline puts the first comment at the
// start of a line even after yaegi's "package main; func main() {".
func printSource(fset *token.FileSet, node any) (string, error) {
	var b bytes.Buffer
	b.WriteByte('\n')
	cfg := printer.Config{Mode: printer.SourcePos | printer.UseSpaces, Tabwidth: 8}
	if err := cfg.Fprint(&b, fset, node); err != nil {
		return "", err
	}
	return b.String(), nil
}
