package describe

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// dateSignals are the dates a page states about itself, gathered in one walk
// of its tree, each kind in document order.
type dateSignals struct {
	published []string // first publication: article meta, JSON-LD, itemprop
	weak      []string // a generic "date" meta, dateCreated: often but not always the publication
	modified  []string // modification and update times
	keyword   []string // visible text after a publication keyword ("Published", "Erschienen am")
	near      []string // short visible texts holding a date, nearest to the headline first
}

// Meta names by what their date means. Names are compared in lower case.
var (
	pubMetaNames = setOf("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
		"article.published", "article:published", "published_time", "pubdate", "publishdate", "publish-date", "publish_date",
		"publication_date", "parsely-pub-date", "dc.date.issued", "dcterms.issued", "citation_publication_date",
		"originalpublicationdate", "article_date_original", "date.published", "vr:published-time", "datecreated")
	weakMetaNames = setOf("date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "sailthru.date",
		"citation_date", "citation_online_date", "created", "creation_date")
	modMetaNames = setOf("article:modified_time", "og:updated_time", "og:modified_time", "datemodified", "article:modified",
		"modified_time", "dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "revised", "updated_time")
)

// rePubKeyword introduces a first-publication date in visible text, in the
// languages most news is written in; "updated" words are not among them.
var rePubKeyword = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(first published|originally published|published|posted|erschienen|veröffentlicht|publiziert|publié|publiée|mis en ligne|publicado|publicada|pubblicato|pubblicata|gepubliceerd|geplaatst|opublikowano|publikováno|publicerad|publiceret|publisert|julkaistu)(?:[^\p{L}]|$)`)

// Headline distance bounds, in text nodes: a date this close to the h1 is the
// article's own, farther away it is a teaser's or the page header's.
const (
	nearAfter   = 30
	nearBefore  = 10
	maxNear     = 160 // bytes: a longer text is a paragraph that mentions a date
	maxDateline = 40  // bytes at the start of a paragraph where a dateline sits
)

// collectDates walks the tree once for every date the page states. ld is
// readPage's JSON-LD objects by script; titles are the page's stated
// titles, which tell the headline among its headings.
func collectDates(doc *html.Node, ld map[*html.Node][]map[string]any, titles ...string) dateSignals {
	var ds dateSignals
	if doc == nil {
		return ds
	}
	type text struct {
		s       string
		time    string // a <time datetime> around it
		updated bool   // inside an element marked as an update time
	}
	type heading struct {
		at, end, level int // texts[at:end] are the heading's
		text           string
	}
	var texts []text
	var heads []heading
	var itemPub []string
	var walk func(n *html.Node, depth int, timeAttr string, updated bool)
	walk = func(n *html.Node, depth int, timeAttr string, updated bool) {
		if depth > 400 {
			return
		}
		switch n.Type {
		case html.TextNode:
			if s := strings.TrimSpace(n.Data); s != "" {
				texts = append(texts, text{s, timeAttr, updated})
			}
			return
		case html.ElementNode:
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, depth+1, timeAttr, updated)
			}
			return
		}
		if classHas(attr(n, "class"), updateClasses) || strings.EqualFold(attr(n, "itemprop"), "dateModified") {
			updated = true
		}
		switch n.Data {
		case "style", "noscript", "template", "svg":
			return
		case "script":
			for _, o := range ld[n] {
				ldDates(o, &ds)
			}
			return
		case "meta":
			key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
			if key == "" {
				key = strings.ToLower(attr(n, "http-equiv"))
			}
			val := strings.TrimSpace(attr(n, "content"))
			switch {
			case val == "":
			case pubMetaNames[key]:
				ds.published = append(ds.published, val)
			case weakMetaNames[key]:
				ds.weak = append(ds.weak, val)
			case modMetaNames[key]:
				ds.modified = append(ds.modified, val)
			}
			return
		case "h1", "h2", "h3", "h4":
			if !classHas(attr(n, "class"), hiddenClasses) {
				heads = append(heads, heading{at: len(texts), level: int(n.Data[1] - '0'), text: nodeText(n)})
				defer func(i int) { heads[i].end = len(texts) }(len(heads) - 1)
			}
		case "time":
			if v := strings.TrimSpace(attr(n, "datetime")); v != "" {
				// The text the reader sees wins when it holds a full date.
				if _, ok := findDayIn(nodeText(n)); !ok {
					timeAttr = v
				}
				if hasAttr(n, "pubdate") {
					itemPub = append(itemPub, v)
				}
			}
		}
		switch strings.ToLower(attr(n, "itemprop")) {
		case "datepublished":
			if v := firstNonEmpty(attr(n, "datetime"), attr(n, "content"), nodeText(n)); v != "" {
				itemPub = append(itemPub, v)
			}
		case "datemodified":
			if v := firstNonEmpty(attr(n, "datetime"), attr(n, "content"), nodeText(n)); v != "" {
				ds.modified = append(ds.modified, v)
			}
		case "datecreated":
			if v := firstNonEmpty(attr(n, "datetime"), attr(n, "content")); v != "" {
				ds.weak = append(ds.weak, v)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1, timeAttr, updated)
		}
	}
	walk(doc, 0, "", false)
	// Microdata and pubdate times of many different days belong to a list (comments,
	// teasers), not to the page.
	if distinct(itemPub) < maxItemDays {
		ds.published = append(ds.published, itemPub...)
	}
	h1, h1end := -1, -1
	// The headline: the heading that is the page's title, else the first h1.
	var tks []string
	for _, t := range titles {
		// Some pages escape their meta titles twice.
		if k := squash(html.UnescapeString(t)); k != "" {
			tks = append(tks, k)
		}
	}
	for _, h := range heads {
		hk := squash(h.text)
		if len(hk) >= 8 && slices.ContainsFunc(tks, func(tk string) bool { return strings.Contains(tk, hk) }) {
			h1, h1end = h.at, h.end
			break
		}
	}
	if h1 < 0 {
		for _, h := range heads {
			if h.level == 1 && squash(h.text) != "" {
				h1, h1end = h.at, h.end
				break
			}
		}
	}

	for i, t := range texts {
		// A keyword's date is in its own text or the next one ("Erschienen am" | "26. Jan 2022").
		// No digit here or next, no date: most texts end at this cheap test.
		if len(t.s) > maxNear || !hasDigit(t.s) && (i+1 == len(texts) || !hasDigit(texts[i+1].s)) {
			continue
		}
		m := rePubKeyword.FindStringIndex(t.s)
		if m == nil {
			continue
		}
		cand := t.s[m[0]:]
		if _, ok := findDayIn(cand); !ok && i+1 < len(texts) {
			nx := texts[i+1]
			cand += " " + firstNonEmpty(nx.time, nx.s)
		}
		if _, ok := findDayIn(cand); ok {
			ds.keyword = append(ds.keyword, cand)
		}
	}
	if h1 >= 0 {
		// Nearest first: after the headline before the same distance before it.
		for d := 0; d <= nearAfter; d++ {
			for _, i := range []int{h1 + d, h1 - 1 - d} {
				if i < 0 || i >= len(texts) || (i < h1 && h1-1-i >= nearBefore) {
					continue
				}
				t := texts[i]
				// A date in the headline is its subject; an update is no publication.
				// A date inside the headline is its subject, unless the
				// headline opens with it.
				if (i >= h1 && i < h1end || inTitle(t.s, tks)) && !leadingDate(t.s) || t.updated || reUpdateWord.MatchString(t.s) {
					continue
				}
				if t.time != "" {
					ds.near = append(ds.near, t.time)
					continue
				}
				c := t.s
				if len(c) > maxNear {
					// A paragraph's dateline: "Harbourtown, (12.11.2021). The …".
					c = truncUTF8(c, maxDateline)
				}
				if _, ok := findDayIn(c); ok {
					ds.near = append(ds.near, c)
				}
			}
		}
	}
	return ds
}

var (
	// Class words, compared in lower case within the attribute: a regular
	// expression per element costs more than the whole walk.
	updateClasses = []string{"updated", "modified", "aktualisiert", "dateupdate", "date-update", "lastedit", "last-edit"}
	hiddenClasses = []string{"hidden", "sr-only", "screen-reader"}
)

// maxItemDays is how many different microdata publication dates make a list.
const maxItemDays = 3

// distinct counts the different days (the first ten bytes) of stated times.
func distinct(ss []string) int {
	seen := map[string]bool{}
	for _, s := range ss {
		seen[s[:min(len(s), 10)]] = true
	}
	return len(seen)
}

// inTitle reports whether s repeats a title (a breadcrumb, a share line).
func inTitle(s string, tks []string) bool {
	k := squash(s)
	return len(k) >= 8 && slices.ContainsFunc(tks, func(tk string) bool { return strings.Contains(tk, k) })
}

// leadingDate reports whether s opens with a full numeric date ("23.01.2022 - …").
func leadingDate(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	_, ok := findDayIn(truncUTF8(s, 12))
	return ok
}

// truncUTF8 cuts s to at most n bytes on a rune boundary.
func truncUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// classHas reports whether a class (or id) attribute holds one of words.
func classHas(class string, words []string) bool {
	if class == "" {
		return false
	}
	class = strings.ToLower(class)
	for _, w := range words {
		if strings.Contains(class, w) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// findDayIn reports whether s holds a full date.
func findDayIn(s string) (stamp, bool) {
	var st stamp
	if !hasDigit(s) {
		return st, false
	}
	_, ok := findDay(normaliseDateText(s), true, &st)
	return st, ok
}

// ldDates reads the dates of one of the page's own JSON-LD objects.
func ldDates(x map[string]any, ds *dateSignals) {
	if s, ok := x["datePublished"].(string); ok && s != "" {
		ds.published = append(ds.published, s)
	}
	for _, k := range []string{"dateCreated", "uploadDate"} {
		if s, ok := x[k].(string); ok && s != "" {
			ds.weak = append(ds.weak, s)
		}
	}
	if s, ok := x["dateModified"].(string); ok && s != "" {
		ds.modified = append(ds.modified, s)
	}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			return x
		}
	}
	return ""
}

// nodeText is the text under n, spaces normalised, bounded.
func nodeText(n *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if sb.Len() > maxNear {
			return
		}
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
			sb.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return normSpace(sb.String())
}

// pageTimes are what a page says of its own times: the first publication
// and the last modification, zero when unknown.
type pageTimes struct {
	published, modified time.Time
}

// nearConfirm is how many of the dates nearest the headline may be confirmed
// by a stated one: the first is the byline's, the next may be an update line.
const nearConfirm = 3

// pageDate finds a page's publication time. The page shows its reader a date
// beside the headline, and states dates in its metadata; a shown date that
// one of the stated ones (or htmldate's) confirms wins, since it is the one
// the page stands by. A stated modification confirms nothing: the first
// publication is wanted, even when the page shows its update. Otherwise: the stated publication, a date after a
// publication keyword, the shown date, a generic stated date, htmldate's.
// loc is the zone for times written without one.
func pageDate(pi pageInfo, doc *html.Node, pageURL string, loc *time.Location, dayFirst, wantPublished bool) (pageTimes, error) {
	var pt pageTimes
	if doc == nil {
		return pt, nil
	}
	dayFirst = dayFirstFor(loc, pi.lang, dayFirst)
	ds := collectDates(doc, pi.ld, pi.ogTitle, pi.title)
	pub := statedTimes(ds.published, loc, dayFirst, pi.lang)
	weak := statedTimes(ds.weak, loc, dayFirst, pi.lang)
	mod := statedTimes(ds.modified, loc, dayFirst, pi.lang)
	kw := shownTimes(ds.keyword, loc, dayFirst)
	near := shownTimes(ds.near, loc, dayFirst)
	// htmldate is the costliest reader and has the last word, so it runs
	// only when the page's own dates leave the day open.
	var hd time.Time
	hdDone := false
	htmldate := func() time.Time {
		if !hdDone {
			hd, _ = htmldateTime(doc, pageURL, loc, dayFirst)
			hdDone = true
		}
		return hd
	}
	if len(pub)+len(weak)+len(kw)+len(near) == 0 {
		t, err := htmldateTime(doc, pageURL, loc, dayFirst)
		if err != nil {
			return pt, err
		}
		hd, hdDone = t, true
	}
	if len(mod) > 0 {
		pt.modified = mod[0]
	}
	if !wantPublished {
		return pt, nil
	}
	stated := slices.Concat(pub, weak, kw)
	if u, ok := urlDay(pageURL, loc); ok {
		// A path's day is weak: it confirms a shown date, never stands alone.
		stated = append(stated, u)
	}
	pt.published = choosePageTime(near, stated, pub, kw, weak, htmldate, loc)
	return pt, nil
}

// choosePageTime applies pageDate's order. Stated times come in their own
// offset: the day is read in loc, else in that offset when the date shown
// beside the headline says so. htmldate, which reads the visible dates
// too, confirms only the nearest: a later one may be the page header's.
func choosePageTime(near, stated, pub, kw, weak []time.Time, hd func() time.Time, loc *time.Location) time.Time {
	for i, n := range near[:min(len(near), nearConfirm)] {
		// htmldate's answer comes after the stated ones, read only when
		// none of them is the shown date's day in loc.
		machine := stated
		if t, ok := confirmed(machine, n, loc); ok {
			return t
		}
		if i == 0 {
			if h := hd(); !h.IsZero() {
				if t, ok := confirmed([]time.Time{h}, n, loc); ok {
					return t
				}
				machine = append(slices.Clip(stated), h)
			}
		}
		for _, m := range machine {
			if sameDay(m, n) {
				return m
			}
		}
	}
	for _, l := range [][]time.Time{pub, kw, near, weak} {
		if len(l) > 0 {
			return toLocal(l[0], loc)
		}
	}
	return hd()
}

// confirmed is the first of machine whose day in loc is the shown date n's.
func confirmed(machine []time.Time, n time.Time, loc *time.Location) (time.Time, bool) {
	for _, m := range machine {
		if sameDay(toLocal(m, loc), n) {
			return toLocal(m, loc), true
		}
	}
	return time.Time{}, false
}

// statedTimes reads machine-readable times in document order, each in the
// offset it states (in loc when it states none).
func statedTimes(ss []string, loc *time.Location, dayFirst bool, lang string) []time.Time {
	var out []time.Time
	for _, s := range ss {
		st, ok := parseMachineDate(s, dayFirst, lang)
		if !ok || !plausible(st) {
			continue
		}
		out = append(out, st.in(loc))
	}
	return out
}

// shownTimes reads dates written for readers.
func shownTimes(ss []string, loc *time.Location, dayFirst bool) []time.Time {
	var out []time.Time
	for _, s := range ss {
		st, ok := parseDateText(s, dayFirst)
		if !ok || !plausible(st) {
			continue
		}
		out = append(out, toLocal(st.in(loc), loc))
	}
	return out
}

// htmldateTime is htmldate's extensive answer, corrected where its source
// text says otherwise, in loc when it stated no zone; zero when it found
// nothing or only invented a day.
func htmldateTime(doc *html.Node, pageURL string, loc *time.Location, dayFirst bool) (time.Time, error) {
	res, err := htmlDateOf(doc, pageURL)
	if err != nil {
		return time.Time{}, fmt.Errorf("htmldate: %w", err)
	}
	if res.IsZero() {
		return time.Time{}, nil
	}
	t := res.DateTime
	src := res.SrcString
	if len(src) > 400 {
		src = src[:400]
	}
	srcDate, srcOK := parseDateText(src, dayFirst)
	switch {
	case !srcOK && !res.HasTime && t.Day() == 1 && t.Month() == time.January && !reURLDay.MatchString(src):
		// A bare year (a copyright line) became January 1st: that day was
		// invented, so the page's date is unknown.
		return time.Time{}, nil
	case len(src) <= 40 && !res.HasTimezone && srcOK && plausible(srcDate) && !sameYMD(srcDate, t):
		// htmldate reads some day-first numeric dates month-first; the source
		// text, read with the outlet's convention, settles it.
		t = time.Date(srcDate.year, time.Month(srcDate.month), srcDate.day, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	case len(src) > 40 && !res.HasTimezone:
		// A passage holding an update date and a publication date: htmldate
		// may take the first; the one after a publication keyword wins.
		if at := publishKeywordAt(src); at >= 0 {
			if st, ok := parseDateText(src[at:], dayFirst); ok && plausible(st) && !sameYMD(st, t) {
				t = time.Date(st.year, time.Month(st.month), st.day, st.hour, st.minute, st.second, 0, time.UTC)
			}
		}
	}
	if res.HasTimezone {
		return toLocal(t, loc), nil
	}
	z := loc
	if z == nil {
		z = time.UTC
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, z), nil
}

// reURLPathDay is a year/month/day in a URL path: /2021/03/09/ or /20210309.
var reURLPathDay = regexp.MustCompile(`/((?:19|20)\d\d)[/-]?(\d\d)[/-]?(\d\d)(?:[/_.-]|$)`)

// urlDay reads the day a page's URL path names.
func urlDay(pageURL string, loc *time.Location) (time.Time, bool) {
	m := reURLPathDay.FindStringSubmatch(pageURL)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	st := stamp{year: y, month: mo, day: d}
	if !validDay(y, mo, d) || !plausible(st) {
		return time.Time{}, false
	}
	return st.in(loc), true
}

// dayFirstFor settles the numeric date order from the page's country, then
// its language: month first in the United States, day first nearly
// everywhere else.
func dayFirstFor(loc *time.Location, lang string, def bool) bool {
	if loc != nil {
		return !usZones[loc.String()]
	}
	l := strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	switch {
	case l == "en-us":
		return false
	case l != "" && l != "en" && !strings.HasPrefix(l, "en-"):
		return true
	}
	return def
}

// orderKnown reports whether the page says in which order its numeric
// dates write day and month: a zone inferred from the outlet or address,
// or a language other than English without a region.
func orderKnown(loc *time.Location, lang string) bool {
	l := strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	return loc != nil || l != "" && l != "en"
}

var usZones = setOf("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix",
	"America/Anchorage", "Pacific/Honolulu")
