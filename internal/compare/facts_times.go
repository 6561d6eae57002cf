package compare

import (
	"fmt"
	"math"
	"strings"

	"github.com/dossiernews/dossier/internal/words"
)

// clock is a time of day in minutes after midnight; loose times ("about
// 9 a.m.") may be half an hour off.
type clock struct {
	minutes int
	loose   bool
}

func (a clock) compatible(o value) bool {
	b, ok := o.(clock)
	if !ok {
		return false
	}
	slack := 0
	if a.loose || b.loose {
		slack = 30
	}
	return int(math.Abs(float64(a.minutes-b.minutes))) <= slack
}

func (a clock) width() float64 {
	if a.loose {
		return 60
	}
	return 1
}

func (a clock) mentionedIn(d *doc) bool {
	for _, m := range d.clocks {
		if m == a.minutes {
			return true
		}
	}
	return false
}

// timeZones follow a time and say whose clock it is: times in two zones
// are not compared.
var timeZones = words.Set("et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet cest jst kst ist aest local")

// looseTimes widen a time; bounds make it no time at all.
var looseTimes = words.Set("about around approximately roughly shortly just nearly almost")
var timeBounds = words.Set("before after by until till since")

// readTimes reads times of day ("9:30 a.m.", "2 pm", "14:45 GMT"), kept in
// d.clocks; a time whose clause says of what becomes a fact, as a date does.
func (d *doc) readTimes(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	for i := first; i < past; i++ {
		if d.used[i] || d.toks[i].Kind != words.Number {
			continue
		}
		m, last, ok := d.readClock(i, past)
		if !ok {
			continue
		}
		d.clocks = append(d.clocks, m)
		d.markUsed(i, last)
		endByte := d.toks[last].End
		if d.toks[last].Text == "m" && strings.HasPrefix(d.gap(last), ".") {
			endByte++ // "p.m."
		}
		zone := ""
		end := last
		if last+1 < past && spaceOnly(d.text[endByte:d.toks[last+1].Start]) && timeZones[d.norm(last+1)] {
			zone, end = d.norm(last+1), last+1
			if zone == "local" && end+1 < past && d.norm(end+1) == "time" {
				end++
			}
		}
		v := clock{minutes: m}
		if i > first {
			switch w := d.norm(i - 1); {
			case timeBounds[w]:
				continue
			case looseTimes[w]:
				v.loose = true
			}
		}
		key, about := d.dateKey(i, end, first, past)
		if key == "" {
			continue
		}
		about = strings.Replace(about, "date of", "time of", 1)
		d.add(fact{key: fmt.Sprintf("time|%s|%s", zone, key), about: about, val: v, start: d.toks[i].Start, end: endByte, sent: d.sents[si]})
		i = end
	}
}

// readClock reads "9", "9:30" or "21:30" with "a.m.", "am", "p.m." or
// "pm" after it (a 24-hour time needs its minutes), and returns the
// minutes after midnight and the last token read.
func (d *doc) readClock(i, past int) (int, int, bool) {
	h := atoi(d.toks[i].Text)
	if len(d.toks[i].Text) > 2 || h > 23 {
		return 0, 0, false
	}
	last, mins := i, 0
	if i+1 < past && d.gap(i) == ":" && d.toks[i+1].Kind == words.Number && len(d.toks[i+1].Text) == 2 {
		mins = atoi(d.toks[i+1].Text)
		if mins > 59 {
			return 0, 0, false
		}
		last = i + 1
	}
	if k := last + 1; k < past && strings.TrimSpace(d.gap(last)) == "" {
		w := d.norm(k)
		pm := w == "pm" || w == "p" && strings.HasPrefix(d.gap(k), ".") && k+1 < past && d.norm(k+1) == "m"
		am := w == "am" || w == "a" && strings.HasPrefix(d.gap(k), ".") && k+1 < past && d.norm(k+1) == "m"
		if (pm || am) && h >= 1 && h <= 12 {
			if h == 12 {
				h = 0
			}
			if pm {
				h += 12
			}
			last = k
			if w == "p" || w == "a" {
				last = k + 1
			}
			return h*60 + mins, last, true
		}
	}
	if last > i {
		return h*60 + mins, last, true // "14:45"
	}
	return 0, 0, false
}

func spaceOnly(g string) bool { return g != "" && strings.TrimSpace(g) == "" }
