package compare

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/words"
)

// A fact is one detail a sentence states: what it is about (key), the
// value, where the value is written and the sentence that states it.
type fact struct {
	key string
	// about labels the key for a reader ("people injured", "hosted by").
	about      string
	val        value
	start, end int
	sent       words.Span
}

// value is a detail's value as the comparison reasons about it.
type value interface {
	// compatible says whether two statements of one detail can both be
	// true: "about 2,000" and "2,014" can, "Tuesday" and "Friday" cannot.
	compatible(o value) bool
	// width is how loosely the value is stated; a report's most precise
	// statement of a detail (smallest width) stands for it.
	width() float64
	// mentionedIn says whether a report states this value anywhere, about
	// anything: a report that has the value too does not contradict it.
	mentionedIn(d *doc) bool
}

// doc is a report's text cut up for reading facts.
type doc struct {
	text  string
	toks  []words.Token
	sents []words.Span
	// sentToks[i] are the first and past-the-last token of sentence i.
	sentToks [][2]int
	// used marks tokens already read as part of a fact's value, so that
	// the day of "June 14" is not read again as a count.
	used []bool
	// norms are the tokens' normal forms, read once.
	norms []string
	year  int
	// amounts, dates, clocks, tallies and acronyms are everything the
	// report states of each, whatever it is about.
	amounts []amount
	dates   []dateValue
	clocks  []int
	elapsed []float64
	// lowerWords are the words the report writes in lower case, read
	// when first needed.
	lowerWords map[string]bool
	tallies    []tally
	acronyms   map[string][]string
	facts      []fact
	lowerText  string
}

func newDoc(text string, year int) *doc {
	return docOf(&parsed{text: text, toks: words.Tokens(text), sents: words.Sentences(text)}, year, newLexicon())
}

// docOf is the doc of a report's text as parsed; its tokens and
// sentences are shared, and read only.
func docOf(p *parsed, year int, lx *lexicon) *doc {
	d := &doc{text: p.text, toks: p.toks, sents: p.sents, year: year}
	d.used = make([]bool, len(d.toks))
	d.norms = make([]string, len(d.toks))
	for i, t := range d.toks {
		d.norms[i] = lx.norm(t.Text)
	}
	d.sentToks = make([][2]int, len(d.sents))
	k := 0
	for i, s := range d.sents {
		for k < len(d.toks) && d.toks[k].Start < s.Start {
			k++
		}
		first := k
		for k < len(d.toks) && d.toks[k].End <= s.End {
			k++
		}
		d.sentToks[i] = [2]int{first, k}
	}
	d.acronyms = readAcronyms(d)
	return d
}

// readFacts reads every fact of every sentence. Dates and ages go first:
// their digits are then not read again as counts.
func (d *doc) readFacts() {
	for si := range d.sents {
		d.readDates(si)
		d.readTimes(si)
		d.readElapsed(si)
		d.readTallies(si)
		d.readAges(si)
		d.readAgents(si)
		d.readPlaces(si)
		d.readRoles(si)
		d.readAmounts(si)
	}
}

func (d *doc) add(f fact) { d.facts = append(d.facts, f) }

// gap is the text between tokens i and i+1.
func (d *doc) gap(i int) string {
	if i+1 >= len(d.toks) {
		return d.text[d.toks[i].End:]
	}
	return d.text[d.toks[i].End:d.toks[i+1].Start]
}

// spaced says whether tokens i and i+1 are separated by spaces only.
func (d *doc) spaced(i int) bool {
	g := d.gap(i)
	return g != "" && strings.TrimSpace(g) == ""
}

func (d *doc) norm(i int) string { return d.norms[i] }

// stem is the form under which a word meets its other forms in a key:
// "vote", "voted" and "votes" meet, as do "injured" and "injuries".
func stem(w string) string {
	w = words.Expand(words.Norm(w))[0]
	if c, ok := canonicalWords[w]; ok {
		return c
	}
	s := words.Stem(w)
	if len(s) > 3 && strings.HasSuffix(s, "e") {
		s = s[:len(s)-1]
	}
	return s
}

// canonicalWords gathers the words of one quantity that differ in form:
// the dead and the injured are reported as deaths, killed, toll, hurt.
var canonicalWords = func() map[string]string {
	m := map[string]string{}
	for class, list := range map[string]string{
		"dead":    "dead die died dies dying death deaths kill killed kills killing fatality fatalities toll lives",
		"injured": "injure injured injures injuring injury injuries wounded wound wounds wounding hurt",
		"organis": "organise organised organises organising organize organized organizes organizing organiser organisers organizer organizers",
		"cost":    "cost costs costed costing valued valuing value price priced worth",
	} {
		for _, w := range strings.Fields(list) {
			m[w] = class
		}
	}
	return m
}()

func isUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func isAllCaps(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// nameConnectors join the capitalised words of one name ("Institute for
// Coastal and Marine Policy", "Board of Harbour Pilots").
var nameConnectors = map[string]bool{"of": true, "for": true, "and": true, "on": true, "the": true, "de": true, "du": true, "da": true, "von": true, "van": true, "der": true, "del": true, "la": true}

// nameEnd reads a name starting at token i, before token limit:
// capitalised words separated by spaces, an ampersand or the full stops of
// initials, with lower-case connectors between capitalised words. It
// returns the last token of the name, or -1. A possessive ends the name.
func (d *doc) nameEnd(i, limit int) int {
	if !d.capWord(i, limit) {
		return -1
	}
	last := i
	for j := i; j+1 < limit && !strings.HasSuffix(d.norm(j), "'s"); {
		if !d.nameGap(j) {
			break
		}
		k := j + 1
		if strings.TrimSpace(d.gap(j)) == "" {
			for k < limit && nameConnectors[d.toks[k].Text] && d.spaced(k) {
				k++
			}
		}
		if !d.capWord(k, limit) || weekdays[d.norm(k)] != 0 || k > j+1 && months[d.norm(k)] != 0 {
			break // "Marsk on Friday", "Lund in May"
		}
		last, j = k, k
	}
	return last
}

// nameStart reads backwards a name ending at token j, down to token lo,
// and returns its first token or -1. A sentence's first word is
// capitalised whatever it is, so leading function words are dropped.
func (d *doc) nameStart(j, lo int) int {
	if !d.capWord(j, len(d.toks)) {
		return -1
	}
	first := j
	for k := j - 1; k >= lo && d.nameGap(k); {
		m := k
		if strings.TrimSpace(d.gap(k)) == "" {
			for m > lo && nameConnectors[d.toks[m].Text] && d.spaced(m-1) {
				m--
			}
		}
		if !d.capWord(m, len(d.toks)) || strings.HasSuffix(d.norm(m), "'s") {
			break
		}
		first, k = m, m-1
	}
	for first < j && words.IsStop(d.norm(first)) {
		first++
	}
	if words.IsStop(d.norm(first)) {
		return -1
	}
	return first
}

func (d *doc) capWord(i, limit int) bool {
	return i >= 0 && i < limit && d.toks[i].Kind == words.Word && isUpper(d.toks[i].Text)
}

// nameGap says whether the gap after token i may fall inside a name.
func (d *doc) nameGap(i int) bool {
	g := d.gap(i)
	t := strings.TrimSpace(g)
	switch {
	case t == "":
		return g != ""
	case t == "&":
		return true
	case t == "'" || t == "’":
		// a plural possessive inside a name: "Harbour Workers' Alliance"
		return strings.HasSuffix(d.toks[i].Text, "s") && g[len(g)-1] == ' '

	case t == ".":
		return utf8.RuneCountInString(d.toks[i].Text) == 1 // "N.K. Pilots Guild"
	}
	return false
}

// readAcronyms finds "Full Name (FN)" and keeps each acronym's name, so
// that "FN" and "Full Name" are one value.
func readAcronyms(d *doc) map[string][]string {
	m := map[string][]string{}
	for i := 1; i < len(d.toks); i++ {
		t := d.toks[i]
		if !isAllCaps(t.Text) || strings.TrimSpace(d.gap(i-1)) != "(" || i+1 < len(d.toks) && !strings.HasPrefix(d.gap(i), ")") {
			continue
		}
		last := i - 1
		first := d.nameStart(last, max(0, i-12))
		if first < 0 {
			continue
		}
		m[t.Text] = append(m[t.Text], nameKey(d.text[d.toks[first].Start:d.toks[last].End]))
	}
	return m
}

// nameKey is a name's comparable form: lower case, without "the" and
// without a closing possessive.
func nameKey(s string) string {
	var out []string
	for _, t := range words.Tokens(s) {
		w := words.Norm(t.Text)
		w = strings.TrimSuffix(w, "'s")
		if w == "the" {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// sayVerbs report speech; a date or figure attached to one dates the
// saying, which outlets report on different days without contradiction.
var sayVerbs = words.Set(`say says said saying tell tells told telling announce announced announces
	announcing state stated states add added adds note noted notes explain explained argue argued
	claim claimed report reported reports write wrote tweet tweeted post posted according insist
	insisted warn warned stress stressed acknowledge acknowledged emphasize emphasized emphasise
	emphasised remark remarked declare declared suggest suggested reveal revealed disclose disclosed
	admit admitted assert asserted speak speaking spoke testify testified comment commented reply
	replied respond responded confirm confirmed ask asked urge urged`)

// clauseGap says whether the text between two tokens closes a clause.
func clauseGap(g string) bool { return strings.ContainsAny(g, ",;:()\"“”—–") }

// trimPossessive drops a closing "'s" or "’s".
func trimPossessive(s string) string {
	if t, ok := strings.CutSuffix(s, "'s"); ok {
		return t
	}
	return strings.TrimSuffix(s, "’s")
}
