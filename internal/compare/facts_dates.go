package compare

import (
	"strings"
	"time"

	"github.com/dossiernews/dossier/internal/words"
)

// dateValue is a day as a text states it: any of a weekday, a day or a
// range of days of a month, a month, a year. Zero fields are unstated.
type dateValue struct {
	year, month    int
	dayLo, dayHi   int
	weekday        int // 1 Monday … 7 Sunday, 0 unstated
	yearOfDocument int // the report's publication year, to name a date's weekday
}

func (a dateValue) compatible(o value) bool {
	b, ok := o.(dateValue)
	if !ok {
		return false
	}
	if a.year != 0 && b.year != 0 && a.year != b.year {
		return false
	}
	if a.month != 0 && b.month != 0 {
		if a.month != b.month {
			return false
		}
		if a.dayLo != 0 && b.dayLo != 0 && (a.dayHi < b.dayLo || b.dayHi < a.dayLo) {
			return false
		}
	}
	if a.weekday != 0 && b.weekday != 0 {
		return a.weekday == b.weekday
	}
	if a.weekday != 0 {
		return b.hasWeekday(a.weekday)
	}
	if b.weekday != 0 {
		return a.hasWeekday(b.weekday)
	}
	return true
}

// hasWeekday says whether the day may fall on weekday w; when the year
// is not known, it may.
func (a dateValue) hasWeekday(w int) bool {
	y := a.year
	if y == 0 {
		y = a.yearOfDocument
	}
	if y == 0 || a.month == 0 || a.dayLo == 0 {
		return true
	}
	for day := a.dayLo; day <= a.dayHi; day++ {
		wd := int(time.Date(y, time.Month(a.month), day, 12, 0, 0, 0, time.UTC).Weekday())
		if wd == 0 {
			wd = 7
		}
		if wd == w {
			return true
		}
	}
	return false
}

func (a dateValue) width() float64 {
	switch {
	case a.dayLo != 0:
		return float64(a.dayHi - a.dayLo + 1)
	case a.weekday != 0:
		return 1.5 // a day, though of an unstated week
	case a.month != 0:
		return 30
	}
	return 365
}

func (a dateValue) mentionedIn(d *doc) bool {
	for _, m := range d.dates {
		switch {
		case a.dayLo != 0:
			if m.month == a.month && m.dayLo == a.dayLo && m.dayHi == a.dayHi {
				return true
			}
		case a.weekday != 0:
			if m.weekday == a.weekday {
				return true
			}
		case a.month != 0:
			if m.month == a.month && (a.year == 0 || m.year == a.year) {
				return true
			}
		case a.year != 0:
			if m.year == a.year {
				return true
			}
		}
	}
	return false
}

var weekdays = map[string]int{"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7}

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// relativeDays make a weekday one of another week ("last Friday").
var relativeDays = words.Set("last next this coming following previous every each past")

// dayParts may follow a weekday without changing its day.
var dayParts = words.Set("morning afternoon evening night")

// eventDeterminers introduce the noun a date is attached to ("the vote on
// Tuesday").
var eventDeterminers = words.Set("the a an its their this that his her")

// clauseWords open a clause: a date after them is not the date of what
// comes before them.
var clauseWords = words.Set("when while after before because although though if unless whereas where who which that as and but since until")

// dateMatch is a date phrase read from tokens [first, last].
type dateMatch struct {
	v           dateValue
	first, last int
}

// readDate reads a date phrase at token i: "Wednesday", "Wednesday, Jan.
// 26", "Jan. 26, 2022", "26 January", "June 11-13", "in January 2022".
func (d *doc) readDate(i, past int) (dateMatch, bool) {
	m := dateMatch{first: i, last: i}
	w := strings.TrimSuffix(d.norm(i), "'s")
	if wd, ok := weekdays[w]; ok && isUpper(d.toks[i].Text) {
		m.v.weekday = wd
		if strings.HasSuffix(d.norm(i), "'s") {
			return m, true
		}
		if i+1 < past && strings.TrimSpace(d.gap(i)) == "," {
			if dm, ok := d.readMonthDay(i+1, past); ok && dm.v.dayLo != 0 {
				dm.v.weekday, dm.first = wd, i
				return dm, true
			}
		}
		return m, true
	}
	if d.toks[i].Kind == words.Number {
		// "26 January 2022"
		day, ok := dayNumber(d.toks[i].Text)
		if ok && i+1 < past && d.spaced(i) {
			if mo, ok := months[d.norm(i+1)]; ok && isUpper(d.toks[i+1].Text) {
				m.v.month, m.v.dayLo, m.v.dayHi, m.last = mo, day, day, i+1
				if i+2 < past && d.spaced(i+1) && d.toks[i+2].Kind == words.Number && isYear(d.toks[i+2].Text) {
					m.v.year, m.last = atoi(d.toks[i+2].Text), i+2
				}
				return m, true
			}
		}
		return m, false
	}
	return d.readMonthDay(i, past)
}

// readMonthDay reads "Jan. 26", "January 26, 2022", "June 11-13",
// "January 2022" or a month alone.
func (d *doc) readMonthDay(i, past int) (dateMatch, bool) {
	m := dateMatch{first: i, last: i}
	mo, ok := months[d.norm(i)]
	if !ok || !isUpper(d.toks[i].Text) {
		return m, false
	}
	m.v.month = mo
	abbreviated := len(d.toks[i].Text) <= 4 && d.norm(i) != "june" && d.norm(i) != "july"
	g := d.gap(i)
	if abbreviated && !strings.HasPrefix(g, ".") && !strings.HasPrefix(g, " ") {
		return m, false
	}
	if i+1 < past && strings.TrimSpace(strings.TrimPrefix(g, ".")) == "" && d.toks[i+1].Kind == words.Number {
		t := d.toks[i+1].Text
		if day, ok := dayNumber(t); ok {
			m.v.dayLo, m.v.dayHi, m.last = day, day, i+1
			if i+2 < past && (d.gap(i+1) == "-" || d.gap(i+1) == "–") && d.toks[i+2].Kind == words.Number {
				if hi, ok := dayNumber(d.toks[i+2].Text); ok && hi > day {
					m.v.dayHi, m.last = hi, i+2
				}
			}
			k := m.last
			if k+1 < past && (strings.TrimSpace(d.gap(k)) == "," || d.spaced(k)) && d.toks[k+1].Kind == words.Number && isYear(d.toks[k+1].Text) {
				m.v.year, m.last = atoi(d.toks[k+1].Text), k+1
			}
			return m, true
		}
		if isYear(t) {
			m.v.year, m.last = atoi(t), i+1
			return m, true
		}
	}
	// A month alone is a date only after a preposition: "in January"; "May"
	// and "March" alone are too often other words.
	if mo == 5 || mo == 3 || abbreviated || i == 0 {
		return m, false
	}
	switch d.norm(i - 1) {
	case "in", "since", "until", "by", "early", "late", "mid", "mid-":
		return m, true
	}
	return m, false
}

func dayNumber(s string) (int, bool) {
	if len(s) > 2 {
		return 0, false
	}
	n := atoi(s)
	return n, n >= 1 && n <= 31
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// readDates reads the dates of sentence si. Each is kept in d.dates; a
// date becomes a fact when the words it is attached to say of what: "the
// council voted on Tuesday" (when the council voted), "the vote on
// Tuesday", "Tuesday's vote" (date of the vote). A date attached to a verb
// of saying only dates a statement and is left alone.
func (d *doc) readDates(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	for i := first; i < past; i++ {
		m, ok := d.readDate(i, past)
		if !ok {
			// "approved in 2021": a year alone dates only its clause's event.
			if i > first && d.norm(i-1) == "in" && d.toks[i].Kind == words.Number && isYear(d.toks[i].Text) && !d.used[i] {
				v := dateValue{year: atoi(d.toks[i].Text), yearOfDocument: d.year}
				d.dates = append(d.dates, v)
				d.markUsed(i, i)
				d.addFrames(si, i, i, "date", "when", v)
			}
			continue
		}
		m.v.yearOfDocument = d.year
		d.dates = append(d.dates, m.v)
		d.markUsed(m.first, m.last)
		i = m.last
		if m.first > first && relativeDays[d.norm(m.first-1)] || d.relativeAfter(m.last, past) {
			continue
		}
		key, about := d.dateKey(m.first, m.last, first, past)
		if key == "" {
			d.addFrames(si, m.first, m.last, "date", "when", m.v)
			continue
		}
		end := d.toks[m.last].Start + len(trimPossessive(d.toks[m.last].Text))
		d.add(fact{key: "date|" + key, about: about, val: m.v, start: d.toks[m.first].Start, end: end, sent: d.sents[si]})
		d.addFrames(si, m.first, m.last, "date", "when", m.v)
	}
}

// relativeAfter says whether the date is one of another week or an
// example: "Tuesday next week", "Mondays".
func (d *doc) relativeAfter(last, past int) bool {
	if strings.HasSuffix(d.norm(last), "s") && weekdays[strings.TrimSuffix(d.norm(last), "s")] != 0 {
		return true
	}
	return last+2 < past && (d.norm(last+1) == "next" || d.norm(last+1) == "last") && d.norm(last+2) == "week"
}

// dateKey says what the date or time written in tokens [mFirst, mLast]
// is the date of, or "".
func (d *doc) dateKey(mFirst, mLast, first, past int) (key, about string) {
	m := struct{ first, last int }{mFirst, mLast}
	// "Tuesday's vote", "the June 14 summit": the noun after the date.
	possessive := strings.HasSuffix(d.norm(m.last), "'s")
	if possessive || m.first > first && d.norm(m.first-1) == "the" {
		var ks, as []string
		for j := m.last + 1; j < past && len(ks) < 3 && d.spaced(j-1) && d.toks[j].Kind == words.Word; j++ {
			w := d.norm(j)
			if words.IsStop(w) || sayVerbs[w] || dayParts[w] {
				break
			}
			ks, as = append(ks, stem(w)), append(as, d.about(j))
			if clauseGap(d.gap(j)) {
				break
			}
		}
		if len(ks) > 0 {
			return strings.Join(sortedSet(ks), " "), "date of the " + strings.Join(as, " ")
		}
		if possessive {
			return "", ""
		}
	}
	// The clause before the date, back to its start or to a verb of saying.
	start := m.first
	if start > first && (d.norm(start-1) == "on" || d.norm(start-1) == "since" || d.norm(start-1) == "until" || d.norm(start-1) == "in" || d.norm(start-1) == "by") {
		start--
	}
	var ks []string
	var ai []int
	attached := -1 // the word right before the date, when nothing comes between
	for j := start - 1; j >= first && len(ks) < 3; j-- {
		if clauseGap(d.gap(j)) {
			break
		}
		w := d.norm(j)
		if clauseWords[w] {
			break
		}
		if sayVerbs[w] || sayVerbs[strings.TrimSuffix(w, "'s")] {
			if j == start-1 || len(ks) == 0 {
				return "", ""
			}
			break
		}
		if d.toks[j].Kind != words.Word || len(w) == 1 || words.IsStop(w) || weekdays[w] != 0 || months[w] != 0 || d.used[j] && j < start-1 {
			continue
		}
		if j == start-1 {
			attached = j
		}
		ks = append(ks, stem(w))
		ai = append([]int{j}, ai...)
	}
	// "the election on Sunday": a noun the date is attached to is enough.
	nounAttached := attached > first && len(ks) > 0 && eventDeterminers[d.norm(attached-1)] &&
		words.Stem(d.norm(attached)) == strings.TrimSuffix(d.norm(attached), "s")
	if nounAttached {
		return ks[0], "date of the " + d.about(attached)
	}
	// The verb right after the date: "the court on Monday ruled". A verb
	// of saying there dates a statement: "Varga on Wednesday said".
	k := m.last + 1
	for k < past && dayParts[d.norm(k)] && d.spaced(k-1) {
		k++
	}
	if k < past && d.spaced(k-1) && d.toks[k].Kind == words.Word {
		w := d.norm(k)
		switch {
		case sayVerbs[w]:
			return "", ""
		case !words.IsStop(w) && !isUpper(d.toks[k].Text) && len(ks) > 0 && len(ks) < 3 && !clauseWords[w]:
			ks = append(ks, stem(w))
			ai = append(ai, k)
		}
	}
	if len(ks) < 2 {
		return "", ""
	}
	var as []string
	for _, j := range ai {
		as = append(as, d.about(j))
	}
	return strings.Join(sortedSet(ks), " "), "when " + strings.Join(as, " ")
}
