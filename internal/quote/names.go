package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Canonical maps the speaker names of one story's articles, given in order
// of appearance, to one name per speaker, so that a person or organisation
// is named alike across outlets:
//   - a person by the fullest proper name any article gives, without titles
//     or honorifics: "Brennvik", "Ms. Brennvik", "Deputy Minister Tove
//     Brennvik" → "Tove Brennvik";
//   - two people of one surname stay two ("Ana Korr", "Pavel Korr"), and a
//     bare "Korr" is then left as it is: which one is meant is unknown;
//   - an organisation by its full name, its acronym included ("IMB" →
//     "International Maritime Bureau"), a leading "the" dropped;
//   - anything else (a description, a group, a place) as it is.
//
// Every input name is a key of the result. The result depends only on the
// names and their order.
func Canonical(names []string) map[string]string {
	out := make(map[string]string, len(names))
	var people []*canonPerson
	var orgs []*canonOrg
	parsed := make([]canonName, len(names))
	for i, n := range names {
		parsed[i] = parseCanonName(n)
		c := parsed[i]
		switch {
		case c.kind == canonPersonKind && len(c.words) > 1:
			people = addPerson(people, c)
		case c.kind == canonOrgKind && !c.acronym:
			orgs = addOrg(orgs, c)
		}
	}
	for i, n := range names {
		c := parsed[i]
		out[n] = n
		switch c.kind {
		case canonPersonKind:
			if p := findPerson(people, c); p != nil {
				out[n] = p.display
			} else if len(c.words) == 1 && !surnameShared(people, c.words[0]) {
				out[n] = c.display // "Ms. Brennvik" alone → "Brennvik"
			}
		case canonOrgKind:
			if o := findOrg(orgs, c); o != nil {
				out[n] = o.display
			} else {
				out[n] = c.display
			}
		}
	}
	return out
}

const (
	canonOther = iota
	canonPersonKind
	canonOrgKind
)

// canonName is one speaker name read as a person, an organisation or
// neither.
type canonName struct {
	kind    int
	display string   // the name proper, titles stripped, as written
	words   []string // its words in lower case
	acronym bool
}

type canonPerson struct {
	display string
	words   []string
}

type canonOrg struct {
	display string
	key     string // lower case
	acr     string // lower-case initials
}

// parseCanonName reads a speaker name the way the article text is read:
// titles and honorifics before a name are stripped, a run with an
// organisation noun or in capitals is an organisation.
func parseCanonName(n string) canonName {
	s := strings.TrimSpace(n)
	if s == "" || !utf8.ValidString(s) {
		return canonName{}
	}
	// "Roe's family", "the organisers": lower-case words describe; such a
	// speaker is no proper name.
	toks := tokenize(s, 0, len(s), nil, 0)
	start := 0
	if len(toks) > 1 && toks[0].word && toks[0].low == "the" {
		start = 1
	}
	for k := start; k < len(toks); k++ {
		t := toks[k]
		if !t.word || isPossessive(t) && k < len(toks)-1 {
			return canonName{}
		}
		if !t.isCap() && !isConnector(t.low) && t.low != "of" && t.low != "for" && t.low != "and" && !unicode.IsDigit(firstRune(t.s)) {
			return canonName{}
		}
	}
	if start >= len(toks) {
		return canonName{}
	}
	nr := parseRun(toks, start, len(toks), true)
	if nr.place || nr.from >= nr.to {
		return canonName{}
	}
	display := runName(toks, nr.from, nr.to)
	c := canonName{display: display, words: nameWords(display)}
	if nr.org {
		c.kind = canonOrgKind
		w := strings.TrimSuffix(display, ".")
		c.acronym = len(c.words) == 1 && strings.ToUpper(w) == w
		return c
	}
	c.kind = canonPersonKind
	return c
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// sameGiven reports given names of one person: equal, or one an initial
// of the other ("J." and "Jane").
func sameGiven(a, b string) bool {
	if a == b {
		return true
	}
	if utf8.RuneCountInString(a) == 1 || utf8.RuneCountInString(b) == 1 {
		return firstRune(a) == firstRune(b)
	}
	return false
}

// samePerson reports two full names of one person: one surname, one given
// name ("Jane Roe", "Jane A. Roe", "J. Roe").
func samePerson(a, b []string) bool {
	return a[len(a)-1] == b[len(b)-1] && sameGiven(a[0], b[0])
}

// addPerson merges a full name into the people found so far, keeping the
// fullest form (the first seen on a tie).
func addPerson(people []*canonPerson, c canonName) []*canonPerson {
	var match *canonPerson
	for _, p := range people {
		if samePerson(p.words, c.words) {
			if match != nil {
				return people // "J. Roe" with "Jane Roe" and "John Roe": unknown
			}
			match = p
		}
	}
	if match == nil {
		return append(people, &canonPerson{display: c.display, words: c.words})
	}
	if fullerName(c.words, match.words) {
		match.display, match.words = c.display, c.words
	}
	return people
}

// fullerName reports whether a says more of a name than b: more words, or
// as many with a given name spelt out rather than an initial.
func fullerName(a, b []string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return utf8.RuneCountInString(a[0]) > 1 && utf8.RuneCountInString(b[0]) == 1
}

// findPerson is the one person a name refers to, or nil when none or
// several might be meant.
func findPerson(people []*canonPerson, c canonName) *canonPerson {
	var found *canonPerson
	for _, p := range people {
		ok := false
		if len(c.words) == 1 {
			ok = p.words[len(p.words)-1] == c.words[0]
		} else {
			ok = samePerson(p.words, c.words)
		}
		if ok {
			if found != nil {
				return nil
			}
			found = p
		}
	}
	return found
}

func surnameShared(people []*canonPerson, surname string) bool {
	n := 0
	for _, p := range people {
		if p.words[len(p.words)-1] == surname {
			n++
		}
	}
	return n > 1
}

// addOrg records an organisation's full name once.
func addOrg(orgs []*canonOrg, c canonName) []*canonOrg {
	key := strings.ToLower(c.display)
	for _, o := range orgs {
		if o.key == key {
			return orgs
		}
	}
	acr := ""
	if len(c.words) > 1 {
		acr = strings.ToLower(initials(c.display))
	}
	return append(orgs, &canonOrg{display: c.display, key: key, acr: acr})
}

// findOrg is the organisation a name or acronym refers to, or nil when
// none or several might be meant.
func findOrg(orgs []*canonOrg, c canonName) *canonOrg {
	key := strings.ToLower(c.display)
	for _, o := range orgs {
		if o.key == key {
			return o
		}
	}
	if !c.acronym {
		return nil
	}
	var found *canonOrg
	for _, o := range orgs {
		if o.acr != "" && o.acr == strings.ToLower(strings.ReplaceAll(c.display, ".", "")) {
			if found != nil {
				return nil
			}
			found = o
		}
	}
	return found
}
