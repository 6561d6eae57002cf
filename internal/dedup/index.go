package dedup

import (
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
}

// LSH recall targets: the chance that a pair shares at least one band and so
// gets verified, at the Jaccard threshold and at the lowest resemblance the
// containment rule can accept (a corner that real cut copies rarely reach).
const (
	recallAtThreshold = 0.99
	recallAtFloor     = 0.8
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
		r := min(max(c.MinRatio, 0.05), 1)
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

func (ix *Index) bandKeys(sig Signature, keys []uint64) []uint64 {
	mins := sig.mins()
	for b := range ix.bands {
		h := uint64(b+1) * 0x9e3779b97f4a7c15
		for _, v := range mins[b*ix.rows : (b+1)*ix.rows] {
			h = mix64(h ^ uint64(v))
		}
		keys = append(keys, h)
	}
	return keys
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
	ix.remove(id)
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
}

// Remove forgets a canonical article, so that Match no longer returns it.
// Removing an id that is not in the index does nothing.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
}

// minCompact is the fewest removed positions worth a compaction.
const minCompact = 64

// remove takes id out of its buckets, recomputing its band keys from the
// stored signature. Callers hold the write lock.
func (ix *Index) remove(id string) {
	p, ok := ix.pos[id]
	if !ok {
		return
	}
	for _, k := range ix.bandKeys(ix.sigs[p], make([]uint64, 0, ix.bands)) {
		b := ix.buckets[k]
		// A key repeated across bands was appended once per band, and is
		// deleted once per band.
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
	ix.ids, ix.sigs, ix.dead = ids, sigs, 0
}

// Len returns the number of canonical articles in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.pos)
}

// Match returns the canonical article sig copies, if any, with the estimated similarity.
// The similarity is the estimated Jaccard resemblance; among several
// matches the most similar wins, ties going to the earliest added.
func (ix *Index) Match(sig Signature) (id string, similarity float64, ok bool) {
	if !ix.usable(sig) {
		return "", 0, false
	}
	keys := ix.bandKeys(sig, make([]uint64, 0, ix.bands))
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var cand []int32
	for _, k := range keys {
		cand = append(cand, ix.buckets[k]...)
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	best, bestJ := -1, -1.0
	for _, p := range cand { // ascending: earliest added first
		j := estimate(sig, ix.sigs[p])
		if j > bestJ && ix.cfg.copies(j, sig, ix.sigs[p]) {
			best, bestJ = int(p), j
		}
	}
	if best < 0 {
		return "", 0, false
	}
	return ix.ids[best], bestJ, true
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

// copies decides whether texts a and b, of estimated resemblance j, are
// copies of one another.
func (c Config) copies(j float64, a, b Signature) bool {
	if j >= c.Threshold {
		return true
	}
	if c.Containment <= 0 || j <= 0 {
		return false
	}
	na, nb := a.size(), b.size()
	small, large := float64(min(na, nb)), float64(max(na, nb))
	if int(small) < c.MinShingles || small < c.MinRatio*large {
		return false
	}
	// |A∩B| = J(|A|+|B|)/(1+J).
	inter := j * (small + large) / (1 + j)
	if inter < c.Containment*small {
		return false
	}
	if pa, pb := a.paras(), b.paras(); len(pa) > 0 && len(pb) > 0 {
		return paraShare(pa, pb) >= c.Paragraphs
	}
	return true
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
