package engine

import (
	"go/scanner"
	"go/token"
)

// unit is a run of consecutive top-level declarations or statements of an
// input. yaegi decides from an input's first token whether it is a file of
// declarations or statements to wrap in main, so a mixed input ("type T
// ...; x := T{}") is given to it one unit at a time.
type unit struct {
	decl       bool
	start, end int // byte offsets in the input
	line, col  int // of start, 1-based
}

// splitUnits cuts src at top-level statement boundaries and groups
// neighbours of the same kind. It only scans tokens, so malformed input
// still splits (the parser reports the error later, in the right unit).
func splitUnits(src string) []unit {
	fset := token.NewFileSet()
	file := fset.AddFile("input", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)

	type tok struct {
		pos token.Pos
		tok token.Token
	}
	var toks []tok
	for {
		pos, t, _ := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{pos, t})
	}

	var units []unit
	depth := 0
	begin := -1 // index in toks of the current statement's first token
	flush := func(endTok int) {
		if begin < 0 {
			return
		}
		startOff := file.Offset(toks[begin].pos)
		endOff := len(src)
		if endTok < len(toks) {
			endOff = file.Offset(toks[endTok].pos)
		}
		isDecl := startsDecl(toks[begin].tok, func(i int) token.Token {
			if begin+i < len(toks) {
				return toks[begin+i].tok
			}
			return token.EOF
		})
		p := file.Position(toks[begin].pos)
		if n := len(units); n > 0 && units[n-1].decl == isDecl {
			units[n-1].end = endOff
		} else {
			units = append(units, unit{decl: isDecl, start: startOff, end: endOff, line: p.Line, col: p.Column})
		}
		begin = -1
	}
	for i, t := range toks {
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if begin < 0 && t.tok != token.SEMICOLON {
			begin = i
		}
		if t.tok == token.SEMICOLON && depth <= 0 {
			flush(i + 1)
		}
	}
	flush(len(toks))
	return units
}

// startsDecl reports whether a statement starting with first (next(i) is
// the i-th token from there) is a top-level declaration: import, type,
// const, var, a function or a method. A function literal ("func(x int)
// {...}(1)") is a statement.
func startsDecl(first token.Token, next func(int) token.Token) bool {
	switch first {
	case token.IMPORT, token.TYPE, token.CONST, token.VAR:
		return true
	case token.FUNC:
	default:
		return false
	}
	switch next(1) {
	case token.IDENT:
		return true
	case token.LPAREN: // a method's receiver, or a literal's parameters
		depth := 0
		for i := 1; ; i++ {
			switch next(i) {
			case token.LPAREN:
				depth++
			case token.RPAREN:
				depth--
				if depth == 0 {
					return next(i+1) == token.IDENT && (next(i+2) == token.LPAREN || next(i+2) == token.LBRACK)
				}
			case token.EOF:
				return false
			}
		}
	}
	return false
}
