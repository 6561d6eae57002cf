package compare

import (
	"cmp"
	"math"
	"slices"

	dossier "github.com/dossiernews/dossier"
)

// Thresholds of what only one report carries. A sentence's content words
// are weighted by rarity across the story, names and numbers more. A word
// is shared when a sentence of another report that says much the same
// thing holds it, or another report's wording of the same remark uses it;
// a word the article's own earlier counterpart holds is not new again.
const (
	uniqueMinWords   = 5    // fewer content words: furniture (datelines, bylines, sign-offs)
	uniqueShare      = 0.5  // least weighted share of new content
	uniqueMinNew     = 2    // least distinct new terms
	alignShare       = 0.3  // a sentence of another report saying this much of ours is its counterpart
	alignContained   = 0.5  // ...or one this much of whose content ours holds
	alignMinShared   = 2    // ...sharing at least this many terms
	repeatShare      = 0.8  // an earlier sentence of the same article holding this much: a repetition
	nameBoost        = 1.5  // names and numbers say more than common words
	uniqueAmountUnit = 6.0  // new rare terms at which the amount factor reaches 1-1/e
	scoreRounding    = 1000 // scores are kept to three decimals
)

// Unique returns, for each report, the sentences carrying information no
// other report of the story carries, best first per report, reports in
// order. A story of one report has nothing to compare and gives nothing.
func Unique(reports []Report) []dossier.Unique {
	if len(reports) < 2 {
		return nil
	}
	st := newStoryText(reports)
	return unique(reports, st, quoteGroupsOf(reports, st))
}

// unique is Unique on a story's text and quote groups made already.
func unique(reports []Report, st *storyText, g quoteGroups) []dossier.Unique {
	if len(reports) < 2 {
		return nil
	}
	st.readItems(reports)
	covers := sharedQuotes(reports, st, g)
	u := uniqueFinder{st: st, rareDF: int32(itemContextReports * len(reports))}
	u.prepare()
	var out []dossier.Unique
	for ri, r := range reports {
		var found []dossier.Unique
		for si := st.first[ri]; si < st.first[ri+1]; si++ {
			score, ok := u.novelty(si, covers[ri])
			if !ok {
				continue
			}
			s := &st.sents[si]
			found = append(found, dossier.Unique{Article: r.Article.ID, Start: s.start, End: s.end, Score: score, Outlets: outlets(r)})
		}
		slices.SortStableFunc(found, func(a, b dossier.Unique) int { return cmp.Compare(b.Score, a.Score) })
		out = append(out, found...)
	}
	return out
}

// remarkCover is a quote of a remark other reports carry too: the words
// their wordings of it use are not new here.
type remarkCover struct {
	start, end, rep int
	use             map[int32]termUse
	reps            map[int]bool // the reports quoting the remark
}

// termUse is how many reports' wordings of a remark use a term, and one of
// them.
type termUse struct{ n, rep int }

func (c *remarkCover) coversTerm(id int32) bool {
	u, ok := c.use[id]
	return ok && (u.n >= 2 || u.rep != c.rep)
}

// sharedQuotes returns, per report, its quotes that belong to a remark
// another report quotes too.
func sharedQuotes(reports []Report, st *storyText, g quoteGroups) [][]remarkCover {
	out := make([][]remarkCover, len(reports))
	units, group := g.units, g.group
	if len(units) == 0 {
		return out
	}
	use := map[int]map[int32]termUse{}
	seen := map[[2]int]map[int32]bool{} // group and report: terms counted
	for i, g := range group {
		u := &units[i]
		if use[g] == nil {
			use[g] = map[int32]termUse{}
		}
		k := [2]int{g, u.rep}
		if seen[k] == nil {
			seen[k] = map[int32]bool{}
		}
		for _, t := range u.terms {
			id, ok := st.ids[t]
			if !ok || seen[k][id] {
				continue
			}
			seen[k][id] = true
			tu := use[g][id]
			use[g][id] = termUse{tu.n + 1, u.rep}
		}
	}
	reps := map[int]map[int]bool{}
	for i, g := range group {
		if reps[g] == nil {
			reps[g] = map[int]bool{}
		}
		reps[g][units[i].rep] = true
	}
	for i, g := range group {
		if len(reps[g]) < 2 {
			continue
		}
		for _, ref := range units[i].refs {
			out[units[i].rep] = append(out[units[i].rep], remarkCover{ref.Start, ref.End, units[i].rep, use[g], reps[g]})
		}
	}
	return out
}

type uniqueFinder struct {
	st   *storyText
	tw   []float64 // term weight, names and numbers boosted
	sw   []float64 // sentence weight: its distinct terms'
	unit float64   // weight of a term only one sentence holds
	// echoed: another report has a sentence of the very same terms.
	echoed []bool
	acc    []float64 // per sentence: weight shared with the one at hand
	cnt    []int32
	dirty  []int32
	// byWeight is each term's postings, lightest sentences first.
	byWeight [][]int32
	// mark[t] == stamp: t is a term of the sentence at hand; tail[t] ==
	// stamp: one of its commonest, whose postings are not scanned.
	mark, tail []int32
	stamp      int32
	order      []int32
	rest       float64 // the weight of the terms of order past sortTerms's k
	// For coveredQuickly and novelty: cov[t] == cstamp: term t of the
	// sentence at hand is covered; eval[o] == estamp: sentence o is
	// weighed already; omark[t] == ostamp: t is a term of the sentence
	// weighed; fresh[t] == nstamp: t is counted new.
	cov, eval, omark, fresh        []int32
	cstamp, estamp, ostamp, nstamp int32
	// Informative items by what they are, for carriedElsewhere: figures
	// and times by kind and unit (sorted by value), dates by month,
	// weekdays.
	figures  map[string][]itemRef
	dates    map[int][]itemRef
	weekdays map[int][]itemRef
	rareDF   int32   // a context term fewer sentences hold is rare
	tmark    []int32 // tmark[t] == stamp: term t is marked for the sentence at hand
	// hmark[o] == hstamp: sentence o is among the holders at hand.
	hmark  []int32
	hstamp int32
}

// itemRef is an informative item of a sentence.
type itemRef struct {
	sent, item int32
	val        float64
}

// sortTerms puts sentence si's terms in u.order rarest first, and returns
// how many of the rarest make more than 1-alignShare of its weight: any
// sentence sharing alignShare of it shares one of those (prefix
// filtering).
func (u *uniqueFinder) sortTerms(si int, total float64) int {
	st := u.st
	u.order = append(u.order[:0], st.sents[si].terms...)
	slices.SortFunc(u.order, func(a, b int32) int {
		if c := cmp.Compare(st.df[a], st.df[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	rest, k := total, 0
	for k < len(u.order) && rest >= alignShare*total {
		rest -= u.tw[u.order[k]]
		k++
	}
	u.rest = rest
	return k
}

// counterpart says whether sentence o may be a counterpart of si: a
// sentence of another report, or an earlier one of its own. A report's
// sentences are numbered one after the other, so no lookup is needed.
func (u *uniqueFinder) counterpart(o int32, si int, repEnd int32) bool {
	return int(o) < si || o >= repEnd
}

// gather accumulates, for every sentence that could be a counterpart of
// sentence si (one sharing alignShare of its weight, or alignContained of
// their own), the weight and number of terms they share. The commonest
// terms, less than alignShare of the weight together, are not scanned
// (prefix filtering): a counterpart shares a rarer term too, unless it is
// so light that those terms alone make alignContained of it, and the
// lightest postings are read for those. It needs sortTerms's order and k.
func (u *uniqueFinder) gather(si, k int) {
	st := u.st
	repEnd := int32(st.first[st.sents[si].rep+1])
	u.stamp++
	for _, t := range u.order {
		u.mark[t] = u.stamp
	}
	for _, t := range u.order[:k] {
		if st.df[t] < 2 {
			continue
		}
		for _, o := range st.post[t] {
			if !u.counterpart(o, si, repEnd) || int(o) == si {
				continue
			}
			if u.cnt[o] == 0 {
				u.dirty = append(u.dirty, o)
			}
			u.acc[o] += u.tw[t]
			u.cnt[o]++
		}
	}
	if k == len(u.order) {
		return
	}
	tail := u.order[k:]
	for _, t := range tail {
		u.tail[t] = u.stamp
	}
	for _, o := range u.dirty {
		for _, t := range st.sents[o].terms {
			if u.tail[t] == u.stamp {
				u.acc[o] += u.tw[t]
				u.cnt[o]++
			}
		}
	}
	rest := u.rest
	for _, t := range tail {
		for _, o := range u.byWeight[t] {
			if u.sw[o]*alignContained > rest {
				break
			}
			if u.cnt[o] > 0 || !u.counterpart(o, si, repEnd) || int(o) == si {
				continue
			}
			for _, x := range st.sents[o].terms {
				if u.mark[x] == u.stamp {
					u.acc[o] += u.tw[x]
					u.cnt[o]++
				}
			}
			u.dirty = append(u.dirty, o)
		}
	}
}

// shared is what gather would accumulate for sentence o, computed for o
// alone and in the same order, so that the sums are the same to the bit:
// the weight and number of the terms of si (marked by gather's stamp) it
// holds, and whether gather would reach it at all.
func (u *uniqueFinder) shared(o int32, k int) (acc float64, cnt int32, reached bool) {
	st := u.st
	u.ostamp++
	prefix := false
	for _, t := range st.sents[o].terms {
		u.omark[t] = u.ostamp
		if u.mark[t] == u.stamp && u.tail[t] != u.stamp {
			prefix = true
		}
	}
	if !prefix && (k == len(u.order) || u.sw[o]*alignContained > u.rest) {
		return 0, 0, false
	}
	for _, t := range u.order[:k] {
		if u.omark[t] == u.ostamp {
			acc += u.tw[t]
			cnt++
		}
	}
	if k < len(u.order) {
		for _, t := range st.sents[o].terms {
			if u.tail[t] == u.stamp {
				acc += u.tw[t]
				cnt++
			}
		}
	}
	return acc, cnt, true
}

// coveredQuickly says whether sentence si is surely not unique, found
// without gathering all its counterparts: an earlier sentence of its
// report repeats it, or counterparts met term by term, rarest first,
// cover all its terms. Both make novelty give up whatever the other
// counterparts are. In a story most reports retell, that takes a few
// counterparts instead of every sentence sharing a word.
func (u *uniqueFinder) coveredQuickly(si, k int, total float64) bool {
	st := u.st
	s := &st.sents[si]
	if st.df[u.order[0]] < 2 {
		return false // a term no other sentence holds is never covered
	}
	repEnd := int32(st.first[s.rep+1])
	u.stamp++
	for _, t := range u.order {
		u.mark[t] = u.stamp
	}
	for _, t := range u.order[k:] {
		u.tail[t] = u.stamp
	}
	u.cstamp++
	u.estamp++
	uncovered := len(u.order)
	for _, t := range u.order {
		if u.cov[t] == u.cstamp {
			continue
		}
		for _, o := range st.post[t] {
			if int(o) == si || !u.counterpart(o, si, repEnd) || u.eval[o] == u.estamp {
				continue
			}
			u.eval[o] = u.estamp
			acc, cnt, reached := u.shared(o, k)
			if !reached || cnt < alignMinShared {
				continue
			}
			if st.sents[o].rep == s.rep && acc >= repeatShare*total {
				return true
			}
			if acc < alignShare*total && acc < alignContained*u.sw[o] {
				continue
			}
			for _, x := range st.sents[o].terms {
				if u.mark[x] == u.stamp && u.cov[x] != u.cstamp {
					u.cov[x] = u.cstamp
					uncovered--
				}
			}
			if uncovered == 0 {
				return true
			}
			if u.cov[t] == u.cstamp {
				break
			}
		}
		if u.cov[t] != u.cstamp {
			return false // no counterpart holds t
		}
	}
	return false
}

func (u *uniqueFinder) prepare() {
	st := u.st
	u.tw = make([]float64, len(st.w))
	for id, w := range st.w {
		u.tw[id] = w
		if st.name[id] || st.num[id] {
			u.tw[id] = w * nameBoost
		}
	}
	u.sw = make([]float64, len(st.sents))
	for i, s := range st.sents {
		for _, t := range s.terms {
			u.sw[i] += u.tw[t]
		}
	}
	u.unit = math.Log(1 + float64(len(st.sents)))
	type seen struct{ rep, other int }
	byTerms := map[string]seen{}
	keys := make([]string, len(st.sents))
	for i, s := range st.sents {
		ids := slices.Clone(s.terms)
		slices.Sort(ids)
		b := make([]byte, 0, 4*len(ids))
		for _, id := range ids {
			b = append(b, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
		}
		keys[i] = string(b)
		e, ok := byTerms[keys[i]]
		switch {
		case !ok:
			byTerms[keys[i]] = seen{s.rep, -1}
		case e.rep != s.rep && e.other < 0:
			byTerms[keys[i]] = seen{e.rep, s.rep}
		}
	}
	u.echoed = make([]bool, len(st.sents))
	for i := range st.sents {
		u.echoed[i] = byTerms[keys[i]].other >= 0
	}
	u.figures, u.dates, u.weekdays = map[string][]itemRef{}, map[int][]itemRef{}, map[int][]itemRef{}
	for si, s := range st.sents {
		for k, it := range s.items {
			ref := itemRef{int32(si), int32(k), it.val}
			switch it.kind {
			case infoNumber, infoClock:
				key := figureKey(&it)
				u.figures[key] = append(u.figures[key], ref)
			case infoDate:
				u.dates[it.month] = append(u.dates[it.month], ref)
			case infoWeekday:
				u.weekdays[it.lo] = append(u.weekdays[it.lo], ref)
			}
		}
	}
	for _, refs := range u.figures {
		slices.SortStableFunc(refs, func(a, b itemRef) int { return cmp.Compare(a.val, b.val) })
	}
	u.tmark = make([]int32, len(st.w))
	u.hmark = make([]int32, len(st.sents))
	u.acc = make([]float64, len(st.sents))
	u.cnt = make([]int32, len(st.sents))
	u.mark = make([]int32, len(st.w))
	u.tail = make([]int32, len(st.w))
	u.cov = make([]int32, len(st.w))
	u.omark = make([]int32, len(st.w))
	u.fresh = make([]int32, len(st.w))
	u.eval = make([]int32, len(st.sents))
	u.byWeight = make([][]int32, len(st.w))
	for t, post := range st.post {
		bw := slices.Clone(post)
		slices.SortStableFunc(bw, func(a, b int32) int { return cmp.Compare(u.sw[a], u.sw[b]) })
		u.byWeight[t] = bw
	}
}

// novelty scores sentence si of its report, and says whether it is unique.
func (u *uniqueFinder) novelty(si int, shared []remarkCover) (float64, bool) {
	st := u.st
	s := &st.sents[si]
	if len(s.toks) < uniqueMinWords || u.echoed[si] {
		return 0, false
	}
	total := u.sw[si]
	k := u.sortTerms(si, total)
	if u.coveredQuickly(si, k, total) {
		return 0, false
	}
	defer u.reset()
	u.gather(si, k)
	var aligned []int32
	for _, o := range u.dirty {
		if u.cnt[o] < alignMinShared {
			continue
		}
		// An earlier sentence of the same article that says much the same
		// covers what it repeats: the article's repetitions count once.
		if st.sents[o].rep == s.rep && u.acc[o] >= repeatShare*total {
			return 0, false
		}
		if u.acc[o] >= alignShare*total || u.acc[o] >= alignContained*u.sw[o] {
			aligned = append(aligned, o)
		}
	}
	// The terms of si its counterparts hold are covered: cov[t] == cstamp.
	u.cstamp++
	uncovered := len(s.terms)
	for _, o := range aligned {
		for _, t := range st.sents[o].terms {
			if u.mark[t] == u.stamp && u.cov[t] != u.cstamp {
				u.cov[t] = u.cstamp
				uncovered--
			}
		}
	}
	if uncovered == 0 {
		return 0, false
	}
	covered := func(t int32) bool { return u.cov[t] == u.cstamp }
	// Words of a remark others quote too, and a day of a month others
	// name (a date less precise is compatible), add nothing. New terms
	// are summed in order of first use, so that the score does not
	// depend on a map's order.
	dated := u.datedNumbers(s.toks, covered)
	u.nstamp++
	var fresh float64
	newTerms := 0
	for k, tk := range s.toks {
		if covered(tk.id) || dated[k] || u.fresh[tk.id] == u.nstamp || quotedElsewhere(tk, shared) {
			continue
		}
		u.fresh[tk.id] = u.nstamp
		newTerms++
		fresh += u.tw[tk.id]
	}
	if newTerms < uniqueMinNew {
		return 0, false
	}
	share := fresh / total
	if share < uniqueShare || u.carriedElsewhere(si, shared) {
		return 0, false
	}
	score := share * (1 - math.Exp(-fresh/u.unit/uniqueAmountUnit))
	return math.Round(score*scoreRounding) / scoreRounding, true
}

func (u *uniqueFinder) reset() {
	for _, o := range u.dirty {
		u.acc[o], u.cnt[o] = 0, 0
	}
	u.dirty = u.dirty[:0]
}

// quotedElsewhere says whether a term is in a quote of a shared remark
// and another report's wording of that remark uses it too.
func quotedElsewhere(tk sentTerm, shared []remarkCover) bool {
	for i := range shared {
		c := &shared[i]
		if tk.start >= c.start && tk.end <= c.end && c.coversTerm(tk.id) {
			return true
		}
	}
	return false
}

// datedNumbers marks the numbers that give the day of a month or weekday
// the counterparts name too ("3 and 17 March" against "in March"), and
// that add no fact of their own.
func (u *uniqueFinder) datedNumbers(toks []sentTerm, covered func(int32) bool) []bool {
	st := u.st
	dated := make([]bool, len(toks))
	anchor := func(k int) bool {
		return k >= 0 && k < len(toks) && (dated[k] || (st.cal[toks[k].id] && covered(toks[k].id)))
	}
	for changed := true; changed; {
		changed = false
		for k, tk := range toks {
			if !dated[k] && st.num[tk.id] && (anchor(k-1) || anchor(k+1)) {
				dated[k], changed = true, true
			}
		}
	}
	return dated
}

// itemContextReports: a context term held by fewer sentences than this
// many per report is rare enough to tie two sentences to one fact; the
// story's commonest words are held by several sentences of each report.
const itemContextReports = 2

func figureKey(it *infoItem) string {
	if it.kind == infoClock {
		return "clock"
	}
	return "n:" + it.unit
}

// carriedElsewhere says whether one other report carries every
// informative item of sentence si compatibly (a figure, a date one of the
// two dates holds, a name, a quote of a remark it quotes too), each
// figure, time and date in a sentence that shares a rare context term of
// si, and few words of si are in none of the carrying sentences: then si
// states facts that report states, in other words. It applies to
// sentences pinned down by a figure, a time or a date that the story does
// not repeat throughout (a figure in every other sentence is what the
// story is about, like its commonest words); the others are judged by
// their words alone.
func (u *uniqueFinder) carriedElsewhere(si int, shared []remarkCover) bool {
	st := u.st
	s := &st.sents[si]
	if !slices.ContainsFunc(s.items, func(it infoItem) bool { return it.anchors() }) {
		return false
	}
	u.stamp++
	anyRare := false
	for _, t := range s.ctx {
		if st.df[t] <= u.rareDF {
			u.tmark[t] = u.stamp
			anyRare = true
		}
	}
	if !anyRare {
		return false
	}
	sharesRare := func(o int32) bool {
		for _, t := range st.sents[o].terms {
			if u.tmark[t] == u.stamp {
				return true
			}
		}
		return false
	}
	// Per report: the items it carries, the anchors it carries in a
	// sentence sharing a rare context term, and the sentences carrying.
	carried, tied := map[int]int{}, map[int]int{}
	carriers := map[int][]int32{}
	anchors := 0
	var holders []int32
	for k := range s.items {
		it := &s.items[k]
		holders = u.holders(si, it, holders[:0])
		for _, o := range holders {
			if rep := st.sents[o].rep; rep != s.rep {
				carriers[rep] = append(carriers[rep], o)
			}
		}
		found := map[int]bool{}
		if it.kind == infoQuote {
			for i := range shared {
				c := &shared[i]
				if c.start < it.end && c.end > it.start {
					for rep := range c.reps {
						if rep != s.rep {
							found[rep] = true
						}
					}
				}
			}
		}
		for _, o := range holders {
			if rep := st.sents[o].rep; rep != s.rep {
				found[rep] = true
			}
		}
		if len(found) == 0 {
			return false
		}
		for rep := range found {
			carried[rep]++
		}
		if !it.anchors() || len(holders)+1 > int(u.rareDF) {
			continue
		}
		anchors++
		tiedHere := map[int]bool{}
		for _, o := range holders {
			if rep := st.sents[o].rep; rep != s.rep && !tiedHere[rep] && sharesRare(o) {
				tiedHere[rep] = true
				tied[rep]++
			}
		}
		if len(tiedHere) == 0 {
			return false
		}
	}
	if anchors == 0 {
		return false
	}
	for rep, n := range carried {
		if n == len(s.items) && tied[rep] == anchors && u.fewNew(s, carriers[rep]) {
			return true
		}
	}
	return false
}

// paraphraseNew is the most context terms a sentence may hold that none
// of the sentences carrying its items has: a rewording swaps a few words
// ("frozen" for "halted", "construction" for "work"); more is more news.
const paraphraseNew = 4

func (u *uniqueFinder) fewNew(s *sentUnit, carriers []int32) bool {
	u.stamp++
	for _, o := range carriers {
		for _, t := range u.st.sents[o].terms {
			u.tmark[t] = u.stamp
		}
	}
	n := 0
	for _, t := range s.ctx {
		if u.tmark[t] != u.stamp {
			n++
		}
	}
	return n <= paraphraseNew
}

// holders appends the sentences other than si holding an item compatible
// with it, each once, in order.
func (u *uniqueFinder) holders(si int, it *infoItem, out []int32) []int32 {
	st := u.st
	u.hstamp++
	add := func(o int32, oi int) {
		if int(o) != si && u.hmark[o] != u.hstamp && it.compatible(&st.sents[o].items[oi]) {
			u.hmark[o] = u.hstamp
			out = append(out, o)
		}
	}
	switch it.kind {
	case infoNumber, infoClock:
		refs := u.figures[figureKey(it)]
		lo, hi := it.val, it.val
		if d := infoApprox * math.Abs(it.val); d > 0 {
			lo, hi = it.val-d/(1-infoApprox), it.val+d/(1-infoApprox)
		}
		i, _ := slices.BinarySearchFunc(refs, lo, func(r itemRef, v float64) int { return cmp.Compare(r.val, v) })
		for ; i < len(refs) && refs[i].val <= hi; i++ {
			add(refs[i].sent, int(refs[i].item))
		}
	case infoDate:
		for _, r := range u.dates[it.month] {
			add(r.sent, int(r.item))
		}
	case infoWeekday:
		for _, r := range u.weekdays[it.lo] {
			add(r.sent, int(r.item))
		}
	case infoName:
		for _, t := range it.names {
			for _, o := range st.post[t] {
				for oi := range st.sents[o].items {
					if st.sents[o].items[oi].kind == infoName {
						add(o, oi)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out
}
