package dedup

import (
	"context"
	"math"
	"slices"
	"sync"
)

// Index finds near-duplicates among the canonical articles added to it. It is
// safe for concurrent use.
type Index struct {
	cfg    Config
	header [2]uint32
	rows   int // MinHash values per LSH band
	bands  int

	mu sync.RWMutex
	// Positions only grow between compactions, so that ascending position
	// is order of addition, which breaks ties. A removed position keeps a
	// nil signature until compact drops it.
	ids     []string
	sigs    []Signature
	pos     map[string]int32   // live id -> position
	buckets map[uint64][]int32 // band key -> ascending live positions
	dead    int                // removed positions not yet compacted

	// With a backing (see WithBacking), memory holds at most memory
	// articles, the oldest evicted first from position evict on; gone holds
	// articles removed or replaced since the changes were last taken, which
	// the backing may still list.
	backing Backing
	memory  int
	// complete says memory holds every article the index ever had (see
	// StartsEmpty): the backing is not asked.
	complete bool
	evict    int
	gone     map[string]bool
	// changes are the band changes not taken yet (see TakeChanges).
	changes []BandChange
	cache   sigCache
	// evicted holds the keys of the articles evicted since memory last
	// held all there was, when it did since the start (see StartsEmpty):
	// a key it has not is then one the backing has no other article
	// under, and the backing is not asked. Nil when unknown.
	evicted *keyFilter
}

// LSH recall targets: the chance that a pair shares at least one band and so
// gets verified, at the Jaccard threshold and at the lowest resemblance the
// containment rule can accept (a corner that real cut copies rarely reach).
const (
	recallAtThreshold = 0.99
	recallAtFloor     = 0.8
	// bandRatio is the least size ratio the bands are placed for; a copy cut
	// shorter than that is found by its top paragraphs, which it keeps.
	bandRatio = 0.4
	// indexParas is how many paragraph keys from the top are index keys.
	indexParas = 3
	// perKey is how many of the latest articles filed under a key are
	// candidates: a key that many articles share is one a common passage
	// (furniture, a stock phrase) made, and evidence of a copy only for
	// articles close in time; a copy of an older article shares rarer keys
	// with it. It bounds what a match reads however large the archive.
	// Only originals are filed, so on real news a key rarely holds more
	// than one or two; 64 read four times the candidates on a stock-phrase
	// heavy stream and found no copy 16 misses.
	perKey = 16
)

// NewIndex returns an empty index.
func NewIndex(cfg Config) *Index {
	cfg = cfg.normalized()
	rows, bands := banding(cfg.Hashes, []float64{max(cfg.Threshold, 0.01), floorJaccard(cfg)}, []float64{recallAtThreshold, recallAtFloor})
	return &Index{
		cfg:     cfg,
		header:  makeHeader(cfg.ShingleSize, cfg.Hashes),
		rows:    rows,
		bands:   bands,
		pos:     map[string]int32{},
		buckets: map[uint64][]int32{},
	}
}

// floorJaccard is the lowest resemblance the containment rule can accept: a
// text contained at share C in a text 1/r times its size has Jaccard
// C/(1+1/r-C).
func floorJaccard(c Config) float64 {
	j := c.Threshold
	if c.Containment > 0 {
		// Copies cut shorter than this are found through their paragraphs.
		r := min(max(c.MinRatio, bandRatio), 1)
		j = min(j, c.Containment/(1+1/r-c.Containment))
	}
	return max(j, 0.01)
}

// banding picks the most rows per band (fewest spurious candidates) for which
// a pair at resemblance js[i] still collides in some band with probability
// recall[i]: the S-curve 1-(1-j^r)^b is placed just below the thresholds so
// that verification by the signature estimate, not banding, decides.
func banding(hashes int, js, recall []float64) (rows, bands int) {
	rows = 1
	for r := 2; r <= hashes; r++ {
		b := hashes / r
		ok := true
		for i, j := range js {
			if 1-math.Pow(1-math.Pow(j, float64(r)), float64(b)) < recall[i] {
				ok = false
			}
		}
		if !ok {
			break
		}
		rows = r
	}
	return rows, hashes / rows
}

// bandKeys returns the keys sig is filed under: one per LSH band, and one per
// paragraph key of its top paragraphs, sorted and without repeats.
func (ix *Index) bandKeys(sig Signature, keys []uint64) []uint64 {
	mins := sig.mins()
	for b := range ix.bands {
		h := uint64(b+1) * 0x9e3779b97f4a7c15
		for _, v := range mins[b*ix.rows : (b+1)*ix.rows] {
			h = mix64(h ^ uint64(v))
		}
		keys = append(keys, h)
	}
	if ix.cfg.Containment > 0 {
		paras := sig.paras()
		for _, p := range paras[:min(len(paras), indexParas)] {
			keys = append(keys, mix64(0x51afd7ed558ccd00^uint64(p)))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// usable reports whether sig was made with this index's settings and holds
// at least one shingle.
func (ix *Index) usable(sig Signature) bool {
	return sig.valid() && sig[0] == ix.header[0] && sig[1] == ix.header[1] && sig.size() > 0
}

// Add records a canonical article. Adding an id again replaces its earlier
// signature, and it then ranks as the latest added. A signature made with
// other settings or of an empty text cannot be compared: it is not kept, and
// an earlier signature of the id is removed.
func (ix *Index) Add(id string, sig Signature) {
	usable := ix.usable(sig)
	var keys []uint64
	if usable {
		sig = slices.Clone(sig)
		keys = ix.bandKeys(sig, make([]uint64, 0, ix.bands))
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, had := ix.pos[id]; had && ix.backing != nil {
		ix.gone[id] = true // the backing lists it under its old keys
	}
	ix.remove(id)
	if ix.backing != nil {
		// Taken out first, so that the backing files it as the latest,
		// where memory does.
		ix.changes = append(ix.changes, BandChange{ID: id})
		if usable {
			ix.changes = append(ix.changes, BandChange{ID: id, Keys: keys})
		}
	}
	if !usable {
		return
	}
	pos := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.sigs = append(ix.sigs, sig)
	ix.pos[id] = pos
	for _, k := range keys {
		ix.buckets[k] = append(ix.buckets[k], pos)
	}
	for ix.memory > 0 && len(ix.pos) > ix.memory {
		ix.evictOldest()
	}
}

// evictOldest drops the earliest added article still in memory; the backing
// holds it. Callers hold the write lock.
func (ix *Index) evictOldest() {
	for ix.evict < len(ix.sigs) && ix.sigs[ix.evict] == nil {
		ix.evict++
	}
	if ix.evict < len(ix.ids) {
		if ix.complete {
			// The backing holds nothing memory did not: from now on it
			// holds, besides, only what is evicted.
			ix.evicted = newKeyFilter()
		}
		if ix.evicted != nil {
			for _, k := range ix.bandKeys(ix.sigs[ix.evict], make([]uint64, 0, ix.bands+indexParas)) {
				ix.evicted.add(k)
			}
		}
		ix.remove(ix.ids[ix.evict])
		ix.complete = false
	}
}

// Remove forgets a canonical article, so that Match no longer returns it.
// Removing an id that is not in the index does nothing.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
	if ix.backing != nil {
		ix.gone[id] = true
		ix.changes = append(ix.changes, BandChange{ID: id})
	}
}

// minCompact is the fewest removed positions worth a compaction.
const minCompact = 64

// remove takes id out of its buckets, recomputing its band keys from the
// stored signature. Callers hold the write lock.
func (ix *Index) remove(id string) {
	ix.cache.forget(id) // a signature read before may be replaced
	p, ok := ix.pos[id]
	if !ok {
		return
	}
	for _, k := range ix.bandKeys(ix.sigs[p], make([]uint64, 0, ix.bands)) {
		b := ix.buckets[k]
		if i, found := slices.BinarySearch(b, p); found {
			b = slices.Delete(b, i, i+1)
		}
		if len(b) == 0 {
			delete(ix.buckets, k)
		} else {
			ix.buckets[k] = b
		}
	}
	delete(ix.pos, id)
	ix.ids[p], ix.sigs[p] = "", nil
	ix.dead++
	if ix.dead >= minCompact && ix.dead > len(ix.pos) {
		ix.compact()
	}
}

// compact renumbers live positions densely, keeping their order, so that
// removals cost no memory in the long run. Callers hold the write lock.
func (ix *Index) compact() {
	renum := make([]int32, len(ix.ids))
	ids := make([]string, 0, len(ix.pos))
	sigs := make([]Signature, 0, len(ix.pos))
	for p, sig := range ix.sigs {
		if sig == nil {
			continue
		}
		renum[p] = int32(len(ids))
		ix.pos[ix.ids[p]] = int32(len(ids))
		ids = append(ids, ix.ids[p])
		sigs = append(sigs, sig)
	}
	// Buckets hold live positions only; the renumbering is increasing, so
	// they stay sorted.
	for _, b := range ix.buckets {
		for i, p := range b {
			b[i] = renum[p]
		}
	}
	ix.ids, ix.sigs, ix.dead, ix.evict = ids, sigs, 0, 0
}

// Len returns the number of canonical articles in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.pos)
}

// Relation tells how a new text stands to a stored one it copies.
type Relation int8

const (
	// Resembles: the two are about the same text, neither a cut of the other.
	Resembles Relation = iota
	// InStored: the new text is contained in the stored one (cut from it).
	InStored
	// HoldsStored: the new text contains the stored one.
	HoldsStored
)

// Match is a stored article a new text copies.
type Match struct {
	ID string
	// Similarity is the estimated Jaccard resemblance of the two texts.
	Similarity float64
	Relation   Relation
}

// Match returns the canonical article sig copies, if any, with the estimated similarity.
// The similarity is the estimated Jaccard resemblance; among several
// matches the most similar wins, ties going to the earliest added.
func (ix *Index) Match(sig Signature) (id string, similarity float64, ok bool) {
	ms := ix.MatchAll(sig)
	if len(ms) == 0 {
		return "", 0, false
	}
	return ms[0].ID, ms[0].Similarity, true
}

// MatchAll returns every canonical article sig copies, the most similar
// first, ties in order of addition. On an index with a backing it consults
// the backing without a deadline and reports a failure of it as no match:
// use MatchContext to see the error.
func (ix *Index) MatchAll(sig Signature) []Match {
	ms, err := ix.MatchContext(context.Background(), sig)
	if err != nil {
		return nil
	}
	return ms
}

// MatchContext is MatchAll that also looks up, in the backing if there is
// one, the articles memory does not hold. The candidates are the latest
// perKey articles filed under each of sig's keys; memory holds the latest
// articles, so the backing is asked only for keys memory holds fewer of.
// Articles only the backing holds rank as added before those in memory, in
// the order the backing lists them.
func (ix *Index) MatchContext(ctx context.Context, sig Signature) ([]Match, error) {
	if !ix.usable(sig) {
		return nil, nil
	}
	keys := ix.bandKeys(sig, make([]uint64, 0, ix.bands+indexParas))
	var out []Match
	ix.mu.RLock()
	var sparse []uint64 // keys memory may not hold the latest perKey of
	if ix.backing != nil && !ix.complete {
		for _, k := range keys {
			if len(ix.buckets[k]) < perKey && (ix.evicted == nil || ix.evicted.has(k)) {
				sparse = append(sparse, k)
			}
		}
	}
	ix.mu.RUnlock()
	if len(sparse) > 0 {
		ms, err := ix.matchBacking(ctx, sig, sparse)
		if err != nil {
			return nil, err
		}
		out = ms
	}
	ix.mu.RLock()
	var cand []int32
	for _, k := range keys {
		b := ix.buckets[k]
		cand = append(cand, b[max(0, len(b)-perKey):]...)
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	for _, p := range cand { // ascending: earliest added first
		if j, rel, ok := ix.cfg.judge(sig, ix.sigs[p]); ok {
			out = append(out, Match{ID: ix.ids[p], Similarity: j, Relation: rel})
		}
	}
	ix.mu.RUnlock()
	slices.SortStableFunc(out, func(a, b Match) int {
		switch {
		case a.Similarity > b.Similarity:
			return -1
		case a.Similarity < b.Similarity:
			return 1
		}
		return 0
	})
	// An article added while the backing was read is listed once.
	seen := map[string]bool{}
	return slices.DeleteFunc(out, func(m Match) bool {
		dup := seen[m.ID]
		seen[m.ID] = true
		return dup
	}), nil
}

// estimate is the share of hash functions whose minima agree over the whole
// texts: an unbiased estimate of their Jaccard resemblance.
func estimate(a, b Signature) float64 {
	ma, mb := a.mins(), b.mins()
	eq := 0
	for i, v := range ma {
		if v == mb[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(ma))
}

// containedRatio is the largest size ratio at which the shorter of two
// copies counts as cut from the other rather than as the same text.
const containedRatio = 0.9

// judge decides whether q (a new text) and s (a stored one) are copies of
// one another, with their estimated resemblance and how q stands to s.
func (c Config) judge(q, s Signature) (j float64, rel Relation, ok bool) {
	j = estimate(q, s)
	if j <= 0 {
		return 0, Resembles, false
	}
	nq, ns := float64(q.size()), float64(s.size())
	small, large := min(nq, ns), max(nq, ns)
	a := q
	if nq > ns {
		a = s
	}
	if j < c.Threshold && len(a.lead()) < a.size() && (c.Containment <= 0 || 2*j*(small+large)/(1+j)/small < c.Containment) {
		// Not contained whatever the leads say: the paragraph overlap
		// may leave out as added at most half of the shorter text's top,
		// less than half of it (the lead is not the whole text), so kept
		// is above small/2. Most candidates a band brings end here.
		return j, Resembles, false
	}
	return c.verify(q, s, j)
}

// verify is judge without its shortcut: j is estimate(q, s), above 0.
func (c Config) verify(q, s Signature, j float64) (float64, Relation, bool) {
	var rel Relation
	nq, ns := float64(q.size()), float64(s.size())
	small, large := min(nq, ns), max(nq, ns)
	a, b := q, s
	if nq > ns {
		a, b = s, q
	}
	agree := titlesAgree(a, b)
	lo := overlap(a, b, agree && len(a.titleWords()) > 0 && len(b.titleWords()) > 0)
	// |A∩B| = J(|A|+|B|)/(1+J); a paragraph the shorter text added is no
	// evidence against it being cut from the other.
	kept := max(small-float64(lo.added), 1)
	cont := j * (small + large) / (1 + j) / kept
	if len(a.lead()) >= a.size() {
		// The lead holds the whole shorter text: its share in the other's
		// lead is a bound on containment finer than the estimate.
		cont = max(cont, float64(lo.found)/kept)
	}
	contained := c.Containment > 0 && cont >= c.Containment
	if contained && small < containedRatio*large {
		rel = HoldsStored
		if nq < ns {
			rel = InStored
		}
	}
	switch {
	case j >= c.Threshold:
		return j, rel, true
	case !contained,
		int(small) < c.MinShingles || small < c.MinRatio*large,
		lo.share() < c.Lead,
		small < c.TitledRatio*large && !agree:
		return j, Resembles, false
	}
	if pa, pb := a.paras(), b.paras(); len(pa) > 0 && len(pb) > 0 && paraShare(pa, pb) < c.Paragraphs {
		return j, Resembles, false
	}
	return j, rel, true
}

// leadCheck is how much of the shorter text's lead is compared with the
// other's: its top, which a copy cut short keeps, whatever was added above.
const leadCheck = maxLead / 2

// leadOverlap is how the lead of a shorter text a meets the lead of b.
type leadOverlap struct {
	found   int // lead shingles of a found in b's lead, title included
	checked int // body shingles of a's top compared
	hits    int // of those, found in b's lead
	added   int // shingles of the paragraph a added, if any
	total   int // lead shingles of a
}

func (lo leadOverlap) share() float64 {
	if lo.checked == 0 {
		// The text is all title.
		return float64(lo.found) / float64(max(lo.total, 1))
	}
	if lo.checked-lo.added <= 0 {
		return 0
	}
	return float64(lo.hits) / float64(lo.checked-lo.added)
}

// minAdded is the fewest shingles of a paragraph counted as added: a short
// line missing from the other text is an edit, not a paragraph.
const minAdded = 8

// addedShare: the added paragraph may be at most 1/addedShare of the top
// compared.
const addedShare = 3

// overlap compares the lead of a with that of b. The largest body paragraph
// of a's lead none of which b has counts as added (a local paragraph), not
// as a difference: a copy keeps the paragraphs it keeps whole. Under one
// headline the added paragraph may be as long as what was kept.
func overlap(a, b Signature, sameTitle bool) leadOverlap {
	la, lb := a.lead(), b.lead()
	brk := a.breaks()
	nt := len(a.title())
	whole := len(la) >= a.size()
	lo := leadOverlap{total: len(la)}
	runLen, runHit := 0, 0
	flush := func() {
		if runHit == 0 && runLen >= minAdded && runLen > lo.added {
			lo.added = runLen
		}
		runLen, runHit = 0, 0
	}
	for i, v := range la {
		hit := slices.Contains(lb, v)
		if hit {
			lo.found++
		}
		if i < nt || (!whole && i-nt >= leadCheck) {
			continue
		}
		if brk>>i&1 == 1 {
			flush()
		}
		lo.checked++
		runLen++
		if hit {
			lo.hits++
			runHit++
		}
	}
	flush()
	limit := addedShare
	if sameTitle {
		limit = 2
	}
	if lo.added*limit > lo.checked {
		// Most of the top is new: that is a different text sharing a
		// paragraph (boilerplate, a quote), not one added paragraph.
		lo.added = 0
	}
	return lo
}

// A title agrees with another when titleWordShare of the words of the
// shorter are in the longer (a masthead or dateline added, or one title cut
// from the other), or titleShare of each title's shingles are at the top of
// the other text (a title that became, or was made from, a first paragraph).
const (
	titleWordShare = 0.8
	titleShare     = 0.5
)

// titlesAgree reports whether two texts carry one headline. A text without
// a title agrees with any.
func titlesAgree(a, b Signature) bool {
	wa, wb := a.titleWords(), b.titleWords()
	if len(wa) == 0 || len(wb) == 0 {
		return true
	}
	if float64(shared(wa, wb)) >= titleWordShare*float64(min(len(wa), len(wb))) {
		return true
	}
	for _, p := range [2][2]Signature{{a, b}, {b, a}} {
		if t := p[0].title(); float64(shared(t, p[1].lead())) < titleShare*float64(len(t)) {
			return false
		}
	}
	return true
}

// shared counts the values of a found in b.
func shared(a, b []uint32) int {
	n := 0
	for _, v := range a {
		if slices.Contains(b, v) {
			n++
		}
	}
	return n
}

// paraSlack is how far a kept paragraph may move in a copy: one paragraph
// inserted above it and one swap.
const paraSlack = 2

// paraShare is the share of the paragraphs of the text with fewer of them
// that the other text has at about the same place. A copy keeps paragraphs
// whole and in order, cut or not; a passage an independent report shares
// with another usually sits elsewhere in it.
func paraShare(a, b []uint32) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for i, k := range a {
		for j := max(0, i-paraSlack); j < min(len(b), i+paraSlack+1); j++ {
			if b[j] == k {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(a))
}

// keyFilter is a Bloom filter of band keys: has may say yes wrongly, never
// no. Its 2^28 bits (32 MiB) keep wrong yeses near 1% up to some 25
// million keys (350,000 articles evicted), 16% at 67 million (a million):
// a wrong yes only costs a lookup.
type keyFilter struct{ bits []uint64 }

const (
	filterBits   = 1 << 28
	filterHashes = 3
)

func newKeyFilter() *keyFilter { return &keyFilter{bits: make([]uint64, filterBits/64)} }

// Band keys are mixed hashes already; a second mix gives the stride.
func (f *keyFilter) positions(k uint64, fn func(uint64) bool) bool {
	step := mix64(k^0x2545f4914f6cdd1d) | 1
	for i := range uint64(filterHashes) {
		if !fn((k + i*step) % filterBits) {
			return false
		}
	}
	return true
}

func (f *keyFilter) add(k uint64) {
	f.positions(k, func(p uint64) bool { f.bits[p/64] |= 1 << (p % 64); return true })
}

func (f *keyFilter) has(k uint64) bool {
	return f.positions(k, func(p uint64) bool { return f.bits[p/64]&(1<<(p%64)) != 0 })
}
