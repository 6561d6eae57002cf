package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	genderUnknown = iota
	genderMale
	genderFemale
)

// entity is a person or organisation named in the writer's text.
type entity struct {
	name     string   // canonical: the fullest form first introduced
	words    []string // lower-case name words
	org      bool
	gender   int
	sure     bool // gender from an honorific, not guessed
	roles    map[string]bool
	title    string // the role as the text gives it, first found
	mentions int
	votesM   int
	votesF   int
}

func (e *entity) last() string { return e.words[len(e.words)-1] }

// setTitle keeps the fuller of the entity's title and t: "Senate Majority
// Leader" over "leader".
func (e *entity) setTitle(t string) {
	if t != "" && len(strings.Fields(t)) > len(strings.Fields(e.title)) {
		e.title = t
	}
}

// mention is one place the writer names an entity.
type mention struct {
	ent  int
	pos  int // byte offset
	par  int
	sent int // index into doc.sentAt
	rank int // order within its sentence
}

// nameRun is a capitalised run parsed into its name and what was stripped.
type nameRun struct {
	from, to  int // token range of the name proper
	roles     []string
	title     string // the stripped titles as written ("Deputy Minister")
	gender    int
	titled    bool
	org       bool
	place     bool
	honorific bool // gender comes from Mr/Ms/Mrs, not a guess
}

func isConnector(w string) bool {
	switch w {
	case "de", "van", "von", "bin", "al", "da", "du", "la", "le", "del", "della", "der", "den", "ter", "di", "el", "&":
		return true
	}
	return false
}

// capRun returns the end of the capitalised run starting at token i.
func capRun(toks []tok, i, hi int) int {
	j := i
	for j < hi {
		t := toks[j]
		if t.isCap() {
			j++
			continue
		}
		// "Ministry of Transport", "Bank for Settlements": an
		// organisation's name goes on through of/for.
		if t.word && (t.low == "of" || t.low == "for") && j > i && (orgNouns[toks[j-1].low] || t.low == "of" && titleWords[toks[j-1].low] && roleNouns[toks[j-1].low]) && toks[j-1].isCap() {
			if j+1 < hi && toks[j+1].isCap() && !sentenceStarters[toks[j+1].low] {
				j++
				continue
			}
		}
		// "Securities and Exchange Commission": "and" inside the name of
		// an organisation, when what follows ends in an organisation noun.
		if t.word && t.low == "and" && j > i && !runHasOrg(toks, i, j) && j+1 < hi && toks[j+1].isCap() {
			if e := capRun(toks, j+1, hi); orgNouns[toks[e-1].low] && e-(j+1) <= 3 {
				j = e
				continue
			}
		}
		// Jane "JJ" Roe: a quoted nickname inside a name goes on with it.
		if isNickname(toks, j) && j > i {
			j++
			continue
		}
		if t.word && isConnector(t.low) || t.s == "&" {
			if j+1 < hi && toks[j+1].isCap() {
				j++
				continue
			}
		}
		break
	}
	return j
}

// parseRun classifies tokens [i, j) of a capitalised run.
func parseRun(toks []tok, i, j int, sentStart bool) (r nameRun) {
	r = nameRun{from: i, to: j}
	if sentStart && r.from < r.to && (sentenceStarters[toks[r.from].low] || isNumberWord(toks[r.from].low)) {
		r.from++
	}
	// "LONHAVEN — The Pier of …": a capitalised article inside a sentence
	// (or where the sentence split missed its start) and one word is an
	// institution or a place, never a person's name.
	if !sentStart && r.to-r.from == 2 {
		switch toks[r.from].s {
		case "The", "THE", "A", "An":
			r.org = true
			return r
		}
	}
	// Organisation words count only after any titles: "House Deputy
	// Whip Jane Roe" is a person, "House Fisheries Committee" is not.
	k0 := r.from
	for k0 < r.to-1 && (titleWords[toks[k0].low] || titleWords[toks[k0].low+"."]) {
		k0++
	}
	for k := k0; k < r.to; k++ {
		if orgNouns[toks[k].low] {
			r.org = true
		}
	}
	// Acronyms are organisations unless they are places (US, UK).
	if r.to-r.from == 1 {
		w := strings.TrimSuffix(toks[r.from].s, ".")
		if len(w) >= 2 && len(w) <= 6 && strings.ToUpper(w) == w && !placeWords[strings.ToLower(w)] && isLetters(w) {
			r.org = true
		}
	}
	if r.org {
		return r
	}
	// A run in capitals of several words is a dateline or a heading.
	if r.to-r.from > 1 {
		upper := true
		for k := r.from; k < r.to; k++ {
			if strings.ToUpper(toks[k].s) != toks[k].s {
				upper = false
			}
		}
		if upper {
			r.place = true
			return r
		}
	}
	var titleIdx []int
	defer func() { r.title = titleText(toks, titleIdx) }()
	// "Secretary of State for Ports and Harbours Jane Roe": the run after
	// a title's "for"/"and" holds the rest of the portfolio, then the name.
	if c := titleChainStart(toks, i); c >= 0 && r.to-r.from > 2 {
		n := 2
		if r.to-r.from > 3 && len(strings.TrimSuffix(toks[r.to-2].s, ".")) == 1 {
			n = 3 // "Jane Q. Roe"
		}
		for k := c; k < r.to-n; k++ {
			titleIdx = append(titleIdx, k)
			if roleNouns[toks[k].low] {
				r.roles = append(r.roles, toks[k].low)
			}
		}
		r.from, r.titled = r.to-n, true
	}
	for r.from < r.to {
		w := toks[r.from].low
		after := r.honorific // an honorific came before w
		if honorificMale[w] || honorificMale[w+"."] {
			r.gender, r.honorific = genderMale, true
		}
		if honorificFemale[w] || honorificFemale[w+"."] {
			r.gender, r.honorific = genderFemale, true
		}
		// "Lawyer Jane Roe", "said Farmer Jane Roe": a capitalised role
		// noun before two more capitalised words is no part of the name.
		if !titleWords[w] && roleNouns[w] && r.to-r.from > 2 {
			r.roles = append(r.roles, w)
			titleIdx = append(titleIdx, r.from)
			r.titled = true
			r.from++
			continue
		}
		// "Mr. King", "Dean said": a title word left alone at the end of
		// the run is a surname, unless it is a role ("the President").
		portfolio := r.from > i && toks[r.from-1].low == "of"
		if r.from == r.to-1 && len(w) > 3 && !portfolio && (after || !roleNouns[w] && !honorificMale[w] && !honorificFemale[w]) {
			break
		}
		// "Secretary of State Jane Roe": the portfolio is part of the title.
		if w == "of" && len(titleIdx) > 0 && r.from+1 < r.to && titleWords[toks[r.from+1].low] {
			titleIdx = append(titleIdx, r.from)
			r.from++
			continue
		}
		if titleWords[w] || titleWords[w+"."] {
			r.roles = append(r.roles, w)
			titleIdx = append(titleIdx, r.from)
			r.titled = true
			r.from++
			continue
		}
		break
	}
	// "Harbour Minister Jane Roe": a role title inside the run ends what
	// qualifies it; the name is what follows.
	for k := r.to - 2; k > r.from; k-- {
		// "Harbour Master Jane Roe": any role noun does, before a full name.
		if w := toks[k].low; roleNouns[w] && (titleWords[w] || k <= r.to-3 && !toks[k+1].is("&")) {
			for m := r.from; m <= k; m++ {
				r.roles = append(r.roles, toks[m].low)
				titleIdx = append(titleIdx, m)
			}
			r.from = k + 1
			r.titled = true
			break
		}
	}
	for r.to > r.from && notNameWords[toks[r.to-1].low] {
		r.to--
	}
	for r.from < r.to && (notNameWords[toks[r.from].low] || placeWords[toks[r.from].low] && r.to-r.from > 1 && !r.titled) {
		r.from++
	}
	if r.from >= r.to {
		r.place = true
		return r
	}
	// "Seamen's Hall", "Harbour Bridge": a building or place, not a person.
	// Only after "the" or a preposition of place: "Downing Street said"
	// speaks for a government, and Hall or Park may be a surname.
	// A possessive before the noun ("Weavers' Hall") marks a place too.
	if r.to-r.from > 1 && (i > 0 && placeLeaders[toks[i-1].low] || endsPossessive(toks[r.to-2].s)) && facilityNouns[toks[r.to-1].low] && !r.titled && !r.honorific {
		r.place = true
		return r
	}
	allPlace := true
	for k := r.from; k < r.to; k++ {
		if !placeWords[toks[k].low] {
			allPlace = false
		}
	}
	r.place = allPlace
	return r
}

// isNickname reports a quote token at k holding one capitalised word,
// between capitalised words: Jane "JJ" Roe.
func isNickname(toks []tok, k int) bool {
	if k < 1 || k+1 >= len(toks) || toks[k].quote < 0 || !toks[k-1].isCap() || !toks[k+1].isCap() {
		return false
	}
	inner := strings.Trim(toks[k].s, "\"“”‘’«» ")
	r, _ := utf8.DecodeRuneInString(inner)
	return inner != "" && !strings.ContainsAny(inner, " \t") && unicode.IsUpper(r)
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '.' {
			return false
		}
	}
	return true
}

// runName joins the name words of tokens [i, j), dropping a possessive.
func runName(toks []tok, i, j int) string {
	var parts []string
	for k := i; k < j; k++ {
		if toks[k].quote >= 0 {
			continue // a nickname
		}
		s := toks[k].s
		s = strings.TrimSuffix(strings.TrimSuffix(s, "'s"), "’s")
		if k == j-1 {
			s = strings.TrimSuffix(strings.TrimSuffix(s, "'"), "’")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func nameWords(name string) []string {
	var out []string
	for _, f := range strings.Fields(strings.ToLower(name)) {
		out = append(out, strings.TrimSuffix(f, "."))
	}
	return out
}

// initials returns the acronym of an organisation's name.
func initials(name string) string {
	var b strings.Builder
	for _, f := range strings.Fields(name) {
		switch strings.ToLower(f) {
		case "of", "and", "&", "the", "for", "on", "in":
			continue
		}
		r, _ := utf8.DecodeRuneInString(f)
		if unicode.IsUpper(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func endsPossessive(s string) bool {
	for _, suf := range []string{"'s", "’s", "s'", "s’"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// titleChainStart is where a title begins that runs, through "of", "for"
// or "and", up to the run at token i ("Minister for Trade and [Industry
// Jane Roe]"), or -1.
func titleChainStart(toks []tok, i int) int {
	k := i - 1
	if k < 1 || !toks[k].word || toks[k].isCap() || !(toks[k].low == "for" || toks[k].low == "of" || toks[k].low == "and") {
		return -1
	}
	start := -1
	for ; k >= 0 && k > i-14; k-- {
		t := toks[k]
		if !t.word || t.quote >= 0 {
			break
		}
		if !t.isCap() && t.low != "for" && t.low != "of" && t.low != "and" {
			break
		}
		if t.isCap() && titleWords[t.low] && roleNouns[t.low] {
			start = k
		}
	}
	// The chain opens with its title words ("Acting Deputy Director").
	for start > 0 && toks[start-1].isCap() && titleWords[toks[start-1].low] {
		start--
	}
	return start
}
