package dedup

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// tokenizer splits text into normalised words, paragraph by paragraph. A word
// is a run of letters, digits and combining marks, lower-cased; apostrophes
// inside a word are dropped ("don't" and "don’t" both give "dont"); every
// other character (punctuation, quote marks, dashes, spaces) only separates
// words, which is what folds their variants. Scripts written without spaces
// give one word per character so that shingles still work on them. Text that
// is not pure ASCII is NFKC-normalised first, folding width variants and
// ligatures.
//
// It is not words.Tokens, for two measured reasons: rebuilt on words.All
// it cut dedup-dev's texts at 43-57 MB/s against 85-140 MB/s (one pass,
// lower case and hash with no allocation); and its words ("76ers", "2",
// "014") are what stored signatures and fingerprints were made of.
type tokenizer struct {
	word []byte
}

// scan calls emit for each word and endPara at each line break that closes a
// non-empty line. The slice passed to emit is reused: copy it to keep it.
func (tk *tokenizer) scan(text string, emit func(w []byte), endPara func()) {
	if !isASCII(text) {
		text = norm.NFKC.String(text)
	}
	tk.word = tk.word[:0]
	inLine := false
	flush := func() {
		if len(tk.word) > 0 {
			emit(tk.word)
			tk.word = tk.word[:0]
			inLine = true
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				tk.word = append(tk.word, c)
			case 'A' <= c && c <= 'Z':
				tk.word = append(tk.word, c+('a'-'A'))
			case c == '\'':
				if len(tk.word) == 0 || i >= len(text) || !isWordStart(text[i:]) {
					flush()
				}
			case c == '\n':
				flush()
				if inLine {
					endPara()
					inLine = false
				}
			default:
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			flush()
		case isApostrophe(r):
			if len(tk.word) == 0 || i >= len(text) || !isWordStart(text[i:]) {
				flush()
			}
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			// A combining mark belongs to the word it follows.
			if len(tk.word) > 0 {
				tk.word = utf8.AppendRune(tk.word, r)
			}
		case unspaced(r):
			flush()
			tk.word = utf8.AppendRune(tk.word, unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.No, r) || unicode.Is(unicode.Nl, r):
			tk.word = utf8.AppendRune(tk.word, unicode.ToLower(r))
		case r == '\u2028' || r == '\u2029' || r == '\u0085':
			flush()
			if inLine {
				endPara()
				inLine = false
			}
		default:
			flush()
		}
	}
	flush()
	if inLine {
		endPara()
	}
}

// eachParagraph calls fn with the normalised words of each non-empty line.
func eachParagraph(text string, fn func(words []string)) {
	var tk tokenizer
	var words []string
	tk.scan(text, func(w []byte) { words = append(words, string(w)) }, func() {
		fn(words)
		words = words[:0]
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isApostrophe(r rune) bool {
	return r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u2032' || r == '\uff07'
}

// isWordStart reports whether s begins with a letter or digit, so that an
// apostrophe before it is inside a word.
func isWordStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// unspaced reports scripts written without spaces between words.
func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan)
}
