// Package query is Dossier's own search syntax: words, "phrases", prefix*,
// -excluded terms and field filters (speaker:, outlet:, lang:, from:, to:),
// all of which must hold. Parsing never fails: what is not syntax is text.
// Terms are kept as the normalised tokens of package words, the same stream
// a backend indexes, so that every backend answers a query alike.
package query

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/words"
)

// Term is a run of tokens that must appear in this order, adjacent: a word
// is a term of one token, a phrase (or a word that cuts into several, such
// as a CJK word) of several.
type Term struct {
	Tokens []string
	// Prefix lets the last token match any token it begins.
	Prefix bool
	// Exclude keeps out what matches instead.
	Exclude bool
}

// Query is a parsed search. Empty fields do not filter.
type Query struct {
	Terms []Term
	// Speakers and Outlets are names as tokens; a name matches when its
	// tokens hold these as an adjacent run ("brennvik" matches "Tove
	// Brennvik").
	Speakers [][]string
	Outlets  [][]string
	// Langs are ISO 639 codes, lower case.
	Langs []string
	// From is the first day included, To the last (UTC days); zero does
	// not bound.
	From, To time.Time
}

// DateLayout is how from: and to: dates are written.
const DateLayout = "2006-01-02"

// Tokens is the token stream of s that search indexes and matches: the
// tokens of package words in their normal form. Index and query must both
// come through it.
func Tokens(s string) []string {
	ts := words.Tokens(s)
	if len(ts) == 0 {
		return nil
	}
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = appendNorm(out, t.Text, 3)
	}
	return out
}

// appendNorm appends w's normal form. A normal form may cut again (a
// letter whose lower case is no letter): its pieces are normalised in
// turn, so that the stream of a stream is itself.
func appendNorm(out []string, w string, depth int) []string {
	n := words.Norm(w)
	if n == w && !strings.HasSuffix(n, "'") && !strings.HasSuffix(n, "-") {
		// A token the normal form leaves alone reads back as itself,
		// unless it ends in a mark that a CJK character after it kept.
		return append(out, n)
	}
	sub := words.Tokens(n)
	if depth == 0 || (len(sub) == 1 && sub[0].Text == n) {
		return append(out, n)
	}
	for _, u := range sub {
		out = appendNorm(out, u.Text, depth-1)
	}
	return out
}

// Positive returns the terms that must match.
func (q Query) Positive() []Term { return q.filterTerms(false) }

// Negative returns the excluded terms.
func (q Query) Negative() []Term { return q.filterTerms(true) }

func (q Query) filterTerms(exclude bool) []Term {
	var out []Term
	for _, t := range q.Terms {
		if t.Exclude == exclude {
			out = append(out, t)
		}
	}
	return out
}

// IsZero says whether q selects everything.
func (q Query) IsZero() bool {
	return len(q.Terms) == 0 && len(q.Speakers) == 0 && len(q.Outlets) == 0 && len(q.Langs) == 0 &&
		q.From.IsZero() && q.To.IsZero()
}

// Parse reads a query. It never fails: a stray quote closes at the end, a
// colon that starts no known filter is part of the text, and text without
// tokens is dropped.
func Parse(s string) Query {
	var q Query
	p := parser{s: s}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			break
		}
		start := p.i
		exclude := false
		if p.s[p.i] == '-' {
			exclude = true
			p.i++
		}
		if !exclude && p.field(&q) {
			continue
		}
		var text string
		prefix := false
		if p.i < len(p.s) && p.s[p.i] == '"' {
			text = p.quoted()
		} else {
			text = p.bare()
		}
		if p.i < len(p.s) && p.s[p.i] == '*' {
			prefix = true
			for p.i < len(p.s) && p.s[p.i] == '*' {
				p.i++
			}
		}
		if p.i == start {
			p.i++ // a lone character that starts nothing
		}
		toks := Tokens(text)
		if len(toks) == 0 {
			continue
		}
		q.Terms = append(q.Terms, Term{Tokens: toks, Prefix: prefix, Exclude: exclude})
	}
	return q
}

type parser struct {
	s string
	i int
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if !isSpace(r) {
			return
		}
		p.i += n
	}
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0xA0 ||
		r == 0x3000 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F
}

// quoted reads from an opening quote to the closing one or the end.
func (p *parser) quoted() string {
	p.i++
	j := strings.IndexByte(p.s[p.i:], '"')
	if j < 0 {
		text := p.s[p.i:]
		p.i = len(p.s)
		return text
	}
	text := p.s[p.i : p.i+j]
	p.i += j + 1
	return text
}

// bare reads up to a space, a quote or a trailing run of stars.
func (p *parser) bare() string {
	start := p.i
	for p.i < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if isSpace(r) || r == '"' {
			break
		}
		if r == '*' && p.starsEnd() {
			break
		}
		p.i += n
	}
	return p.s[start:p.i]
}

// starsEnd says whether the stars at p.i end a word.
func (p *parser) starsEnd() bool {
	j := p.i
	for j < len(p.s) && p.s[j] == '*' {
		j++
	}
	if j == len(p.s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(p.s[j:])
	return isSpace(r) || r == '"'
}

// fields are the filters by name.
var fields = []string{"speaker", "outlet", "lang", "from", "to"}

// field reads a filter at p.i into q and reports whether there was one; a
// filter whose value does not read (an empty name, a bad date) is not one,
// and p.i is left where it was.
func (p *parser) field(q *Query) bool {
	rest := p.s[p.i:]
	name, _, ok := strings.Cut(rest, ":")
	if !ok {
		return false
	}
	name = strings.ToLower(name)
	if !slices.Contains(fields, name) {
		return false
	}
	save := p.i
	p.i += len(name) + 1
	var value string
	if p.i < len(p.s) && p.s[p.i] == '"' {
		value = p.quoted()
	} else {
		start := p.i
		for p.i < len(p.s) {
			r, n := utf8.DecodeRuneInString(p.s[p.i:])
			if isSpace(r) || r == '"' {
				break
			}
			p.i += n
		}
		value = p.s[start:p.i]
	}
	if !q.set(name, value) {
		p.i = save
		return false
	}
	return true
}

// set applies filter name with value, reporting false when value is none.
func (q *Query) set(name, value string) bool {
	switch name {
	case "speaker", "outlet":
		toks := Tokens(value)
		if len(toks) == 0 {
			return false
		}
		if name == "speaker" {
			q.Speakers = append(q.Speakers, toks)
		} else {
			q.Outlets = append(q.Outlets, toks)
		}
	case "lang":
		code := strings.ToLower(value)
		if !isCode(code) {
			return false
		}
		if !slices.Contains(q.Langs, code) {
			q.Langs = append(q.Langs, code)
		}
	case "from", "to":
		d, err := time.Parse(DateLayout, value)
		if err != nil {
			return false
		}
		// Both must hold: the later from, the earlier to.
		if name == "from" && (q.From.IsZero() || d.After(q.From)) {
			q.From = d
		}
		if name == "to" && (q.To.IsZero() || d.Before(q.To)) {
			q.To = d
		}
	}
	return true
}

// isCode says whether s looks like an ISO 639 code (two or three letters).
func isCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := range len(s) {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// String is q in canonical form: Parse(q.String()) equals q.
func (q Query) String() string {
	var parts []string
	for _, t := range q.Terms {
		s := quoteTokens(t.Tokens)
		if t.Prefix {
			s += "*"
		}
		if t.Exclude {
			s = "-" + s
		}
		parts = append(parts, s)
	}
	for _, s := range q.Speakers {
		parts = append(parts, "speaker:"+quoteTokens(s))
	}
	for _, o := range q.Outlets {
		parts = append(parts, "outlet:"+quoteTokens(o))
	}
	for _, l := range q.Langs {
		parts = append(parts, "lang:"+l)
	}
	if !q.From.IsZero() {
		parts = append(parts, "from:"+q.From.Format(DateLayout))
	}
	if !q.To.IsZero() {
		parts = append(parts, "to:"+q.To.Format(DateLayout))
	}
	return strings.Join(parts, " ")
}

// Quote writes a name or words as a filter's value: the canonical form of
// its tokens ("" when it has none).
func Quote(s string) string { return quoteTokens(Tokens(s)) }

// quoteTokens writes one token bare and several as a phrase (no token
// holds a space, a quote, a star or a colon).
func quoteTokens(toks []string) string {
	if len(toks) == 0 {
		return ""
	}
	if len(toks) == 1 {
		return toks[0]
	}
	return `"` + strings.Join(toks, " ") + `"`
}

// And is the query matching what both q and o match: how a caller adds a
// filter given apart (a form's speaker field) to what a person typed.
func (q Query) And(o Query) Query {
	out := Query{
		Terms:    append(slices.Clone(q.Terms), o.Terms...),
		Speakers: append(slices.Clone(q.Speakers), o.Speakers...),
		Outlets:  append(slices.Clone(q.Outlets), o.Outlets...),
		Langs:    slices.Clone(q.Langs),
		From:     q.From,
		To:       q.To,
	}
	for _, l := range o.Langs {
		if !slices.Contains(out.Langs, l) {
			out.Langs = append(out.Langs, l)
		}
	}
	if o.From.After(out.From) {
		out.From = o.From
	}
	if !o.To.IsZero() && (out.To.IsZero() || o.To.Before(out.To)) {
		out.To = o.To
	}
	return out
}
