package postgres

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/query"
)

// The search index holds Dossier's own token stream (query.Tokens) twice:
// as text, tokens joined by single spaces, against which a phrase is
// checked exactly (no token holds a space), and as a tsvector of the same
// tokens, which the GIN index finds candidates by and ts_rank ranks. A
// tsvector keeps at most 256 positions per lexeme and none past 16383, so
// positions serve ranking only, never matching.
const (
	// maxLexeme is the longest lexeme kept whole (PostgreSQL takes 2047
	// bytes); a longer token is cut, and matched through the text.
	maxLexeme = 2000
	maxPos    = 16383
	maxPosLex = 256
	// maxVector bounds a vector's literal: past it positions are left
	// out (the server's limit is 1 MiB of lexemes and positions).
	maxVector = 900 << 10
)

// articleIndex is what an article's row holds for search.
type articleIndex struct {
	titleTok, textTok, vector string
}

func indexArticle(title, text string) articleIndex {
	tt, xt := query.Tokens(title), query.Tokens(text)
	return articleIndex{titleTok: strings.Join(tt, " "), textTok: strings.Join(xt, " "), vector: vectorOf(tt, xt)}
}

// quoteIndex is what a quote's row holds for search.
type quoteIndex struct{ textTok, vector string }

func indexQuote(text string) quoteIndex {
	t := query.Tokens(text)
	return quoteIndex{textTok: strings.Join(t, " "), vector: vectorOf(nil, t)}
}

// tokenText is a name's tokens as the speakers table holds them.
func tokenText(s string) string { return strings.Join(query.Tokens(s), " ") }

// lexeme is a token as the tsvector holds it: cut to maxLexeme bytes on a
// character boundary.
func lexeme(t string) string {
	if len(t) <= maxLexeme {
		return t
	}
	n := maxLexeme
	for n > 0 && !utf8.RuneStart(t[n]) {
		n--
	}
	return t[:n]
}

// quoteLexeme writes a lexeme in tsvector and tsquery literal syntax.
func quoteLexeme(b *strings.Builder, lex string) {
	b.WriteByte('\'')
	for i := 0; i < len(lex); i++ {
		switch c := lex[i]; c {
		case '\'', '\\':
			b.WriteByte(c)
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
}

// vectorOf is the tsvector literal of a title's tokens (weight A) then a
// text's (weight D), the text one position after the title's end.
func vectorOf(title, text []string) string {
	type entry struct {
		pos []string
	}
	order := []string{}
	lex := map[string]*entry{}
	add := func(tokens []string, from int, weight string) {
		for i, t := range tokens {
			if t == "" {
				continue
			}
			l := lexeme(t)
			e := lex[l]
			if e == nil {
				e = &entry{}
				lex[l] = e
				order = append(order, l)
			}
			if len(e.pos) < maxPosLex {
				e.pos = append(e.pos, strconv.Itoa(min(from+i, maxPos))+weight)
			}
		}
	}
	add(title, 1, "A")
	add(text, len(title)+2, "")
	size := 0
	for _, l := range order {
		size += len(l) + 3
		for _, p := range lex[l].pos {
			size += len(p) + 1
		}
	}
	withPos := size <= maxVector
	var b strings.Builder
	for i, l := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		quoteLexeme(&b, l)
		if withPos {
			b.WriteByte(':')
			b.WriteString(strings.Join(lex[l].pos, ","))
		}
	}
	return b.String()
}
