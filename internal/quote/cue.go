package quote

import "strings"

const (
	refName = iota
	refPron
	refDesc
	refOrgDesc
	refGroup // a group named by a common noun: kept as written
	refOwned // "Roe's family": the owner's canonical name and the noun
)

func isPossessive(t tok) bool {
	return t.word && (strings.HasSuffix(t.s, "'s") || strings.HasSuffix(t.s, "’s"))
}

// ref is a noun phrase that may name a speaker: tokens [from, to) of a
// paragraph, with its kind and, for descriptions, the head noun.
type ref struct {
	kind     int
	from, to int
	head     string
	owner    int    // token index of a possessive owner ("Roe's campaign"), else -1
	role     string // the role of someone speaking for a body ("spokesperson")
}

// verbAt reports whether token i is a reporting verb used as a verb: in
// lower case ("the Gulf States" is no verb) and not a noun after a
// determiner or adjective ("the claims", "Republican claims").
func verbAt(toks []tok, i int) bool {
	t := toks[i]
	// "as one skipper put it": a cue without a reporting verb.
	if t.word && (t.low == "put" || t.low == "puts") && i+1 < len(toks) && toks[i+1].low == "it" && i > 0 {
		return true
	}
	if !t.word || t.isCap() || !isReportVerb(t.low) {
		return false
	}
	// Bare forms that are also nouns ("mental state", "the report") are
	// verbs only after a pronoun, a modal or "to".
	if nounLike[t.low] {
		if i == 0 || !(subjectPronouns[toks[i-1].low] || modals[toks[i-1].low]) {
			return false
		}
	}
	// "Roe's tweet", "Roe’s remarks": a possessive makes it a noun.
	if i > 0 && toks[i-1].word && (strings.HasSuffix(toks[i-1].s, "'s") || strings.HasSuffix(toks[i-1].s, "’s") || strings.HasSuffix(toks[i-1].s, "s'")) {
		return false
	}
	if i > 0 && strings.HasSuffix(t.low, "s") && !strings.HasSuffix(t.low, "ss") {
		p := toks[i-1]
		if p.word && (determiners[p.low] || p.isCap() && (strings.HasSuffix(p.low, "an") || strings.HasSuffix(p.low, "ic"))) {
			return false
		}
	}
	return true
}

// allCaps reports tokens [i, j) that are all capitalised words: a name.
func allCaps(toks []tok, i, j int) bool {
	if j-i < 2 || j-i > 5 {
		return false
	}
	places := 0
	for k := i; k < j; k++ {
		if !toks[k].isCap() || titleWords[toks[k].low] || sentenceStarters[toks[k].low] || isPartyTag(toks[k].s) {
			return false
		}
		if placeWords[toks[k].low] {
			places++
		}
	}
	return places < j-i
}

// isPartyTag reports a US party-and-state tag such as "R-Ky" or "D-N.Y".
func isPartyTag(s string) bool {
	return len(s) >= 3 && strings.ContainsRune("RDI", rune(s[0])) && s[1] == '-'
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isAdverb(w string) bool {
	return strings.HasSuffix(w, "ly") && len(w) > 4 && !notAdverbs[w] || skipBeforeVerb[w] || w == "not" || w == "however"
}

// cueFor finds the speaker named by a cue in the quote's own sentence.
// Full quotes look after the quote first ("…," Roe said), fragments look
// before it first (Roe called it "…").
func (d *doc) cueFor(qi int, partial bool) (int, string, string) {
	tr := d.qtok[qi]
	s := d.sents[tr.sent]
	toks := d.ptoks[tr.par]
	// The writer's text around this quote, up to neighbouring quotes.
	lo := s.from
	for k := tr.ti - 1; k >= s.from; k-- {
		if toks[k].quote >= 0 && !isNickname(toks, k) {
			lo = k + 1
			break
		}
	}
	hi := s.to
	for k := tr.ti + 1; k < s.to; k++ {
		if toks[k].quote >= 0 && !isNickname(toks, k) {
			hi = k
			break
		}
	}
	tries := []func() (ref, int, bool){
		func() (ref, int, bool) { return afterCue(toks, tr.ti, hi) },
		func() (ref, int, bool) { return beforeCue(toks, lo, tr.ti) },
	}
	sp := d.spans[qi]
	tight := strings.Contains(d.text[sp.end:sp.close], ",") || tr.ti+1 < len(toks) && toks[tr.ti+1].is(",")
	if partial && !tight {
		tries[0], tries[1] = tries[1], tries[0]
	}
	swapped := partial && !tight
	for n, try := range tries {
		r, v, ok := try()
		if !ok {
			continue
		}
		// "Roe said that Voss called it “…”": Roe reports the words, so
		// the quote is attributed to her (the benchmark's convention).
		before := n == 1 && !swapped || n == 0 && swapped
		if before && r.kind != refPron {
			if r2, v2, ok := outerSource(toks, lo, r.from); ok {
				r, v = r2, v2
			}
		}
		e, lit := d.resolve(tr.par, tr.sent, r)
		if e >= 0 || lit != "" {
			return e, lit, d.cueText(toks, r, v)
		}
	}
	// "…," Roe said, "…" — the cue sits after the previous quote.
	if lo > s.from && lo-1 > s.from {
		if r, v, ok := afterCue(toks, lo-1, tr.ti); ok {
			if e, lit := d.resolve(tr.par, tr.sent, r); e >= 0 || lit != "" {
				return e, lit, d.cueText(toks, r, v)
			}
		}
	}
	return -1, "", ""
}

// cueText is the cue as written: subject and verb when they are adjacent.
func (d *doc) cueText(toks []tok, r ref, v int) string {
	a, b := toks[v].start, toks[v].end
	gap := r.to
	for gap < v && toks[gap].word && isAdverb(toks[gap].low) {
		gap++
	}
	if gap == v || r.from == v+1 || (v+2 == r.from && toks[v+1].low == "to") {
		a = min(a, toks[r.from].start)
		b = max(b, toks[r.to-1].end)
	}
	if b-a > 60 {
		return toks[v].s
	}
	return d.text[a:b]
}

// afterCue parses the writer's words right after a quote: "said Roe",
// "Roe said", "the minister added", "according to Roe".
func afterCue(toks []tok, qi, hi int) (ref, int, bool) {
	k := qi + 1
	dash := false
	for k < hi && !toks[k].word && toks[k].quote < 0 && strings.Contains(",—–-―:", toks[k].s) {
		dash = dash || toks[k].s != ","
		k++
	}
	if k >= hi {
		return ref{}, 0, false
	}
	t := toks[k]
	// "…" — Jane Roe: a dash and a bare name sign the quote.
	if dash && t.isCap() {
		j := capRun(toks, k, hi)
		if j >= hi || !toks[j].word {
			return ref{kind: refName, from: k, to: j, owner: -1}, k, true
		}
	}
	// "a déclaré Roe", "ha detto Roe": an auxiliary before the verb.
	if (t.low == "a" || t.low == "ha" || t.low == "hat") && k+1 < hi && verbAt(toks, k+1) {
		k++
		t = toks[k]
	}
	if verbAt(toks, k) && !weakVerbs[t.low] {
		r, ok := subjectRight(toks, k, hi)
		return r, k, ok
	}
	if t.low == "according" && k+1 < hi && toks[k+1].low == "to" {
		r, ok := subjectRight(toks, k+1, hi)
		return r, k, ok
	}
	// "…," a spokeswoman for the Port Authority said.
	if (t.low == "a" || t.low == "an") && k+1 < hi && roleNouns[toks[k+1].low] {
		if r, _ := indefinite(toks, k, k+1, hi); r.kind == refName {
			v := r.to
			for v < hi && toks[v].word && isAdverb(toks[v].low) {
				v++
			}
			if v < hi && verbAt(toks, v) && !weakVerbs[toks[v].low] {
				return r, v, true
			}
		}
	}
	for v := k + 1; v < hi && v < k+24; v++ {
		if toks[v].is(".") || toks[v].is(";") {
			break
		}
		if toks[v].low == "according" && v+1 < hi && toks[v+1].low == "to" {
			r, ok := subjectRight(toks, v+1, hi)
			return r, v, ok
		}
		if verbAt(toks, v) && !weakVerbs[toks[v].low] {
			r, ok := subjectLeft(toks, v, k)
			if !ok {
				return ref{}, 0, false
			}
			// The subject must open the cue, after at most titles and
			// roles: "Acme lawyer Jane Roe said", not "when Roe said".
			// An adjective may qualify the role ("presiding judge Jane
			// Roe") when a role noun comes right before the name.
			roleLed := r.from-1 > k && toks[r.from-1].word && (titleWords[toks[r.from-1].low] || roleNouns[toks[r.from-1].low])
			for m := k; m < r.from; m++ {
				u := toks[m]
				if !(u.isCap() || u.word && (titleWords[u.low] || roleNouns[u.low] || kinNouns[u.low] || orgNouns[u.low] || nameModifiers[u.low] || m == k && (determiners[u.low] || u.low == "as") || m == k+1 && toks[k].low == "as" && (determiners[u.low] || isNumberWord(u.low))) || u.is(",")) {
					if roleLed && r.from-k <= 4 && u.word && !sentenceStarters[u.low] && !verbAt(toks, m) {
						continue
					}
					return ref{}, 0, false
				}
			}
			return r, v, true
		}
	}
	return ref{}, 0, false
}

// beforeCue finds the last reporting verb before a quote in its sentence
// and that verb's subject.
func beforeCue(toks []tok, lo, qi int) (ref, int, bool) {
	for v := qi - 1; v >= lo; v-- {
		t := toks[v]
		if !t.word {
			continue
		}
		if t.low == "according" && v+1 < qi && toks[v+1].low == "to" {
			r, ok := subjectRight(toks, v+1, qi)
			return r, v, ok
		}
		if !verbAt(toks, v) {
			continue
		}
		if r, ok := subjectLeft(toks, v, lo); ok {
			return r, v, true
		}
		// "Speaking at the forum, Roe…" or "…, adding": the clause's subject.
		if r, ok := firstSubject(toks, lo, v); ok {
			return r, v, true
		}
		return ref{}, 0, false
	}
	return ref{}, 0, false
}

// subjectLeft finds the noun phrase ending just before verb vi, skipping
// adverbs, an appositive or relative clause, and a parenthesis.
func subjectLeft(toks []tok, vi, lo int) (ref, bool) {
	j := vi - 1
	// ", arguing that…": a participle takes the main clause's subject.
	if j >= lo && toks[j].is(",") && strings.HasSuffix(toks[vi].low, "ing") {
		return ref{}, false
	}
	for j >= lo && toks[j].word && isAdverb(toks[j].low) {
		j--
	}
	for guard := 0; guard < 3 && j >= lo && (toks[j].is(",") || toks[j].is(")")); guard++ {
		if toks[j].is(")") {
			k := j - 1
			for k >= lo && !toks[k].is("(") {
				k--
			}
			if k < lo {
				return ref{}, false
			}
			j = k - 1
			continue
		}
		// ", who …," / ", the minister," / ", however,": skip the clause.
		k := j - 1
		for k >= lo && !toks[k].is(",") && (toks[k].quote < 0 || isNickname(toks, k)) {
			k--
		}
		if k < lo || !toks[k].is(",") || k+1 >= j {
			return ref{}, false
		}
		// "His partner, Jane Roe, said": the appositive is the name.
		if allCaps(toks, k+1, j) {
			return ref{kind: refName, from: k + 1, to: j, owner: -1}, true
		}
		// "Roe's niece, state councillor Ana Roe (Lib.), said": a name
		// with its titles after a description.
		if k > lo && toks[k-1].word && !toks[k-1].isCap() && (roleNouns[toks[k-1].low] || kinNouns[toks[k-1].low]) {
			if r, ok := appositiveName(toks, k+1, j); ok {
				return r, true
			}
		}
		f := toks[k+1]
		// "Norland, Estmark's only ally, said": an appositive may open
		// with an owner's name.
		owned := isPossessive(f) && k+2 < j && toks[k+2].word && !toks[k+2].isCap()
		if !(f.word && (!f.isCap() || owned || titleWords[f.low] || sentenceStarters[f.low] || isPartyTag(f.s) || isDigits(f.s))) {
			return ref{}, false
		}
		j = k - 1
		// "Roe, the lawyer for the Farmers' Union, which brought the case,
		// said": a relative clause hangs on an appositive; skip that too.
		if (f.low == "which" || f.low == "who") && j > lo {
			k2 := j - 1
			for k2 >= lo && !toks[k2].is(",") && toks[k2].quote < 0 {
				k2--
			}
			if k2 > lo && toks[k2].is(",") && k2+1 < j && determiners[toks[k2+1].low] && toks[k2-1].isCap() {
				j = k2
				continue
			}
		}
		for j >= lo && toks[j].word && isAdverb(toks[j].low) {
			j--
		}
	}
	if j < lo {
		return ref{}, false
	}
	t := toks[j]
	if t.quote >= 0 || !t.word {
		return ref{}, false
	}
	if subjectPronouns[t.low] {
		return ref{kind: refPron, from: j, to: j + 1, head: t.low}, true
	}
	if (t.low == "who" || t.low == "which") && j-1 > lo && toks[j-1].is(",") {
		return subjectLeft(toks, j, lo) // the antecedent before ", who"
	}
	if t.isCap() {
		i := j
		for i-1 >= lo && (toks[i-1].isCap() || toks[i-1].word && (isConnector(toks[i-1].low) || (toks[i-1].low == "of" || toks[i-1].low == "for") && i-2 >= lo && (orgNouns[toks[i-2].low] || toks[i-1].low == "of" && titleWords[toks[i-2].low] && roleNouns[toks[i-2].low])) && i-2 >= lo && toks[i-2].isCap()) {
			i--
		}
		return ref{kind: refName, from: i, to: j + 1, owner: -1}, true
	}
	return descriptionEndingAt(toks, j, lo)
}

// descriptionEndingAt parses "the French envoy", "the deputy minister of
// health", "the ministry", "Roe's campaign" ending at token j.
func descriptionEndingAt(toks []tok, j, lo int) (ref, bool) {
	head := j
	if j-2 >= lo && toks[j-1].low == "of" && (roleNouns[toks[j-2].low] || orgNouns[toks[j-2].low]) {
		head = j - 2
	}
	h := toks[head].low
	kind := refDesc
	// "the Acme report stated": a document speaks for its author.
	if docNouns[h] {
		if head > lo && toks[head-1].isCap() {
			i := head - 1
			for i-1 >= lo && toks[i-1].isCap() {
				i--
			}
			return ref{kind: refName, from: i, to: head, owner: -1}, true
		}
		// "a statement" alone: its author is the clause's subject.
		return ref{}, false
	}
	switch {
	case roleNouns[h]:
	case orgNouns[h]:
		kind = refOrgDesc
	case groupNouns[h]:
		kind = refGroup
	case kinNouns[h] && head > lo && toks[head-1].isCap() && isPossessive(toks[head-1]):
		return ref{kind: refOwned, from: head - 1, to: j + 1, owner: head - 1}, true
	default:
		return ref{}, false
	}
	// Walk back to the determiner or possessive.
	i := head
	owner := -1
	for i-1 >= lo && i > head-5 {
		p := toks[i-1]
		if !p.word {
			break
		}
		if determiners[p.low] {
			i--
			break
		}
		if p.isCap() && (strings.HasSuffix(p.s, "'s") || strings.HasSuffix(p.s, "’s")) {
			owner = i - 1
			i--
			break
		}
		if isReportVerb(p.low) || sentenceStarters[p.low] && !p.isCap() {
			break
		}
		i--
	}
	return ref{kind: kind, from: i, to: j + 1, head: h, owner: owner}, true
}

// subjectRight finds the noun phrase right after an inverted verb ("said
// Roe", "said the minister", "according to Roe").
func subjectRight(toks []tok, vi, hi int) (ref, bool) {
	k := vi + 1
	if k >= hi {
		return ref{}, false
	}
	t := toks[k]
	if !t.word || t.quote >= 0 {
		return ref{}, false
	}
	if subjectPronouns[t.low] && t.low != "it" {
		return ref{kind: refPron, from: k, to: k + 1, head: t.low}, true
	}
	if t.isCap() && !notNameWords[t.low] {
		from, to := nameChain(toks, k, hi)
		return ref{kind: refName, from: from, to: to, owner: -1}, true
	}
	if determiners[t.low] {
		for m := k + 1; m < hi && m < k+7; m++ {
			u := toks[m]
			if !u.word {
				break
			}
			if u.isCap() && !titleWords[u.low] && !placeWords[u.low] {
				// "the European Union": the run starts at its first capital.
				from := m
				for from-1 > k && toks[from-1].isCap() {
					from--
				}
				return ref{kind: refName, from: from, to: capRun(toks, m, hi), owner: -1}, true
			}
			if docNouns[u.low] {
				// "a complaint filed by the Harbour Board": its author.
				if r, ok := docAuthor(toks, m, hi); ok {
					return r, true
				}
			}
			if roleNouns[u.low] || orgNouns[u.low] || groupNouns[u.low] {
				// Keep going past "the minister of state" to the head only.
				if m+1 < hi && toks[m+1].word && (roleNouns[toks[m+1].low] || orgNouns[toks[m+1].low]) {
					continue
				}
				// "said a spokeswoman for Acme": Acme, through her.
				if t.low != "the" && roleNouns[u.low] {
					if r, _ := indefinite(toks, k, m, hi); r.kind == refName {
						return r, true
					}
				}
				return descriptionEndingAt(toks, m, k)
			}
		}
	}
	// "according to local papers": a group without a determiner.
	for m := k; m < hi && m < k+3; m++ {
		if !toks[m].word {
			break
		}
		if groupNouns[toks[m].low] {
			return descriptionEndingAt(toks, m, k)
		}
	}
	return ref{}, false
}

// isCountry reports a run made only of place words that name a country
// or city rather than describe ("American", "Republican").
func isCountry(toks []tok, i, j int) bool {
	if i >= j {
		return false
	}
	for k := i; k < j; k++ {
		w := toks[k].low
		// "American", "Korean", "Chinese", "British" describe; "Japan" names.
		if !placeWords[w] || strings.HasSuffix(w, "ian") || strings.HasSuffix(w, "can") || strings.HasSuffix(w, "ean") || strings.HasSuffix(w, "ese") || strings.HasSuffix(w, "ish") {
			return false
		}
	}
	return true
}

// nameChain reads a capitalised run at i and, when lower-case titles or
// roles follow it and precede another run, the name after them: "Acme
// lawyer Jane Roe", "Labour party nominee Jane Roe".
func nameChain(toks []tok, i, hi int) (int, int) {
	j := capRun(toks, i, hi)
	// "Minister for Trade and Industry Jane Roe": a title with its
	// portfolio; the name is in the last run of the chain.
	if titleWords[toks[i].low] && roleNouns[toks[j-1].low] {
		last := -1
		for k := j; k+1 < hi && (toks[k].low == "for" || toks[k].low == "of" || toks[k].low == "and") && toks[k].word && toks[k+1].isCap(); {
			last = k + 1
			k = capRun(toks, k+1, hi)
		}
		if last >= 0 {
			return last, capRun(toks, last, hi)
		}
	}
	m := j
	for m < hi && m < j+4 && toks[m].word && !toks[m].isCap() && (roleNouns[toks[m].low] || titleWords[toks[m].low] || orgNouns[toks[m].low] || toks[m].low == "presidential" || toks[m].low == "former") {
		m++
	}
	if m > j && m < hi && toks[m].isCap() {
		return m, capRun(toks, m, hi)
	}
	return i, j
}

// firstSubject parses the subject at the start of a clause, skipping an
// introductory phrase that ends with a comma.
func firstSubject(toks []tok, lo, hi int) (ref, bool) {
	i := lo
	// "Conversely, …" / "Still, …": an opening adverb is no subject.
	if i+1 < hi && toks[i+1].is(",") && toks[i].word && (isAdverb(toks[i].low) || sentenceStarters[toks[i].low]) {
		i += 2
	}
	// "PORT REOPENS — The mayor…": a heading in capitals run into the text.
	if k := upperRun(toks, i, hi); k > i+1 && k < hi && (toks[k].is("—") || toks[k].is("–") || toks[k].is("-")) {
		i = k + 1
	}
	// "Even China said…": a focusing adverb before the subject.
	if i+1 < hi && toks[i].word && focusAdverbs[toks[i].low] && toks[i+1].isCap() {
		i++
	}
	if i < hi && toks[i].word && (sentenceStarters[toks[i].low] || isNumberWord(toks[i].low) || strings.HasSuffix(toks[i].low, "ing")) && !subjectPronouns[toks[i].low] && toks[i].low != "the" && toks[i].low != "a" && toks[i].low != "an" {
		for i < hi && !toks[i].is(",") && toks[i].quote < 0 {
			i++
		}
		i++
	}
	if i >= hi {
		return ref{}, false
	}
	t := toks[i]
	if !t.word {
		return ref{}, false
	}
	if subjectPronouns[t.low] && t.low != "it" && t.low != "i" && t.low != "we" {
		return ref{kind: refPron, from: i, to: i + 1, head: t.low}, true
	}
	if t.isCap() && !(t.low == "the" || t.low == "a" || t.low == "an") {
		from, to := nameChain(toks, i, hi)
		// "Ferry Talks Stall: …": a run-in heading, not a subject.
		if to < hi && toks[to].is(":") {
			return ref{}, false
		}
		// "Roe's relatives said": the relatives speak, not Roe.
		if isPossessive(toks[to-1]) && to < hi && kinNouns[toks[to].low] {
			return ref{kind: refOwned, from: to - 1, to: to + 1, owner: to - 1}, true
		}
		return ref{kind: refName, from: from, to: to, owner: -1}, true
	}
	if t.low == "the" || t.low == "a" || t.low == "an" {
		for m := i + 1; m < hi && m < i+6; m++ {
			u := toks[m]
			if !u.word {
				break
			}
			if u.isCap() && runHasOrg(toks, m, capRun(toks, m, hi)) {
				return ref{kind: refName, from: m, to: capRun(toks, m, hi), owner: -1}, true
			}
			if roleNouns[u.low] || orgNouns[u.low] || groupNouns[u.low] {
				if t.low != "the" && roleNouns[u.low] {
					return indefinite(toks, i, m, hi)
				}
				return descriptionEndingAt(toks, m, i)
			}
		}
	}
	return ref{}, false
}

// indefinite handles "a spokeswoman for Orbitec": someone new, known by
// the organisation named after the role, else by the description itself.
func indefinite(toks []tok, det, head, hi int) (ref, bool) {
	for k := head + 1; k < hi && k < head+8; k++ {
		t := toks[k]
		if t.quote >= 0 || verbAt(toks, k) {
			break
		}
		if t.isCap() {
			return ref{kind: refName, from: k, to: capRun(toks, k, hi), owner: -1, role: joinToks(toks, det+1, head+1)}, true
		}
	}
	return ref{kind: refGroup, from: det, to: head + 1, owner: -1}, true
}

// resolve maps a noun phrase to an entity index, or to a literal name when
// it names nobody the article introduced.
func (d *doc) resolve(par, si int, r ref) (int, string) {
	e, lit := d.resolveRef(par, si, r)
	if r.role != "" && (e >= 0 || lit != "") {
		name := lit
		if e >= 0 {
			name = d.ents[e].name
		}
		if d.cueRoles[name] == "" {
			d.cueRoles[name] = r.role
		}
	}
	return e, lit
}

func (d *doc) resolveRef(par, si int, r ref) (int, string) {
	toks := d.ptoks[par]
	if r.from < 0 || r.to > len(toks) || r.from >= r.to {
		return -1, ""
	}
	pos := toks[r.from].start
	switch r.kind {
	case refPron:
		return d.resolvePronoun(si, pos, r.head), ""
	case refName:
		atStart := r.from == d.sents[si].from
		nr := parseRun(toks, r.from, r.to, atStart)
		if nr.place || nr.from >= nr.to {
			// A country speaks through its government ("France
			// accused…"); a run in capitals is a dateline, never a speaker.
			name := runName(toks, r.from, r.to)
			if strings.ToUpper(name) == name || !isCountry(toks, r.from, r.to) {
				return -1, ""
			}
			return -1, name
		}
		words := nameWords(runName(toks, nr.from, nr.to))
		if nr.org {
			if len(words) == 1 {
				if e, ok := d.acr[words[0]]; ok {
					return e, ""
				}
			}
			name := runName(toks, nr.from, nr.to)
			for i, e := range d.ents {
				if e.org && strings.EqualFold(e.name, name) {
					return i, ""
				}
			}
			return -1, name
		}
		if e := d.honorificPick(d.lookupPerson(words, pos), words, nr); e >= 0 {
			return e, ""
		}
		if len(words) == 1 {
			if e, ok := d.acr[words[0]]; ok {
				return e, ""
			}
		}
		return -1, runName(toks, nr.from, nr.to)
	case refOrgDesc:
		if r.owner >= 0 {
			if e := d.lookupPerson(nameWords(runName(toks, r.owner, r.owner+1)), pos); e >= 0 {
				return e, ""
			}
			return -1, runName(toks, r.owner, r.owner+1)
		}
		for i, e := range d.ents {
			if e.org && containsStr(e.words, r.head) {
				return i, ""
			}
		}
		// "the ministry said": an organisation the text does not name.
		return -1, d.text[toks[r.from].start:toks[r.to-1].end]
	case refGroup:
		return -1, d.text[toks[r.from].start:toks[r.to-1].end]
	case refOwned:
		owner := runName(toks, r.owner, r.owner+1)
		if e := d.lookupPerson(nameWords(owner), pos); e >= 0 {
			owner = d.ents[e].name
		}
		if r.owner+1 >= r.to {
			return -1, ""
		}
		return -1, owner + "'s " + d.text[toks[r.owner+1].start:toks[r.to-1].end]
	case refDesc:
		if r.owner >= 0 {
			// "Roe's doctor": someone else, named through the owner.
			owner := runName(toks, r.owner, r.owner+1)
			if e := d.lookupPerson(nameWords(owner), pos); e >= 0 {
				owner = d.ents[e].name
			}
			return -1, owner + "'s " + r.head
		}
		var mods []string
		for k := r.from; k < r.to-1; k++ {
			if toks[k].word && !toks[k].isCap() && (orgNouns[toks[k].low] || roleNouns[toks[k].low]) {
				mods = append(mods, toks[k].low)
			}
		}
		return d.resolveDesc(si, r.head, mods), ""
	}
	return -1, ""
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func compatible(e *entity, pron string) bool {
	switch pron {
	case "he":
		return !e.org && e.gender != genderFemale
	case "she":
		return !e.org && e.gender != genderMale
	}
	return true
}

// resolvePronoun finds a pronoun's antecedent: sentence by sentence back
// from the cue, each sentence read from its start (subjects first), a
// person of the pronoun's gender preferred over one of unknown gender.
func (d *doc) resolvePronoun(si, pos int, pron string) int {
	wantGender := genderUnknown
	switch pron {
	case "he":
		wantGender = genderMale
	case "she":
		wantGender = genderFemale
	case "they", "we", "it":
		// Organisations and groups speak as "they"; fall back to people.
		for k := si; k >= 0 && k > si-6; k-- {
			for _, mi := range d.sentMent[k] {
				m := d.mentions[mi]
				if m.pos < pos && d.ents[m.ent].org {
					return m.ent
				}
			}
		}
	case "i":
		return -1
	}
	fallback := -1
	fallbackAt := -1
	// A pronoun inside a sentence usually refers to that sentence's own
	// subject ("Roe denied what he termed…"); a pronoun cue after a
	// quote that opens the sentence looks back to earlier sentences.
	order := make([]int, 0, 13)
	order = append(order, si)
	for k := si - 1; k >= 0 && k > si-12; k-- {
		order = append(order, k)
	}
	for n, k := range order {
		for _, mi := range d.sentMent[k] {
			m := d.mentions[mi]
			e := d.ents[m.ent]
			if m.pos >= pos && m.rank >= 0 || !compatible(e, pron) || e.org && pron != "they" {
				continue
			}
			if wantGender == genderUnknown || e.gender == wantGender {
				if fallback >= 0 && n-fallbackAt > 2 {
					return fallback
				}
				return m.ent
			}
			if fallback < 0 {
				fallback, fallbackAt = m.ent, n
			}
		}
	}
	if fallback >= 0 {
		return fallback
	}
	return d.salient(wantGender)
}

// resolveDesc maps a description's head ("minister") to the person the
// article introduced with that role, else the most salient person.
func (d *doc) resolveDesc(si int, head string, mods []string) int {
	best := -1
	for i, e := range d.ents {
		if !e.org && e.roles[head] && (best < 0 || e.mentions > d.ents[best].mentions) {
			best = i
		}
	}
	if best >= 0 {
		return best
	}
	// "the union leader" after "union general secretary Jane Roe": the
	// modifier names the body the person was introduced with.
	for _, m := range mods {
		for i, e := range d.ents {
			if !e.org && e.roles[m] && (best < 0 || e.mentions > d.ents[best].mentions) {
				best = i
			}
		}
		if best >= 0 {
			return best
		}
	}
	g := genderUnknown
	if femaleRoles[head] {
		g = genderFemale
	}
	if maleRoles[head] {
		g = genderMale
	}
	return d.salient(g)
}

// salient is the most salient person, of a gender when one is asked:
// named most often, with a bonus for the first person the article names
// (news leads with its protagonist).
func (d *doc) salient(g int) int {
	best, bestScore := -1, 0
	firstPerson := -1
	for _, m := range d.mentions {
		if !d.ents[m.ent].org {
			firstPerson = m.ent
			break
		}
	}
	for i, e := range d.ents {
		if e.org || g != genderUnknown && e.gender != genderUnknown && e.gender != g {
			continue
		}
		score := e.mentions
		if i == firstPerson {
			score += 3
		}
		if best < 0 || score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// runHasOrg reports whether tokens [i, j) include an organisation noun.
func runHasOrg(toks []tok, i, j int) bool {
	for k := i; k < j; k++ {
		if orgNouns[toks[k].low] {
			return true
		}
	}
	return false
}

// docAuthor reads the author after a document noun at m: "a report by the
// Harbour Board", "a complaint filed by Jane Roe", "a letter from Acme".
func docAuthor(toks []tok, m, hi int) (ref, bool) {
	k := m + 1
	if k < hi && toks[k].word && (strings.HasSuffix(toks[k].low, "ed") || toks[k].low == "written") {
		k++
	}
	if k >= hi || !toks[k].word || toks[k].low != "by" && toks[k].low != "from" {
		return ref{}, false
	}
	for k++; k < hi && k < m+8 && toks[k].word && !toks[k].isCap(); k++ {
		if !determiners[toks[k].low] && !strings.HasSuffix(toks[k].low, "al") {
			return ref{}, false
		}
	}
	if k >= hi || !toks[k].isCap() {
		return ref{}, false
	}
	return ref{kind: refName, from: k, to: capRun(toks, k, hi), owner: -1}, true
}

// appositiveName reads tokens [a, b) as a name after optional titles and
// roles and before an optional parenthesis: "state Del. Ana Roe (D-Lee)".
func appositiveName(toks []tok, a, b int) (ref, bool) {
	if b > a && toks[b-1].is(")") {
		for b--; b > a && !toks[b].is("("); b-- {
		}
	}
	i := a
	for i < b && toks[i].word && (titleWords[toks[i].low] || !toks[i].isCap() && (roleNouns[toks[i].low] || orgNouns[toks[i].low] || nameModifiers[toks[i].low])) {
		i++
	}
	if i >= b || i == a && !toks[i].isCap() || capRun(toks, i, b) != b || b-i < 2 {
		return ref{}, false
	}
	return ref{kind: refName, from: i, to: b, owner: -1}, true
}

// upperRun returns the end of a run of words in capitals starting at i.
func upperRun(toks []tok, i, hi int) int {
	j := i
	for j < hi && toks[j].word && toks[j].isCap() && strings.ToUpper(toks[j].s) == toks[j].s {
		j++
	}
	return j
}

// outerSource finds the speaker of a reporting clause that embeds the cue
// whose subject starts at from: "Roe said on Monday that [Voss called…]",
// "she pointed to reports that [Voss called…]".
func outerSource(toks []tok, lo, from int) (ref, int, bool) {
	k := from - 1
	if k < lo || !toks[k].word || toks[k].low != "that" {
		return ref{}, 0, false
	}
	for v := k - 1; v >= lo && v > k-14; v-- {
		if toks[v].quote >= 0 || toks[v].is(".") || toks[v].is(";") {
			break
		}
		if !verbAt(toks, v) {
			continue
		}
		if r, ok := subjectLeft(toks, v, lo); ok {
			return r, v, true
		}
	}
	return ref{}, 0, false
}
