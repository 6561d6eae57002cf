package quote

import "strings"

// A speaker's role is kept as the text gives it, so a reader sees who the
// person is: the titles before a name ("Deputy Minister"), a role noun
// phrase before it ("harbour master Ines Varga") or an appositive after it
// ("Ines Varga, the harbour master,"). Abbreviated titles are spelt out so
// that two outlets writing "Sen." and "Senator" give one role.

// titleAbbrevs spell out abbreviated titles.
var titleAbbrevs = map[string]string{
	"sen": "Senator", "rep": "Representative", "gov": "Governor", "gen": "General", "lt": "Lieutenant",
	"col": "Colonel", "sgt": "Sergeant", "prof": "Professor", "rev": "Reverend", "pres": "President",
	"del": "Delegate", "capt": "Captain", "cmdr": "Commander", "adm": "Admiral", "maj": "Major",
	"supt": "Superintendent", "cpl": "Corporal", "pvt": "Private", "insp": "Inspector", "atty": "Attorney",
}

// notRoles are honorifics: they say how a person is addressed, not what
// they do.
var notRoles = setOf(`mr ms mrs miss mx dr sir madam hon`)

// titleText joins the title tokens of a name run, spelling out
// abbreviations and dropping honorifics; modifiers such as "former" are
// put in lower case ("Former Deputy Minister" opening a sentence).
func titleText(toks []tok, idx []int) string {
	var parts []string
	for _, k := range idx {
		t := toks[k]
		switch {
		case notRoles[t.low]:
		case titleAbbrevs[t.low] != "" && (strings.HasSuffix(t.s, ".") || len(t.s) <= 4 && t.s != strings.ToUpper(t.s)):
			parts = append(parts, titleAbbrevs[t.low])
		case nameModifiers[t.low]:
			parts = append(parts, t.low)
		default:
			parts = append(parts, t.s)
		}
	}
	return roleText(parts)
}

// roleText joins a role's words when one of them says what the person
// does: a party or a chamber alone ("Republican", "House") is no role,
// nor is a tie to someone else ("rival", "wife").
func roleText(parts []string) string {
	for _, p := range parts {
		w := strings.ToLower(strings.TrimSuffix(p, "."))
		if (roleNouns[w] || titleAbbrevs[w] != "") && !relationalRoles[w] && !partyWords[w] {
			return strings.Join(parts, " ")
		}
	}
	return ""
}

// relationalRoles name a person through someone else, and partyWords an
// affiliation: neither is a title.
var relationalRoles = setOf(`rival opponent challenger wife husband son daughter mother father brother sister
man woman friend incumbent frontrunner front-runner contender victim suspect witness veteran resident`)

var partyWords = setOf(`republican democrat democratic conservative liberal labour tory green`)

// roleBefore reads a role noun phrase in lower case right before the name
// at token i: "harbour master Ines Varga", "union general secretary Jane
// Roe", "her deputy, Jane Roe". It returns "" when there is none.
func roleBefore(toks []tok, i, lo int) string {
	end := i - 1
	if end-1 >= lo && toks[end].is(",") && toks[end-1].word && roleNouns[toks[end-1].low] && !toks[end-1].isCap() {
		return roleText([]string{toks[end-1].s}) // "her deputy, Jane Roe"
	}
	if end < lo || !toks[end].word || toks[end].isCap() || !roleNouns[toks[end].low] {
		return ""
	}
	from := end
	for k := end - 1; k >= lo && k > end-4; k-- {
		t := toks[k]
		// "Harbour master Jane Roe" opening a sentence.
		if t.word && t.isCap() && k == lo && !roleStops(t) && !isNumberWord(t.low) {
			from = k
			break
		}
		if !t.word || t.isCap() || t.quote >= 0 || roleStops(t) {
			break
		}
		from = k
	}
	return roleText(wordsOf(toks, from, end+1))
}

// roleStops are the words a role phrase never runs back over.
func roleStops(t tok) bool {
	w := t.low
	return determiners[w] || sentenceStarters[w] || isReportVerb(w) || subjectPronouns[w] || modals[w] ||
		auxiliaries[w] || isPossessive(t) || strings.HasSuffix(w, "ly") || w == "by" || w == "said"
}

// roleAfter reads an appositive role after the name ending at token j:
// "Ines Varga, the harbour master, said" → "harbour master"; "Jane Roe, an
// astronomer at the observatory" → "astronomer". The phrase ends at its
// last role noun before a preposition, a clause or the closing comma.
func roleAfter(toks []tok, j, hi int) string {
	if j+1 >= hi || !toks[j].is(",") || !toks[j+1].word || !determiners[toks[j+1].low] {
		return ""
	}
	from := j + 2
	last := -1
	for k := from; k < hi && k < from+6; k++ {
		t := toks[k]
		if !t.word || t.quote >= 0 {
			break
		}
		// "the club's treasurer": the owner says whose, not what.
		if isPossessive(t) && last < 0 {
			from = k + 1
			continue
		}
		if roleNouns[t.low] {
			last = k
			continue
		}
		// "the secretary of state": the portfolio belongs to the role.
		if last == k-1 && t.low == "of" {
			n := 0
			for m := k + 1; m < hi && m <= k+2 && toks[m].word && !determiners[toks[m].low] && !sentenceStarters[toks[m].low] && toks[m].quote < 0; m++ {
				n = m - k
			}
			if n > 0 && (k+n+1 >= hi || !toks[k+n+1].word) {
				last = k + n
			}
			break
		}
		if last >= 0 || determiners[t.low] || sentenceStarters[t.low] || isReportVerb(t.low) {
			break
		}
	}
	if last < 0 {
		return ""
	}
	return roleText(wordsOf(toks, from, last+1))
}

// wordsOf is the text of tokens [a, b), one string each.
func wordsOf(toks []tok, a, b int) []string {
	out := make([]string, 0, b-a)
	for k := a; k < b; k++ {
		out = append(out, toks[k].s)
	}
	return out
}

// joinToks is the text of tokens [a, b) joined by single spaces.
func joinToks(toks []tok, a, b int) string {
	return strings.Join(wordsOf(toks, a, b), " ")
}
