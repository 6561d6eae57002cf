// Package words cuts text into the units the comparing stages reason about:
// word and number tokens with their byte offsets, sentences, and a light
// normal form under which "We'll" and "we will", "reports" and "reported"
// meet. It knows no outlet, person or event.
package words

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind tells a word from a number.
type Kind uint8

const (
	Word Kind = iota
	Number
)

// Token is a word or a number of a text, with its byte offsets.
type Token struct {
	Text       string
	Start, End int
	Kind       Kind
}

// Tokens returns the words and numbers of s in order. A word runs over
// letters and marks, keeping inner apostrophes and hyphens ("don't",
// "well-known"); a number keeps inner separators ("2,014", "3.5"). Each
// Han or kana character is a word of its own, as those scripts do not
// space words; other scripts, Hangul and Thai too, are cut like Latin.
// The search index holds this stream: a change to it wants stored
// articles indexed again.
func Tokens(s string) []Token {
	// Prose has a word every six bytes or so: one allocation, rarely two.
	out := make([]Token, 0, len(s)/6+1)
	for t := range All(s) {
		out = append(out, t)
	}
	return out
}

// All yields the tokens of s in order, as Tokens cuts them, without
// building a slice: for a stage that reads each token once.
func All(s string) iter.Seq[Token] {
	return func(yield func(Token) bool) {
		for i := 0; i < len(s); {
			if c := s[i]; c < utf8.RuneSelf && !isASCIIAlnum(c) {
				i++
				continue
			}
			t, n := tokenAt(s, i)
			if n == 0 {
				if !yield(t) {
					return
				}
				i = t.End
				continue
			}
			i += n
		}
	}
}

// End returns where the token that starts at s[i] ends, as Tokens cuts
// it, or i when no token starts there: for a stage that cuts words with
// Tokens' rules inside a scanner of its own.
func End(s string, i int) int {
	t, n := tokenAt(s, i)
	if n != 0 {
		return i
	}
	return t.End
}

// tokenAt reads the token that starts at s[i]; when none does it returns
// the width of the rune to skip instead (n > 0).
func tokenAt(s string, i int) (t Token, n int) {
	r, n := utf8.DecodeRuneInString(s[i:])
	switch {
	case IsUnspaced(r):
		return Token{s[i : i+n], i, i + n, Word}, 0
	case unicode.IsLetter(r):
		j := scanWord(s, i)
		return Token{s[i:j], i, j, Word}, 0
	case unicode.IsDigit(r):
		j := scanNumber(s, i)
		return Token{s[i:j], i, j, Number}, 0
	}
	return Token{}, n
}

// Parts returns the parts of a hyphenated word ("first-degree" → first,
// degree), each with its offsets, for a stage that compares the parts of a
// compound; any other token comes back alone.
func Parts(t Token) []Token {
	if t.Kind != Word || strings.IndexByte(t.Text, '-') < 0 {
		return []Token{t}
	}
	out := make([]Token, 0, strings.Count(t.Text, "-")+1)
	start := 0
	for i := 0; i <= len(t.Text); i++ {
		if i == len(t.Text) || t.Text[i] == '-' {
			out = append(out, Token{t.Text[start:i], t.Start + start, t.Start + i, Word})
			start = i + 1
		}
	}
	return out
}

func scanWord(s string, i int) int {
	for i < len(s) {
		// ASCII, most of most text, without the Unicode tables.
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case isASCIIAlnum(c):
				i++
				continue
			case c != '\'' && c != '-':
				return i
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case IsUnspaced(r):
			return i
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			i += n
		case (r == '\'' || r == '’' || r == '-') && i+n < len(s):
			// Inner only: a Han or kana letter after it starts a token
			// of its own, so the word would end on the mark.
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			if !unicode.IsLetter(next) || IsUnspaced(next) {
				return i
			}
			i += n
		default:
			return i
		}
	}
	return i
}

// scanNumber reads digits of any script (Tokens starts a number at any
// Unicode digit, so the scan must move past it) with inner separators.
func scanNumber(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsDigit(r):
			i += n
		case (r == ',' || r == '.') && i+1 < len(s):
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !unicode.IsDigit(next) {
				return i
			}
			i++
		default:
			return i
		}
	}
	return i
}

// IsUnspaced says whether r is a Han or kana character, which Tokens gives
// one at a time: those scripts do not space words.
func IsUnspaced(r rune) bool {
	// Below the CJK radicals nothing is Han or kana: most text never
	// reaches the table lookups.
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// Span is a byte range of a text.
type Span struct{ Start, End int }

// abbreviations end in a full stop without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sr": true, "jr": true,
	"st": true, "gen": true, "gov": true, "sen": true, "rep": true, "lt": true, "col": true,
	"capt": true, "sgt": true, "rev": true, "hon": true, "no": true, "vs": true, "etc": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "jan": true, "feb": true, "mar": true,
	"apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true,
	"nov": true, "dec": true, "e.g": true, "i.e": true, "approx": true, "est": true,
}

// Sentences returns the sentences of text, trimmed of surrounding space.
// A sentence ends at a paragraph break, or at ".", "!" or "?" (with any
// closing quotes and brackets) followed by space and something that is not
// lower case, unless the full stop closes an abbreviation or an initial.
func Sentences(text string) []Span {
	var out []Span
	start := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && isSpaceByte(text[s]) {
			s++
		}
		for e > s && isSpaceByte(text[e-1]) {
			e--
		}
		if e > s {
			out = append(out, Span{s, e})
		}
		start = end
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' && i+1 < len(text) && text[i+1] == '\n':
			emit(i)
			i += 2
			continue
		case r == '.' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？':
			j := i + n
			for j < len(text) {
				c, m := utf8.DecodeRuneInString(text[j:])
				if !strings.ContainsRune(`"'”’»)]`, c) && c != '.' {
					break
				}
				j += m
			}
			if r >= 0x3000 {
				emit(j)
				i = j
				continue
			}
			if j < len(text) && !isSpaceByte(text[j]) {
				i = j
				continue
			}
			k := j
			for k < len(text) && isSpaceByte(text[k]) {
				k++
			}
			if k < len(text) {
				next, _ := utf8.DecodeRuneInString(text[k:])
				if unicode.IsLower(next) || (r == '.' && abbreviationBefore(text, i)) {
					i = j
					continue
				}
			}
			emit(j)
			i = j
			continue
		}
		i += n
	}
	emit(len(text))
	return out
}

// abbreviationBefore says whether the word ending at the full stop at i is
// an abbreviation or a single initial ("J.", "U.S.").
func abbreviationBefore(text string, i int) bool {
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		j -= n
	}
	w := strings.ToLower(strings.TrimSuffix(text[j:i], "."))
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 || strings.Contains(w, ".") {
		return true
	}
	return abbreviations[w]
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// Norm is a token's comparable form: lower case, curly apostrophes made
// straight.
func Norm(w string) string {
	return strings.ReplaceAll(strings.ToLower(w), "’", "'")
}

// contractions spell out what English contracts, so that "we'll" meets "we
// will".
var contractions = map[string][]string{
	"won't": {"will", "not"}, "can't": {"can", "not"}, "shan't": {"shall", "not"},
	"let's": {"let", "us"}, "i'm": {"i", "am"},
}

var contractionSuffixes = []struct {
	suffix string
	words  []string
}{
	{"n't", []string{"not"}}, {"'ll", []string{"will"}}, {"'re", []string{"are"}},
	{"'ve", []string{"have"}}, {"'d", []string{"would"}},
}

// Expand spells out a normalised contraction ("we'll" → we, will); any
// other word comes back alone.
func Expand(w string) []string {
	if ws, ok := contractions[w]; ok {
		return ws
	}
	for _, c := range contractionSuffixes {
		if base, ok := strings.CutSuffix(w, c.suffix); ok && base != "" {
			return append([]string{base}, c.words...)
		}
	}
	if base, ok := strings.CutSuffix(w, "'s"); ok && base != "" {
		return []string{base}
	}
	return []string{w}
}

// Stem strips common English inflections so that forms of one word meet:
// "talks", "talked", "talking" → "talk". It is deliberately light: a wrong
// merge is worse than a missed one when facts are compared.
func Stem(w string) string {
	if len(w) <= 3 || !isASCIILetters(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		return undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) > 4:
		return undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "es") && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// undouble drops a doubled final consonant left by a suffix ("stopp" →
// "stop") and restores nothing else.
func undouble(w string) string {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// stopwords are English function words: they carry no fact of their own.
var stopwords = Set(`a an the and or but nor so yet if then than that this these those
	of to in on at by for from with without into onto over under about above below between among through
	during before after since until while as is are was were be been being am do does did done doing have has
	had having will would shall should can could may might must not no it its it's he she they we you i me him
	her them us my your his their our who whom whose which what when where why how there here also just
	very too more most much many some any all each every both either neither other such own same only
	said says say told tells tell according added adds`)

// Set makes a lookup set of the space-separated words of list, for the
// general lexicons the comparing stages keep.
func Set(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

// IsStop says whether a normalised word is a function word (or a verb of
// saying, which every quote's sentence has).
func IsStop(w string) bool { return stopwords[w] }

// Content returns the stems of the content words of s in order: normalised,
// contractions spelled out, function words dropped, stemmed. Numbers are
// kept as written, without separators.
func Content(s string) []string {
	ts := Terms(s)
	if len(ts) == 0 {
		return nil
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Stem
	}
	return out
}
