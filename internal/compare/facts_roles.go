package compare

import (
	"strings"

	"github.com/dossiernews/dossier/internal/words"
)

// role is a person's title as a value: its head ("minister"), its rank
// words ("deputy") and the words that say of what ("finance", "state").
type role struct {
	head    string
	ranks   []string
	domain  []string
	phrase  string // nameKey of the title as written
	surface string
}

// compatible: two titles with one head can both be a person's unless
// their ranks differ ("Deputy Minister" and "Minister") or both say of what
// and share nothing ("Health Minister" and "Minister of Education"). A
// title that says less is not a contradiction ("Secretary" and "Secretary
// of State").
func (a role) compatible(o value) bool {
	b, ok := o.(role)
	if !ok || a.head != b.head {
		return false
	}
	if strings.Join(a.ranks, " ") != strings.Join(b.ranks, " ") {
		return false
	}
	// Only portfolios tell offices apart: "Brooklyn Councilman" and "New
	// York City Councilman" name one seat at two scales.
	da, db := portfolio(a.domain), portfolio(b.domain)
	if len(da) == 0 || len(db) == 0 {
		return true
	}
	for _, x := range da {
		for _, y := range db {
			if sameStem(x, y) {
				return true
			}
		}
	}
	return false
}

// portfolios are the fields an office is of: a health minister is not
// the education minister.
var portfolios = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`health finance financial foreign defense defence education interior justice
		treasury energy environment environmental agriculture labor labour transport transportation commerce
		trade economy economic housing culture tourism immigration security homeland veteran industry science
		technology communication infrastructure development welfare employment fisheries forestry water mining
		petroleum oil planning budget revenue tax police intelligence judiciary military navy army research
		sport sports women youth family children information media aviation maritime climate legal operations
		marketing sales policy digital cyber innovation land resources public works state affairs relations
		services`) {
		portfolios[stem(w)] = true
	}
}

func portfolio(dom []string) []string {
	var out []string
	for _, w := range dom {
		if portfolios[w] {
			out = append(out, w)
		}
	}
	return out
}

// sameStem says whether two domain words are one: equal, or one the
// other's start ("Japan" and "Japanese", "Guatemala" and "Guatemalan").
func sameStem(x, y string) bool {
	if x == y {
		return true
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	n := 0
	for n < len(x) && x[n] == y[n] {
		n++
	}
	return n == len(x) && n >= 4 || n >= 5
}

func (a role) width() float64 { return 1 / float64(1+len(a.ranks)+len(a.domain)) }

// mentionedIn: a title is a person's only where it is given to them, and
// a report that gives them two is read as not sure (see Conflicts); "Mayor"
// inside "Deputy Mayor" elsewhere is not the same title.
func (a role) mentionedIn(*doc) bool { return false }

// roleHeads are titles a person holds, by their canonical head.
var roleHeads = map[string]string{}

func init() {
	for canon, list := range map[string]string{
		"chair":          "chair chairman chairwoman chairperson",
		"spokesperson":   "spokesperson spokesman spokeswoman",
		"representative": "representative congressman congresswoman rep",
		"councillor":     "councillor councilor councilman councilwoman",
		"adviser":        "adviser advisor",
		"ceo":            "ceo",
		// abbreviations written before a name ("Sen. Ada Moor")
		"senator":  "sen",
		"governor": "gov",
		"general":  "gen",
		"admiral":  "adm",
		"colonel":  "col",
		"captain":  "capt",
		"sergeant": "sgt sergeant",
	} {
		for _, w := range strings.Fields(list) {
			roleHeads[w] = canon
		}
	}
	for _, w := range strings.Fields(`president premier chancellor minister secretary governor mayor senator
		ambassador envoy commissioner director judge justice prosecutor attorney sheriff coach captain
		professor dean manager leader speaker treasurer general admiral colonel commander editor founder
		head king queen prince princess pope bishop archbishop counsel superintendent principal
		administrator inspector auditor comptroller clerk marshal executive lawmaker president-elect
		ombudsman registrar rector provost`) {
		roleHeads[w] = w
	}
}

// ranks change which office a title names: a deputy minister is not the minister.
var ranks = map[string]string{
	"deputy": "deputy", "vice": "vice", "assistant": "assistant", "associate": "associate", "under": "under",
	"lieutenant": "lieutenant", "lt": "lieutenant", "co": "co", "elect": "elect",
}

// militaryHeads are ranks of the forces and police.
var militaryHeads = words.Set("sergeant general admiral colonel captain commander marshal")

// pastWords make a title one the person no longer holds, which does not
// contradict a present one.
var pastWords = words.Set("former ex then previously onetime one-time late erstwhile outgoing retired")

// idleWords qualify a title without changing which office it is.
var idleWords = words.Set("acting interim current incumbent sitting senior top chief longtime veteran new newly")

// readRoles reads "TITLE Name" ("Deputy Minister Tove Brennvik") and
// "Name, the TITLE" ("Tove Brennvik, the city's deputy mayor,").
func (d *doc) readRoles(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	for h := first; h < past; h++ {
		head, headRanks := d.roleHead(h)
		if head == "" {
			continue
		}
		d.readTitleBeforeName(si, h, head, headRanks, first, past)
	}
	d.readAppositions(si, first, past)
}

// roleHead splits a token into a title head and rank words: "Vice-President"
// → president, [vice].
func (d *doc) roleHead(i int) (string, []string) {
	if d.toks[i].Kind != words.Word {
		return "", nil
	}
	parts := strings.Split(strings.TrimSuffix(d.norm(i), "'s"), "-")
	var rs []string
	head := ""
	for _, p := range parts {
		switch {
		case pastWords[p]:
			return "", nil // "then-President", "ex-minister"
		case ranks[p] != "":
			rs = append(rs, ranks[p])
		case roleHeads[p] != "":
			head = roleHeads[p]
		}
	}
	return head, rs
}

func (d *doc) readTitleBeforeName(si, h int, head string, headRanks []string, first, past int) {
	if !isUpper(d.toks[h].Text) || isAllCaps(d.toks[h].Text) && d.toks[h].Text != "CEO" {
		return
	}
	// Back over rank words and capitalised words: "Acting Deputy Regional Director".
	start := h
	var rs, dom []string
	rs = append(rs, headRanks...)
	for k := h - 1; k >= first && (d.spaced(k) || d.nameGap(k) || abbreviatedTitle(d.norm(k)) && strings.TrimSpace(strings.TrimPrefix(d.gap(k), ".")) == ""); k-- {
		w := d.norm(k)
		if pre, rest, ok := strings.Cut(w, "-"); ok && pastWords[pre] {
			return // "then-Deputy Governor"
		} else if ok && ranks[pre] != "" && ranks[rest] != "" {
			rs = append(rs, ranks[pre])
			w = rest // "Vice-Deputy"
		}
		switch {
		case pastWords[w]:
			return
		case ranks[w] != "" && isUpper(d.toks[k].Text):
			rs = append(rs, ranks[w])
		case idleWords[w]:
		case isUpper(d.toks[k].Text) && !words.IsStop(w) && roleHeads[w] == "":
			if !isAllCaps(d.toks[k].Text) && len(d.toks[k].Text) > 1 && !demonymLike(w) {
				dom = append(dom, stem(w))
			}
		default:
			k = first // stop
			continue
		}
		start = k
	}
	if start > first && pastWords[d.norm(start-1)] {
		return
	}
	// After the head: "for Ports and Harbours Ola Brandt" or the name.
	j := h + 1
	if j >= past || !d.spaced(h) && !(abbreviatedTitle(d.norm(h)) && strings.TrimSpace(strings.TrimPrefix(d.gap(h), ".")) == "") {
		return
	}
	var nameFirst, nameLast, end int
	if w := d.norm(j); (w == "of" || w == "for") && j+1 < past && d.spaced(j) {
		k := j + 1
		if d.norm(k) == "the" && d.spaced(k) {
			k++
		}
		last := d.nameEnd(k, past)
		if last < 0 {
			return
		}
		// The person is the last two words of the run, after the domain.
		nameLast = last
		nameFirst = last - 1
		if nameFirst <= k || !d.spaced(nameFirst) || nameConnectors[d.toks[nameFirst].Text] || !d.capWord(nameFirst, past) {
			return
		}
		for x := k; x < nameFirst; x++ {
			w := d.norm(x)
			if !nameConnectors[w] {
				dom = append(dom, stem(w))
			}
		}
		end = d.toks[nameFirst-1].End
	} else {
		last := d.nameEnd(j, past)
		if last < 0 || last == j {
			return
		}
		for x := j; x <= last; x++ {
			if nameConnectors[d.toks[x].Text] || roleHeads[d.norm(x)] != "" {
				return
			}
		}
		nameFirst, nameLast, end = j, last, d.toks[h].End
	}
	person, personSurface := d.person(nameFirst, nameLast)
	if person == "" {
		return
	}
	surface := d.text[d.toks[start].Start:end]
	d.addRole(si, person, personSurface, head, rs, dom, surface, d.toks[start].Start, end)
}

// demonymLike says whether a capitalised word before a title looks like a
// nationality or a party ("Guatemalan", "Japanese", "British",
// "Republican"): it says whose the office is, which outlets word as
// "Guatemala", "of Japan" or not at all, not which office it is.
func demonymLike(w string) bool {
	for _, suf := range []string{"an", "ese", "ish", "i", "ic", "ch"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	return false
}

// abbreviatedTitle is a title or rank that may end in a full stop ("Sen.", "Lt.").
func abbreviatedTitle(w string) bool {
	return len(w) <= 4 && (roleHeads[w] != "" || ranks[w] != "") || honorifics[w]
}

// person is the key of a person's name: its first and last words.
func (d *doc) person(first, last int) (string, string) {
	if last-first < 1 || last-first > 3 {
		return "", ""
	}
	for x := first; x <= last; x++ {
		t := d.toks[x].Text
		w := strings.TrimSuffix(words.Norm(t), "'s")
		if isAllCaps(t) || !isUpper(t) && !nameConnectors[t] || roleHeads[w] != "" || honorifics[w] || ranks[w] != "" {
			return "", ""
		}
	}
	// A name runs on after its last word ("Gen. Mark Milley" read up to
	// "Gen") when an initial or abbreviation follows.
	if last+1 < len(d.toks) && strings.HasPrefix(d.gap(last), ".") && abbreviatedTitle(words.Norm(d.toks[last].Text)) {
		return "", ""
	}
	f := words.Norm(d.toks[first].Text)
	l := strings.TrimSuffix(words.Norm(d.toks[last].Text), "'s")
	surface := strings.TrimSuffix(strings.TrimSuffix(d.text[d.toks[first].Start:d.toks[last].End], "'s"), "’s")
	return f + " " + l, surface
}

// readAppositions reads "Name, the TITLE of X," and "Name, 34,".
func (d *doc) readAppositions(si, first, past int) {
	for c := first; c+1 < past; c++ {
		if strings.TrimSpace(d.gap(c)) != "," {
			continue
		}
		nf := d.nameStart(c, max(first, c-4))
		if nf < 0 || c-nf < 1 {
			continue
		}
		// Titles before the name belong to the other form.
		for nf < c && (roleHeads[d.norm(nf)] != "" || ranks[d.norm(nf)] != "" || honorifics[strings.TrimSuffix(d.norm(nf), ".")]) {
			nf++
		}
		person, surface := d.person(nf, c)
		if person == "" {
			continue
		}
		d.readApposition(si, c+1, past, person, surface)
	}
}

func (d *doc) readApposition(si, j, past int, person, personSurface string) {
	start := j
	var rs, dom []string
	head := ""
	k := j
	for ; k < past && k-start < 10; k++ {
		w := strings.TrimSuffix(d.norm(k), "'s")
		if pastWords[w] {
			return
		}
		if h, hr := d.roleHead(k); h != "" {
			if head != "" && h != head {
				return // "the mayor and party leader": two titles
			}
			head = h
			rs = append(rs, hr...)
		} else {
			switch {
			case k == start && (w == "the" || w == "a" || w == "an"):
			case ranks[w] != "":
				rs = append(rs, ranks[w])
			case idleWords[w]:
			case w == "of" || w == "for" || w == "the" || w == "and" && head != "":
			case words.IsStop(w) || sayVerbs[w] || d.toks[k].Kind != words.Word:
				return
			case isUpper(d.toks[k].Text) && demonymLike(w):
			default:
				dom = append(dom, stem(w))
			}
		}
		if clauseGap(d.gap(k)) || strings.HasPrefix(d.gap(k), ".") && !d.nameGap(k) {
			break
		}
		if k+1 < past && (d.norm(k+1) == "at" || d.norm(k+1) == "in" || d.norm(k+1) == "with" || d.norm(k+1) == "from") {
			if head == "" {
				return
			}
			k++
			break
		}
	}
	if head == "" || k >= past {
		return
	}
	end := d.toks[min(k, past-1)].End
	if d.norm(k) == "at" || d.norm(k) == "in" || d.norm(k) == "with" || d.norm(k) == "from" {
		end = d.toks[k-1].End
	} else if g := d.gap(k); !clauseGap(g) && !strings.HasPrefix(g, ".") {
		return
	}
	s := d.toks[start].Start
	if w := d.norm(start); w == "the" || w == "a" || w == "an" {
		s = d.toks[start+1].Start
	}
	d.addRole(si, person, personSurface, head, rs, dom, d.text[s:end], s, end)
}

func (d *doc) addRole(si int, person, personSurface, head string, rs, dom []string, surface string, start, end int) {
	if militaryHeads[head] {
		// Forces and police rank by their own words: "Deputy Sgt." is a
		// sheriff's deputy who is a sergeant, "Lt. Col." a lower colonel.
		var kept []string
		for _, r := range rs {
			if r == "lieutenant" {
				kept = append(kept, r)
			}
		}
		rs = kept
	}
	v := role{head: head, ranks: sortedSet(rs), domain: sortedSet(dom), phrase: nameKey(surface), surface: surface}
	d.add(fact{key: "role|" + person + "|" + head, about: personSurface + "'s title", val: v, start: start, end: end, sent: d.sents[si]})
}

// readAges reads "Ines Varga, 54," and "54-year-old Ines Varga".
func (d *doc) readAges(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	for i := first; i < past; i++ {
		t := d.toks[i]
		if t.Kind != words.Number || d.used[i] {
			continue
		}
		age := atoi(t.Text)
		if age < 1 || age > 110 {
			continue
		}
		var person, surface string
		switch {
		case i > first && strings.TrimSpace(d.gap(i-1)) == "," && i+1 <= past && (i+1 == past || strings.HasPrefix(strings.TrimSpace(d.gap(i)), ",") || strings.HasPrefix(d.gap(i), ")")):
			nf := d.nameStart(i-1, max(first, i-5))
			if nf < 0 {
				continue
			}
			for nf < i-1 && (roleHeads[d.norm(nf)] != "" || ranks[d.norm(nf)] != "" || honorifics[d.norm(nf)]) {
				nf++
			}
			person, surface = d.person(nf, i-1)
		case i+2 < past && d.gap(i) == "-" && d.norm(i+1) == "year-old" && d.spaced(i+1):
			last := d.nameEnd(i+2, past)
			if last < 0 {
				continue
			}
			person, surface = d.person(i+2, last)
		}
		if person == "" {
			continue
		}
		d.used[i] = true
		v := amount{lo: float64(age) - 1, hi: float64(age) + 1, exact: float64(age)}
		d.amounts = append(d.amounts, v)
		d.add(fact{key: "age|" + person, about: surface + "'s age", val: v, start: t.Start, end: t.End, sent: d.sents[si]})
	}
}
