package compare

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	dossier "github.com/dossiernews/dossier"
)

// Conflicts finds the details the reports state differently: figures,
// dates and days, who hosted, organised, led or won, a person's title or
// age. Each report's facts are read sentence by sentence as a key (what
// the detail is about) and a value, then indexed by key. A key is in
// conflict when two reports state values that cannot both be true and
// neither report states the other's value anywhere. A report that states
// incompatible values itself (12 injured here, 14 there) is not sure what
// the key names, so the key is left alone: a false conflict costs more
// than a missed one.
//
// Values are listed in report order, one per report, its most precise
// statement of the key; conflicts come by how many reports they involve,
// then by first appearance.
func Conflicts(reports []Report) []dossier.Conflict {
	return conflicts(reports, parseReports(reports), newLexicon())
}

// conflicts is Conflicts on the reports as parsed already.
func conflicts(reports []Report, ps []parsed, lx *lexicon) []dossier.Conflict {
	docs := make([]*doc, len(reports))
	times := make([]time.Time, len(reports))
	for i, r := range reports {
		times[i] = r.Article.Published
	}
	type stated struct {
		report int
		facts  []fact
	}
	byKey := map[string][]*stated{}
	var order []string // keys by first appearance
	for ri, r := range reports {
		d := docOf(&ps[ri], r.Article.Published.Year(), lx)
		if r.Article.Published.IsZero() {
			d.year = 0
		}
		d.readFacts()
		docs[ri] = d
		for _, f := range d.facts {
			ss := byKey[f.key]
			if len(ss) == 0 {
				order = append(order, f.key)
			}
			if len(ss) == 0 || ss[len(ss)-1].report != ri {
				ss = append(ss, &stated{report: ri})
				byKey[f.key] = ss
			}
			ss[len(ss)-1].facts = append(ss[len(ss)-1].facts, f)
		}
	}
	type found struct {
		c           dossier.Conflict
		report, pos int
	}
	var out []found
	for _, key := range order {
		ss := byKey[key]
		if len(ss) < 2 {
			continue
		}
		// Each report's own statements must agree; its most precise stands.
		var reps []fact
		var who []int
		consistent := true
		for _, s := range ss {
			best := s.facts[0]
			for i, f := range s.facts {
				for _, g := range s.facts[i+1:] {
					if !f.val.compatible(g.val) {
						consistent = false
					}
				}
				if f.val.width() < best.val.width() {
					best = f
				}
			}
			reps = append(reps, best)
			who = append(who, s.report)
		}
		if !consistent {
			continue
		}
		involved := contradictions(reps, who, docs, times)
		if !slices.Contains(involved, true) {
			continue
		}
		c := dossier.Conflict{}
		for i, f := range reps {
			if !involved[i] {
				continue
			}
			if c.About == "" {
				c.About = f.about
			}
			c.Values = append(c.Values, dossier.ConflictValue{
				Article: reports[who[i]].Article.ID, Value: docs[who[i]].text[f.start:f.end],
				Start: f.start, End: f.end, SentenceStart: f.sent.Start, SentenceEnd: f.sent.End,
			})
		}
		fi := slices.Index(involved, true)
		out = append(out, found{c, who[fi], reps[fi].start})
	}
	slices.SortStableFunc(out, func(a, b found) int {
		return cmp.Or(cmp.Compare(len(b.c.Values), len(a.c.Values)), cmp.Compare(a.report, b.report), cmp.Compare(a.pos, b.pos))
	})
	// One event read under several keys (its subject, its verb and each
	// participant) is one conflict.
	var cs []dossier.Conflict
	seen := map[string]bool{}
	for _, f := range out {
		var sig []string
		for _, v := range f.c.Values {
			sig = append(sig, fmt.Sprintf("%s@%d-%d", v.Article, v.Start, v.End))
		}
		if k := strings.Join(sig, " "); !seen[k] {
			seen[k] = true
			cs = append(cs, f.c)
		}
	}
	return cs
}

// contradictions marks the reports whose statement of a key contradicts
// another report's: the values cannot both be true and neither report
// states the other's value anywhere. Reports are grouped by value first,
// so that a story of many reports that mostly agree costs little.
func contradictions(reps []fact, who []int, docs []*doc, times []time.Time) []bool {
	type class struct {
		v       value
		members []int // indexes into reps
	}
	var classes []*class
	byID := map[string]*class{}
	for i, f := range reps {
		id := fmt.Sprint(f.val)
		c := byID[id]
		if c == nil {
			c = &class{v: f.val}
			byID[id] = c
			classes = append(classes, c)
		}
		c.members = append(c.members, i)
	}
	involved := make([]bool, len(reps))
	// states says whether report i states class c's value somewhere.
	states := func(i int, c *class) bool { return c.v.mentionedIn(docs[who[i]]) }
	// compatible is classes[x].v.compatible(classes[y].v), remembered:
	// bridging asks it of every third class for every pair, and a key
	// with many names would ask the same pairs over and over.
	known := make([]int8, len(classes)*len(classes)) // 0 unknown, 1 yes, 2 no
	compatible := func(x, y int) bool {
		k := &known[x*len(classes)+y]
		if *k == 0 {
			*k = 2
			if classes[x].v.compatible(classes[y].v) {
				*k = 1
			}
		}
		return *k == 1
	}
	// bridged says whether a third report's name joins two: "Lund, Norland"
	// makes "Lund" and "Norland" one place, "X and Y" makes co-hosts of X
	// and Y.
	bridged := func(x, y int) bool {
		if _, ok := classes[x].v.(name); !ok {
			return false
		}
		for z := range classes {
			if z != x && z != y && compatible(z, x) && compatible(z, y) {
				return true
			}
		}
		return false
	}
	for x, cx := range classes {
		for y := x + 1; y < len(classes); y++ {
			cy := classes[y]
			if compatible(x, y) || bridged(x, y) {
				continue
			}
			var from, to []int
			for _, i := range cx.members {
				if !states(i, cy) {
					from = append(from, i)
				}
			}
			for _, j := range cy.members {
				if !states(j, cx) {
					to = append(to, j)
				}
			}
			if len(from) == 0 || len(to) == 0 {
				continue
			}
			for _, i := range from {
				for _, j := range to {
					if near(times[who[i]], times[who[j]]) {
						involved[i], involved[j] = true, true
					}
				}
			}
		}
	}
	return involved
}

// conflictSpan is how far apart two dated reports may be published and
// still contradict each other: reports days or weeks apart state counts,
// dates and standings as they were then, and a story that spans them may
// hold more than one event of a kind.
const conflictSpan = 72 * time.Hour

// near says whether two reports were published within conflictSpan of
// each other, or either has no date.
func near(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return true
	}
	d := a.Sub(b)
	return d <= conflictSpan && d >= -conflictSpan
}
