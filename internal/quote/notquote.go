package quote

import (
	"strings"
	"unicode"
)

// notQuote reports a quoted run nobody is being quoted in: the name of a
// work, show or campaign, a scare-quoted term, a transcript, a stage
// direction. Attributed speech is kept even when it looks like a name.
// title is set when the run is the name of a work: the same name quoted
// again later names it again.
func (d *doc) notQuote(qi int, transcript []bool) (drop, title bool) {
	sp := d.spans[qi]
	inner := d.text[sp.start:sp.end]
	if transcript[qi] || isStageDirection(inner) {
		return true, false
	}
	if d.isMention(qi, inner) {
		return true, false
	}
	if d.isWorkTitle(qi, inner) {
		return true, true
	}
	if !d.isPartial(qi) {
		return false, false
	}
	if isTitleCase(inner) && d.afterOnOrOwner(qi) {
		return true, true
	}
	return d.isScareTerm(qi, inner), false
}

// titleKey is the form under which a title is remembered.
func titleKey(s string) string {
	return strings.ToLower(strings.Trim(s, " .,:;!?"))
}

// namesTitle reports a quote repeating a title the article already gave,
// alone or with a subtitle ("“Night Tide (Part Two)” was written…").
func namesTitle(titles map[string]bool, inner string) bool {
	k := titleKey(inner)
	if titles[k] {
		return true
	}
	for t := range titles {
		if rest, ok := strings.CutPrefix(k, t); ok && (strings.HasPrefix(rest, " (") || strings.HasPrefix(rest, ":")) {
			return true
		}
	}
	return false
}

// isStageDirection reports a quoted paragraph that is only a bracketed
// note ("(CROSSTALK)", "[applause]"): nobody says it.
func isStageDirection(inner string) bool {
	s := strings.TrimRight(strings.TrimSpace(inner), ".")
	if len(s) < 2 {
		return false
	}
	open, close := s[0], s[len(s)-1]
	return (open == '(' && close == ')' || open == '[' && close == ']') && !strings.ContainsAny(s[1:len(s)-1], "()[]")
}

// transcriptSpans marks quotes that are lines of a transcript: a run of
// quoted paragraphs whose turns open with a speaker label in capitals
// ("ROE: …"). A transcript is reproduced, not quoted by the writer, and
// its unlabelled paragraphs continue the turns, so the whole run goes.
func (d *doc) transcriptSpans() []bool {
	out := make([]bool, len(d.spans))
	for i := 0; i < len(d.spans); {
		j := i + 1
		for j < len(d.spans) && d.spans[j].continued {
			j++
		}
		labels := 0
		for k := i; k < j; k++ {
			if speakerLabel(d.text[d.spans[k].start:d.spans[k].end]) {
				labels++
			}
		}
		// One labelled turn alone is a transcript line too ("ROE: …").
		if labels >= 2 || labels == 1 && j-i == 1 {
			for k := i; k < j; k++ {
				out[k] = true
			}
		}
		i = j
	}
	return out
}

// speakerLabel reports text opening with a transcript label: one or two
// words in capitals and a colon ("ROE:", "JANE ROE:", "Q:").
func speakerLabel(s string) bool {
	label, _, ok := strings.Cut(s, ":")
	if !ok || label == "" || len(label) > 30 {
		return false
	}
	words := strings.Fields(label)
	if len(words) == 0 || len(words) > 3 {
		return false
	}
	letters := 0
	for _, r := range label {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsLetter(r):
			return false
		case !strings.ContainsRune(" .'’-", r):
			return false
		}
	}
	return letters > 0
}

// workNouns name works, shows and campaigns: a quote right after one is
// their title ("the film “…”", "his column, “…”").
var workNouns = setOf(`book books novel memoir film films movie movies documentary show shows programme
program series episode broadcast screening song songs album single track play musical opera poem painting
exhibition campaign operation slogan motto hashtag headline column commentary op-ed essay editorial podcast
titled entitled chant banner sign placard nickname`)

// titleLeaders come before the title of a show or edition ("an episode of").
var titleLeaders = setOf(`episode broadcast edition issue screening season version premiere segment`)

// isWorkTitle reports a quote that names a work: right after a work noun
// (with or without a comma), or in Title Case after "episode of" or "in".
func (d *doc) isWorkTitle(qi int, inner string) bool {
	tr := d.qtok[qi]
	toks := d.ptoks[tr.par]
	k := tr.ti - 1
	if k >= 0 && toks[k].is(",") {
		k--
	}
	if k < 0 || !toks[k].word {
		return false
	}
	w := toks[k].low
	if workNouns[w] && len(strings.Fields(inner)) <= 12 && !d.speechAfter(qi) {
		return true
	}
	if !isTitleCase(inner) {
		return false
	}
	if (w == "of" || w == "in") && k > 0 && titleLeaders[toks[k-1].low] {
		return true
	}
	return w == "in" && !d.sentenceHasCue(tr.sent)
}

// speechAfter reports a reporting verb right after a quote: "the slogan,"
// she said, "…" is speech after all.
func (d *doc) speechAfter(qi int) bool {
	tr := d.qtok[qi]
	toks := d.ptoks[tr.par]
	for k := tr.ti + 1; k < len(toks) && k < tr.ti+5; k++ {
		if toks[k].quote >= 0 || toks[k].is(".") {
			return false
		}
		if verbAt(toks, k) && !weakVerbs[toks[k].low] {
			return true
		}
	}
	return false
}

// sentenceHasCue reports a reporting verb or "according to" anywhere in
// the writer's words of sentence si.
func (d *doc) sentenceHasCue(si int) bool {
	s := d.sents[si]
	toks := d.ptoks[s.par]
	for k := s.from; k < s.to; k++ {
		if verbAt(toks, k) || toks[k].low == "according" || toks[k].word && namingVerbs[toks[k].low] {
			return true
		}
	}
	return false
}

// isScareTerm reports a term the writer puts in quote marks: after
// "so-called" or "the term", or a short noun phrase in a sentence where
// nobody speaks.
func (d *doc) isScareTerm(qi int, inner string) bool {
	tr := d.qtok[qi]
	toks := d.ptoks[tr.par]
	if tr.ti > 0 && toks[tr.ti-1].word && toks[tr.ti-1].low == "so-called" {
		return true
	}
	if tr.ti > 1 && (toks[tr.ti-1].low == "term" || toks[tr.ti-1].low == "terms") && determiners[toks[tr.ti-2].low] && !d.sentenceHasCue(tr.sent) {
		return true
	}
	return d.isShortTerm(qi, inner)
}

// isShortTerm reports a quoted noun phrase of one to three words in a
// sentence where nobody speaks and no other quote stands: the writer's
// scare quotes or a coined term ("a “walk-in”" is one, "called it a
// “walk-in”" is speech).
func (d *doc) isShortTerm(qi int, inner string) bool {
	words := strings.Fields(inner)
	if len(words) > 3 {
		return false
	}
	for _, w := range words {
		w = strings.ToLower(strings.Trim(w, ".,;:!?…"))
		if subjectPronouns[w] || modals[w] || auxiliaries[w] || pronounsMale[w] || pronounsFemale[w] || isReportVerb(w) ||
			strings.HasSuffix(w, "ed") && len(w) > 4 || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t") {
			return false // a verb: a clause, not a term
		}
	}
	tr := d.qtok[qi]
	toks := d.ptoks[tr.par]
	if d.sentenceHasCue(tr.sent) {
		return false
	}
	// "Roe's “…”", "his “…”", "branded them as “…”": someone's words.
	for k := tr.ti - 1; k >= 0 && k >= tr.ti-2; k-- {
		t := toks[k]
		if t.word && (t.low == "as" || t.low == "his" || t.low == "her" || t.low == "their" || isPossessive(t)) {
			return false
		}
		if !t.word || !determiners[t.low] {
			break
		}
	}
	s := d.sents[tr.sent]
	for k := s.from; k < s.to; k++ {
		t := toks[k]
		if t.quote >= 0 && t.quote != qi || t.word && (speechNouns[t.low] || isReportVerb(t.low)) {
			return false
		}
		if t.word && (t.low == "put" || t.low == "puts") && k+1 < s.to && toks[k+1].low == "it" {
			return false
		}
	}
	return true
}

// auxiliaries make a quoted run a clause.
var auxiliaries = setOf(`is are was were be been being am has have had do does did won't can't isn't`)

// speechNouns are nouns for what someone said: a quote near one is theirs.
var speechNouns = setOf(`claim claims statement statements remark remarks words phrase phrases reference
references comment comments tweet tweets language rhetoric accusation accusations description assertion
argument promise pledge vow message speech interview remarks testimony response reply answer`)

// namingVerbs attribute a word or a name to someone ("likened it to",
// "hailed him as"): with one nearby, a short quoted run is speech.
var namingVerbs = setOf(`liken likened likens compare compared compares hail hailed hails rate rated rates
label labelled labeled labels nickname nicknamed refer referred refers reference referenced chant chanted
chants tout touted exhort exhorted admire admires admired`)
