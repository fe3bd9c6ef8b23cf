package engine

import (
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

var keywords = []string{
	"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func",
	"go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct",
	"switch", "type", "var",
}

// Complete lists completions for the word before cursor (a byte offset in
// src) and the range [start, end) of src they replace: package members
// (tensor.Ze), methods and fields of variables (a.Re), variables,
// functions, keywords, packages, commands, and file paths after :load.
func (e *Engine) Complete(src string, cursor int) (items []string, start, end int) {
	e.state.Lock()
	defer e.state.Unlock()
	if cursor < 0 || cursor > len(src) {
		cursor = len(src)
	}
	line := src[:cursor]
	lineStart := strings.LastIndexByte(line, '\n') + 1
	cur := line[lineStart:]

	// Commands and their arguments.
	if t := strings.TrimLeft(cur, " \t"); isCommand(t) {
		name, arg, hasArg := strings.Cut(strings.TrimLeft(t, ":%"), " ")
		if !hasArg {
			return filterPrefix(CommandNames(), name), cursor - len(name), cursor
		}
		if name == "load" || name == "l" {
			return completePath(arg), cursor - len(arg), cursor
		}
		cur = arg // :time, :bench, :type, :doc take Go
	}

	// The word being typed, and what comes before a dot.
	i := len(cur)
	for i > 0 && isIdentByte(cur[i-1]) {
		i--
	}
	word := cur[i:]
	start = cursor - len(word)
	if i > 0 && cur[i-1] == '.' {
		recv := exprBefore(cur[:i-1])
		if recv == "" {
			return nil, start, cursor
		}
		var names []string
		if isSimpleName(recv) {
			names = e.members(recv)
		}
		if len(names) == 0 {
			names = e.exprMembers(recv)
		}
		return filterPrefix(names, word), start, cursor
	}
	var names []string
	names = append(names, keywords...)
	for name := range e.session.globals {
		names = append(names, name)
	}
	for name := range knownPackages() {
		names = append(names, name)
	}
	for name := range predeclared {
		names = append(names, name)
	}
	return filterPrefix(names, word), start, cursor
}

// members are the names after "recv.": a variable's methods and fields,
// or a package's exported names.
func (e *Engine) members(recv string) []string {
	if v, ok := e.global(recv); ok {
		return valueMembers(v, e.session.methods)
	}
	if _, ok := knownPackages()[recv]; ok && !e.session.globals[recv] {
		return packageSymbols(recv)
	}
	return nil
}

// valueMembers lists the methods (of T and *T) and fields of v.
func valueMembers(v reflect.Value, userMethods map[string][]method) []string {
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" {
			seen[n] = true
		}
	}
	t := v.Type()
	for _, tt := range []reflect.Type{t, reflect.PointerTo(t)} {
		for i := 0; i < tt.NumMethod(); i++ {
			add(tt.Method(i).Name)
		}
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		for i := 0; i < st.NumField(); i++ {
			add(st.Field(i).Name)
		}
		// Methods of interpreted types are not in reflection; the session
		// knows them by name (all user methods are offered).
		for name := range userMethods {
			add(name)
		}
	}
	return sortedKeys(seen)
}

func filterPrefix(names []string, prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && !seen[n] && !strings.HasPrefix(n, "_") {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// completePath lists files and directories starting with prefix
// (directories with a trailing slash).
func completePath(prefix string) []string {
	dir, base := filepath.Split(prefix)
	readDir := dir
	if readDir == "" {
		readDir = "."
	}
	entries, err := os.ReadDir(expandHome(readDir))
	if err != nil {
		return nil
	}
	var out []string
	for _, ent := range entries {
		name := ent.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if ent.IsDir() {
			name += "/"
		}
		out = append(out, dir+name)
	}
	return out
}

// Inspect documents the name under (or just before) cursor.
func (e *Engine) Inspect(src string, cursor int) (text string, ok bool) {
	e.state.Lock()
	defer e.state.Unlock()
	if cursor < 0 || cursor > len(src) {
		cursor = len(src)
	}
	startW, endW := cursor, cursor
	for startW > 0 && (isIdentByte(src[startW-1]) || src[startW-1] == '.') {
		startW--
	}
	for endW < len(src) && isIdentByte(src[endW]) {
		endW++
	}
	name := strings.Trim(src[startW:endW], ".")
	if name == "" {
		return "", false
	}
	// a.b.c: try the longest documented suffix chain first.
	parts := strings.Split(name, ".")
	for i := 0; i < len(parts); i++ {
		if d, ok := e.doc(strings.Join(parts[i:], ".")); ok {
			return d, true
		}
	}
	return "", false
}

// IsComplete tells a front end whether src is a whole input ("complete"),
// needs more lines ("incomplete", with the indent to continue at), or can
// never become valid ("invalid").
func (e *Engine) IsComplete(src string) (status, indent string) {
	trimmed := strings.TrimSpace(src)
	if trimmed == "" || isCommand(trimmed) {
		return "complete", ""
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	var scanErr string
	s.Init(file, []byte(src), func(_ token.Position, msg string) { scanErr = msg }, 0)
	depth := 0
	last := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if tok != token.SEMICOLON || lit != "\n" {
			last = tok
		}
	}
	switch {
	case strings.Contains(scanErr, "not terminated"):
		return "incomplete", ""
	case depth < 0:
		return "invalid", ""
	case depth > 0:
		return "incomplete", strings.Repeat("\t", depth)
	}
	switch last {
	case token.COMMA, token.PERIOD, token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.AND, token.OR,
		token.XOR, token.SHL, token.SHR, token.AND_NOT, token.LAND, token.LOR, token.ASSIGN, token.DEFINE,
		token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.ARROW, token.COLON:
		return "incomplete", ""
	}
	return "complete", ""
}
