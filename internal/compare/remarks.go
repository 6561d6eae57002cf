package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/words"
)

// Thresholds of the remark grouping. Two quotes of one speaker are one
// remark when most of the shorter's weighted content is in the longer; a
// group grows only while its quotes agree with each other on average, so
// that a long quote touching two remarks does not chain them together.
const (
	remarkContain   = 0.5 // weighted share of the shorter quote found in the longer
	remarkLoose     = 0.4 // ...enough when they share remarkMany content words
	remarkMany      = 4
	remarkAverage   = 0.4  // least average containment between two groups that merge
	remarkIdentical = 0.9  // "near-identical": containment and cosine both this high
	splitGapWords   = 8    // most words a cue between two halves of a sentence has
	remarkMinShared = 2    // content words two quotes share, unless one has a single one
	remarkCosFloor  = 0.15 // a short fragment must not match any long quote that holds its words
)

// quoteUnit is one quote, or the halves of a sentence a cue splits, as the
// remark grouping sees it.
type quoteUnit struct {
	rep     int
	article string
	speaker string // comparable key, "" when unknown
	name    string
	text    string
	refs    []dossier.QuoteRef
	start   int
	partial bool
	terms   []string  // distinct content stems, sorted
	tw      []float64 // their weights
	total   float64
	plain   string // normalised words, for quotes without content words
	// count and reports: how many quotes of the same words a grouping
	// unit stands for, and in which reports (sorted).
	count   int
	reports []int
}

// Remarks groups the reports' quotes into remarks: quotes of one speaker
// from any of the reports that say the same thing, however each outlet
// worded it. Every quote is in exactly one remark; a remark carried by one
// outlet is a remark too. Remarks come by number of outlets, then by first
// appearance.
func Remarks(reports []Report) []dossier.Remark {
	return quoteGroupsOf(reports, newStoryText(reports)).remarks(reports)
}

// quoteGroups are a story's quotes, weighed against its text and grouped
// into remarks: what Remarks reports and what Unique counts as shared.
type quoteGroups struct {
	units []quoteUnit
	group []int // each unit's remark
}

func quoteGroupsOf(reports []Report, st *storyText) quoteGroups {
	units := quoteUnits(reports)
	if len(units) == 0 {
		return quoteGroups{}
	}
	for i := range units {
		units[i].weigh(st)
	}
	return quoteGroups{units, groupRemarks(units)}
}

func (g quoteGroups) remarks(reports []Report) []dossier.Remark {
	if len(g.units) == 0 {
		return nil
	}
	return remarksOf(reports, g.units, g.group)
}

// quoteUnits collects the reports' quotes in order, joining the halves of a
// sentence split by a cue ("We will go," she said, "anywhere.").
func quoteUnits(reports []Report) []quoteUnit {
	var out []quoteUnit
	for ri, r := range reports {
		qs := slices.Clone(r.Article.Quotes)
		slices.SortStableFunc(qs, func(a, b dossier.Quote) int { return cmp.Compare(a.Start, b.Start) })
		// A report's own masthead is the reporter, never the speaker: a quote
		// credited to it lost its speaker to a byline or dateline.
		own := speakerKey(r.Article.Outlet)
		for i := 0; i < len(qs); i++ {
			q := qs[i]
			if own != "" && speakerKey(q.Speaker) == own {
				q.Speaker = ""
			}
			u := quoteUnit{
				rep: ri, article: r.Article.ID, speaker: speakerKey(q.Speaker), name: strings.TrimSpace(q.Speaker),
				text: q.Text, start: q.Start, partial: q.Partial,
				refs: []dossier.QuoteRef{{Article: r.Article.ID, Start: q.Start, End: q.End}},
			}
			for i+1 < len(qs) && splitByCue(r.Article.Text, qs[i], qs[i+1]) {
				next := qs[i+1]
				if k := speakerKey(next.Speaker); k != "" && k != own && k != u.speaker {
					break
				}
				u.text += " " + next.Text
				u.refs = append(u.refs, dossier.QuoteRef{Article: r.Article.ID, Start: next.Start, End: next.End})
				u.partial = u.partial && next.Partial
				i++
			}
			out = append(out, u)
		}
	}
	return out
}

func speakerKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// splitByCue says whether b continues the sentence a opened, with only a
// cue between them: no sentence end, no paragraph break, a comma before
// the second half, and the second half opening in lower case.
func splitByCue(text string, a, b dossier.Quote) bool {
	if a.End > b.Start || a.Start < 0 || b.Start > len(text) || a.End < 0 {
		return false
	}
	if t := strings.TrimRightFunc(a.Text, isQuoteCloser); t == "" || strings.ContainsRune(".!?", rune(t[len(t)-1])) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(b.Text)
	if !unicode.IsLower(first) {
		return false
	}
	gap := text[a.End:b.Start]
	if strings.ContainsAny(gap, "\n.!?;") {
		return false
	}
	g := strings.TrimRightFunc(gap, func(r rune) bool { return unicode.IsSpace(r) || isQuoteMark(r) })
	if !strings.HasSuffix(g, ",") {
		return false
	}
	return len(words.Tokens(gap)) <= splitGapWords
}

func isQuoteMark(r rune) bool { return strings.ContainsRune("\"'“”‘’„«»", r) }

func isQuoteCloser(r rune) bool { return isQuoteMark(r) || unicode.IsSpace(r) || r == ')' }

func (u *quoteUnit) weigh(st *storyText) {
	ts := words.Content(u.text)
	for i, t := range ts {
		ts[i] = words.Base(t)
	}
	slices.Sort(ts)
	u.terms = slices.Compact(ts)
	u.tw = make([]float64, len(u.terms))
	u.total = 0
	for i, t := range u.terms {
		u.tw[i] = st.weight(t)
		u.total += u.tw[i]
	}
	if len(u.terms) == 0 {
		var ws []string
		for _, t := range words.Tokens(u.text) {
			ws = append(ws, words.Norm(t.Text))
		}
		u.plain = strings.Join(ws, " ")
	}
}

// quoteSim compares the wording of two quotes: the weighted share of the
// shorter found in the longer, the weighted cosine, and how many content
// words they share.
func quoteSim(a, b *quoteUnit) (contain, cos float64, shared int) {
	var s float64
	i, j := 0, 0
	for i < len(a.terms) && j < len(b.terms) {
		switch c := strings.Compare(a.terms[i], b.terms[j]); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			s += a.tw[i]
			shared++
			i++
			j++
		}
	}
	if shared == 0 {
		return 0, 0, 0
	}
	return s / math.Min(a.total, b.total), s / math.Sqrt(a.total*b.total), shared
}

// sameRemark says whether two quotes of one speaker word the same remark,
// and how strongly.
func sameRemark(a, b *quoteUnit) (float64, bool) {
	if len(a.terms) == 0 || len(b.terms) == 0 {
		return 1, a.plain != "" && a.plain == b.plain
	}
	c, cos, n := quoteSim(a, b)
	need := remarkMinShared
	if min(len(a.terms), len(b.terms)) < need {
		need = 1
	}
	return (c + cos) / 2, n >= need && cos >= remarkCosFloor && (c >= remarkContain || (n >= remarkMany && c >= remarkLoose))
}

// nearIdentical says whether two quotes have nearly the same wording, as a
// quote whose speaker is unknown needs to join one.
// crossSpeakerTerms is how many content words a quote needs before its
// wording alone, whoever it is credited to, makes it the same remark.
const crossSpeakerTerms = 5

func nearIdentical(a, b *quoteUnit) (float64, bool) {
	if len(a.terms) == 0 || len(b.terms) == 0 {
		return 1, a.plain != "" && a.plain == b.plain
	}
	c, cos, _ := quoteSim(a, b)
	return (c + cos) / 2, c >= remarkIdentical && cos >= remarkIdentical
}

type quoteEdge struct {
	a, b int
	sim  float64
}

// groupRemarks returns the group of each unit. Quotes of one speaker with
// the same content words are one remark from the start: a remark quoted by
// hundreds of outlets in a few wordings is grouped as those few wordings.
func groupRemarks(units []quoteUnit) []int {
	var classes []quoteUnit
	classOf := make([]int, len(units))
	index := map[string]int{}
	for i := range units {
		u := &units[i]
		k := fmt.Sprint(u.speaker, "\x00", u.partial, "\x00", strings.Join(u.terms, " "), "\x00", u.plain)
		c, ok := index[k]
		if !ok {
			c = len(classes)
			index[k] = c
			cl := *u
			cl.count, cl.reports = 0, nil
			classes = append(classes, cl)
		}
		classOf[i] = c
		cl := &classes[c]
		cl.count++
		if n := len(cl.reports); n == 0 || cl.reports[n-1] != u.rep {
			cl.reports = append(cl.reports, u.rep) // units come in report order
		}
	}
	root := groupClasses(classes)
	out := make([]int, len(units))
	for i, c := range classOf {
		out[i] = root[c]
	}
	return out
}

// groupClasses groups wordings: agglomerative over the links of each
// speaker's quotes, strongest first, guarded by average containment; then
// quotes of unknown speaker join a near-identical quote.
func groupClasses(units []quoteUnit) []int {
	n := len(units)
	g := newRemarkGroups(n)
	bySpeaker := map[string][]int{}
	var speakers []string
	for i := range units {
		k := units[i].speaker
		if _, ok := bySpeaker[k]; !ok {
			speakers = append(speakers, k)
		}
		bySpeaker[k] = append(bySpeaker[k], i)
	}
	for _, k := range speakers {
		if k == "" {
			continue
		}
		// Full quotes first; then a fragment joins the quote holding most
		// of it, so that it neither vetoes nor chains the groups.
		var full, frag []int
		for _, i := range bySpeaker[k] {
			if units[i].partial {
				frag = append(frag, i)
			} else {
				full = append(full, i)
			}
		}
		g.cluster(units, candidateEdges(units, full, nil, sameRemark))
		rest := g.attach(units, frag, candidateEdges(units, frag, full, sameRemark))
		g.cluster(units, candidateEdges(units, rest, nil, sameRemark))
	}
	// The same long wording in two reports under two names is one remark:
	// one of the names is a misattribution, and two people do not say the
	// same long sentence word for word.
	var long []int
	for i := range units {
		if units[i].speaker != "" && !units[i].partial && len(units[i].terms) >= crossSpeakerTerms {
			long = append(long, i)
		}
	}
	var cross []quoteEdge
	for _, e := range candidateEdges(units, long, nil, nearIdentical) {
		if units[e.a].speaker != units[e.b].speaker && units[e.a].article != units[e.b].article {
			cross = append(cross, e)
		}
	}
	g.cluster(units, cross)
	// An unknown speaker's quote joins the known quote it nearly repeats.
	known := make([]int, 0, n)
	for i := range units {
		if units[i].speaker != "" {
			known = append(known, i)
		}
	}
	loose := g.attach(units, bySpeaker[""], candidateEdges(units, bySpeaker[""], known, nearIdentical))
	g.cluster(units, candidateEdges(units, loose, nil, nearIdentical))
	return g.roots()
}

// attach joins each unit of set to the other end of its strongest edge
// (edges from set to another set), and returns the units that had none.
func (g *remarkGroups) attach(units []quoteUnit, set []int, edges []quoteEdge) []int {
	in := map[int]bool{}
	for _, i := range set {
		in[i] = true
	}
	best := map[int]int{}
	for _, e := range edges {
		i, j := e.a, e.b
		if !in[i] {
			i, j = j, i
		}
		if _, ok := best[i]; !ok {
			best[i] = j // edges come strongest first
		}
	}
	var loose []int
	for _, i := range set {
		if j, ok := best[i]; ok {
			g.union(i, j)
		} else {
			loose = append(loose, i)
		}
	}
	return loose
}

// candidateEdges links units of set (to those of other, or among set when
// other is nil) that share a content word, as link judges them, strongest
// first.
func candidateEdges(units []quoteUnit, set, other []int, link func(a, b *quoteUnit) (float64, bool)) []quoteEdge {
	targets := other
	if targets == nil {
		targets = set
	}
	index := map[string][]int{}
	var empty []int
	for _, j := range targets {
		for _, t := range units[j].terms {
			index[t] = append(index[t], j)
		}
		if len(units[j].terms) == 0 {
			empty = append(empty, j)
		}
	}
	var edges []quoteEdge
	for _, i := range set {
		seen := map[int]bool{i: true}
		cands := empty
		if len(units[i].terms) > 0 {
			cands = nil
			for _, t := range units[i].terms {
				cands = append(cands, index[t]...)
			}
		}
		for _, j := range cands {
			if seen[j] || (other == nil && j < i) {
				continue
			}
			seen[j] = true
			if s, ok := link(&units[i], &units[j]); ok {
				a, b := min(i, j), max(i, j)
				edges = append(edges, quoteEdge{a, b, s})
			}
		}
	}
	slices.SortFunc(edges, func(x, y quoteEdge) int {
		if c := cmp.Compare(y.sim, x.sim); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	return edges
}

// remarkGroups is a union-find over units that keeps each group's members.
type remarkGroups struct {
	parent  []int
	members [][]int
}

func newRemarkGroups(n int) *remarkGroups {
	g := &remarkGroups{parent: make([]int, n), members: make([][]int, n)}
	for i := range g.parent {
		g.parent[i] = i
		g.members[i] = []int{i}
	}
	return g
}

func (g *remarkGroups) find(i int) int {
	for g.parent[i] != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = g.parent[i]
	}
	return i
}

func (g *remarkGroups) union(a, b int) {
	ra, rb := g.find(a), g.find(b)
	if ra == rb {
		return
	}
	if ra > rb {
		ra, rb = rb, ra
	}
	g.parent[rb] = ra
	g.members[ra] = append(g.members[ra], g.members[rb]...)
	g.members[rb] = nil
}

// cluster merges along edges, strongest first, while the two groups agree
// on average and do not put together two full quotes of one article that
// word different things.
func (g *remarkGroups) cluster(units []quoteUnit, edges []quoteEdge) {
	// Two groups refused once are refused again until one of them grows.
	type attempt struct{ a, b, na, nb int }
	refused := map[attempt]bool{}
	for _, e := range edges {
		ra, rb := g.find(e.a), g.find(e.b)
		if ra == rb {
			continue
		}
		k := attempt{ra, rb, len(g.members[ra]), len(g.members[rb])}
		if refused[k] {
			continue
		}
		if g.compatible(units, g.members[ra], g.members[rb]) {
			g.union(ra, rb)
		} else {
			refused[k] = true
		}
	}
}

func (g *remarkGroups) compatible(units []quoteUnit, as, bs []int) bool {
	var sum, total float64
	for _, i := range as {
		for _, j := range bs {
			x, y := &units[i], &units[j]
			c, _, _ := quoteSim(x, y)
			if len(x.terms) == 0 && len(y.terms) == 0 {
				c = 1 // only equal wordings group
			}
			// Two full quotes one article gives apart are two remarks.
			if !x.partial && !y.partial && c < remarkContain && shareAny(x.reports, y.reports) {
				return false
			}
			w := float64(x.count * y.count)
			sum += c * w
			total += w
		}
	}
	return sum >= remarkAverage*total
}

// shareAny says whether two sorted lists have an element in common.
func shareAny(a, b []int) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			return true
		}
	}
	return false
}

func (g *remarkGroups) roots() []int {
	out := make([]int, len(g.parent))
	for i := range out {
		out[i] = g.find(i)
	}
	return out
}

// remarksOf builds the remarks of the groups, in the order Remarks gives.
func remarksOf(reports []Report, units []quoteUnit, group []int) []dossier.Remark {
	byRoot := map[int][]int{}
	var roots []int
	for i, r := range group {
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	type built struct {
		r          dossier.Remark
		rep, start int
	}
	var all []built
	for _, root := range roots {
		members := byRoot[root]
		slices.SortFunc(members, func(a, b int) int {
			if c := cmp.Compare(units[a].rep, units[b].rep); c != 0 {
				return c
			}
			return cmp.Compare(units[a].start, units[b].start)
		})
		var rm dossier.Remark
		longest := -1
		seenRep := map[int]bool{}
		seenOutlet := map[string]bool{}
		for _, i := range members {
			u := &units[i]
			if rm.Speaker == "" {
				rm.Speaker = u.name
			}
			if longest < 0 || len(u.text) > len(units[longest].text) {
				longest = i
			}
			rm.Quotes = append(rm.Quotes, u.refs...)
			if !seenRep[u.rep] {
				seenRep[u.rep] = true
				for _, o := range outlets(reports[u.rep]) {
					if !seenOutlet[o] {
						seenOutlet[o] = true
						rm.Outlets = append(rm.Outlets, o)
					}
				}
			}
		}
		rm.Text = units[longest].text
		all = append(all, built{rm, units[members[0]].rep, units[members[0]].start})
	}
	slices.SortStableFunc(all, func(a, b built) int {
		if c := cmp.Compare(len(b.r.Outlets), len(a.r.Outlets)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.rep, b.rep); c != 0 {
			return c
		}
		return cmp.Compare(a.start, b.start)
	})
	out := make([]dossier.Remark, len(all))
	for i, b := range all {
		out[i] = b.r
	}
	return out
}
