package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/words"
)

// tok is a word or a punctuation mark of the writer's text, or a stand-in
// for a whole quotation (quote >= 0).
type tok struct {
	s          string // as written
	low        string // lower case, trailing period dropped for abbreviations
	start, end int
	word       bool
	quote      int  // index of the quotation this token stands for, else -1
	nl         bool // a line break precedes it inside the paragraph
}

func (t tok) isCap() bool {
	if !t.word {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.s)
	return unicode.IsUpper(r)
}

func (t tok) is(s string) bool { return !t.word && t.quote < 0 && t.s == s }

// tokenize splits text[lo:hi] into tokens, replacing each quotation that
// falls inside by one quote token.
func tokenize(text string, lo, hi int, spans []span, first int) []tok {
	out := make([]tok, 0, (hi-lo)/5+4)
	si := first
	nl := false
	for i := lo; i < hi; {
		for si < len(spans) && spans[si].close <= i {
			si++
		}
		if si < len(spans) && spans[si].open <= i && i < spans[si].close {
			out = append(out, tok{s: text[spans[si].open:spans[si].close], start: spans[si].open, end: spans[si].close, quote: si, nl: nl})
			nl = false
			i = spans[si].close
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:hi])
		if unicode.IsSpace(r) {
			nl = nl || r == '\n'
			i += n
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			// Words are cut as words.Tokens cuts them, then joined where
			// a name or an abbreviation holds them ("U.S.", "AT&T", "2nd").
			j := words.End(text[:hi], i)
			for j < hi {
				r2, n2 := utf8.DecodeRuneInString(text[j:hi])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j = words.End(text[:hi], j)
					continue
				}
				if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' || r2 == '&' {
					r3, _ := utf8.DecodeRuneInString(text[j+n2 : hi])
					if j+n2 < hi && (unicode.IsLetter(r3) || unicode.IsDigit(r3)) {
						j = words.End(text[:hi], j+n2)
						continue
					}
				}
				// "Farmers' Union": a plural possessive inside a capitalised
				// name keeps its apostrophe, so the name is not cut in two.
				if (r2 == '\'' || r2 == '’') && j > i && (text[j-1] == 's' || text[j-1] == 'S') && unicode.IsUpper(r) && capFollows(text, j+n2, hi) {
					j += n2
				}
				break
			}
			// Keep the period of an abbreviation or an initial with its word.
			w := text[i:j]
			low := lower(w)
			// A period followed by a comma or bracket never ends a sentence.
			followedByComma := j+1 < hi && strings.IndexByte(",);", text[j+1]) >= 0
			if j < hi && text[j] == '.' && (abbreviations[low] || followedByComma || utf8.RuneCountInString(w) == 1 && unicode.IsUpper(r) || strings.Contains(w, ".")) {
				j++
				w = text[i:j]
			}
			low = strings.TrimSuffix(low, ".")
			low = strings.TrimSuffix(strings.TrimSuffix(low, "'s"), "’s")
			low = strings.TrimSuffix(strings.TrimSuffix(low, "'"), "’")
			out = append(out, tok{s: w, low: low, start: i, end: j, word: true, quote: -1, nl: nl})
			nl = false
			i = j
			continue
		}
		out = append(out, tok{s: text[i : i+n], low: text[i : i+n], start: i, end: i + n, quote: -1, nl: nl})
		nl = false
		i += n
	}
	return out
}

// capFollows reports whether a single space and a capital letter come at
// text[i:hi].
func capFollows(text string, i, hi int) bool {
	if i >= hi || text[i] != ' ' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i+1 : hi])
	return unicode.IsUpper(r)
}

// shortCueFollows reports a short attribution after a quote that ends with
// its own sentence mark: "…?" Roe asked. / "…." the minister said.
func shortCueFollows(toks []tok, i int) bool {
	// "…!" Roe's niece, state councillor Ana Roe, said: a longer subject
	// closes with the comma of its appositive.
	for k := i; k < len(toks) && k < i+16; k++ {
		t := toks[k]
		if t.quote >= 0 && !isNickname(toks, k) || t.is(".") || t.is("!") || t.is("?") {
			return false
		}
		if verbAt(toks, k) {
			return k > i && (k < i+7 || toks[k-1].is(","))
		}
	}
	return false
}

// lower is strings.ToLower without an allocation for words already lower.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 || 'A' <= c && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}

// sentence is a writer's sentence: a range of tokens of its paragraph.
type sentence struct{ from, to int } // token indexes [from, to)

// sentences splits a paragraph's tokens at sentence ends. A quotation is
// opaque; it ends a sentence only when its own text ends one and a capital
// or another quotation follows.
func sentences(toks []tok, text string, spans []span) []sentence {
	var out []sentence
	start := 0
	for i, t := range toks {
		// A line break inside a paragraph ends a sentence (lists, bylines).
		if t.nl && i > start {
			out = append(out, sentence{start, i})
			start = i
		}
		end := false
		switch {
		case t.quote >= 0:
			sp := spans[t.quote]
			inner := strings.TrimRight(text[sp.start:sp.end], " ")
			if strings.HasSuffix(inner, ".") || strings.HasSuffix(inner, "?") || strings.HasSuffix(inner, "!") || strings.HasSuffix(inner, "…") {
				if i+1 < len(toks) && (toks[i+1].isCap() || toks[i+1].quote >= 0) {
					// A fragment ending the writer's sentence ("called it
					// a “…”. Roe said…") takes no cue after it.
					fragment := i > start && toks[i-1].word && unicode.IsLower(firstRuneOf(inner))
					end = fragment || !shortCueFollows(toks, i+1)
				}
			}
		case !t.word && (t.s == "." || t.s == "?" || t.s == "!"):
			end = i+1 >= len(toks) || toks[i+1].isCap() || toks[i+1].quote >= 0 || toks[i+1].is("(")
		case t.word && strings.HasSuffix(t.s, ".") && len(t.s) > 2 && i+1 < len(toks):
			// "U.S." at a sentence end: only if a capitalised common word follows.
			nx := toks[i+1]
			end = nx.isCap() && sentenceStarters[nx.low] && !abbreviations[t.low]
		}
		if end {
			out = append(out, sentence{start, i + 1})
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, sentence{start, len(toks)})
	}
	return out
}

func firstRuneOf(s string) rune {
	s = strings.TrimLeft(s, "\"“”„«‘' ")
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
