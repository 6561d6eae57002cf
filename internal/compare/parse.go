package compare

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/words"
)

// parsed is a report's text cut once into tokens and sentences: the story
// text, the informative items and the facts all read the same cut.
type parsed struct {
	text  string
	toks  []words.Token
	sents []words.Span
}

// lexicon remembers what each word form of a story normalises and stems
// to: a story's reports repeat the same words, and the forms are worked
// out once.
type lexicon struct {
	norms map[string]string
	terms map[string]termForm
}

// termForm is what one token gives the story text: its content stems
// (words.Terms' stems put through words.Base) and whether it is
// capitalised.
type termForm struct {
	stems []string
	cap   bool
}

func newLexicon() *lexicon {
	return &lexicon{norms: map[string]string{}, terms: map[string]termForm{}}
}

func (lx *lexicon) norm(w string) string {
	n, ok := lx.norms[w]
	if !ok {
		n = words.Norm(w)
		lx.norms[w] = n
	}
	return n
}

// termsOf is what words.Terms makes of a token, with words.Base applied.
func (lx *lexicon) termsOf(t words.Token) termForm {
	if f, ok := lx.terms[t.Text]; ok {
		return f
	}
	var f termForm
	if t.Kind == words.Number {
		f.stems = []string{words.Base(strings.ReplaceAll(t.Text, ",", ""))}
	} else {
		r, _ := utf8.DecodeRuneInString(t.Text)
		f.cap = unicode.IsUpper(r)
		for _, w := range words.Expand(lx.norm(t.Text)) {
			if !words.IsStop(w) {
				f.stems = append(f.stems, words.Base(words.Stem(w)))
			}
		}
	}
	lx.terms[t.Text] = f
	return f
}

func parseReports(reports []Report) []parsed {
	ps := make([]parsed, len(reports))
	for i, r := range reports {
		text := r.Article.Text
		ps[i] = parsed{text: text, toks: words.Tokens(text), sents: words.Sentences(text)}
	}
	return ps
}

// tokensIn returns the tokens of text[lo:hi], with offsets in the text.
// They are the text's own unless one crosses lo or hi; then the span is
// cut anew, as words.Tokens would cut it alone. The slice is shared: read
// it only.
func (p *parsed) tokensIn(lo, hi int) []words.Token {
	i := sort.Search(len(p.toks), func(k int) bool { return p.toks[k].Start >= lo })
	j := i + sort.Search(len(p.toks)-i, func(k int) bool { return p.toks[i+k].Start >= hi })
	if (i > 0 && p.toks[i-1].End > lo) || (j > 0 && p.toks[j-1].End > hi) {
		toks := words.Tokens(p.text[lo:hi])
		for k := range toks {
			toks[k].Start += lo
			toks[k].End += lo
		}
		return toks
	}
	return p.toks[i:j:j]
}
