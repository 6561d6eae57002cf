// Package describe finds an article's metadata: title, outlet, authors,
// publication time with its zone, language and URL.
package describe

import (
	"bytes"
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/RadhiFadlillah/whatlanggo"
	"github.com/dossiernews/dossier/internal/clean"
	"golang.org/x/net/html"

	_ "time/tzdata" // zones must resolve on machines without a zone database
)

// Hints are what the input stated outright (a JSONL record's fields). They win
// over anything inferred, when they parse.
type Hints struct {
	URL, Title, Outlet, Published, Language string
	Authors                                 []string
}

// Input is one cleaned article and everything known about where it came from.
type Input struct {
	Source string // path or path#N, for clues such as the file name
	Page   clean.Page
	HTML   []byte // the page when the input was HTML, as UTF-8 text unless Doc is nil
	// Doc is the page parsed once for every stage (clean.Parse); when nil,
	// HTML is taken as raw bytes, decoded and parsed here.
	Doc   *html.Node
	Hints Hints
}

// Meta is an article's metadata.
type Meta struct {
	Title, Outlet, URL, Language string
	Authors, Contacts            []string
	// Published is zero when unknown: never invented.
	Published time.Time
	// Modified is the last modification the page states, zero when none.
	Modified time.Time
}

// Describe returns the metadata of one article.
func Describe(in Input) Meta {
	var m Meta
	doc := pageTree(in)
	pi := readPage(doc)
	p := in.Page

	m.URL = firstURL(in.Hints.URL, pi.canonical, pi.ogURL, p.Meta.URL)

	// Bylines: the lines clean set aside, plus short "By …" lines it left at
	// the edges of the body.
	var bls []byline
	var bylines []clean.Line
	for _, l := range p.Removed {
		if l.Kind == clean.Byline {
			bylines = append(bylines, l)
		}
	}
	// In page order, whatever order they were set aside in: the first
	// byline's people come first.
	slices.SortStableFunc(bylines, func(a, b clean.Line) int { return cmp.Compare(a.Index, b.Index) })
	for _, l := range bylines {
		bls = append(bls, parseByline(l.Text))
	}
	for _, para := range edgeParagraphs(p.Paragraphs) {
		if reByPrefix.MatchString(para) && len(strings.Fields(para)) <= 12 {
			bls = append(bls, parseByline(para))
		}
	}

	var names, emails []string
	var bylineAgency *agency
	var bylineOrgs []string
	for _, b := range bls {
		names = append(names, b.names...)
		emails = append(emails, b.emails...)
		bylineOrgs = append(bylineOrgs, b.orgs...)
		if len(b.agencies) > 0 && bylineAgency == nil {
			a := b.agencies[0]
			bylineAgency = &a
		}
	}

	// Authors: stated ones win; then bylines; then the page's own metadata.
	var authors []string
	statedAgency := (*agency)(nil)
	for _, a := range in.Hints.Authors {
		n, ags, _ := splitPeople(a, true)
		authors = append(authors, n...)
		if len(ags) > 0 && statedAgency == nil {
			statedAgency = &ags[0]
		}
	}
	if len(authors) == 0 {
		authors = names
	}
	if len(authors) == 0 {
		var ags []agency
		extracted := p.Meta.Author
		if extracted == "" && !pi.ldAuthor {
			// No JSON-LD article names its author: the people it names
			// elsewhere (creator, contributor) stand in, as go-trafilatura
			// reads them when it runs.
			extracted = strings.Join(pi.ldPeople, "; ")
		}
		authors, ags = pageAuthors(pi.authors, extracted, in.HTML)
		if len(ags) > 0 && bylineAgency == nil {
			bylineAgency = &ags[0]
		}
	}
	if len(authors) == 0 && doc != nil {
		authors = treeAuthors(doc)
	}
	if bylineAgency == nil {
		bylineAgency = statedAgency
	}

	m.Outlet = chooseOutlet(in, pi, bylineAgency, authors, bylineOrgs, emails, m.URL)
	m.Authors = dedupe(notOutlet(removeOutlet(authors, m.Outlet), m.Outlet, pi, in.Page.Meta.Sitename, m.URL))
	m.Contacts = dedupe(emails)

	m.Title = chooseTitle(in, pi, m.Outlet, m.URL)
	m.Language = chooseLanguage(in, pi)
	m.Published, m.Modified = choosePublished(in, pi, doc, bls, m.Outlet, m.URL, m.Contacts, m.Language)
	return m
}

// pageAuthors reads the authors a page's metadata names: those of its meta
// tags and JSON-LD in document order, then those only the extractor found
// in the order the page writes them. The extractor walks JSON-LD objects in
// map order and joins what it finds with "; ", so its order is no order.
func pageAuthors(own []string, extracted string, raw []byte) ([]string, []agency) {
	var names []string
	var ags []agency
	add := func(field string) []string {
		n, a, _ := splitPeople(field, false)
		ags = append(ags, a...)
		return n
	}
	for _, a := range own {
		if a != "" {
			names = append(names, add(a)...)
		}
	}
	var extra []string
	for _, a := range strings.Split(extracted, ";") {
		for _, n := range add(strings.TrimSpace(a)) {
			same := func(m string) bool { return strings.EqualFold(m, n) }
			if !slices.ContainsFunc(names, same) && !slices.ContainsFunc(extra, same) {
				extra = append(extra, n)
			}
		}
	}
	return append(names, inPageOrder(extra, raw)...), ags
}

// inPageOrder sorts names by where the raw page first writes them (case
// aside), names it does not write last and alphabetically: never by the
// order they came in.
func inPageOrder(names []string, raw []byte) []string {
	if len(names) < 2 {
		return names
	}
	low := bytes.ToLower(raw)
	at := make(map[string]int, len(names))
	for _, n := range names {
		i := bytes.Index(low, []byte(strings.ToLower(n)))
		if i < 0 {
			i = len(low)
		}
		at[n] = i
	}
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int {
		if c := cmp.Compare(at[a], at[b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}

// edgeParagraphs are the first two and the last paragraph, where leftover
// bylines sit.
func edgeParagraphs(ps []string) []string {
	var out []string
	for i, s := range ps {
		if i < 2 || i == len(ps)-1 {
			out = append(out, s)
		}
	}
	return out
}

func firstURL(cands ...string) string {
	for _, c := range cands {
		c = strings.TrimSpace(c)
		if u, err := url.Parse(c); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return c
		}
	}
	return ""
}

// chooseOutlet applies the precedence: stated > a wire byline (a republished
// agency story) > the site's own name > an agency sign-off or dateline > a
// footer or furniture line naming the publisher > the domain.
func chooseOutlet(in Input, pi pageInfo, bylineAgency *agency, people, orgs, emails []string, pageURL string) string {
	if o := normSpace(in.Hints.Outlet); o != "" {
		return canonicalOutlet(o)
	}
	if bylineAgency != nil && len(people) == 0 {
		return bylineAgency.name
	}
	sites, weak := siteNames(in, pi)
	for _, s := range sites {
		if !looksLikeDomain(s) {
			return canonicalOutlet(s)
		}
	}
	if a, ok := signedAgency(in.Page.Paragraphs); ok {
		return a.name
	}
	if bylineAgency != nil {
		return bylineAgency.name
	}
	domains := outletDomains(pageURL, emails)
	footName, spelt := footerDomainOutlet(in.Page, domains)
	if spelt {
		return footName
	}
	if o := footerOutlet(in.Page); o != "" {
		return o
	}
	if o := phraseDomainOutlet(in.Page, domains, people); o != "" {
		return o
	}
	if footName != "" {
		return footName
	}
	if o := datelineOutlet(in.Page.Paragraphs); o != "" {
		return o
	}
	for _, o := range orgs {
		return o
	}
	// A title part that spells the domain is the outlet's proper name, which
	// beats the bare domain ("… | Harbour Times" on harbourtimes.*).
	if o := titleDomainName(in, pi, domains); o != "" {
		return o
	}
	if o := mastheadOutlet(in.Page); o != "" {
		return o
	}
	if h := hostOf(pageURL); h != "" {
		return domainName(h)
	}
	for _, s := range append(sites, weak...) {
		return s
	}
	for _, e := range emails {
		if d := e[strings.LastIndexByte(e, '@')+1:]; !freeMail[registrable(d)] {
			return domainName(d)
		}
	}
	return ""
}

// siteNames are the names the page gives itself, best first: og:site_name,
// the JSON-LD publisher, the extractor's site name, application-name. A
// platform's name ("Blogger"), a social-media handle or an address names no
// outlet: those come back apart as fallbacks, an address as its domain.
func siteNames(in Input, pi pageInfo) (names, fallbacks []string) {
	extracted := normSpace(in.Page.Meta.Sitename)
	if strings.Contains(extracted, "; ") {
		// The extractor joins several publishers in no set order.
		extracted = firstInPage(strings.Split(extracted, "; "), in.HTML)
	}
	handle := normSpace(pi.handle)
	if !strings.HasPrefix(handle, "@") && strings.Contains(handle, " ") {
		handle = "" // a name, not a handle
	}
	for i, s := range []string{pi.siteName, pi.publisher, extracted, pi.appName} {
		s = normSpace(s)
		switch {
		case s == "" || slices.Contains(names, s) || slices.Contains(fallbacks, s):
		case strings.Contains(s, "://"):
			if h := hostOf(s); h != "" {
				fallbacks = append(fallbacks, domainName(h))
			}
		case namesPlatform(s):
		case i == 2 && handle != "" && squash(s) == squash(handle):
			// The extractor falls back on the Twitter handle.
			fallbacks = append(fallbacks, s)
		default:
			names = append(names, s)
		}
	}
	return names, fallbacks
}

// firstInPage returns the candidate written first in the raw page, else the
// first in sort order, so that the answer never depends on the input order.
func firstInPage(cands []string, raw []byte) string {
	best, bestAt := "", -1
	for _, c := range cands {
		c = normSpace(c)
		if c == "" {
			continue
		}
		at := bytes.Index(raw, []byte(c))
		switch {
		case best == "",
			at >= 0 && (bestAt < 0 || at < bestAt),
			at < 0 && bestAt < 0 && c < best:
			best, bestAt = c, at
		}
	}
	return best
}

// canonicalOutlet gives an agency its usual name, other outlets as written.
func canonicalOutlet(s string) string {
	if a, ok := agencyNamed(s); ok {
		return a.name
	}
	return s
}

var (
	reSignOff  = regexp.MustCompile(`\(([\p{L} .\-]{2,40})\)\s*(?:\(END\)|\(end\))?\s*$`)
	reDateline = regexp.MustCompile(`^[\p{Lu}][\p{L} .,'\-]{1,60}\(([\p{L} .\-]{2,40})\)\s*[-–—:]`)
)

// signedAgency finds an agency's sign-off at the end of the body ("… (Yonhap)")
// or its dateline at the start ("SEOUL (AP) —").
func signedAgency(ps []string) (agency, bool) {
	if len(ps) == 0 {
		return agency{}, false
	}
	for i := 0; i < len(ps) && i < 2; i++ {
		if m := reDateline.FindStringSubmatch(ps[i]); m != nil {
			if a, ok := agencyNamed(m[1]); ok {
				return a, true
			}
		}
	}
	for i := len(ps) - 1; i >= 0 && i >= len(ps)-2; i-- {
		if m := reSignOff.FindStringSubmatch(strings.TrimSpace(ps[i])); m != nil {
			if a, ok := agencyNamed(m[1]); ok {
				return a, true
			}
		}
	}
	return agency{}, false
}

// datelineOutlet reads a masthead from a dateline that credits a newspaper
// as agencies are credited ("LONDON (Harbor Gazette) - …").
func datelineOutlet(ps []string) string {
	var m []string
	for i := 0; i < len(ps) && i < 2 && m == nil; i++ {
		m = reDateline.FindStringSubmatch(ps[i])
	}
	if m == nil {
		return ""
	}
	words := strings.Fields(m[1])
	if len(words) > 5 {
		return ""
	}
	if _, person := personName(words); person && !isOrgName(words) {
		return ""
	}
	return cleanOutletName(m[1])
}

var (
	// The mark opens the line (or a footer segment): mid-line it is a photo credit.
	reCopyright   = regexp.MustCompile(`(?i)(?:^|[|•·]\s*)(?:copyright|©|\(c\))\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)?\s*[,.:]?\s*(?:by\s+)?(.+)$`)
	reCutOutlet   = regexp.MustCompile(`(?i)\s*(?:[|.,;:]\s|all rights|tous droits|alle rechte|todos los derechos|tutti i diritti|\ball\b|\binc\b|\bllc\b|\bltd\b|\bgmbh\b|\bplc\b|\bvom\b|\d| - | – | — |$).*$`)
	reRights      = regexp.MustCompile(`(?i)rights|reserved|droits|rechte|derechos|diritti|copyright`)
	reAbbrevPoint = regexp.MustCompile(`\b(\p{Lu}\p{Ll}?)\. `)
	rePhotoWord   = regexp.MustCompile(`(?i)\b(?:photo|foto|bild|image|picture|getty|imago|shutterstock|istock|dpa-bildfunk)`)
)

// footerOutlet reads the publisher from a footer's rights line: "Copyright
// 2021 X", "© X". Footers sit at the end, so lines are read from the last.
func footerOutlet(p clean.Page) string {
	lines := make([]string, 0, len(p.Removed)+3)
	for _, l := range p.Removed {
		if l.Kind == clean.Furniture || l.Kind == clean.Byline {
			lines = append(lines, normSpace(l.Text))
		}
	}
	for i := max(len(p.Paragraphs)-2, 0); i < len(p.Paragraphs); i++ {
		if len(strings.Fields(p.Paragraphs[i])) <= 15 {
			lines = append(lines, normSpace(p.Paragraphs[i]))
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if len(strings.Fields(l)) > 12 || rePhotoWord.MatchString(l) {
			continue
		}
		if m := reCopyright.FindStringSubmatch(l); m != nil {
			o := cleanOutletName(m[1])
			// "© Jane Doe" alone is a photographer's credit, not a masthead.
			if _, person := personName(strings.Fields(o)); o != "" && (!person || reRights.MatchString(strings.TrimPrefix(strings.ToLower(l), "copyright"))) {
				return o
			}
		}
	}
	return ""
}

// cleanOutletName cuts a footer's captured tail down to the outlet's name.
func cleanOutletName(s string) string {
	// The point of an abbreviation ("St. Anne's Herald") ends no name.
	s = reAbbrevPoint.ReplaceAllString(s, "$1.\u00a0")
	s = strings.TrimSpace(reCutOutlet.ReplaceAllString(" "+s, ""))
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.Trim(s, " .,;:-–—|©")
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 6 {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return ""
	}
	for _, w := range words {
		if notNames[strings.ToLower(w)] || strings.ContainsAny(w, "@?!") {
			return ""
		}
	}
	if a, ok := agencyNamed(s); ok {
		return a.name
	}
	return s
}

// freeMail domains say nothing about the outlet.
var freeMail = setOf("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "mail.com",
	"protonmail.com", "gmx.de", "gmx.net", "web.de", "naver.com", "daum.net", "qq.com", "163.com", "yandex.ru", "mail.ru")

// domainName is the outlet named by its domain: "www.valleypost.example" →
// "valleypost.example".
func domainName(host string) string { return siteDomain(host) }

func looksLikeDomain(s string) bool {
	return !strings.Contains(s, " ") && strings.Count(s, ".") >= 1 && !strings.HasSuffix(s, ".")
}

var reTitleSep = regexp.MustCompile(`\s+[|\-–—:·•»«›‹]{1,2}\s+`)

// chooseTitle picks the stated or extracted headline and strips a site-name
// suffix when it names the outlet.
func chooseTitle(in Input, pi pageInfo, outlet, pageURL string) string {
	t := ""
	for _, c := range []string{in.Hints.Title, in.Page.Title, in.Page.Meta.Title, pi.ogTitle, pi.title} {
		if c = normSpace(c); IsHeadline(c) {
			t = capTitle(c)
			break
		}
	}
	names := []string{outlet, pi.siteName, in.Page.Meta.Sitename, pi.publisher}
	if h := hostOf(pageURL); h != "" {
		names = append(names, siteDomain(h), ownerLabel(h))
	}
	locs := reTitleSep.FindAllStringIndex(t, -1)
	if len(locs) == 0 {
		return t
	}
	last := locs[len(locs)-1]
	head, tail := t[:last[0]], t[last[1]:]
	if head != "" && namesOutlet(tail, names) {
		return strings.TrimSpace(head)
	}
	first := locs[0]
	if head, tail := t[:first[0]], t[first[1]:]; tail != "" && namesOutlet(head, names) {
		return strings.TrimSpace(tail)
	}
	return t
}

// reURLish is a title that is only an address: a URL or a bare host.
// A bare host must be in lower case: "Node.js" is a name.
var reURLish = regexp.MustCompile(`^(?:(?i:[a-z][a-z0-9+.-]*://\S*|www\.\S+)|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:/\S*)?)$`)

// IsHeadline reports whether a stated or extracted title can be a headline:
// not empty, not a date alone (by its shape), not an address, and with
// letters in it.
func IsHeadline(s string) bool {
	if s == "" || dateOnly(s) || reURLish.MatchString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// maxTitle bounds a title: a longer "title" is a paragraph a feed put there.
const maxTitle = 300

// capTitle cuts a title longer than maxTitle bytes at the last word boundary
// before it (mid-word only when the title has no space there).
func capTitle(s string) string {
	if len(s) <= maxTitle {
		return s
	}
	cut := maxTitle
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut+1], ' '); i > 0 {
		cut = i
	}
	return strings.TrimRight(s[:cut], " ,;:-–—|")
}

// namesOutlet reports whether s is one of the outlet's names, compared on
// letters and digits only ("HarbourTimes.com" ~ "harbourtimes").
func namesOutlet(s string, names []string) bool {
	k := squash(s)
	// "harbour news online", "Harbour News.com": the outlet with a generic tail.
	for _, tail := range []string{"online", "com", "de", "net", "org", "website"} {
		if t := strings.TrimSuffix(k, tail); len(t) >= 4 {
			k = t
		}
	}
	if k == "" {
		return false
	}
	for _, n := range names {
		nk := squash(n)
		if nk == "" {
			continue
		}
		if k == nk || strings.TrimPrefix(k, "the") == strings.TrimPrefix(nk, "the") ||
			len(nk) >= 4 && strings.HasPrefix(k, nk) && len(k)-len(nk) <= 4 || len(k) >= 4 && strings.HasPrefix(nk, k) {
			return true
		}
	}
	return false
}

func squash(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func normSpace(s string) string { return strings.Join(strings.FieldsFunc(s, isSpace), " ") }

// inferZone returns the zone for wall times stated without one, only from
// solid evidence: the outlet's known home, else the URL's or e-mail's ccTLD.
func inferZone(outlet, pageURL string, emails []string) *time.Location {
	if a, ok := agencyNamed(outlet); ok {
		return loadZone(a.zone)
	}
	if z, ok := outletZones[strings.TrimPrefix(strings.ToLower(outlet), "the ")]; ok {
		return loadZone(z)
	}
	hosts := []string{hostOf(pageURL)}
	for _, e := range emails {
		hosts = append(hosts, e[strings.LastIndexByte(e, '@')+1:])
	}
	for _, h := range hosts {
		if i := strings.LastIndexByte(h, '.'); i >= 0 {
			if z, ok := tldZones[h[i+1:]]; ok {
				return loadZone(z)
			}
		}
	}
	return nil
}

// choosePublished takes the stated time, else the page's, else a byline's,
// else a dateline at the very start of the text. Nothing else counts: a
// weekday in the body is not a publication date. The modified time comes
// from the page only. lang is the article's language, stated or detected.
func choosePublished(in Input, pi pageInfo, doc *html.Node, bls []byline, outlet, pageURL string, emails []string, lang string) (published, modified time.Time) {
	loc := inferZone(outlet, pageURL, emails)
	dayFirst := dayFirstFor(loc, pi.lang, true)
	hinted, hintOK := time.Time{}, false
	if in.Hints.Published != "" {
		hinted, hintOK = parseStated(in.Hints.Published, loc, dayFirst)
	}
	var pt pageTimes
	if len(in.HTML) > 0 {
		var err error
		if pt, err = pageDate(pi, doc, pageURL, loc, dayFirst, !hintOK); err != nil {
			pt = pageTimes{}
		}
	}
	if hintOK {
		return hinted, pt.modified
	}
	if !pt.published.IsZero() {
		return pt.published, pt.modified
	}
	return chooseTextPublished(in, bls, loc, lang, dayFirst), pt.modified
}

// chooseTextPublished finds the publication time in the text alone. A
// date written with numbers alone whose order of day and month nothing
// settles (2/3/2009 on an English page with no region or zone) is passed
// over: a date wrong by months misleads more than none.
func chooseTextPublished(in Input, bls []byline, loc *time.Location, lang string, dayFirst bool) time.Time {
	orderKnown := orderKnown(loc, lang)
	parse := func(s string) (stamp, bool) {
		st, ok := parseDateText(s, dayFirst)
		if !ok || !plausible(st) {
			return st, false
		}
		// Only a day and month that could trade places need a second read.
		if !orderKnown && st.day <= 12 && st.month <= 12 && st.day != st.month {
			if other, _ := parseDateText(s, !dayFirst); other.month != st.month || other.day != st.day {
				return st, false
			}
		}
		return st, true
	}
	if in.Page.Meta.Date != "" {
		if st, ok := parse(in.Page.Meta.Date); ok {
			return st.in(loc)
		}
	}
	// Byline dates: a publication keyword beats an update.
	var updated time.Time
	for _, b := range bls {
		if b.date == "" {
			continue
		}
		st, ok := parse(b.date)
		if !ok {
			continue
		}
		if isUpdate(b.date) {
			if updated.IsZero() {
				updated = st.in(loc)
			}
			continue
		}
		return st.in(loc)
	}
	for _, s := range append([]string{in.Hints.Title}, leadingLines(in.Page)...) {
		if dateOnly(s) {
			if st, ok := parse(s); ok {
				if isUpdate(s) {
					if updated.IsZero() {
						updated = st.in(loc)
					}
					continue
				}
				return st.in(loc)
			}
		}
	}
	return updated
}

var reUpdateWord = regexp.MustCompile(`(?i)^\W*(last\s+)?(updated|modified|aktualisiert|mis à jour|actualizado|aggiornato)`)

func isUpdate(s string) bool { return reUpdateWord.MatchString(s) }

// leadingLines are the lines at the very start of the text: the title (a
// dump may start with its dateline), the first removed lines and the first
// two paragraphs.
func leadingLines(p clean.Page) []string {
	out := []string{p.Title}
	for _, l := range p.Removed {
		if l.Index <= 3 && l.Kind != clean.Caption {
			out = append(out, l.Text)
		}
	}
	for i, s := range p.Paragraphs {
		if i >= 2 {
			break
		}
		line, _, _ := strings.Cut(s, "\n")
		out = append(out, line)
	}
	return out
}

// dateFiller are the words a dateline may hold besides the date itself.
var dateFiller = setOf("on", "at", "the", "of", "de", "del", "am", "pm", "a.m.", "p.m.", "published", "updated", "posted",
	"first", "last", "originally", "modified", "date", "et", "le", "el", "um", "uhr", "h", "a", "p", "m")

// dateOnly reports whether s is a dateline: a full date and nothing but
// weekday, time, zone and filler words.
func dateOnly(s string) bool {
	s = normaliseDateText(s)
	if len(s) > 120 {
		return false
	}
	var st stamp
	if _, ok := findDay(s, false, &st); !ok {
		return false
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '.'
	}) {
		lw := strings.ToLower(strings.Trim(w, "."))
		if lw == "" || dateFiller[lw] || weekdays[lw] || monthNum(lw) > 0 || zoneWords[strings.ToUpper(lw)] != "" {
			continue
		}
		return false
	}
	return true
}

// parseStated reads a stated publication time in any common form, keeping
// its offset when it has one.
func parseStated(s string, loc *time.Location, dayFirst bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, time.RFC1123Z, time.RFC1123, time.RFC850, time.RubyDate, time.UnixDate, time.ANSIC, time.RFC822Z, time.RFC822} {
		if t, err := time.Parse(layout, s); err == nil {
			if strings.Contains(layout, "MST") && t.Location().String() != "UTC" {
				// A named zone Go could not place comes back as a zero offset.
				if _, off := t.Zone(); off == 0 {
					break
				}
			}
			return t, true
		}
	}
	if st, ok := parseDateText(s, dayFirst); ok {
		return st.in(loc), true
	}
	return time.Time{}, false
}

// chooseLanguage: stated > detected from a long enough text > the page's lang.
func chooseLanguage(in Input, pi pageInfo) string {
	if l := isoLang(in.Hints.Language); l != "" {
		return l
	}
	text := in.Page.Title + "\n" + strings.Join(in.Page.Paragraphs, "\n")
	// A couple of paragraphs settle the language; more only costs time.
	if len(text) > 1500 {
		text = text[:1500]
		for !utf8.ValidString(text) && len(text) > 0 {
			text = text[:len(text)-1]
		}
	}
	stated := isoLang(pi.lang)
	if stated == "" {
		stated = isoLang(in.Page.Meta.Language)
	}
	if !longEnough(text) {
		return stated
	}
	info := whatlanggo.Detect(text)
	code := info.Lang.Iso6391()
	if info.IsReliable() || stated == "" {
		return code
	}
	return stated
}

// longEnough: about fifteen words, or forty letters of a script without spaces.
func longEnough(s string) bool {
	if len(strings.Fields(s)) >= 15 {
		return true
	}
	n := 0
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai) {
			n++
		}
	}
	return n >= 40
}

// isoLang turns "en-US", "en_GB", "eng" or "English" into an ISO 639-1 code.
func isoLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	s, _, _ = strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	if len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' {
		return s
	}
	if len(s) == 3 {
		if l := whatlanggo.CodeToLang(s); l != -1 {
			return l.Iso6391()
		}
	}
	return ""
}

func removeOutlet(names []string, outlet string) []string {
	out := names[:0:0]
	for _, n := range names {
		if strings.EqualFold(n, outlet) {
			continue
		}
		if _, ok := agencyNamed(n); ok {
			continue
		}
		out = append(out, n)
	}
	return out
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		k := strings.ToLower(x)
		if x == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, x)
	}
	return out
}
