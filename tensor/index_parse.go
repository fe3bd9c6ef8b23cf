package tensor

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The numpy-style index language of Array.Index and Array.SetIndex: what
// goes between the brackets of Python's a[...].
//
//	spec  = [ item { "," item } [ "," ] ]
//	item  = int | slice | "None" | "newaxis" | "..." | "Ellipsis" | list
//	slice = [ int ] ":" [ int ] [ ":" [ int ] ]
//	list  = "[" int-or-list { "," int-or-list } [ "," ] "]"   (an index array)
//	int   = [ "+" | "-" ] digits
//
// Spaces may appear between tokens. Errors give the position (0-based byte
// offset) in the spec.

type indexKind int

const (
	itemInt indexKind = iota
	itemSlice
	itemNewAxis
	itemEllipsis
	itemList
)

// bound is a slice bound that may be absent (Python's None).
type bound struct {
	v  int
	ok bool
}

// indexItem is one comma-separated part of a spec.
type indexItem struct {
	kind              indexKind
	pos               int // offset in the spec, for errors
	n                 int // itemInt
	start, stop, step bound
	values            []int // itemList, row-major
	shape             []int // itemList
}

func (it indexItem) isFullSlice() bool {
	return it.kind == itemSlice && !it.start.ok && !it.stop.ok && !it.step.ok
}

// advanced reports the items numpy treats as index arrays once any list is
// present (integers count then too).
func (it indexItem) advanced() bool { return it.kind == itemInt || it.kind == itemList }

// specError is a syntax or range error in a spec.
type specError struct {
	spec string
	pos  int
	msg  string
}

func (e *specError) Error() string {
	return fmt.Sprintf("bad index %q at position %d: %s", e.spec, e.pos, e.msg)
}

type specParser struct {
	s   string
	pos int
}

func (p *specParser) fail(pos int, format string, args ...any) {
	panic(&specError{spec: p.s, pos: pos, msg: fmt.Sprintf(format, args...)})
}

func (p *specParser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n') {
		p.pos++
	}
}

func (p *specParser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

// found describes what is at the current position, for error messages.
func (p *specParser) found() string {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return "the end of the index"
	}
	_, n := utf8.DecodeRuneInString(p.s[p.pos:])
	end := p.pos + n
	for end < len(p.s) && isWordByte(p.s[end]) && isWordByte(p.s[p.pos]) {
		end++
	}
	return strconv.Quote(p.s[p.pos:end])
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseIndexSpec turns a spec into items, or returns a *specError.
func parseIndexSpec(spec string) (items []indexItem, err error) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*specError)
			if !ok {
				panic(r)
			}
			err = se
		}
	}()
	p := &specParser{s: spec}
	if i := strings.IndexByte(spec, 0); i >= 0 {
		p.fail(i, "unexpected NUL byte") // peek uses 0 for the end
	}
	if p.peek() == 0 {
		return nil, nil
	}
	for {
		items = append(items, p.item())
		switch p.peek() {
		case 0:
			return items, nil
		case ',':
			p.pos++
			if p.peek() == 0 {
				return items, nil
			}
		default:
			p.fail(p.pos, "expected ',' or the end of the index, found %s", p.found())
		}
	}
}

func (p *specParser) item() indexItem {
	c := p.peek()
	start := p.pos
	switch {
	case c == '.':
		if strings.HasPrefix(p.s[p.pos:], "...") {
			p.pos += 3
			return indexItem{kind: itemEllipsis, pos: start}
		}
	case c == '[':
		values, shape := p.list()
		return indexItem{kind: itemList, pos: start, values: values, shape: shape}
	case c == ':' || c == '-' || c == '+' || isDigit(c):
		return p.sliceOrInt()
	case isWordByte(c):
		end := p.pos
		for end < len(p.s) && isWordByte(p.s[end]) {
			end++
		}
		switch word := p.s[p.pos:end]; word {
		case "None", "newaxis", "np.newaxis", "mx.newaxis":
			p.pos = end
			return indexItem{kind: itemNewAxis, pos: start}
		case "Ellipsis":
			p.pos = end
			return indexItem{kind: itemEllipsis, pos: start}
		case "True", "False":
			p.fail(start, "boolean indices are not supported (MLX has none)")
		}
	}
	p.fail(start, "expected an integer, a slice, None, ... or a list, found %s", p.found())
	return indexItem{}
}

func (p *specParser) sliceOrInt() indexItem {
	it := indexItem{kind: itemSlice, pos: p.pos}
	first, ok := p.optInt()
	if p.peek() != ':' {
		if !ok {
			p.fail(p.pos, "expected an integer, found %s", p.found())
		}
		return indexItem{kind: itemInt, pos: it.pos, n: first.v}
	}
	it.start = first
	p.pos++ // ':'
	it.stop, _ = p.optInt()
	if p.peek() == ':' {
		p.pos++
		p.skipSpace()
		stepPos := p.pos
		it.step, _ = p.optInt()
		if it.step.ok && it.step.v == 0 {
			p.fail(stepPos, "slice step cannot be zero")
		}
	}
	return it
}

// optInt reads an integer if one starts here.
func (p *specParser) optInt() (bound, bool) {
	c := p.peek()
	if c != '-' && c != '+' && !isDigit(c) {
		return bound{}, false
	}
	start := p.pos
	end := p.pos + 1
	for end < len(p.s) && isDigit(p.s[end]) {
		end++
	}
	text := p.s[start:end]
	if text == "-" || text == "+" {
		p.fail(start, "expected digits after %q", text)
	}
	if end < len(p.s) && isWordByte(p.s[end]) {
		p.pos = end
		p.fail(end, "unexpected %s in an integer", p.found())
	}
	v, err := strconv.Atoi(text)
	if err != nil {
		p.fail(start, "integer %s is out of range", text)
	}
	p.pos = end
	return bound{v: v, ok: true}, true
}

// list reads a (nested) list of integers with a rectangular shape.
func (p *specParser) list() (values, shape []int) {
	open := p.pos
	p.pos++ // '['
	var rows [][]int
	var rowShape []int
	var flat []int
	nested := p.peek() == '['
	for {
		if p.peek() == ']' {
			p.pos++
			break
		}
		if nested {
			itemPos := p.pos
			if p.peek() != '[' {
				p.fail(p.pos, "expected a nested list, found %s", p.found())
			}
			v, s := p.list()
			if rows != nil && !slices.Equal(s, rowShape) {
				p.fail(itemPos, "nested lists have different lengths (%v and %v)", rowShape, s)
			}
			rows, rowShape = append(rows, v), s
		} else {
			b, ok := p.optInt()
			if !ok {
				if f := p.found(); f == `"True"` || f == `"False"` {
					p.fail(p.pos, "boolean indices are not supported (MLX has none)")
				}
				p.fail(p.pos, "expected an integer in the list, found %s", p.found())
			}
			flat = append(flat, b.v)
		}
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
		default:
			if p.pos >= len(p.s) {
				p.fail(open, "list is not closed")
			}
			p.fail(p.pos, "expected ',' or ']' in the list, found %s", p.found())
		}
	}
	if !nested {
		return flat, []int{len(flat)}
	}
	for _, r := range rows {
		values = append(values, r...)
	}
	return values, append([]int{len(rows)}, rowShape...)
}
