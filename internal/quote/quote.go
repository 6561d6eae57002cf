// Package quote finds direct quotations in an article and attributes each to
// its speaker, resolving pronouns and descriptions to the person.
//
// Conventions:
//   - A quotation running over several paragraphs (each paragraph reopening
//     the mark, only the last closing it) is returned as one Quote per
//     paragraph, all with the same speaker: Text stays the words inside the
//     marks of that paragraph and never contains a paragraph break.
//   - An unclosed mark that is not such a run-on is bounded by its paragraph.
//   - Organisations named by an acronym resolve to the full name when the
//     text gives it (spelt out or as "Full Name (ACR)"); else the acronym.
//   - People are named by the fullest form the article introduces them with,
//     titles and roles stripped ("Deputy Minister Jane Roe" → "Jane Roe").
//     Two people of one surname stay two; a bare surname is the one named
//     last, or the one of an honorific's gender.
//   - Role is the speaker's title or role as the text gives it, on every
//     quote of that speaker: titles in the name ("Deputy Minister"), a role
//     before it ("harbour master Jane Roe") or an appositive after it ("Jane
//     Roe, the harbour master,"), the fullest found; "spokesperson" for an
//     organisation quoted through one. Abbreviated titles are spelt out,
//     honorifics, parties and ties to others ("his rival") are no role.
//   - Words reported inside another's report ("Roe said that Voss called it
//     “…”") are attributed to the reporter, as the benchmark does.
//   - Every line break is a paragraph break (clean text never hard-wraps).
//   - Marks: straight and curly double quotes (mixed within one quote),
//     „…“, «…», and curly single quotes when an apostrophe cannot be meant.
//     Straight single quotes are not marks: they are apostrophes far more
//     often, and doubled apostrophes (an archive convention) are not counted
//     as quotes by the benchmarks either.
//   - Not returned: a Title Case name of a show or publication after "on",
//     an outlet's possessive or "a/his/her…" (on Radio Nord's "Morning Desk"),
//     a title after a work noun ("the film “…”", "titled “…”"), a term after
//     "so-called", a quoted noun phrase of up to three words in a sentence
//     where nobody speaks, a lone quoted pronoun or function word, a
//     nickname inside a name, a bracketed stage direction, and the lines of
//     a reproduced transcript ("ROE: …" turns).
package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"

	dossier "github.com/dossiernews/dossier"
)

// Find returns the direct quotations of an article's clean text, in order.
func Find(text string) []dossier.Quote {
	// Invalid UTF-8 is scanned as is (each bad byte one rune) so that
	// offsets stay exact; such bytes never form marks or names.
	d := analyse(text)
	return d.quotes()
}

// doc is the analysis of one article.
type doc struct {
	text     string
	paras    []para
	spans    []span
	ptoks    [][]tok
	sents    []sentRef
	psent    [][]int // per paragraph: global sentence ids
	ents     []*entity
	mentions []mention
	sentMent [][]int // per global sentence: mention indexes, in order
	acr      map[string]int
	qtok     []tokRef          // per span: where its token is
	cueRoles map[string]string // speaker name → role a cue gave
}

type sentRef struct {
	par      int
	from, to int
}

type tokRef struct{ par, ti, sent int }

func analyse(text string) *doc {
	d := &doc{text: text, acr: map[string]int{}, cueRoles: map[string]string{}}
	d.paras = paragraphs(text)
	for pi := range d.paras {
		first := len(d.spans)
		sp := findSpans(text, d.paras, pi)
		if len(sp) > 0 && first > 0 {
			prev := d.spans[first-1]
			if prev.runsOn && prev.par == pi-1 && sp[0].open == d.paras[pi].start {
				sp[0].continued = true
			}
		}
		d.spans = append(d.spans, sp...)
		toks := tokenize(text, d.paras[pi].start, d.paras[pi].end, d.spans, first)
		d.ptoks = append(d.ptoks, toks)
		var ids []int
		for _, s := range sentences(toks, text, d.spans) {
			ids = append(ids, len(d.sents))
			d.sents = append(d.sents, sentRef{pi, s.from, s.to})
		}
		d.psent = append(d.psent, ids)
	}
	d.qtok = make([]tokRef, len(d.spans))
	for si, s := range d.sents {
		toks := d.ptoks[s.par]
		for ti := s.from; ti < s.to; ti++ {
			if toks[ti].quote >= 0 && toks[ti].quote < len(d.qtok) {
				d.qtok[toks[ti].quote] = tokRef{s.par, ti, si}
			}
		}
	}
	d.sentMent = make([][]int, len(d.sents))
	d.findEntities()
	return d
}

// findEntities collects the people and organisations of the writer's text.
func (d *doc) findEntities() {
	for si, s := range d.sents {
		toks := d.ptoks[s.par]
		for ti := s.from; ti < s.to; {
			if !toks[ti].isCap() {
				ti++
				continue
			}
			j := capRun(toks, ti, s.to)
			atStart := ti == s.from || toks[ti-1].quote >= 0 || toks[ti-1].is("(")
			// "Ferry Talks Stall Again: …": a run-in heading names nobody.
			if ti == s.from && j-ti > 3 && j < s.to && toks[j].is(":") {
				ti = j
				continue
			}
			nr := parseRun(toks, ti, j, atStart)
			if e := d.entityFor(toks, nr, j, s.to); e >= 0 {
				d.addMention(e, toks[nr.from].start, s.par, si)
				// "Full Name (ACR)" names the acronym.
				if d.ents[e].org && j+2 < s.to && toks[j].is("(") && toks[j+2].is(")") && toks[j+1].isCap() {
					d.acr[toks[j+1].low] = e
				}
				if ent := d.ents[e]; !ent.org && nr.to-nr.from >= len(ent.words) {
					for _, r := range appositiveRoles(toks, ti, j, s.from, s.to) {
						ent.roles[r] = true
					}
					ent.genderFromRoles()
					if t := roleBefore(toks, ti, s.from); t != "" {
						ent.setTitle(t)
					} else {
						ent.setTitle(roleAfter(toks, j, s.to))
					}
				}
			}
			ti = j
		}
	}
	// Gender from pronouns: a sentence naming one person, followed by
	// pronouns of one gender, votes for that gender.
	for si := range d.sents {
		var people []int
		for _, mi := range d.sentMent[si] {
			e := d.mentions[mi].ent
			if !d.ents[e].org && !containsInt(people, e) {
				people = append(people, e)
			}
		}
		if len(people) != 1 {
			continue
		}
		m, f := 0, 0
		for k := si; k <= si+1 && k < len(d.sents); k++ {
			s := d.sents[k]
			for _, t := range d.ptoks[s.par][s.from:s.to] {
				if t.word && pronounsMale[t.low] {
					m++
				}
				if t.word && pronounsFemale[t.low] {
					f++
				}
			}
		}
		e := d.ents[people[0]]
		if m > 0 && f == 0 {
			e.votesM++
		}
		if f > 0 && m == 0 {
			e.votesF++
		}
	}
	for _, e := range d.ents {
		if e.sure || e.org || e.gender != genderUnknown {
			continue
		}
		switch {
		case e.votesM > e.votesF:
			e.gender = genderMale
		case e.votesF > e.votesM:
			e.gender = genderFemale
		}
	}
}

// appositiveRoles reads the roles written around a name: "director Jane
// Roe", "her deputy, Jane Roe", "Jane Roe, an astronomer at…".
func appositiveRoles(toks []tok, i, j, lo, hi int) []string {
	var roles []string
	if i-1 >= lo && roleNouns[toks[i-1].low] && !toks[i-1].isCap() {
		roles = append(roles, toks[i-1].low)
		// "union general secretary Jane Roe": the words before the role
		// say whose role it is, and descriptions reuse them.
		for k := i - 2; k >= lo && k > i-5 && toks[k].word && !toks[k].isCap(); k-- {
			if orgNouns[toks[k].low] || roleNouns[toks[k].low] {
				roles = append(roles, toks[k].low)
			}
		}
	}
	if i-2 >= lo && toks[i-1].is(",") && roleNouns[toks[i-2].low] {
		roles = append(roles, toks[i-2].low)
	}
	if j+1 < hi && toks[j].is(",") && determiners[toks[j+1].low] {
		for k := j + 2; k < hi && k < j+6; k++ {
			if !toks[k].word {
				break
			}
			if roleNouns[toks[k].low] {
				roles = append(roles, toks[k].low)
				break
			}
		}
	}
	return roles
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (d *doc) addMention(e, pos, par, si int) {
	d.ents[e].mentions++
	d.mentions = append(d.mentions, mention{ent: e, pos: pos, par: par, sent: si, rank: len(d.sentMent[si])})
	d.sentMent[si] = append(d.sentMent[si], len(d.mentions)-1)
}

// entityFor finds or creates the entity a run names; -1 when it names none.
func (d *doc) entityFor(toks []tok, nr nameRun, end, hi int) int {
	if nr.place || nr.from >= nr.to {
		return -1
	}
	name := runName(toks, nr.from, nr.to)
	words := nameWords(name)
	if len(words) == 0 {
		return -1
	}
	if nr.org {
		if len(words) == 1 {
			if e, ok := d.acr[words[0]]; ok {
				return e
			}
		}
		for i, e := range d.ents {
			if e.org && strings.EqualFold(e.name, name) {
				return i
			}
		}
		d.ents = append(d.ents, &entity{name: name, words: words, org: true, roles: map[string]bool{}})
		e := len(d.ents) - 1
		if len(words) > 1 {
			if a := strings.ToLower(initials(name)); len(a) >= 2 {
				if _, ok := d.acr[a]; !ok {
					d.acr[a] = e
				}
			}
		} else {
			d.acr[words[0]] = e
		}
		return e
	}
	e := d.honorificPick(d.lookupPerson(words, toks[nr.from].start), words, nr)
	// "President Roe" named by title alone, then "Jane Roe" without it:
	// another Roe, most likely (news gives the full name first).
	if e >= 0 && len(words) > 1 && len(d.ents[e].words) == 1 && d.ents[e].title != "" && d.ents[e].title != nr.title {
		e = -1
	}
	found := e >= 0
	if e < 0 {
		if len(words) == 1 && !nr.titled && !speakerNext(toks, end, hi) {
			return -1
		}
		d.ents = append(d.ents, &entity{name: name, words: words, roles: map[string]bool{}})
		e = len(d.ents) - 1
	} else if len(words) > len(d.ents[e].words) && d.ents[e].last() == words[len(words)-1] {
		// A surname seen first, the full name later: name them fully.
		d.ents[e].name, d.ents[e].words = name, words
	}
	ent := d.ents[e]
	for _, r := range nr.roles {
		ent.roles[r] = true
	}
	// A title goes to the person it was written with: "President Roe"
	// says nothing of "Jane Roe" when two Roes may be about.
	if len(words) >= len(ent.words) {
		ent.setTitle(nr.title)
	}
	// An honorific settles gender; a gendered role guesses it.
	if nr.honorific && !ent.sure {
		ent.gender, ent.sure = nr.gender, true
	}
	ent.genderFromRoles()
	if len(words) == 1 && !found && pluralGroups[words[0]] {
		ent.org = true // "Democrats said": a group speaks as they
	}
	return e
}

// honorificPick turns e, found for a lone surname after an honorific
// ("Mrs. Roe"), to the person of that surname and the honorific's gender
// when e is not of it: "Bill Roe" and "his wife, Jane Roe". One of the
// honorific's gender is preferred, then one of unknown gender.
func (d *doc) honorificPick(e int, words []string, nr nameRun) int {
	if e < 0 || !nr.honorific || len(words) != 1 || d.ents[e].gender == nr.gender {
		return e
	}
	unknown := -1
	for i, x := range d.ents {
		if x.org || x.last() != words[0] || i == e {
			continue
		}
		if x.gender == nr.gender {
			return i
		}
		if x.gender == genderUnknown && unknown < 0 {
			unknown = i
		}
	}
	if d.ents[e].gender != genderUnknown && unknown >= 0 {
		return unknown
	}
	return e
}

// genderFromRoles guesses an unknown gender from gendered roles
// ("spokeswoman", "his wife, Jane Roe").
func (e *entity) genderFromRoles() {
	if e.sure || e.gender != genderUnknown {
		return
	}
	m, f := false, false
	for r := range e.roles {
		m = m || maleRoles[r]
		f = f || femaleRoles[r]
	}
	switch {
	case m && !f:
		e.gender = genderMale
	case f && !m:
		e.gender = genderFemale
	}
}

// speakerNext reports whether a reporting verb follows a run, possibly after
// an appositive: "Roe said", "Roe, a lawyer, said".
func speakerNext(toks []tok, j, hi int) bool {
	for k := j; k < hi && k < j+12; k++ {
		t := toks[k]
		if t.quote >= 0 {
			return false
		}
		if verbAt(toks, k) && !weakVerbs[t.low] {
			// "Roe, a lawyer, said" but not "Still, she said".
			return k == j || toks[j].is(",") && toks[k-1].is(",") || !toks[j].is(",") && skipBeforeVerb[toks[k-1].low]
		}
		if k == j && !t.is(",") && !(t.word && skipBeforeVerb[t.low]) {
			return false
		}
	}
	return false
}

// lookupPerson finds the person a name's words refer to: the same full
// name, or the person whose surname (or, failing that, given name) it is.
// Two people of one surname stay two: a bare surname goes to the one
// named last before pos.
func (d *doc) lookupPerson(words []string, pos int) int {
	if len(words) == 0 {
		return -1 // a run of no name words names nobody
	}
	last := words[len(words)-1]
	for i, e := range d.ents {
		if !e.org && strings.Join(e.words, " ") == strings.Join(words, " ") {
			return i
		}
	}
	var cands []int
	for i, e := range d.ents {
		if e.org || e.last() != last {
			continue
		}
		if len(words) == 1 || len(e.words) == 1 {
			cands = append(cands, i)
			continue
		}
		// Same surname, compatible given names: "Jane Ann Roe" for "Jane Roe".
		if words[0] == e.words[0] {
			return i
		}
	}
	if len(cands) > 0 {
		return d.latest(cands, pos)
	}
	if len(words) == 1 {
		found := -1
		for i, e := range d.ents {
			if !e.org && len(e.words) > 1 && e.words[0] == last {
				if found >= 0 {
					return -1
				}
				found = i
			}
		}
		return found
	}
	return -1
}

// latest is the entity of cands mentioned last before pos (the first of
// cands when none is).
func (d *doc) latest(cands []int, pos int) int {
	if len(cands) == 1 {
		return cands[0]
	}
	best, bestPos := cands[0], -1
	for _, m := range d.mentions {
		if m.pos < pos && m.pos > bestPos && containsInt(cands, m.ent) {
			best, bestPos = m.ent, m.pos
		}
	}
	return best
}

// quotes attributes every span and builds the result.
func (d *doc) quotes() []dossier.Quote {
	n := len(d.spans)
	if n == 0 {
		return nil
	}
	// Titles of shows, books and laws in Title Case inside the writer's
	// sentence name a work; nobody is being quoted.
	keep := make([]bool, n)
	transcript := d.transcriptSpans()
	titles := map[string]bool{}
	for qi, sp := range d.spans {
		drop, title := d.notQuote(qi, transcript)
		inner := d.text[sp.start:sp.end]
		if title {
			titles[titleKey(inner)] = true
		}
		keep[qi] = !drop && !(len(strings.Fields(inner)) <= 12 && namesTitle(titles, inner))
	}
	out := make([]dossier.Quote, n)
	speakers := make([]int, n) // entity index, -1 unknown, -2 literal name
	literal := make([]string, n)
	explicit := make([]bool, n)
	for i := range speakers {
		speakers[i] = -1
	}
	// Pass 1: cues in the quote's own sentence.
	for qi, sp := range d.spans {
		out[qi] = dossier.Quote{Text: d.text[sp.start:sp.end], Start: sp.start, End: sp.end}
		out[qi].Partial = d.isPartial(qi)
		e, lit, cue := d.cueFor(qi, out[qi].Partial)
		if e >= 0 || lit != "" {
			speakers[qi], literal[qi], explicit[qi] = e, lit, true
			out[qi].Cue = cue
			if e >= 0 {
				tr := d.qtok[qi]
				d.addSpeakerMention(e, sp.open, tr.par, tr.sent)
			}
		}
	}
	// Pass 2: quotes without a cue of their own.
	for qi, sp := range d.spans {
		if explicit[qi] {
			continue
		}
		tr := d.qtok[qi]
		set := func(k int) bool {
			if k < 0 || k >= n || speakers[k] == -1 && literal[k] == "" {
				return false
			}
			speakers[qi], literal[qi] = speakers[k], literal[k]
			return true
		}
		switch {
		case sp.continued && set(qi-1):
		case qi > 0 && d.qtok[qi-1].sent == tr.sent && set(qi-1):
		case qi+1 < n && d.qtok[qi+1].sent == tr.sent && explicit[qi+1] && set(qi+1):
		case !out[qi].Partial && qi > 0 && d.qtok[qi-1].par == tr.par && set(qi-1):
		case !out[qi].Partial && qi+1 < n && d.qtok[qi+1].par == tr.par && explicit[qi+1] && set(qi+1):
		default:
			speakers[qi], literal[qi] = d.fallback(qi, out[qi].Partial, speakers, literal)
		}
		if speakers[qi] >= 0 {
			d.addSpeakerMention(speakers[qi], sp.open, tr.par, tr.sent)
		}
	}
	kept := out[:0]
	for qi := range out {
		if !keep[qi] {
			continue
		}
		switch {
		case speakers[qi] >= 0:
			out[qi].Speaker = d.ents[speakers[qi]].name
		default:
			out[qi].Speaker = literal[qi]
		}
		kept = append(kept, out[qi])
	}
	// A role given anywhere in the article goes with every quote of its
	// speaker: the person's own title first, else one a cue gave
	// ("a spokesperson for the Port Authority").
	roles := map[string]string{}
	for _, e := range d.ents {
		if e.title != "" && roles[e.name] == "" {
			roles[e.name] = e.title
		}
	}
	for name, r := range d.cueRoles {
		if roles[name] == "" {
			roles[name] = r
		}
	}
	for i := range kept {
		if kept[i].Speaker != "" {
			kept[i].Role = roles[kept[i].Speaker]
		}
	}
	return kept
}

// isMention reports a quoted word that is talked about rather than quoted:
// a lone pronoun or function word ("the pronoun “she”") or a nickname set
// inside a name (Jane "JJ" Roe).
func (d *doc) isMention(qi int, inner string) bool {
	if strings.ContainsAny(strings.TrimSpace(inner), " \t") {
		return false
	}
	w := strings.ToLower(strings.Trim(inner, ".,;:!?"))
	if subjectPronouns[w] || pronounsMale[w] || pronounsFemale[w] || smallTitleWords[w] || w == "they" || w == "them" || w == "you" {
		return true
	}
	tr := d.qtok[qi]
	toks := d.ptoks[tr.par]
	r, _ := utf8.DecodeRuneInString(inner)
	return tr.ti > 0 && tr.ti+1 < len(toks) && toks[tr.ti-1].isCap() && toks[tr.ti+1].isCap() && unicode.IsUpper(r)
}

// afterOnOrOwner reports a quote right after "on" or an outlet's possessive
// ("on Radio Nord's"): where a programme or publication is named.
func (d *doc) afterOnOrOwner(qi int) bool {
	tr := d.qtok[qi]
	k := tr.ti - 1
	// "his 1994 “…”": a year may stand between the owner and the title.
	if k > 0 && isDigits(d.ptoks[tr.par][k].s) {
		k--
	}
	if k < 0 {
		return false
	}
	p := d.ptoks[tr.par][k]
	switch p.low {
	case "on", "a", "his", "her", "their", "its":
		return p.word
	}
	return p.word && p.isCap() && (strings.HasSuffix(p.s, "'s") || strings.HasSuffix(p.s, "’s"))
}

// isTitleCase reports a short text whose every content word is capitalised.
func isTitleCase(s string) bool {
	words := strings.Fields(s)
	if len(words) < titleMinWords || len(words) > 7 {
		return false
	}
	caps := 0
	for _, w := range words {
		w = strings.Trim(w, ".,:;!?()'’")
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case w == "":
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			caps++
		case smallTitleWords[strings.ToLower(w)]:
		default:
			return false
		}
	}
	return caps > 0
}

const titleMinWords = 2

var smallTitleWords = setOf(`a an the of and or in on at to for with by from as vs via de la le du`)

// fallback attributes a quote whose own sentence names no speaker, trying
// in turn: a colon cue ending the previous paragraph, a cue in the sentence
// just before, the sentence's subject, the person named before a fragment,
// the previous quote's speaker (a quote paragraph continues its speaker),
// and the person named last.
func (d *doc) fallback(qi int, partial bool, speakers []int, literal []string) (int, string) {
	tr := d.qtok[qi]
	prevKnown := qi > 0 && (speakers[qi-1] >= 0 || literal[qi-1] != "")
	if e, lit := d.colonCue(qi); e >= 0 || lit != "" {
		return e, lit
	}
	atStart := tr.ti == d.sents[tr.sent].from
	if atStart {
		if e, lit := d.prevSentenceCue(tr.sent); e >= 0 || lit != "" {
			return e, lit
		}
	}
	if partial || !atStart {
		if e, lit := d.firstSubjectOf(tr.sent); e >= 0 || lit != "" {
			return e, lit
		}
	}
	if partial {
		if e := d.personBefore(qi); e >= 0 {
			return e, ""
		}
	}
	if prevKnown && tr.par-d.qtok[qi-1].par <= 1 {
		return speakers[qi-1], literal[qi-1]
	}
	if e := d.recentPerson(tr.sent); e >= 0 {
		return e, ""
	}
	if prevKnown {
		return speakers[qi-1], literal[qi-1]
	}
	return -1, ""
}

// addSpeakerMention makes a quote's speaker the leading mention of its
// sentence, so later pronouns find the person who was just speaking.
func (d *doc) addSpeakerMention(e, pos, par, si int) {
	if si < 0 || si >= len(d.sentMent) {
		return
	}
	d.mentions = append(d.mentions, mention{ent: e, pos: pos, par: par, sent: si, rank: -1})
	d.sentMent[si] = append([]int{len(d.mentions) - 1}, d.sentMent[si]...)
}

// isPartial reports whether a quotation is a fragment inside the writer's
// sentence rather than a quoted sentence of its own.
func (d *doc) isPartial(qi int) bool {
	tr := d.qtok[qi]
	s := d.sents[tr.sent]
	toks := d.ptoks[tr.par]
	sp := d.spans[qi]
	inner := d.text[sp.start:sp.end]
	r, _ := utf8.DecodeRuneInString(inner)
	startsUpper := !unicode.IsLower(r)
	if tr.ti == s.from || toks[tr.ti-1].quote >= 0 {
		return false
	}
	prev := toks[tr.ti-1]
	if prev.is(":") {
		return false
	}
	// "…," Roe said, "and …": the second half of a broken quotation.
	for k := tr.ti - 1; prev.is(",") && k >= s.from && k >= tr.ti-6; k-- {
		if toks[k].quote >= 0 {
			return false
		}
	}
	if startsUpper && (prev.is(",") || prev.word && isReportVerb(prev.low) && !weakVerbs[prev.low]) {
		return false
	}
	if startsUpper && len(strings.Fields(inner)) > 12 && strings.ContainsAny(inner[len(inner)-1:], ".?!") {
		return false
	}
	return true
}

// colonCue attributes a quote opening a paragraph to the speaker introduced
// by the previous paragraph ending in a colon ("Roe continued:").
func (d *doc) colonCue(qi int) (int, string) {
	tr := d.qtok[qi]
	if tr.par == 0 || tr.ti != 0 {
		return -1, ""
	}
	ids := d.psent[tr.par-1]
	if len(ids) == 0 {
		return -1, ""
	}
	si := ids[len(ids)-1]
	s := d.sents[si]
	toks := d.ptoks[s.par]
	if s.to == 0 || !toks[s.to-1].is(":") {
		return -1, ""
	}
	for v := s.to - 2; v >= s.from; v-- {
		if verbAt(toks, v) {
			if r, ok := subjectLeft(toks, v, s.from); ok {
				return d.resolve(s.par, si, r)
			}
		}
	}
	return d.firstSubjectOf(si)
}

func (d *doc) firstSubjectOf(si int) (int, string) {
	s := d.sents[si]
	toks := d.ptoks[s.par]
	if r, ok := firstSubject(toks, s.from, s.to); ok {
		return d.resolve(s.par, si, r)
	}
	return -1, ""
}

// prevSentenceCue finds a reporting verb and its subject in the sentence
// before si when it is in the same paragraph and holds no quote itself.
func (d *doc) prevSentenceCue(si int) (int, string) {
	if si == 0 || d.sents[si-1].par != d.sents[si].par {
		return -1, ""
	}
	s := d.sents[si-1]
	toks := d.ptoks[s.par]
	for k := s.from; k < s.to; k++ {
		if toks[k].quote >= 0 {
			return -1, ""
		}
	}
	for v := s.to - 1; v >= s.from; v-- {
		if verbAt(toks, v) {
			if r, ok := subjectLeft(toks, v, s.from); ok {
				return d.resolve(s.par, si-1, r)
			}
			if r, ok := subjectRight(toks, v, s.to); ok {
				return d.resolve(s.par, si-1, r)
			}
		}
	}
	return -1, ""
}

// personBefore is the person named last before a quote in its sentence.
func (d *doc) personBefore(qi int) int {
	tr := d.qtok[qi]
	pos := d.spans[qi].open
	best := -1
	for _, mi := range d.sentMent[tr.sent] {
		m := d.mentions[mi]
		if m.rank >= 0 && m.pos < pos && !d.ents[m.ent].org {
			best = m.ent
		}
	}
	return best
}

// recentPerson is the person most recently named before sentence si,
// searching back a few sentences.
func (d *doc) recentPerson(si int) int {
	for k := si; k >= 0 && k > si-4; k-- {
		for _, mi := range d.sentMent[k] {
			if e := d.mentions[mi].ent; !d.ents[e].org {
				return e
			}
		}
	}
	return -1
}
