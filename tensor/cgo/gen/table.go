package main

import (
	"fmt"
	"strings"
)

// An op is one line of the table.
type op struct {
	ret      string // array | arrays | pair
	name     string // C name, snake_case
	goName   string
	params   []param
	expr     string // C++ expression
	noMethod bool
	line     int
	doc      string // the Go doc, from "#:" lines above the op; default "NAME is MLX's name."
}

// A param is one argument of an op.
type param struct {
	typ     string // base type without '?'
	name    string
	opt     bool   // optional (`?`): absent unless given
	def     string // Go default; empty if none
	optName string // Go option constructor name, for options
}

// isOption says whether the Go API takes this param as an option rather
// than positionally: params with defaults and optional params, except
// optional scalars, which stay positional with nil meaning absent.
func (p param) isOption() bool {
	if p.typ == "scalar" && p.opt {
		return false
	}
	return p.def != "" || p.opt || p.typ == "key"
}

var knownTypes = map[string]bool{"array": true, "scalar": true, "arrays": true, "int": true,
	"ints": true, "shape": true, "float": true, "double": true, "bool": true, "dtype": true,
	"string": true, "uint64": true, "key": true}

func parseTable(src string) ([]op, error) {
	var ops []op
	seen := map[string]bool{}
	var doc []string // "#:" lines: the next op's Go doc (ops of mlx-go's own, not MLX's)
	for i, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		if text, ok := strings.CutPrefix(line, "#:"); ok {
			doc = append(doc, strings.TrimSpace(text))
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		o, err := parseOp(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		o.line = i + 1
		o.doc, doc = strings.Join(doc, " "), nil
		if seen[o.name] {
			return nil, fmt.Errorf("line %d: op %s defined twice", i+1, o.name)
		}
		seen[o.name] = true
		ops = append(ops, o)
	}
	return ops, nil
}

func parseOp(line string) (op, error) {
	var o op
	open := strings.Index(line, "(")
	close := matchParen(line, open)
	if open < 0 || close < 0 {
		return o, fmt.Errorf("want RET NAME(PARAMS) = EXPR")
	}
	head := strings.Fields(line[:open])
	if len(head) != 2 {
		return o, fmt.Errorf("want RET NAME before '('")
	}
	o.ret, o.name = head[0], head[1]
	if o.ret != "array" && o.ret != "arrays" && o.ret != "pair" {
		return o, fmt.Errorf("unknown return type %q", o.ret)
	}
	o.goName = camel(o.name)
	rest := strings.TrimSpace(line[close+1:])
	eq := strings.Index(rest, " = ")
	if strings.HasPrefix(rest, "= ") {
		eq = 0
	}
	if eq < 0 {
		return o, fmt.Errorf("missing ' = EXPR'")
	}
	for _, f := range strings.Fields(rest[:eq]) {
		switch {
		case f == "!nomethod":
			o.noMethod = true
		case strings.HasPrefix(f, "!go="):
			o.goName = strings.TrimPrefix(f, "!go=")
		default:
			return o, fmt.Errorf("unknown flag %q", f)
		}
	}
	o.expr = strings.TrimSpace(strings.TrimSpace(rest[eq:])[1:])
	for _, ps := range splitTop(line[open+1 : close]) {
		p, err := parseParam(ps)
		if err != nil {
			return o, err
		}
		o.params = append(o.params, p)
	}
	return o, nil
}

func parseParam(s string) (param, error) {
	var p param
	if at := strings.Index(s, "@"); at >= 0 {
		p.optName = strings.TrimSpace(s[at+1:])
		s = s[:at]
	}
	if eq := strings.Index(s, "="); eq >= 0 {
		p.def = strings.TrimSpace(s[eq+1:])
		s = s[:eq]
	}
	f := strings.Fields(s)
	if len(f) != 2 {
		return p, fmt.Errorf("bad param %q: want TYPE NAME", s)
	}
	p.typ, p.name = f[0], f[1]
	if strings.HasSuffix(p.typ, "?") {
		p.opt = true
		p.typ = strings.TrimSuffix(p.typ, "?")
	}
	if !knownTypes[p.typ] {
		return p, fmt.Errorf("param %s: unknown type %q", p.name, p.typ)
	}
	if p.name == "s" {
		return p, fmt.Errorf("param name s is reserved for the stream")
	}
	if p.optName == "" {
		p.optName = camel(p.name)
	}
	return p, nil
}

func matchParen(s string, open int) int {
	if open < 0 {
		return -1
	}
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitTop splits on commas outside braces and parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '{', '(':
			depth++
		case '}', ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// An option is one Go option constructor shared by every op that takes it.
type option struct {
	goName  string
	key     string // the name ops match on
	goType  string // constructor parameter type
	variadc bool
}

func collectOptions(ops []op) (map[string]option, error) {
	opts := map[string]option{}
	opNames := map[string]bool{}
	for _, o := range ops {
		opNames[o.goName] = true
	}
	for _, o := range ops {
		for _, p := range o.params {
			if !p.isOption() || p.typ == "dtype" {
				continue
			}
			nw := option{goName: p.optName, key: p.optName}
			switch p.typ {
			case "int":
				nw.goType = "int"
			case "ints", "shape":
				nw.goType, nw.variadc = "int", true
			case "float", "double":
				nw.goType = "float64"
			case "bool":
				nw.goType = "bool"
			case "string":
				nw.goType = "string"
			case "array", "key":
				nw.goType = "*Array"
			case "scalar":
				nw.goType = "any"
			default:
				return nil, fmt.Errorf("op %s: param %s of type %s cannot be an option", o.name, p.name, p.typ)
			}
			if opNames[nw.goName] {
				return nil, fmt.Errorf("op %s: option %s has the same Go name as an op; rename it with @Name", o.name, nw.goName)
			}
			if old, ok := opts[nw.goName]; ok {
				if old.goType != nw.goType {
					return nil, fmt.Errorf("op %s: option %s is %s here but %s elsewhere", o.name, nw.goName, nw.goType, old.goType)
				}
				nw.variadc = nw.variadc || old.variadc
			}
			opts[nw.goName] = nw
		}
	}
	return opts, nil
}
