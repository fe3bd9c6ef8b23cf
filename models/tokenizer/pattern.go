package tokenizer

import (
	"fmt"
	"strings"

	"github.com/dlclark/regexp2"
)

// findAll returns the non-overlapping match spans of a pattern in s.
type findAll func(s string) [][2]int

// patternMatcher compiles a tokenizer.json pattern: a literal string, one of
// the known split regexes (hand-written scanners, see splitter.go), or any
// other regex through regexp2, a backtracking engine with the lookarounds
// and Unicode classes Oniguruma patterns use.
func patternMatcher(p patternJSON) (findAll, error) {
	switch {
	case p.String != nil:
		lit := *p.String
		if lit == "" {
			return nil, fmt.Errorf("empty String pattern")
		}
		return func(s string) [][2]int {
			var spans [][2]int
			for i := 0; ; {
				j := strings.Index(s[i:], lit)
				if j < 0 {
					return spans
				}
				spans = append(spans, [2]int{i + j, i + j + len(lit)})
				i += j + len(lit)
			}
		}, nil
	case p.Regex != nil:
		switch *p.Regex {
		case llama3Pattern:
			m := llama3Matcher(3)
			return func(s string) [][2]int { return splitMatches(s, m) }, nil
		case qwen2Pattern:
			m := llama3Matcher(1)
			return func(s string) [][2]int { return splitMatches(s, m) }, nil
		case gpt2Pattern:
			return func(s string) [][2]int { return splitMatches(s, gpt2Matcher) }, nil
		}
		re, err := regexp2.Compile(*p.Regex, regexp2.None)
		if err != nil {
			return nil, fmt.Errorf("regex %q: %w", *p.Regex, err)
		}
		return regexpMatches(re, strings.Contains(*p.Regex, "(?i")), nil
	}
	return nil, fmt.Errorf("pattern has neither String nor Regex")
}

// regexpMatches adapts regexp2, whose offsets count runes, to byte spans.
//
// With fold (a case-insensitive pattern) it also makes up for the one
// difference from Oniguruma we know of: Oniguruma's Unicode case folding
// matches 's' against U+017F (long s) and 'k' against U+212A (Kelvin
// sign); regexp2 does not. Both are letters like their ASCII twins, so
// matching on a copy with them replaced changes nothing else.
func regexpMatches(re *regexp2.Regexp, fold bool) findAll {
	return func(s string) [][2]int {
		runes := []rune(s)
		byteAt := make([]int, len(runes)+1)
		for i, r := range runes {
			byteAt[i+1] = byteAt[i] + len(string(r))
			if fold && r == '\u017F' {
				runes[i] = 's'
			} else if fold && r == '\u212A' {
				runes[i] = 'k'
			}
		}
		var spans [][2]int
		m, _ := re.FindRunesMatch(runes)
		for m != nil {
			if m.Length > 0 {
				spans = append(spans, [2]int{byteAt[m.Index], byteAt[m.Index+m.Length]})
			}
			m, _ = re.FindNextMatch(m)
		}
		return spans
	}
}
