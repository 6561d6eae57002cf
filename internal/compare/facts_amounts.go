package compare

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dossiernews/dossier/internal/words"
)

// amount is a figure as a range of what it can mean: "14" is 14, "about
// 2,000" anything near it, "more than 100" anything above, in the base
// unit of its dimension.
type amount struct {
	dim    string // "" for counts, "%" for percentages, a currency, a dimension
	unit   string // the unit written, for measures
	lo, hi float64
	// exact is the number as written, converted to the base unit: two
	// reports that both state it share it.
	exact float64
}

func (a amount) compatible(o value) bool {
	b, ok := o.(amount)
	if !ok || a.dim != b.dim {
		return false
	}
	if a.unit != b.unit {
		// A converted figure is rounded: "10 miles (16 km)".
		return a.lo*0.95 <= b.hi*1.05 && b.lo*0.95 <= a.hi*1.05
	}
	return a.lo <= b.hi && b.lo <= a.hi
}

func (a amount) width() float64 { return a.hi - a.lo }

func (a amount) mentionedIn(d *doc) bool {
	for _, m := range d.amounts {
		if m.dim == a.dim && math.Abs(m.exact-a.exact) <= 1e-9*math.Max(1, math.Abs(a.exact)) {
			return true
		}
	}
	return false
}

// Qualifiers before a figure widen it.
const (
	qExact = iota
	qAbout
	qNearly
	qAtLeast
	qAtMost
)

// qualifiers are read longest first.
var qualifiers = []struct {
	words []string
	kind  int
}{
	{[]string{"more", "than"}, qAtLeast}, {[]string{"at", "least"}, qAtLeast}, {[]string{"upwards", "of"}, qAtLeast},
	{[]string{"upward", "of"}, qAtLeast}, {[]string{"in", "excess", "of"}, qAtLeast}, {[]string{"just", "over"}, qAtLeast},
	{[]string{"over"}, qAtLeast}, {[]string{"above"}, qAtLeast}, {[]string{"exceeding"}, qAtLeast},
	{[]string{"less", "than"}, qAtMost}, {[]string{"fewer", "than"}, qAtMost}, {[]string{"up", "to"}, qAtMost},
	{[]string{"as", "many", "as"}, qAtMost}, {[]string{"as", "much", "as"}, qAtMost}, {[]string{"at", "most"}, qAtMost},
	{[]string{"no", "more", "than"}, qAtMost}, {[]string{"just", "under"}, qNearly}, {[]string{"under"}, qAtMost},
	{[]string{"below"}, qAtMost}, {[]string{"nearly"}, qNearly}, {[]string{"almost"}, qNearly},
	{[]string{"close", "to"}, qNearly}, {[]string{"about"}, qAbout}, {[]string{"around"}, qAbout},
	{[]string{"approximately"}, qAbout}, {[]string{"roughly"}, qAbout}, {[]string{"some"}, qAbout},
	{[]string{"an", "estimated"}, qAbout}, {[]string{"estimated"}, qAbout}, {[]string{"approx"}, qAbout},
	{[]string{"circa"}, qAbout}, {[]string{"reportedly"}, qAbout}, {[]string{"possibly"}, qAbout},
	{[]string{"potentially"}, qAbout}, {[]string{"perhaps"}, qAbout}, {[]string{"only"}, qExact},
	{[]string{"exactly"}, qExact}, {[]string{"precisely"}, qExact}, {[]string{"just"}, qExact},
}

// signOrder tries longer signs first.
var signOrder = []string{"US$", "€", "£", "¥", "₩", "₹", "₽", "₺", "₪", "₱", "$"}

// currencySigns precede a figure; currencyWords follow it.
var currencySigns = map[string]string{"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY/CNY", "₩": "KRW", "₹": "INR", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₱": "PHP"}

var currencyWords = map[string]string{
	"dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
	"gbp": "GBP", "sterling": "GBP", "pound": "pound", "pounds": "pound", "yen": "JPY/CNY", "yuan": "CNY", "renminbi": "CNY",
	"won": "KRW", "rupee": "INR", "rupees": "INR", "franc": "CHF", "francs": "CHF", "peso": "peso", "pesos": "peso",
	"ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB", "lira": "TRY", "rand": "ZAR", "krona": "SEK",
	"kronor": "SEK", "krone": "krone", "kroner": "krone", "crown": "crown", "crowns": "crown", "shekel": "ILS", "shekels": "ILS", "real": "BRL", "reais": "BRL",
}

// measures convert a unit to its dimension's base unit.
var measures = map[string]struct {
	dim    string
	factor float64
}{
	"km": {"length", 1000}, "kilometre": {"length", 1000}, "kilometres": {"length", 1000}, "kilometer": {"length", 1000},
	"kilometers": {"length", 1000}, "mile": {"length", 1609.344}, "miles": {"length", 1609.344}, "metre": {"length", 1},
	"metres": {"length", 1}, "meter": {"length", 1}, "meters": {"length", 1}, "foot": {"length", 0.3048}, "feet": {"length", 0.3048},
	"ft": {"length", 0.3048}, "yard": {"length", 0.9144}, "yards": {"length", 0.9144}, "inch": {"length", 0.0254},
	"inches": {"length", 0.0254}, "cm": {"length", 0.01}, "centimetres": {"length", 0.01}, "centimeters": {"length", 0.01},
	"kg": {"mass", 1}, "kilogram": {"mass", 1}, "kilograms": {"mass", 1}, "kilos": {"mass", 1}, "tonne": {"mass", 1000},
	"tonnes": {"mass", 1000}, "ton": {"mass", 1000}, "tons": {"mass", 1000}, "lb": {"mass", 0.4536}, "lbs": {"mass", 0.4536},
	"hectare": {"area", 1e4}, "hectares": {"area", 1e4}, "acre": {"area", 4046.86}, "acres": {"area", 4046.86},
	"litre": {"volume", 1}, "litres": {"volume", 1}, "liter": {"volume", 1}, "liters": {"volume", 1},
	"gallon": {"volume", 3.785}, "gallons": {"volume", 3.785}, "barrel": {"volume", 159}, "barrels": {"volume", 159},
}

// durations and timeWords: a figure of them measures time.
var durations = stemSet("years months weeks days hours minutes seconds decades centuries times seasons nights weekends")
var timeWords = stemSet(`past last next first within end ago later earlier early late previous coming
	following recent consecutive straight after before`)

// scoreWords count a game's events: each player and each game has its own.
var scoreWords = stemSet(`points goals games matches runs yards wins losses laps assists rebounds catches
	touchdowns innings sets series homers hits strikeouts sacks interceptions baskets wickets`)

// genericHeads count without saying what: "14 people" alone is not a detail.
var genericHeads = words.Set("people person persons individuals")

// vagueHeads say too little to tell one figure from another.
var vagueHeads = stemSet(`north south east west northeast northwest southeast southwest away outside
	percent way things part place members number lot`)

// stemSet is a set of words as stem writes them.
func stemSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[stem(w)] = true
	}
	return m
}

// increments count on top of an earlier figure ("14 more", "another 14").
var increments = words.Set("more additional another others extra further other")

// changeWords make a figure a change, not a level ("rose 5%", "fell by 14").
var changeWords = words.Set(`rose rise rises rising risen fell fall falls falling fallen increase increased
	increases increasing decrease decreased decreases decline declined declines dropped drop drops
	jumped jump jumps climbed climb climbs grew grow grows growing surged surge soared plunged
	plummeted slipped gained gain down up doubled tripled cut cuts boosted raising lowered`)

// markers keep cumulative and daily figures apart when the text says so.
var markers = words.Set("total cumulative overall daily weekly monthly annual yearly new since")

// readAmounts reads the figures of sentence si: every one is kept in
// d.amounts; those with something to count become facts.
func (d *doc) readAmounts(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	from := len(d.facts)
	bare := map[string]bool{}
	counts := 0
	for i := first; i < past; i++ {
		if d.used[i] {
			continue
		}
		n, ok := words.ReadNumber(d.text, d.toks, i)
		if !ok || n.Last >= past {
			continue
		}
		i = n.Last
		if d.toks[n.First].Kind == words.Number && isYear(d.toks[n.First].Text) && n.Last == n.First {
			continue
		}
		got := d.readAmount(si, n)
		dim := d.amounts[len(d.amounts)-1].dim
		if got == amountBare && !(n.Spelled && n.Value == 1) {
			bare[dim] = true
		}
		if dim == "" {
			counts++
		}
	}
	// So does a sentence of three counts or more: a line of statistics
	// ("33 homers and 121 RBIs in 157 games") whose figures need more
	// reading than their next words.
	if counts >= 3 {
		bare[""] = true
	}
	// A sentence that also gives bare figures of the same kind lists parts
	// of a whole ("Walgreens wasted 2.6 million doses, CVS 2.2 million"):
	// its figures are not the story's.
	kept := d.facts[:from]
	for _, f := range d.facts[from:] {
		if a, ok := f.val.(amount); !ok || !bare[a.dim] || !strings.HasPrefix(f.key, "amount|") {
			kept = append(kept, f)
		}
	}
	d.facts = kept
}

// What readAmount made of a figure.
const (
	amountFact    = iota
	amountBare    // nothing says what it counts
	amountDropped // a change, a part, a score: not a level to compare
)

// currencyCode is the letters glued before a "$" that say whose dollar
// it is ("US", "C", "HK").
func currencyCode(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isYear(s string) bool {
	return len(s) == 4 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20") || strings.HasPrefix(s, "18"))
}

// figure is a figure being read: the tokens around it and what they say.
type figure struct {
	n        words.Amount
	valStart int // bytes of the figure as written, qualifier and unit included
	valEnd   int
	dim      string
	factor   float64
	unit     string
	qual     int
	hi       *words.Amount // the top of a range ("12 to 14")
	// nouns and verbs say what it counts; scope whose or where it is.
	nouns, verbs, scope []string
	about, aboutVerbs   []int // tokens of the key, for its label
	aboutCost           bool  // the label says "cost" for a verb it does not hold
	drop                bool
	afterFirst          int // first token after the figure and its unit
}

func (d *doc) readAmount(si int, n words.Amount) int {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	a := figure{n: n, valStart: n.Start, valEnd: n.End, factor: 1, afterFirst: n.Last + 1}
	// A currency sign before: "$2.3 million", "US$5", "C$5", "€4bn".
	if n.First > first {
		prev := d.toks[n.First-1]
		g := d.text[prev.End:n.Start]
		for _, sign := range signOrder {
			if !strings.HasSuffix(g, sign) {
				continue
			}
			a.dim, a.valStart = "money:"+currencySigns[sign], n.Start-len(sign)
			if g == sign && sign == "$" && currencyCode(prev.Text) {
				// A letter code glued to the sign names the dollar.
				if prev.Text != "US" {
					a.dim = "money:" + prev.Text + "$"
				}
				a.valStart = prev.Start
			}
			break
		}
	}
	// Unit after.
	j := n.Last + 1
	rest := d.text[n.End:min(len(d.text), n.End+2)]
	switch {
	case strings.HasPrefix(rest, "%"):
		a.dim, a.valEnd = "%", n.End+1
	case j < past && d.spaced(n.Last) && (d.norm(j) == "percent" || d.norm(j) == "pct"):
		a.dim, a.valEnd, j = "%", d.toks[j].End, j+1
	case j+1 < past && d.spaced(n.Last) && d.norm(j) == "per" && d.norm(j+1) == "cent":
		a.dim, a.valEnd, j = "%", d.toks[j+1].End, j+2
	case j+1 < past && d.spaced(n.Last) && d.norm(j) == "percentage" && strings.HasPrefix(d.norm(j+1), "point"):
		a.dim, a.valEnd, j = "pp", d.toks[j+1].End, j+2
	case j < past && (d.spaced(n.Last) || d.gap(n.Last) == "-") && a.dim == "":
		w := d.norm(j)
		if cur, ok := currencyWords[w]; ok && (w != "won" || n.Last > n.First) {
			a.dim, a.valEnd, j = "money:"+cur, d.toks[j].End, j+1
		} else if m, ok := measures[w]; ok {
			a.dim, a.factor, a.unit, a.valEnd, j = m.dim, m.factor, strconv.FormatFloat(m.factor, 'g', -1, 64), d.toks[j].End, j+1
		}
		if d.gap(n.Last) == "-" && a.dim == "" {
			// "a 10-point plan", "34-year-old": a compound count describes
			// one of many; a measure ("the 68-metre dam") is the thing's own.
			a.drop = true
		}
	}
	// "$2 million USD", "5,000 euros" after a sign: the code repeats it.
	if j < past && d.spaced(j-1) && strings.HasPrefix(a.dim, "money:") {
		if _, ok := currencyWords[d.norm(j)]; ok && d.norm(j) != "won" {
			a.valEnd, j = d.toks[j].End, j+1
		}
	}
	a.afterFirst = j
	// A range: "12 to 14", "12-14", "between 12 and 14".
	between := n.First > first && d.norm(n.First-1) == "between"
	if j+1 < past && (d.norm(j) == "to" || d.norm(j) == "and" && between) && d.spaced(j-1) && d.spaced(j) {
		if m, ok := words.ReadNumber(d.text, d.toks, j+1); ok && m.Value > n.Value {
			a.hi = &m
			a.valEnd = m.End
			j = m.Last + 1
		}
	} else if j < past && (d.gap(j-1) == "-" || d.gap(j-1) == "–") && d.toks[j].Kind == words.Number {
		if v, step, ok := words.ParseDigits(d.toks[j].Text); ok && v > n.Value {
			a.hi = &words.Amount{Value: v, Step: step, First: j, Last: j, Start: d.toks[j].Start, End: d.toks[j].End}
			a.valEnd = d.toks[j].End
			j++
		} else {
			a.drop = true // a tally or a score: "52-48"
		}
	}
	if a.hi != nil {
		d.markUsed(a.hi.First, a.hi.Last)
		a.afterFirst = j
	}
	if d.unclear(n, past) {
		a.drop = true
	}
	a.readQualifier(d, first)
	a.readContext(d, si)
	v := a.value()
	d.amounts = append(d.amounts, v)
	d.markUsed(n.First, n.Last)
	if a.drop {
		return amountDropped
	}
	nouns := 0
	for _, k := range a.nouns {
		switch {
		case durations[k]:
			return amountDropped // "the past two weeks", "five times": time, not the story
		case scoreWords[k]:
			return amountDropped // a player's or a game's line, one of many
		case !vagueHeads[k] && !markers[k] && !timeWords[k]:
			nouns++
		}
	}
	// A count needs a verb or two nouns: "14 were injured", "15.1 million
	// wasted doses"; "2.6 million doses" or "13 homers" alone may count
	// any part of anything. Money and shares need one word.
	switch {
	case a.dim == "" && len(a.verbs) == 0 && nouns < 2, a.dim != "" && len(a.verbs) == 0 && nouns == 0:
		return amountBare
	}
	key := append(append(append([]string{}, a.nouns...), a.verbs...), a.scope...)
	keyText := "amount|" + a.dim + "|" + strings.Join(sortedSet(key), " ")
	d.add(fact{key: keyText, about: a.label(d), val: v, start: a.valStart, end: a.valEnd, sent: d.sents[si]})
	return amountFact
}

// label names what a figure counts: its nouns in text order, then its
// verbs as participles ("people killed", "doses wasted", "members backed").
func (a *figure) label(d *doc) string {
	var out []string
	slices.Sort(a.about)
	for _, t := range slices.Compact(a.about) {
		out = append(out, d.about(t))
	}
	if len(out) == 0 && a.dim == "" {
		out = append(out, "people")
	}
	if a.aboutCost {
		out = append(out, "cost")
	}
	slices.Sort(a.aboutVerbs)
	for _, t := range slices.Compact(a.aboutVerbs) {
		switch canonicalWords[d.norm(t)] {
		case "dead":
			out = append(out, "killed")
		case "injured":
			out = append(out, "injured")
		case "cost":
			out = append(out, "cost")
		default:
			out = append(out, d.about(t))
		}
	}
	return strings.Join(slices.Compact(out), " ")
}

func (d *doc) markUsed(a, b int) {
	for i := a; i <= b && i < len(d.used); i++ {
		d.used[i] = true
	}
}

// unclear says whether a figure is part of a time ("5:46 pm", "9 a.m.")
// or of a number the text has broken up ("1, 500", "6. 2"): it is not
// read as a count.
func (d *doc) unclear(n words.Amount, past int) bool {
	short := func(t words.Token) bool { return len(t.Text) <= 3 && !strings.ContainsAny(t.Text, ",.") }
	cur := d.toks[n.First]
	if n.First > 0 && d.toks[n.First-1].Kind == words.Number {
		prev, g := d.toks[n.First-1], strings.TrimSpace(d.gap(n.First-1))
		if g == ":" || g == "," && short(prev) && len(cur.Text) == 3 {
			return true
		}
	}
	if after := d.gap(n.Last); strings.ContainsAny(after, "/\uFFFD½¼¾⅓⅔") {
		return true // a fraction, or a character lost on the way
	}
	if n.Last+1 < len(d.toks) {
		next, g := d.toks[n.Last+1], strings.TrimSpace(d.gap(n.Last))
		if next.Kind == words.Number && (g == ":" || g == "," && short(cur) && len(next.Text) == 3 || g == "." && short(cur)) {
			return true
		}
		if w := words.Norm(next.Text); g == "" && (w == "am" || w == "pm") || (w == "a" || w == "p") && strings.HasPrefix(d.gap(n.Last+1), ".") {
			return true
		}
	}
	return false
}

// readQualifier reads "about", "more than", "nearly" before the figure.
func (a *figure) readQualifier(d *doc, first int) {
	at := a.n.First
	for at > first && d.toks[at-1].End > a.valStart {
		at-- // a glued currency code
	}
	for _, q := range qualifiers {
		k := len(q.words)
		if at-k < first {
			continue
		}
		match := true
		for x, w := range q.words {
			if d.norm(at-k+x) != w || !d.spacedOrSign(at-k+x) {
				match = false
				break
			}
		}
		if match {
			a.qual = q.kind
			a.valStart = d.toks[at-k].Start
			return
		}
	}
}

// spacedOrSign says whether token i is followed by spaces, or by spaces
// and a currency sign.
func (d *doc) spacedOrSign(i int) bool {
	g := strings.TrimSpace(d.gap(i))
	if g == "" {
		return d.gap(i) != ""
	}
	_, ok := currencySigns[g]
	return ok || g == "US$"
}

// readContext reads what the figure counts: the words after it ("14
// people injured", "62% of voters"), the participle after a verb ("14
// were injured"), the word before it ("killed 14"), where it counts ("in
// Lund") and markers ("a total of", "14 new cases").
func (a *figure) readContext(d *doc, si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	// add puts token i's stem in the key as a noun or as a verb.
	add := func(i int, verb bool) {
		w := d.norm(i)
		if strings.HasSuffix(w, "ly") && len(w) > 4 || len(w) == 1 {
			return // adverbs; the letters of "U.S."
		}
		s := stem(d.toks[i].Text)
		if verb || canonicalWords[w] != "" || strings.HasSuffix(w, "ed") || participles[w] {
			a.aboutVerbs = append(a.aboutVerbs, i)
			a.verbs = append(a.verbs, s)
			return
		}
		a.about = append(a.about, i)
		if !genericHeads[w] {
			a.nouns = append(a.nouns, s)
		}
	}
	j := a.afterFirst
	// sp says whether token j follows the figure or the word before it
	// after spaces only.
	sp := func(j int) bool {
		lo := d.toks[j-1].End
		if j == a.afterFirst {
			lo = a.valEnd
		}
		g := d.text[min(lo, d.toks[j].Start):d.toks[j].Start]
		if j > a.afterFirst && len(d.toks[j-1].Text) == 1 && isUpper(d.toks[j-1].Text) {
			g = strings.TrimPrefix(g, ".") // "13 U.S. troops"
		}
		return g != "" && strings.TrimSpace(g) == ""
	}
	// "or more", "or so", "-plus" widen it.
	if j+1 < past && d.norm(j) == "or" && (d.norm(j+1) == "more" || d.norm(j+1) == "so") && sp(j) {
		if d.norm(j+1) == "more" {
			a.qual = qAtLeast
		} else {
			a.qual = qAbout
		}
		a.valEnd = d.toks[j+1].End
		j += 2
	}
	if j < past && (d.norm(j) == "plus" || strings.HasPrefix(d.text[a.valEnd:], "+")) {
		a.qual = qAtLeast
	}
	if j < past && increments[d.norm(j)] && sp(j) {
		a.drop = true
		return
	}
	// "62% of voters", "$2 million of aid"; a count "of the 20" is a part.
	if j+1 < past && d.norm(j) == "of" && sp(j) {
		if a.dim == "" {
			a.drop = true
			return
		}
		j++
		for j < past && (d.norm(j) == "the" || d.norm(j) == "all" || d.norm(j) == "its" || d.norm(j) == "their") && sp(j) {
			j++
		}
	}
	run := 0
	for j < past && run < 4 && sp(j) && d.toks[j].Kind == words.Word && !d.used[j] {
		w := d.norm(j)
		if words.IsStop(w) || words.IsNumberWord(w) || sayVerbs[w] || changeWords[w] {
			break
		}
		add(j, false)
		if len(w) > 1 {
			run++
		}
		j++
		if clauseGap(d.gap(j - 1)) {
			break
		}
	}
	// The participle after an auxiliary: "14 people were (badly) injured",
	// "$2 million was raised"; a measured or priced noun needs none ("the
	// 68-metre dam would have flooded").
	if j < past && run <= 2 && sp(j) && (a.dim == "" || run == 0) {
		k := j
		for k < past && (auxiliaries[d.norm(k)] || k > j && strings.HasSuffix(d.norm(k), "ly")) && d.spaced(k) {
			k++
		}
		if k > j && k < past && d.toks[k].Kind == words.Word {
			w := d.norm(k)
			if (strings.HasSuffix(w, "ed") || canonicalWords[w] != "" || participles[w]) && !sayVerbs[w] {
				add(k, true)
				j = k + 1
			}
		}
	}
	// A place or body after it narrows what it counts: "63 dead in
	// Rhineland-Palatinate", "15 miles north of Lund".
	if j+1 < past && scopeWords[d.norm(j)] && d.spaced(j-1) && d.spaced(j) {
		k := j + 1
		if d.norm(k) == "the" && d.spaced(k) {
			k++
		}
		if last := d.nameEnd(k, past); last >= 0 && !d.used[k] {
			for x := k; x <= last; x++ {
				if !nameConnectors[d.toks[x].Text] {
					a.scope = append(a.scope, stem(d.toks[x].Text))
				}
			}
		}
	}
	// The word before: "killed 14", "a crowd of 2,000", "a total of 14".
	at := a.n.First
	for at > first && d.toks[at-1].End > a.valStart {
		at--
	}
	if at > first && d.toks[at-1].End <= a.valStart {
		p := at - 1
		pw := d.norm(p)
		if pw == "by" || pw == "from" || changeWords[pw] || increments[pw] {
			a.drop = true
			return
		}
		isVerb := looksVerb(pw)
		if pw == "of" && p > first && d.spaced(p-1) {
			if d.toks[p-1].Kind == words.Word && !words.IsStop(d.norm(p-1)) {
				p--
				pw = d.norm(p)
				isVerb = false // "a crowd of"
			}
		} else if pw == "at" && p > first && d.spaced(p-1) && canonicalWords[d.norm(p-1)] == "cost" {
			p-- // "valued at", "costed at"
			pw = d.norm(p)
			isVerb = true
		} else if pw == "for" && p > first && d.spaced(p-1) && strings.HasPrefix(a.dim, "money:") && dealVerbs[d.norm(p-1)] {
			// "built for 210 million crowns", "sold for $2 million": a price.
			a.verbs = append(a.verbs, "cost")
			a.aboutCost = true
			p = -1
		}
		if p >= first && p >= 0 && !clauseGap(d.text[d.toks[p].End:a.valStart]) && d.toks[p].Kind == words.Word && !words.IsStop(pw) && !isUpper(d.toks[p].Text) && !sayVerbs[pw] {
			if markers[pw] {
				a.scope = append(a.scope, pw)
			} else {
				add(p, isVerb)
				a.subject(d, p, first, run)
			}
		}
		// A change stated a few words before ("rose from 12 to 14", "up by
		// 5%"), or a figure someone expects, not one that is.
		for k := at - 1; k >= first && k >= at-8; k-- {
			if w := d.norm(k); changeWords[w] && k >= at-4 || hypothetical[w] {
				a.drop = true
				return
			}
			if clauseGap(d.gap(k)) {
				break
			}
		}
	}
	for k := a.n.First - 1; k >= first && k >= a.n.First-4; k-- {
		if markers[d.norm(k)] && d.norm(k) != "new" {
			a.scope = append(a.scope, d.norm(k))
		}
		if clauseGap(d.gap(k)) {
			break
		}
	}
}

// dealVerbs put a price on a thing when "for" and a sum follow them.
var dealVerbs = words.Set("built bought sold acquired purchased leased rented insured made")

// looksVerb says whether a word before a figure is a verb that governs
// it ("killed 14", "cost $2 million") rather than a noun ("age 61").
func looksVerb(w string) bool {
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") || canonicalWords[w] != "" || participles[w] || pastForms[w]
}

// pastForms are irregular verbs that take a figure.
var pastForms = words.Set("cost costs won lost paid spent sold took got drew made had has have gave brought")

// subject reads who or what the verb p before a figure has: a name
// ("Bush missed eight games") tells whose figure it is; a noun says what a
// bare verb counts ("the package costs $2 million").
func (a *figure) subject(d *doc, p, first, run int) {
	s := p - 1
	for s > first && auxiliaries[d.norm(s)] && d.spaced(s) {
		s--
	}
	if s < first || s >= p || !d.spaced(s) || d.toks[s].Kind != words.Word || words.IsStop(d.norm(s)) {
		return
	}
	if isUpper(d.toks[s].Text) {
		// A name that does the counting ("Bush missed eight games"), not
		// one in a phrase before it ("at Harwick injured 21") nor the
		// agent of a casualty ("the storm killed 14").
		fst := d.nameStart(s, max(first, s-5))
		if fst < 0 || canonicalWords[d.norm(p)] != "" || fst > first && words.IsStop(d.norm(fst-1)) && !eventDeterminers[d.norm(fst-1)] {
			return
		}
		a.scope = append(a.scope, stem(d.toks[s].Text))
		return
	}
	switch {
	case run == 0 && canonicalWords[d.norm(p)] == "":
		a.nouns = append(a.nouns, stem(d.toks[s].Text))
		a.about = append(a.about, s)
	case run == 0 && canonicalWords[d.norm(p)] == "cost":
		// "the project was valued at": what costs names the figure; outlets
		// name it variously, so it stays out of the key.
		a.about = append(a.about, s)
	}
}

// about is a token as a label shows it: lower case unless a name.
func (d *doc) about(i int) string {
	t := d.toks[i].Text
	if isUpper(t) && (i == 0 || d.sentenceStart(i)) && !isAllCaps(t) {
		return words.Norm(t)
	}
	return t
}

func (d *doc) sentenceStart(i int) bool {
	k := sort.Search(len(d.sentToks), func(k int) bool { return d.sentToks[k][0] >= i })
	return k < len(d.sentToks) && d.sentToks[k][0] == i
}

// hypothetical figures are forecast, hoped for or feared, not counted.
var hypothetical = words.Set(`expect expected expects expecting predicted predict predicts forecast forecasts
	forecasted projected projects anticipated anticipate hoped hope hopes aims aim aimed target targets
	targeted goal could might if`)

// scopeWords introduce where or of whom a figure counts.
var scopeWords = words.Set("in for at across throughout among from of")

var auxiliaries = words.Set("will would could may might can should must was were is are been be being had have has reportedly also later all believed confirmed feared reported thought")

// participles are irregular past participles of things figures count.
var participles = words.Set("held taken shot slain stolen sold built found missing dead hurt caught left gone seen lost given hit")

// value is the figure as a range.
func (a *figure) value() amount {
	v := a.n.Value * a.factor
	step := a.n.Step * a.factor
	lo, hi := v-step/2, v+step/2
	if a.hi != nil {
		hi = a.hi.Value*a.factor + a.hi.Step*a.factor/2
	}
	switch a.qual {
	case qAbout:
		lo, hi = math.Min(lo, v*0.9), math.Max(hi, v*1.1)
		if a.hi != nil {
			hi = math.Max(hi, a.hi.Value*a.factor*1.1)
		}
	case qNearly:
		lo = math.Min(lo, v*0.9)
	case qAtLeast:
		hi = math.Inf(1)
	case qAtMost:
		lo = 0
	}
	return amount{dim: a.dim, unit: a.unit, lo: lo, hi: hi, exact: v}
}

func sortedSet(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
