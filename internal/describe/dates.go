package describe

import (
	"github.com/dossiernews/dossier/internal/words"
	"regexp"
	"strconv"
	"strings"
	"time"

	dps "github.com/markusmobius/go-dateparser"
)

// stamp is a date read from text before a zone is chosen for it: the wall
// clock as written, plus the zone only when the text stated one.
type stamp struct {
	year, month, day     int
	hour, minute, second int
	hasTime              bool
	zone                 *time.Location // nil when the text named no zone
}

// in returns the stamp as a time, in its stated zone, else in loc, else UTC.
// A date without a time is midnight in that zone.
func (s stamp) in(loc *time.Location) time.Time {
	z := s.zone
	if z == nil {
		z = loc
	}
	if z == nil {
		z = time.UTC
	}
	return time.Date(s.year, time.Month(s.month), s.day, s.hour, s.minute, s.second, 0, z)
}

var (
	// Tokenised crawls write "10: 30", "05 / 03 / 2013" and "a. m.".
	reSpacedColon = regexp.MustCompile(`(\d)\s*:\s*(\d)`)
	reSpacedSlash = regexp.MustCompile(`(\d)\s*/\s*(\d)`)
	reSpacedAMPM  = regexp.MustCompile(`(?i)\b([ap])\.\s*m\.`)
	reOrdinal     = regexp.MustCompile(`(?i)\b(\d{1,2})(st|nd|rd|th)\b`)

	reClock     = regexp.MustCompile(`(?i)(?:^|[^\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([ap])\.?m?\.?(?:[^a-z]|$))?`)
	reClockAMPM = regexp.MustCompile(`(?i)(?:^|[^\d:.])(\d{1,2})\s*([ap])\.?m\.?(?:[^a-z]|$)`)

	reOffset   = regexp.MustCompile(`(?i)(?:\b(?:gmt|utc)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?\b`)
	reZoneWord = regexp.MustCompile(`\b([A-Z]{1,2}[A-Z]T|[A-Z]{2,3}ST|[A-Z]{2,3}DT|UTC|GMT|Z|ET|PT|CT|MT)\b`)

	reYMD = regexp.MustCompile(`\b((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	reDMY = regexp.MustCompile(`\b(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*[-/.]\s*((?:19|20)\d\d|\d\d)\b`)
	// Month names are matched against a table below; these find their place.
	reDayMonYear = regexp.MustCompile(`(?i)\b(\d{1,2})\.?\s*(?:de\s+)?([\p{L}]{3,10})\.?,?\s*(?:de\s+)?((?:19|20)\d\d)\b`)
	reMonDayYear = regexp.MustCompile(`(?i)\b([\p{L}]{3,10})\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b`)
	reISOish     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}`)
)

// zoneWords are common zone abbreviations in bylines. Abbreviations with a
// daylight pair map to the region so that the right offset is used for the day.
var zoneWords = map[string]string{
	"UTC": "UTC", "GMT": "UTC", "Z": "UTC",
	"ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
	"CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
	"MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
	"PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
	"BST": "Europe/London", "CET": "Europe/Paris", "CEST": "Europe/Paris", "MEZ": "Europe/Berlin", "MESZ": "Europe/Berlin",
	"EET": "Europe/Athens", "EEST": "Europe/Athens", "MSK": "Europe/Moscow",
	"KST": "Asia/Seoul", "JST": "Asia/Tokyo", "HKT": "Asia/Hong_Kong", "SGT": "Asia/Singapore",
	"AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "ACST": "Australia/Adelaide", "AWST": "Australia/Perth",
	"NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland", "WIB": "Asia/Jakarta", "PHT": "Asia/Manila",
}

// monthNum returns the month a word names, or 0.
func monthNum(w string) int {
	return words.Month(w)
}

// normaliseDateText undoes crawl tokenisation so the patterns see one form.
func normaliseDateText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u2009', '\u202f', '\t', '\n', '\r':
			return ' '
		}
		return r
	}, s)
	s = reSpacedColon.ReplaceAllString(s, "$1:$2")
	s = reSpacedColon.ReplaceAllString(s, "$1:$2") // overlapping "23: 37: 00"
	s = reSpacedSlash.ReplaceAllString(s, "$1/$2")
	s = reSpacedSlash.ReplaceAllString(s, "$1/$2")
	s = reSpacedAMPM.ReplaceAllString(s, "${1}m")
	s = reOrdinal.ReplaceAllString(s, "$1")
	return s
}

// parseDateText reads the first full date (day, month and year) in s, with a
// time and zone when they are written next to it. It never guesses a missing
// part of the date: "Wednesday" or "March 2014" alone give ok=false.
// dayFirst settles 03/05/2013 when neither number can only be a day.
func parseDateText(s string, dayFirst bool) (stamp, bool) {
	if len(s) > 400 {
		s = s[:400]
	}
	s = strings.TrimSpace(s)
	if reISOish.MatchString(s) || strings.HasSuffix(s, "Z") {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00"} {
			if t, err := time.Parse(layout, s); err == nil {
				if !plausibleYear(t.Year()) {
					return stamp{}, false
				}
				return stamp{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), true, t.Location()}, true
			}
		}
	}
	s = normaliseDateText(s)
	// An American zone written beside the date says the date is month-first.
	if m := reZoneWord.FindStringSubmatch(s); m != nil && strings.HasPrefix(zoneWords[m[1]], "America/") {
		dayFirst = false
	}
	var st stamp
	rest, ok := findDay(s, dayFirst, &st)
	if !ok {
		return stamp{}, false
	}
	findClock(rest, &st)
	return st, true
}

// findDay fills the date part of st and returns s with the date blanked out.
func findDay(s string, dayFirst bool, st *stamp) (string, bool) {
	type hit struct {
		at, end, y, m, d int
	}
	var best *hit
	consider := func(h hit) {
		if !validDay(h.y, h.m, h.d) {
			return
		}
		if best == nil || h.at < best.at {
			best = &h
		}
	}
	if m := reYMD.FindStringSubmatchIndex(s); m != nil {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(hit{m[0], m[1], y, mo, d})
	}
	for _, m := range reDMY.FindAllStringSubmatchIndex(s, 3) {
		a, _ := strconv.Atoi(s[m[2]:m[3]])
		sep := s[m[4]:m[5]]
		b, _ := strconv.Atoi(s[m[6]:m[7]])
		y, _ := strconv.Atoi(s[m[8]:m[9]])
		if m[9]-m[8] == 2 {
			y += 2000
			if y > time.Now().Year()+1 {
				y -= 100
			}
		}
		d, mo := a, b
		switch {
		case a > 12:
		case b > 12:
			d, mo = b, a
		case sep == "/" && !dayFirst:
			d, mo = b, a
		}
		consider(hit{m[0], m[1], y, mo, d})
	}
	for _, m := range reDayMonYear.FindAllStringSubmatchIndex(s, 3) {
		mo := monthNum(s[m[4]:m[5]])
		if mo == 0 {
			continue
		}
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(hit{m[0], m[1], y, mo, d})
	}
	for _, m := range reMonDayYear.FindAllStringSubmatchIndex(s, 3) {
		mo := monthNum(s[m[2]:m[3]])
		if mo == 0 {
			continue
		}
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(hit{m[0], m[1], y, mo, d})
	}
	if best == nil {
		return s, false
	}
	st.year, st.month, st.day = best.y, best.m, best.d
	return s[:best.at] + " # " + s[best.end:], true
}

func validDay(y, m, d int) bool {
	if !plausibleYear(y) || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// findClock fills the time and zone of st from what is left beside the date.
func findClock(s string, st *stamp) {
	at := -1
	if m := reClock.FindStringSubmatchIndex(s); m != nil {
		h, _ := strconv.Atoi(s[m[2]:m[3]])
		mi, _ := strconv.Atoi(s[m[4]:m[5]])
		sec := 0
		if m[6] >= 0 {
			sec, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		ampm := ""
		if m[8] >= 0 {
			ampm = strings.ToLower(s[m[8]:m[9]])
		}
		if h, ok := hour12(h, ampm); ok && mi < 60 && sec < 60 {
			st.hour, st.minute, st.second, st.hasTime = h, mi, sec, true
			at = m[1]
		}
	} else if m := reClockAMPM.FindStringSubmatchIndex(s); m != nil {
		h, _ := strconv.Atoi(s[m[2]:m[3]])
		if h, ok := hour12(h, strings.ToLower(s[m[4]:m[5]])); ok {
			st.hour, st.hasTime = h, true
			at = m[1]
		}
	}
	if !st.hasTime {
		return
	}
	// A zone counts only when written after the time.
	tail := s[max(at-1, 0):]
	if m := reZoneWord.FindStringSubmatch(tail); m != nil {
		if name, ok := zoneWords[m[1]]; ok {
			if loc, err := time.LoadLocation(name); err == nil {
				st.zone = loc
			}
		}
	}
	if m := reOffset.FindStringSubmatch(tail); m != nil {
		h, _ := strconv.Atoi(m[2])
		mi := 0
		if m[3] != "" {
			mi, _ = strconv.Atoi(m[3])
		}
		// "10:00-11:30" is a range, not an offset: a bare ±hh:mm counts only
		// after seconds, as ISO 8601 writes it, or after GMT/UTC.
		named := strings.Contains(strings.ToUpper(tail), "GMT") || strings.Contains(strings.ToUpper(tail), "UTC")
		iso := m[3] != "" && (len(m[0]) == 5 && !strings.Contains(m[0], ":") || st.second != 0 || strings.Count(s[:max(at, 0)], ":") >= 2)
		if h <= 14 && mi < 60 && (named || iso) {
			off := h*3600 + mi*60
			if m[1] == "-" {
				off = -off
			}
			st.zone = time.FixedZone("", off)
		}
	}
}

// hour12 turns a clock hour with an optional "a"/"p" into 0-23.
func hour12(h int, ampm string) (int, bool) {
	switch ampm {
	case "":
		return h, h < 24
	case "a":
		if h < 1 || h > 12 {
			return 0, false
		}
		return h % 12, true
	default:
		if h < 1 || h > 12 {
			return 0, false
		}
		return h%12 + 12, true
	}
}

// plausibleYear bounds the years a news page's date may name, whichever
// way it was written: outside them the text is not a publication date.
func plausibleYear(y int) bool { return y >= 1900 && y <= 2100 }

var reYearFirst = regexp.MustCompile(`^\s*(?:19|20)\d\d\D`)

// unstatedZone marks a go-dateparser result whose text named no zone. It is
// never modified.
var unstatedZone = time.FixedZone("unstated", 0)

// isoLayouts are the machine shapes read without the date parser: nearly
// every stated time is one of them.
var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700", "2006-01-02T15:04:05.999999999Z0700", time.RFC1123Z, time.RFC1123}

// localLayouts are ISO 8601 shapes without a zone: the page's wall clock.
var localLayouts = []string{time.DateOnly, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04", "2006-01-02 15:04"}

// parseMachineDate reads a time a page states in its metadata. The usual
// ISO 8601 forms are read directly; any other shape goes through
// go-dateparser (strict: day, month and year must all be written) with the
// page's language and date order; text it cannot read falls back on
// parseDateText.
func parseMachineDate(s string, dayFirst bool, lang string) (stamp, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 100 || s == "" {
		return stamp{}, false
	}
	// A well-formed time outside the years a publication date can be in
	// (2821-10-15, a typo) is no date at all.
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return stamp{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), true, t.Location()}, plausibleYear(t.Year())
		}
	}
	for _, layout := range localLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return stamp{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), layout != time.DateOnly, nil}, plausibleYear(t.Year())
		}
	}
	if st, ok := dateparserStamp(s, dayFirst, lang); ok {
		return st, true
	}
	return parseDateText(s, dayFirst)
}

// dateparserStamp asks go-dateparser for a full date; a panic inside the
// library is a failure.
func dateparserStamp(s string, dayFirst bool, lang string) (st stamp, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			st, ok = stamp{}, false
		}
	}()
	cfg := &dps.Configuration{
		StrictParsing:      true,
		ReturnTimeAsPeriod: true,
		DefaultTimezone:    unstatedZone,
		DefaultLanguages:   []string{"en"},
		DateOrder:          dps.MDY,
	}
	switch {
	case reYearFirst.MatchString(s):
		cfg.DateOrder = dps.YMD
	case dayFirst:
		cfg.DateOrder = dps.DMY
	}
	if l := isoLang(lang); l != "" && dps.IsKnownLocale(l) {
		cfg.Languages = []string{l, "en"}
	}
	d, err := dps.Parse(cfg, s)
	if err != nil || d.IsZero() {
		return stamp{}, false
	}
	t := d.Time
	st = stamp{year: t.Year(), month: int(t.Month()), day: t.Day()}
	if d.Period.IsTime() {
		st.hour, st.minute, st.second, st.hasTime = t.Hour(), t.Minute(), t.Second(), true
	}
	if t.Location() != unstatedZone {
		st.zone = t.Location()
	}
	return st, validDay(st.year, st.month, st.day)
}
