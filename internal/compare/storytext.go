package compare

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/words"
)

// storyText indexes the sentences of a story's reports by content term, so
// that a sentence or a quote finds its counterparts without comparing every
// pair. Term weights are rarities over the story's sentences.
type storyText struct {
	sents []sentUnit
	// first[r] is the index of report r's first sentence; first[len] = len(sents).
	first []int
	ids   map[string]int32
	df    []int32   // sentences holding the term
	w     []float64 // the term's weight
	post  [][]int32 // term → sentences holding it, in order
	name  []bool    // the term reads as a name (mostly capitalised mid-sentence)
	num   []bool    // the term is a number
	cal   []bool    // the term names a month or a weekday
	// parsed are the reports' texts as cut, and lx their word forms.
	parsed []parsed
	lx     *lexicon
}

type sentUnit struct {
	rep        int
	start, end int
	// terms are the sentence's distinct terms, in order of first use.
	terms []int32
	// toks are its content terms in order, with article offsets.
	toks []sentTerm
	// body is where its words begin, past an opening dateline.
	body int
	// items are its informative items and ctx its terms outside them,
	// read by readItems.
	items []infoItem
	ctx   []int32
}

type sentTerm struct {
	id         int32
	start, end int
}

func newStoryText(reports []Report) *storyText {
	return storyTextOf(parseReports(reports), newLexicon())
}

// storyTextOf indexes the story's reports as parsed, one per report.
func storyTextOf(ps []parsed, lx *lexicon) *storyText {
	st := &storyText{ids: map[string]int32{}, parsed: ps, lx: lx}
	var capMid, lowMid []int32
	var seen []int32 // seen[id] == the sentence's number + 1: counted for it
	for ri := range ps {
		p := &ps[ri]
		st.first = append(st.first, len(st.sents))
		text := p.text
		for _, sp := range p.sents {
			su := sentUnit{rep: ri, start: sp.Start, end: sp.End}
			stamp := int32(len(st.sents) + 1)
			sent := text[sp.Start:sp.End]
			skip := datelineEnd(sent)
			su.body = sp.Start + skip
			// k numbers the sentence's terms, as words.Terms lists them.
			k := -1
			toks := p.tokensIn(sp.Start, sp.End)
			su.toks = make([]sentTerm, 0, len(toks))
			su.terms = make([]int32, 0, len(toks))
			for _, tok := range toks {
				form := lx.termsOf(tok)
				for _, stem := range form.stems {
					k++
					if tok.Start-sp.Start < skip {
						continue
					}
					id, ok := st.ids[stem]
					if !ok {
						id = int32(len(st.df))
						st.ids[stem] = id
						st.df = append(st.df, 0)
						st.post = append(st.post, nil)
						capMid = append(capMid, 0)
						lowMid = append(lowMid, 0)
						seen = append(seen, 0)
					}
					su.toks = append(su.toks, sentTerm{id, tok.Start, tok.End})
					if tok.Kind == words.Word && (k > 0 || hasLetterIn(text[sp.Start:tok.Start])) {
						if form.cap {
							capMid[id]++
						} else {
							lowMid[id]++
						}
					}
					if seen[id] != stamp {
						seen[id] = stamp
						su.terms = append(su.terms, id)
						st.df[id]++
						st.post[id] = append(st.post[id], int32(len(st.sents)))
					}
				}
			}
			st.sents = append(st.sents, su)
		}
	}
	st.first = append(st.first, len(st.sents))
	n := float64(len(st.sents))
	st.w = make([]float64, len(st.df))
	st.name = make([]bool, len(st.df))
	st.num = make([]bool, len(st.df))
	st.cal = make([]bool, len(st.df))
	for stem, id := range st.ids {
		st.num[id] = stem != "" && stem[0] >= '0' && stem[0] <= '9'
		st.cal[id] = words.IsCalendar(stem)
	}
	for id, df := range st.df {
		st.w[id] = math.Log(1 + n/float64(df))
		st.name[id] = capMid[id] > lowMid[id]
	}
	return st
}

// weight is the rarity of a term given as a stem; a term the story's text
// never holds (a quote whose offsets disagree with the text) counts as rare.
func (st *storyText) weight(stem string) float64 {
	if id, ok := st.ids[stem]; ok {
		return st.w[id]
	}
	return math.Log(1 + float64(len(st.sents)+1))
}

// dateline matches the place line a report opens with: a place in
// capitals, perhaps a date, perhaps the outlet in brackets, then a dash
// ("HARBOURTON, May 2 (Coast Wire) - ").
var dateline = regexp.MustCompile(`^\p{Lu}[\p{Lu}.'’-]+(?:[ \t]+\p{Lu}[\p{Lu}.'’-]*){0,3}(?:,[^()\n]{1,30}?)?[ \t]*(?:\([^()\n]{1,40}\))?[ \t]*[-–—]+[ \t]+`)

// datelineEnd is where a sentence's opening dateline ends, or 0. Its words
// are furniture: they say who ran the report, not what happened.
func datelineEnd(sent string) int {
	if m := dateline.FindStringIndex(sent); m != nil {
		return m[1]
	}
	return 0
}

func hasLetterIn(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// infoKind is what an informative item of a sentence is: the things a
// fact is pinned by, which another report may word differently.
type infoKind uint8

const (
	infoNumber  infoKind = iota // a figure with its unit ("9 percent", "9%", "two years")
	infoClock                   // a time of day ("10:42")
	infoDate                    // a day or part of a month ("January 14", "mid-January")
	infoWeekday                 // a day of the week
	infoName                    // a run of names ("Brightwater Hydro")
	infoQuote                   // a quote of the report's
)

// infoItem is one informative item of a sentence.
type infoItem struct {
	kind       infoKind
	start, end int // article offsets
	// A number's value and canonical unit ("" for a plain count); approx:
	// the text hedges it ("about", "some", "more than").
	val    float64
	unit   string
	approx bool
	// refers: a determiner makes the figure point back rather than count
	// ("the two countries").
	refers bool
	// A date's month (1-12), day range and year (0: not given); a
	// weekday's number in lo.
	month, lo, hi, year int
	// A name's terms.
	names []int32
}

// anchors says whether the item pins a fact down by itself: a figure, a
// time or a date of a day or part of a month, rather than who or what it
// is about. A weekday or a month alone recurs for many events of a story.
func (it *infoItem) anchors() bool {
	switch it.kind {
	case infoNumber:
		return !it.refers
	case infoClock:
		return true
	case infoDate:
		return it.lo > 1 || it.hi < 31 || it.year != 0
	}
	return false
}

// compatible says whether two items can state one fact: the same figure
// and unit (a hedged figure within infoApprox of the other), the same
// time or weekday, dates of one month one of which holds the other
// ("mid-January" and "January 14"), names one of which holds the other's
// words ("Farrow" and "Gideon Farrow").
func (it *infoItem) compatible(o *infoItem) bool {
	if it.kind != o.kind {
		return false
	}
	switch it.kind {
	case infoNumber, infoClock:
		if it.unit != o.unit {
			return false
		}
		if it.val == o.val {
			return true
		}
		return (it.approx || o.approx) && math.Abs(it.val-o.val) <= infoApprox*math.Max(math.Abs(it.val), math.Abs(o.val))
	case infoDate:
		if it.month != o.month || (it.year != 0 && o.year != 0 && it.year != o.year) {
			return false
		}
		return (it.lo <= o.lo && o.hi <= it.hi) || (o.lo <= it.lo && it.hi <= o.hi)
	case infoWeekday:
		return it.lo == o.lo
	case infoName:
		return infoSubset(it.names, o.names) || infoSubset(o.names, it.names)
	}
	return false
}

// infoApprox is how far apart a hedged figure and another may be.
const infoApprox = 0.05

func infoSubset(a, b []int32) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// infoMonths numbers the months by their names and common abbreviations.
var infoMonths = func() map[string]int {
	m := map[string]int{}
	for i, row := range strings.Fields(`january,jan february,feb march,mar april,apr may june,jun
		july,jul august,aug september,sep,sept october,oct november,nov december,dec`) {
		for _, w := range strings.Split(row, ",") {
			m[w] = i + 1
		}
	}
	return m
}()

// infoWeekdays numbers the days of the week from Monday.
var infoWeekdays = func() map[string]int {
	m := map[string]int{}
	for i, row := range strings.Fields(`monday,mon tuesday,tue,tues wednesday,wed
		thursday,thu,thur,thurs friday,fri saturday,sat sunday,sun`) {
		for _, w := range strings.Split(row, ",") {
			m[w] = i
		}
	}
	return m
}()

// infoMonthParts are the parts of a month a date may name, as day ranges.
var infoMonthParts = map[string][2]int{
	"early": {1, 10}, "beginning": {1, 10}, "start": {1, 10},
	"mid": {11, 20}, "middle": {11, 20},
	"late": {21, 31}, "end": {21, 31},
}

// infoCardinals are the number words a figure is spelled with ("one" is
// left out: it is a pronoun as often as a number).
var infoCardinals = func() map[string]float64 {
	m := map[string]float64{}
	for i, w := range strings.Fields(`two three four five six seven eight nine ten eleven twelve
		thirteen fourteen fifteen sixteen seventeen eighteen nineteen`) {
		m[w] = float64(i + 2)
	}
	for i, w := range strings.Fields(`twenty thirty forty fifty sixty seventy eighty ninety`) {
		m[w] = float64(20 + 10*i)
	}
	return m
}()

// infoScales multiply the figure before them.
var infoScales = map[string]float64{
	"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	"mn": 1e6, "bn": 1e9,
}

// infoUnits maps the units a figure is given in to one name per unit, so
// that "percent", "per cent" and "%" meet. Plurals are found by their
// singular.
var infoUnits = func() map[string]string {
	m := map[string]string{}
	for _, row := range strings.Fields(`percent:percent,pct metre:metre,meter,metres,meters
		kilometre:kilometre,kilometer,km mile:mile foot:foot,feet,ft inch:inch,inches
		kilogram:kilogram,kilo,kg tonne:tonne,ton gram:gram litre:litre,liter
		hectare:hectare,ha acre:acre degree:degree
		second:second,sec minute:minute,min hour:hour,hr day:day week:week month:month
		year:year,yr decade:decade century:century,centuries
		watt:watt kilowatt:kilowatt,kw megawatt:megawatt,mw gigawatt:gigawatt,gw
		dollar:dollar,usd euro:euro,eur pound:pound,gbp yen:yen yuan:yuan,renminbi
		franc:franc crown:crown,krona,kronor,krone,kroner rupee:rupee peso:peso rouble:rouble,ruble`) {
		unit, forms, _ := strings.Cut(row, ":")
		for _, f := range strings.Split(forms, ",") {
			m[f] = unit
		}
	}
	return m
}()

// infoSigns are the currency and percent signs written next to a figure.
var infoSigns = map[string]string{"$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "%": "percent"}

// infoDeterminers before a figure make it point back to things named
// before.
var infoDeterminers = words.Set(`the these those its their our his her both`)

// infoHedges before a figure make it approximate or a bound.
var infoHedges = words.Set(`about around roughly some nearly almost approximately estimated
	over under least than up`)

func infoUnit(w string) (string, bool) {
	if u, ok := infoUnits[w]; ok {
		return u, true
	}
	if b, ok := strings.CutSuffix(w, "s"); ok {
		if u, ok := infoUnits[b]; ok {
			return u, true
		}
	}
	return "", false
}

// infoCardinal reads a spelled number ("six", "twenty-five").
func infoCardinal(w string) (float64, bool) {
	if v, ok := infoCardinals[w]; ok {
		return v, true
	}
	tens, ones, ok := strings.Cut(w, "-")
	t, okT := infoCardinals[tens]
	if !ok || !okT || t < 20 {
		return 0, false
	}
	if ones == "one" {
		return t + 1, true
	}
	o, okO := infoCardinals[ones]
	if !okO || o >= 10 {
		return 0, false
	}
	return t + o, true
}

// readItems reads every sentence's informative items and context terms.
// Only Unique needs them.
func (st *storyText) readItems(reports []Report) {
	for i := range st.sents {
		s := &st.sents[i]
		s.items, s.ctx = st.sentenceItems(reports[s.rep].Article, s)
	}
}

// itemTok is a token of a sentence as item reading sees it.
type itemTok struct {
	words.Token
	norm string
	cap  bool
	id   int32 // its first content term, or -1
	used bool
}

// sentenceItems reads the figures, times, dates, weekdays, names and
// quotes of a sentence, and the terms outside them.
func (st *storyText) sentenceItems(a dossier.Article, s *sentUnit) ([]infoItem, []int32) {
	text := a.Text
	var items []infoItem
	// A quote is one item: its words are not read as figures or names.
	for _, q := range a.Quotes {
		if q.Start < s.end && q.End > s.start && q.Start < q.End {
			items = append(items, infoItem{kind: infoQuote, start: q.Start, end: q.End})
		}
	}
	quoted := items
	inQuote := func(start, end int) bool {
		for _, q := range quoted {
			if start < q.end && end > q.start {
				return true
			}
		}
		return false
	}
	// A token's first content term: s.toks and the tokens both run in
	// text order.
	sentToks := st.parsed[s.rep].tokensIn(s.body, s.end)
	toks := make([]itemTok, 0, len(sentToks))
	k := 0
	for _, t := range sentToks {
		if inQuote(t.Start, t.End) {
			continue
		}
		for k < len(s.toks) && s.toks[k].start < t.Start {
			k++
		}
		id := int32(-1)
		if k < len(s.toks) && s.toks[k].start == t.Start {
			id = s.toks[k].id
		}
		r, _ := utf8.DecodeRuneInString(t.Text)
		toks = append(toks, itemTok{Token: t, norm: st.lx.norm(t.Text), cap: unicode.IsUpper(r), id: id})
	}
	rd := itemReader{st: st, text: text, toks: toks, first: s.body}
	items = append(items, rd.read()...)
	// The context: the sentence's terms outside items and quotes, once
	// each. The used tokens and the terms run in text order too.
	var ctx []int32
	k = 0
	for _, tk := range s.toks {
		for k < len(rd.toks) && rd.toks[k].Start < tk.start {
			k++
		}
		used := false
		for j := k; j < len(rd.toks) && rd.toks[j].Start == tk.start; j++ {
			used = used || rd.toks[j].used
		}
		if used || inQuote(tk.start, tk.end) || slices.Contains(ctx, tk.id) {
			continue
		}
		ctx = append(ctx, tk.id)
	}
	return items, ctx
}

type itemReader struct {
	st    *storyText
	text  string
	toks  []itemTok
	first int // where the sentence's words begin
}

func (rd *itemReader) read() []infoItem {
	var out []infoItem
	for i := 0; i < len(rd.toks); i++ {
		if rd.toks[i].used {
			continue
		}
		if it, ok := rd.date(i); ok {
			out = append(out, it)
		}
	}
	for i := 0; i < len(rd.toks); i++ {
		if rd.toks[i].used {
			continue
		}
		if it, ok := rd.figure(i); ok {
			out = append(out, it)
		} else if it, ok := rd.weekday(i); ok {
			out = append(out, it)
		} else if it, ok := rd.name(i); ok {
			out = append(out, it)
		}
	}
	return out
}

// gap is the text between token i and the next one.
func (rd *itemReader) gap(i int) string {
	if i+1 >= len(rd.toks) {
		return "."
	}
	return rd.text[rd.toks[i].End:rd.toks[i+1].Start]
}

// spaced says whether token i is followed by the next with nothing, a
// space or a hyphen between ("5bn", "62-metre", "9 percent").
func (rd *itemReader) spaced(i int) bool {
	g := rd.gap(i)
	return strings.Trim(g, " -–") == "" && len(g) <= 3
}

func (rd *itemReader) smallInt(i, lo, hi int) (int, bool) {
	if i < 0 || i >= len(rd.toks) || rd.toks[i].used || rd.toks[i].Kind != words.Number {
		return 0, false
	}
	n, err := strconv.Atoi(rd.toks[i].Text)
	return n, err == nil && n >= lo && n <= hi
}

// date reads a month with what it has of a day and a year: "January 14",
// "14 January 2025", "mid-January", "early in March", "the end of May".
func (rd *itemReader) date(i int) (infoItem, bool) {
	t := &rd.toks[i]
	if t.Kind != words.Word {
		return infoItem{}, false
	}
	word, part := t.norm, [2]int{1, 31}
	hasPart, capital := false, t.cap
	if pre, m, ok := strings.Cut(word, "-"); ok {
		p, okp := infoMonthParts[pre]
		if !okp {
			return infoItem{}, false
		}
		r, _ := utf8.DecodeRuneInString(t.Text[strings.IndexByte(t.Text, '-')+1:])
		word, part, hasPart, capital = m, p, true, unicode.IsUpper(r)
	}
	if !capital {
		return infoItem{}, false
	}
	month, ok := infoMonths[word]
	if !ok {
		return infoItem{}, false
	}
	it := infoItem{kind: infoDate, month: month, start: t.Start, end: t.End}
	var take []int
	// A part of the month before it, perhaps with "in" or "of the".
	if !hasPart {
		for j, k := i-1, 0; j >= 0 && k < 3; j, k = j-1, k+1 {
			w := rd.toks[j].norm
			if p, ok := infoMonthParts[w]; ok {
				part, hasPart = p, true
				take = append(take, j)
				break
			}
			if w != "in" && w != "of" && w != "the" {
				break
			}
		}
	}
	day := 0
	after := rd.spaced(i) || (len(word) <= 4 && strings.TrimSpace(rd.gap(i)) == ".") // "Jan. 6"
	if d, ok := rd.smallInt(i+1, 1, 31); ok && after && !strings.HasPrefix(rd.gap(i+1), ":") {
		day = d
		take = append(take, i+1)
	} else if d, ok := rd.smallInt(i-1, 1, 31); ok && rd.spaced(i-1) {
		day = d
		take = append(take, i-1)
	}
	last := i
	if day > 0 && i+1 < len(rd.toks) && slices.Contains(take, i+1) {
		last = i + 1
		if j := i + 2; j < len(rd.toks) && rd.toks[j].Start == rd.toks[j-1].End && ordinalSuffix(rd.toks[j].norm) {
			take = append(take, j)
			last = j
		}
	}
	if y, ok := rd.smallInt(last+1, 1000, 2999); ok && strings.Trim(rd.gap(last), " ,") == "" {
		it.year = y
		take = append(take, last+1)
	}
	if day == 0 && it.year == 0 && !hasPart && (word == "may" || word == "march" || word == "mar") && i == 0 {
		return infoItem{}, false // "May", "March" opening a sentence: a verb as likely as a month
	}
	if day > 0 {
		part = [2]int{day, day}
	}
	it.lo, it.hi = part[0], part[1]
	t.used = true
	for _, j := range take {
		rd.toks[j].used = true
		it.start = min(it.start, rd.toks[j].Start)
		it.end = max(it.end, rd.toks[j].End)
	}
	return it, true
}

// meridiem is "a.m." or "pm" after a time.
var meridiem = regexp.MustCompile(`^ ?([aApP])\.?[mM](?:\.|\b)`)

func ordinalSuffix(w string) bool { return w == "st" || w == "nd" || w == "rd" || w == "th" }

func (rd *itemReader) weekday(i int) (infoItem, bool) {
	t := &rd.toks[i]
	d, ok := infoWeekdays[t.norm]
	if !ok || !t.cap || len(t.norm) < 6 { // full names: "Sun" and "Wed" are words too
		return infoItem{}, false
	}
	t.used = true
	return infoItem{kind: infoWeekday, lo: d, start: t.Start, end: t.End}, true
}

// figure reads a number, written or spelled, with its scale and unit: "9
// percent", "9%", "5.5 per cent", "1.1-billion-crown", "$4m", "two years",
// "10:42".
func (rd *itemReader) figure(i int) (infoItem, bool) {
	t := &rd.toks[i]
	var val float64
	var rest []string // the rest of a hyphenated spelled number ("six-year")
	switch t.Kind {
	case words.Number:
		v, err := strconv.ParseFloat(strings.ReplaceAll(t.Text, ",", ""), 64)
		if err != nil {
			return infoItem{}, false
		}
		val = v
	default:
		v, ok := infoCardinal(t.norm)
		if !ok && !strings.Contains(t.norm, "-") {
			return infoItem{}, false // no spelled number, whole or in parts
		}
		parts := strings.Split(t.norm, "-")
		if !ok {
			if v, ok = infoCardinal(parts[0]); !ok {
				if len(parts) < 2 {
					return infoItem{}, false
				}
				if v, ok = infoCardinal(parts[0] + "-" + parts[1]); !ok {
					return infoItem{}, false
				}
				rest = parts[2:]
			} else {
				rest = parts[1:]
			}
		}
		val = v
	}
	it := infoItem{kind: infoNumber, start: t.Start, end: t.End}
	t.used = true
	last := i
	if t.Kind == words.Number {
		// A time of day: "10:42", "6 a.m.", "7.30pm".
		hour, minutes := math.Trunc(val), 0.0
		if h, m, ok := strings.Cut(t.Text, "."); ok && len(h) <= 2 && len(m) == 2 {
			minutes, _ = strconv.ParseFloat(m, 64)
		}
		if val < 24 && minutes < 60 {
			clock := false
			if m, ok := rd.smallInt(i+1, 0, 59); ok && rd.gap(i) == ":" && val == hour {
				rd.toks[i+1].used = true
				clock, minutes, last, it.end = true, float64(m), i+1, rd.toks[i+1].End
			}
			end := rd.toks[last].End
			if m := meridiem.FindStringSubmatch(rd.text[end:min(len(rd.text), end+8)]); m != nil && hour <= 12 && (clock || val == hour || minutes > 0) {
				clock = true
				if strings.EqualFold(m[1], "p") && hour < 12 {
					hour += 12
				} else if strings.EqualFold(m[1], "a") && hour == 12 {
					hour = 0
				}
				for j := last + 1; j < len(rd.toks) && rd.toks[j].Start < end+len(m[0]); j++ {
					rd.toks[j].used = true
					it.end = rd.toks[j].End
				}
			}
			if clock {
				it.kind, it.unit, it.val = infoClock, "clock", hour*60+minutes
				return it, true
			}
		}
		// A sign before: "$4", "€95".
		before := strings.TrimRight(rd.text[max(rd.first, t.Start-4):t.Start], " ")
		for sign, unit := range infoSigns {
			if sign != "%" && strings.HasSuffix(before, sign) {
				it.unit = unit
			}
		}
		after := strings.TrimLeft(rd.text[t.End:], " ")
		if strings.HasPrefix(after, "%") {
			it.unit = "percent"
		}
		// An ordinal ("3rd") glued on.
		if j := i + 1; j < len(rd.toks) && rd.toks[j].Start == t.End && ordinalSuffix(rd.toks[j].norm) {
			rd.toks[j].used = true
			it.unit, last = "ordinal", j
		}
	}
	// Hedges before: "about 2,000", "more than 30".
	for j := i - 1; j >= max(0, i-2); j-- {
		if infoHedges[rd.toks[j].norm] {
			it.approx = true
		}
	}
	if i > 0 && infoDeterminers[rd.toks[i-1].norm] {
		it.refers = true
	}
	// Scale and unit after: in the rest of the word, then in the next
	// words as long as they follow with only a space or hyphen between.
	next := func(yield func(part string, tok int) bool) {
		for _, p := range rest {
			if !yield(p, i) {
				return
			}
		}
		for j := last; j+1 < len(rd.toks) && rd.spaced(j) && rd.toks[j+1].Kind == words.Word; j++ {
			for _, p := range strings.Split(rd.toks[j+1].norm, "-") {
				if !yield(p, j+1) {
					return
				}
			}
		}
	}
	perCent := false
	for p, j := range next {
		if s, ok := infoScales[p]; ok && it.unit != "percent" && it.unit != "ordinal" {
			val *= s
			it.end = max(it.end, rd.toks[j].End)
			rd.toks[j].used = true
			continue
		}
		if p == "per" {
			perCent = true
			continue
		}
		if perCent {
			if p == "cent" {
				it.unit = "percent"
				it.end = max(it.end, rd.toks[j].End)
				rd.toks[j].used, rd.toks[j-1].used = true, true
			}
			break
		}
		if u, ok := infoUnit(p); ok && (it.unit == "" || it.unit == "dollar" || it.unit == "euro" || it.unit == "pound" || it.unit == "yen") {
			if it.unit == "" {
				it.unit = u
			}
			it.end = max(it.end, rd.toks[j].End)
			rd.toks[j].used = true
		}
		break
	}
	it.val = val
	return it, true
}

// name reads a run of names: terms the story mostly writes capitalised
// mid-sentence, next to each other.
func (rd *itemReader) name(i int) (infoItem, bool) {
	isName := func(j int) bool {
		t := &rd.toks[j]
		return !t.used && t.Kind == words.Word && t.cap && t.id >= 0 && rd.st.name[t.id]
	}
	if !isName(i) {
		return infoItem{}, false
	}
	it := infoItem{kind: infoName, start: rd.toks[i].Start}
	j := i
	for {
		rd.toks[j].used = true
		if !slices.Contains(it.names, rd.toks[j].id) {
			it.names = append(it.names, rd.toks[j].id)
		}
		it.end = rd.toks[j].End
		if j+1 >= len(rd.toks) || !isName(j+1) || strings.Trim(rd.gap(j), " -'’") != "" || len(rd.gap(j)) > 3 {
			break
		}
		j++
	}
	// A number right after is part of the name ("Kestrel-2", "Gate 4").
	if j+1 < len(rd.toks) && rd.toks[j+1].Kind == words.Number && !rd.toks[j+1].used && rd.toks[j+1].id >= 0 {
		if g := rd.gap(j); g == "-" || g == " " {
			rd.toks[j+1].used = true
			it.names = append(it.names, rd.toks[j+1].id)
			it.end = rd.toks[j+1].End
		}
	}
	return it, true
}
