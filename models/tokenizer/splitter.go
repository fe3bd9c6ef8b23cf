package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// The pre-tokenizer regexes of Llama 3, Qwen2 and GPT-2 use Unicode classes
// (\p{L}, \p{N}) and a lookahead (\s+(?!\S)); Go's regexp (RE2) has no
// lookahead. We hand-write these splitters rather than run them on a
// backtracking engine (github.com/dlclark/regexp2): they are the hot path of
// encoding and the scanner is about 11x faster (BenchmarkSplitter), and it
// follows Oniguruma (what HF tokenizers runs) exactly, Unicode case folding
// of the contractions included (regexp2 needs a patch for it). Each branch is
// one alternative of the regex, tried in order. Other patterns fall back to
// regexp2 (see pattern.go).

// Patterns we recognize verbatim in tokenizer.json.
const (
	llama3Pattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	qwen2Pattern  = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	gpt2Pattern   = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
)

// matcher returns the length in bytes of the match starting at s[0], or 0.
// Every position of a non-empty string matches one of the patterns above
// (their last alternative, \s+, or the punctuation one, always applies).
type matcher func(s string) int

// splitMatches returns the match spans (start, end) of m over s, leftmost
// first, like a global regex search.
func splitMatches(s string, m matcher) [][2]int {
	var spans [][2]int
	for i := 0; i < len(s); {
		n := m(s[i:])
		if n == 0 {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		spans = append(spans, [2]int{i, i + n})
		i += n
	}
	return spans
}

func isL(r rune) bool { return unicode.IsLetter(r) }
func isN(r rune) bool { return unicode.IsNumber(r) }

// isS is \s: Unicode White_Space, which Go's unicode.IsSpace implements.
func isS(r rune) bool    { return unicode.IsSpace(r) }
func isCRLF(r rune) bool { return r == '\r' || r == '\n' }

// punct is [^\s\p{L}\p{N}].
func punct(r rune) bool { return !isS(r) && !isL(r) && !isN(r) }

// run is the byte length of the longest prefix of s whose runes satisfy f,
// taking at most max runes (max < 0: no limit).
func run(s string, f func(rune) bool, max int) int {
	i, n := 0, 0
	for i < len(s) && n != max {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !f(r) {
			break
		}
		i += size
		n++
	}
	return i
}

// contraction matches 's|'t|'re|'ve|'m|'ll|'d, case-insensitively when fold.
func contraction(s string, fold bool) int {
	if len(s) < 2 || s[0] != '\'' {
		return 0
	}
	eq := func(r rune, c rune) bool {
		if r == c {
			return true
		}
		if !fold {
			return false
		}
		// Simple case folding, as Oniguruma applies it: 's' also matches
		// 'S' and U+017F LATIN SMALL LETTER LONG S; 'k' would match the
		// Kelvin sign but no contraction uses it.
		return unicode.SimpleFold(r) == c || unicode.ToLower(r) == c || (c == 's' && r == 'ſ')
	}
	r1, n1 := utf8.DecodeRuneInString(s[1:])
	rest := s[1+n1:]
	r2, n2 := utf8.DecodeRuneInString(rest)
	switch {
	case eq(r1, 's'), eq(r1, 't'), eq(r1, 'm'), eq(r1, 'd'):
		return 1 + n1
	case eq(r1, 'r') && len(rest) > 0 && eq(r2, 'e'), eq(r1, 'v') && len(rest) > 0 && eq(r2, 'e'),
		eq(r1, 'l') && len(rest) > 0 && eq(r2, 'l'):
		return 1 + n1 + n2
	}
	return 0
}

// whitespaceTail matches \s*[\r\n]+ | \s+(?!\S) | \s+ at s (s[0] is space).
func whitespaceTail(s string, crlfAlt bool) int {
	ws := run(s, isS, -1)
	if ws == 0 {
		return 0
	}
	if crlfAlt {
		// \s*[\r\n]+: greedy \s* backs off to the last CR/LF of the run.
		last := -1
		for i := 0; i < ws; {
			r, size := utf8.DecodeRuneInString(s[i:])
			if isCRLF(r) {
				last = i + size
			}
			i += size
		}
		if last > 0 {
			return last
		}
	}
	// \s+(?!\S): the whole run at the end of text, else all but its last rune.
	if ws == len(s) {
		return ws
	}
	_, lastSize := utf8.DecodeLastRuneInString(s[:ws])
	if ws-lastSize > 0 {
		return ws - lastSize
	}
	return ws // \s+
}

// llama3Matcher is the Llama 3 pattern, or Qwen2's when maxDigits is 1.
func llama3Matcher(maxDigits int) matcher {
	return func(s string) int {
		if n := contraction(s, true); n > 0 {
			return n
		}
		r0, n0 := utf8.DecodeRuneInString(s)
		// [^\r\n\p{L}\p{N}]?\p{L}+
		if isL(r0) {
			return run(s, isL, -1)
		}
		if !isCRLF(r0) && !isN(r0) {
			if n := run(s[n0:], isL, -1); n > 0 {
				return n0 + n
			}
		}
		// \p{N}{1,maxDigits}
		if isN(r0) {
			return run(s, isN, maxDigits)
		}
		//  ?[^\s\p{L}\p{N}]+[\r\n]*
		start := 0
		if r0 == ' ' {
			start = 1
		}
		if n := run(s[start:], punct, -1); n > 0 {
			end := start + n
			return end + run(s[end:], isCRLF, -1)
		}
		return whitespaceTail(s, true)
	}
}

// gpt2Matcher is GPT-2's pattern (ByteLevel's use_regex).
func gpt2Matcher(s string) int {
	if n := contraction(s, false); n > 0 {
		return n
	}
	start := 0
	if s[0] == ' ' {
		start = 1
	}
	for _, class := range []func(rune) bool{isL, isN, punct} {
		if n := run(s[start:], class, -1); n > 0 {
			return start + n
		}
	}
	return whitespaceTail(s, false)
}
