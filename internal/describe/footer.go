package describe

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/clean"
)

var (
	// reDomainIn finds a host written out in a line ("harbourtimes.example",
	// "www.news.co.uk"); hosts are written in lower case, which keeps "U.S."
	// and "Inc." out.
	reDomainIn = regexp.MustCompile(`(?:https?://)?\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b`)
	reEmailIn  = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)
	// reFooterSep splits a footer line into its parts: around dashes and bars
	// set off by spaces, and around a copyright mark.
	reFooterSep = regexp.MustCompile(`(?i)\s+[|—–·•/-]\s+|\s*(?:©|\(c\)|\bcopyright\b)\s*`)
	reHasMark   = regexp.MustCompile(`(?i)©|\(c\)|\bcopyright\b`)
	// reCopyrightWord is the mark spelt out, which is no rights notice.
	reCopyrightWord = regexp.MustCompile(`(?i)\bcopyright\b`)
	reYears         = regexp.MustCompile(`^(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\.?$`)
	reLeadYear      = regexp.MustCompile(`^(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?[\s,.:]*`)
)

// nameJoiners may stand lower-case inside an outlet's name ("Voice of the Bay").
var nameJoiners = setOf("of", "the", "and", "&", "de", "du", "des", "la", "le", "der", "die", "das", "am", "an", "im", "y", "e", "di", "del")

// footerNameLine reads an outlet named by a short footer line of the shapes
// "<Name> — <domain>", "<Name> | <domain>", "<Name> © <year>" or
// "© <year> <Name>". A name that spells one of domains (or a domain in the
// line itself) wins; matched reports that.
func footerNameLine(line string, domains []string) (name string, matched bool) {
	line = normSpace(line)
	if line == "" || len(strings.Fields(line)) > 14 || rePhotoWord.MatchString(line) {
		return "", false
	}
	noMail := reEmailIn.ReplaceAllString(line, " ")
	inLine := reDomainIn.FindAllString(noMail, -1)
	mark := reHasMark.MatchString(line)
	if len(inLine) == 0 && !mark {
		return "", false
	}
	all := append(append([]string(nil), inLine...), domains...)
	var cand string
	names, seen := 0, false
	for _, seg := range reFooterSep.Split(noMail, -1) {
		seg = strings.TrimSpace(seg)
		switch {
		case seg == "", reYears.MatchString(seg):
			continue
		case reDomainIn.MatchString(seg):
			if len(strings.Fields(seg)) == 1 {
				continue
			}
			// A domain inside words is a sentence ("Read more at …").
			return "", false
		}
		n := cleanOutletName(reLeadYear.ReplaceAllString(seg, ""))
		if len(squash(n)) < 3 || !nameWords(strings.Fields(n)) {
			// A part that is neither name, domain, year nor rights notice
			// means the line is a sentence, not a footer.
			if !reRights.MatchString(seg) {
				return "", false
			}
			seen = true // a rights notice first leaves no name in front
			continue
		}
		if spellsDomain(n, all) {
			return n, true
		}
		names++
		if !seen {
			cand = n
		}
		seen = true
	}
	// Only the name that opens the footer names the outlet: a second name
	// is a menu entry or a theme's credit.
	if cand == "" || names > 1 {
		return "", false
	}
	// "Jane Doe — janedoe.example" or "© Jane Doe" credit a person unless a
	// rights notice says the line is the publisher's.
	if _, person := personName(strings.Fields(cand)); person && !isOrgName(strings.Fields(cand)) &&
		!reRights.MatchString(reCopyrightWord.ReplaceAllString(line, "")) {
		return "", false
	}
	return cand, false
}

// nameWords: a proper name phrase, every word capitalised save joiners.
func nameWords(words []string) bool {
	if len(words) == 0 || len(words) > 6 {
		return false
	}
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			continue
		}
		if i > 0 && nameJoiners[strings.ToLower(w)] {
			continue
		}
		return false
	}
	return true
}

// spellsDomain reports whether name, without spaces and case, is the owner's
// label of one of the hosts or holds it ("Harbour Times" ≈ harbourtimes,
// "The Daily Fernbrook" ⊇ fernbrook).
func spellsDomain(name string, hosts []string) bool {
	k := strings.TrimPrefix(squash(name), "the")
	if len(k) < 3 {
		return false
	}
	for _, h := range hosts {
		h = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(h), "https://"), "http://")
		h, _, _ = strings.Cut(h, "/")
		label := strings.TrimPrefix(squash(ownerLabel(h)), "the")
		if label == "" {
			continue
		}
		// Short labels ("ft", "ap") match too much by containment.
		if k == label || len(label) >= 5 && strings.Contains(k, label) {
			return true
		}
	}
	return false
}

// tailLines are the short lines at the end of the page where a footer sits:
// removed furniture among the last few input lines and the last two
// paragraphs, the last line last.
func tailLines(p clean.Page) []string {
	total := len(p.Removed) + len(p.Paragraphs) + len(p.Captions)
	var rem []clean.Line
	for _, l := range p.Removed {
		total = max(total, l.Index+1)
		if l.Kind == clean.Furniture {
			rem = append(rem, l)
		}
	}
	sort.SliceStable(rem, func(i, j int) bool { return rem[i].Index < rem[j].Index })
	var out []string
	for _, l := range rem {
		if l.Index >= total-footerWindow {
			out = append(out, l.Text)
		}
	}
	for i := max(len(p.Paragraphs)-2, 0); i < len(p.Paragraphs); i++ {
		if len(strings.Fields(p.Paragraphs[i])) <= 14 {
			out = append(out, p.Paragraphs[i])
		}
	}
	return out
}

// footerWindow is how many closing lines may hold the footer: a masthead
// line, rights, a cookie notice, a comment prompt and share buttons.
const footerWindow = 6

// footerDomainOutlet names the outlet from the page's closing lines; a name
// that spells a known domain beats one that only has the footer's shape.
func footerDomainOutlet(p clean.Page, domains []string) (string, bool) {
	lines := tailLines(p)
	shaped := ""
	for i := len(lines) - 1; i >= 0; i-- {
		n, ok := footerNameLine(lines[i], domains)
		if ok {
			return n, true
		}
		if shaped == "" {
			shaped = n
		}
	}
	return shaped, false
}

// outletDomains are the hosts that may be the outlet's own: the page's and
// those of byline e-mails, free mail excepted.
func outletDomains(pageURL string, emails []string) []string {
	var out []string
	if h := hostOf(pageURL); h != "" {
		out = append(out, h)
	}
	for _, e := range emails {
		if d := strings.ToLower(e[strings.LastIndexByte(e, '@')+1:]); d != "" && !freeMail[registrable(d)] {
			out = append(out, d)
		}
	}
	return out
}

// titleDomainName finds, among the parts of the page's titles, a name phrase
// that spells one of domains.
func titleDomainName(in Input, pi pageInfo, domains []string) string {
	if len(domains) == 0 {
		return ""
	}
	for _, t := range []string{in.Hints.Title, in.Page.Title, in.Page.Meta.Title, pi.ogTitle, pi.title} {
		t = normSpace(t)
		locs := reTitleSep.FindAllStringIndex(t, -1)
		if len(locs) == 0 {
			continue
		}
		// The outlet's name stands first or last, never in the middle.
		parts := []string{t[locs[len(locs)-1][1]:], t[:locs[0][0]]}
		for _, part := range parts {
			if w := strings.Fields(part); nameWords(w) && len(w) <= 5 && spellsDomain(part, domains) {
				return part
			}
		}
	}
	return ""
}

// furnitureLines are the lines clean set aside as furniture, in page order,
// then the short closing paragraphs a footer may have been left in.
func furnitureLines(p clean.Page) []string {
	var rem []clean.Line
	for _, l := range p.Removed {
		if l.Kind == clean.Furniture {
			rem = append(rem, l)
		}
	}
	sort.SliceStable(rem, func(i, j int) bool { return rem[i].Index < rem[j].Index })
	out := make([]string, 0, len(rem)+2)
	for _, l := range rem {
		out = append(out, normSpace(l.Text))
	}
	for i := max(len(p.Paragraphs)-2, 0); i < len(p.Paragraphs); i++ {
		if len(strings.Fields(p.Paragraphs[i])) <= 14 {
			out = append(out, normSpace(p.Paragraphs[i]))
		}
	}
	return out
}

// phraseDomainOutlet finds, in the page's furniture, a capitalised name
// phrase whose letters hold the owner's label of one of domains: with an
// e-mail at valleypost.example, "Share your view with the Valley Post" names
// the Valley Post. A phrase that is one of people (the authors) is no outlet.
func phraseDomainOutlet(p clean.Page, domains, people []string) string {
	if len(domains) == 0 {
		return ""
	}
	var labels []string
	for _, d := range domains {
		if l := strings.TrimPrefix(squash(ownerLabel(d)), "the"); len(l) >= 3 {
			labels = append(labels, l)
		}
	}
	lines := furnitureLines(p)
	for i := len(lines) - 1; i >= 0; i-- {
		for _, ph := range namePhrases(lines[i]) {
			o := phraseSpelling(ph, labels)
			if o == "" || slices.ContainsFunc(people, func(n string) bool { return squash(n) == squash(o) }) {
				continue
			}
			return o
		}
	}
	return ""
}

// phrase is a run of capitalised words in a line; initial says it opens the
// line or a sentence, whole that it is all the line holds.
type phrase struct {
	words          []string
	initial, whole bool
}

// Marks that may stick to a word's edges; an opening mark or a closing one
// other than a quote ends the phrase.
const (
	openPunct  = "\"'“‘«([{¿¡"
	closePunct = "\"'”’»)]},.;:!?"
	endPunct   = ",.;:!?)]}"
)

var reDomainWord = regexp.MustCompile(`^[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.[A-Za-z]{2,}$`)

// namePhrases splits a line into its runs of capitalised words, joiners
// ("of", "the") allowed inside; e-mails and written domains break runs.
func namePhrases(line string) []phrase {
	line = reEmailIn.ReplaceAllString(line, " | ")
	line = reDomainIn.ReplaceAllString(line, " | ")
	toks := strings.Fields(line)
	var out []phrase
	var cur []string
	start, initial := 0, true
	nextInitial := true
	flush := func(end int) {
		for len(cur) > 0 && nameJoiners[strings.ToLower(cur[len(cur)-1])] {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			out = append(out, phrase{words: cur, initial: initial, whole: start == 0 && end == len(toks)})
		}
		cur = nil
	}
	for i, raw := range toks {
		w := strings.TrimLeft(raw, openPunct)
		opened := w != raw
		w = strings.TrimRight(w, closePunct)
		trailing := raw[len(strings.TrimRight(raw, closePunct)):]
		ended := strings.ContainsAny(trailing, endPunct)
		if opened && len(cur) > 0 {
			flush(i)
		}
		if reDomainWord.MatchString(w) {
			// A domain in capitals ("VALLEYPOST.EXAMPLE") is no name either.
			flush(i)
			nextInitial = false
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		capital := w != "" && (unicode.IsUpper(r) || unicode.IsDigit(r) && strings.IndexFunc(w, unicode.IsLetter) >= 0)
		joiner := len(cur) > 0 && nameJoiners[strings.ToLower(w)]
		switch {
		case capital || joiner:
			if len(cur) == 0 {
				start, initial = i, nextInitial
			}
			cur = append(cur, w)
		default:
			flush(i)
		}
		nextInitial = false
		if ended {
			flush(i + 1)
			nextInitial = strings.ContainsAny(trailing, ".!?")
		}
	}
	flush(len(toks))
	return out
}

// phraseSpelling returns the part of ph that names the outlet whose domain
// label is one of labels: the words that spell the label and at most two
// words around them. A capital that opens a sentence is no sign of a name, so
// a first word outside the spelling is dropped unless the phrase is the line.
func phraseSpelling(ph phrase, labels []string) string {
	words := ph.words
	for _, label := range labels {
		lo, hi, ok := spellingWindow(words, label)
		if !ok {
			continue
		}
		ws := words
		if ph.initial && !ph.whole && lo > 0 {
			ws, lo, hi = ws[1:], lo-1, hi-1
		}
		if len(ws) > 6 || len(ws)-(hi-lo) > 2 {
			continue
		}
		if o := cleanOutletName(strings.Join(ws, " ")); o != "" && nameWords(strings.Fields(o)) {
			return o
		}
	}
	return ""
}

// spellingWindow finds the fewest consecutive words whose letters, joined,
// hold label (or are it, for a label shorter than five letters).
func spellingWindow(words []string, label string) (lo, hi int, ok bool) {
	best := -1
	for i := range words {
		k := ""
		for j := i; j < len(words) && j < i+6; j++ {
			k += squash(words[j])
			if len(label) < 5 && k == label || len(label) >= 5 && strings.Contains(k, label) {
				if best < 0 || j+1-i < best {
					best, lo, hi = j+1-i, i, j+1
				}
				break
			}
		}
	}
	return lo, hi, best > 0
}

var reMasthead = regexp.MustCompile(`(?i)^(.{2,60}?)\s*(?:[—–|:,]|\s-)\s+(.*\b(?:since|established|est\.|founded|seit|gegründet|depuis|fondé en|desde|fundado en|dal|fondato nel)\s+(?:1[5-9]|20)\d\d)\b`)

// mastheadOutlet reads a masthead's tagline in the furniture: "Valley Post —
// news from the hills since 1952". A name followed by a founding year is the
// site's own description; a person's name is not taken.
func mastheadOutlet(p clean.Page) string {
	for _, l := range furnitureLines(p) {
		if len(strings.Fields(l)) > 16 || rePhotoWord.MatchString(l) {
			continue
		}
		m := reMasthead.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		words := strings.Fields(m[1])
		n := cleanOutletName(m[1])
		if n == "" || n != strings.TrimSpace(strings.Trim(m[1], " .,;:-–—|©")) || !nameWords(words) {
			continue
		}
		if _, person := personName(words); person && !isOrgName(words) {
			continue
		}
		return n
	}
	return ""
}
