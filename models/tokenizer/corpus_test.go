package tokenizer

import "strings"

// hardCorpus is text built to break tokenizers: many scripts, emoji and
// ZWJ sequences, combining marks, whitespace runs of every kind, digit
// runs, code, contractions in odd cases, special tokens inside text, and
// strings that look like tokens but are not.
func hardCorpus(specials []string) []string {
	c := []string{
		"",
		" ",
		"   ",
		"\n",
		"\r\n\r\n",
		"\t\t x",
		"hello",
		" hello world ",
		"Hello,   world!!!   How are you?\n\n\nFine.  ",
		"trailing spaces   ",
		"  leading spaces",
		"mixed \t\n \u00a0 \u3000 whitespace \u2003runs\u2028line\u2029para",
		"\u00a0nbsp\u00a0\u00a0x",
		"1 12 123 1234 12345 123456 1234567 9876543210",
		"3.14159 2.71828e-10 -42 +7 1,000,000 0xDEADbeef 0b1010",
		"٣٤٥ ١٢٣٤ ४५६७ ๑๒๓ ²³ ½ Ⅻ 𝟙𝟚𝟛",
		"I'm you're we've they'll she'd it's don't",
		"I'M YOU'RE WE'VE THEY'LL SHE'D IT'S DON'T 'S 'T",
		"'s's 'sup 'll'll ''' 'ſ 'ſt x'ſt it'ſa we'Ll they'rE I'K O'Kelvin",
		"Ünïcödé façade naïve coöperate résumé Ångström",
		"e\u0301 a\u0308 n\u0303 (combining) vs é ä ñ",
		"Der Straße Größe Maß ß ẞ",
		"Быстрая коричневая лиса, съешь же ещё этих мягких французских булок!",
		"Γειά σου Κόσμε· ΑΒΓΔ αβγδ ς",
		"敏捷的棕色狐狸跳过了懒狗。机器学习，自然语言处理！",
		"日本語のテキスト：ひらがな、カタカナ、漢字。ｶﾀｶﾅ ＡＢＣ１２３",
		"한국어 텍스트입니다. 안녕하세요!",
		"हिन्दी में लिखा गया वाक्य। क्षत्रिय ज्ञान",
		"العربية: مرحبا بالعالم ١٢٣",
		"עברית: שלום עולם",
		"ภาษาไทย สวัสดีชาวโลก",
		"Tiếng Việt: Chào thế giới",
		"ქართული ენა Հայերեն ᏣᎳᎩ ትግርኛ",
		"😀 😃😄 👍🏽 👩‍💻 👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷🇯🇵 ❤️ ✌🏿",
		"emoji👩‍👩‍👦inside🙂words",
		"zero\u200bwidth\u200cjoiner\u200dand\ufeffbom",
		"\u0000 \u0001 \u001f \u007f control chars",
		"replacement \ufffd char and private use \ue000 and 𐍈 gothic",
		"def f(x):\n    return x**2  # square\n\n\tif x != 0: pass\r\n",
		"for (int i = 0; i < n; ++i) { a[i] += b[i] >> 2; } // C++",
		"SELECT * FROM t WHERE a >= 10 AND b <> 'x';",
		"<html><body class=\"x\">&amp; &lt;tag&gt;</body></html>",
		"https://example.com/path?q=1&r=2#frag user@example.com",
		"!!!???...,,,;;;:::---___===+++***&&&%%%$$$###@@@~~~```",
		"<0x41> <0xFF> <unk> <s> </s> [CLS] <pad> ▁ ▁▁x",
		"ALLCAPS lowercase MiXeD CamelCase snake_case kebab-case",
	}
	for _, sp := range specials {
		c = append(c, sp, "before"+sp+"after", " "+sp+" spaced "+sp, sp+sp+"\n"+sp)
	}
	var long strings.Builder
	for _, s := range c {
		long.WriteString(s)
		long.WriteString(" ")
	}
	return append(c, long.String(), strings.Repeat("a", 3000), strings.Repeat("ab ", 500), strings.Repeat("\n", 40))
}
