package dedup

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Backing is where an Index finds articles it does not hold in memory:
// typically the store, which keeps each canonical article's BandKeys and
// Signature.
type Backing interface {
	// InBands lists, per band key, the latest limit articles stored under
	// it (all for limit 0), in the order they were filed.
	InBands(ctx context.Context, keys []uint64, limit int) (map[uint64][]string, error)
	// Signatures returns the stored signatures of ids; an id it does not
	// hold is left out.
	Signatures(ctx context.Context, ids []string) (map[string]Signature, error)
}

// WithBacking makes ix consult b for the articles memory does not hold, and
// keep in memory at most memory articles (the latest added; 0 is no bound),
// so that its state stays small however large the archive grows. The caller
// must apply to b, in order, the changes TakeChanges returns, so that b
// files articles in the order ix does. Call it before the index is used; it
// returns ix.
func (ix *Index) WithBacking(b Backing, memory int) *Index {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.backing, ix.memory = b, max(memory, 0)
	ix.gone = map[string]bool{}
	for ix.memory > 0 && len(ix.pos) > ix.memory {
		ix.evictOldest()
	}
	return ix
}

// StartsEmpty tells ix that its backing holds no article yet: until memory
// first evicts one, ix holds all there is and does not ask the backing.
// It returns ix.
func (ix *Index) StartsEmpty() *Index {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.complete = len(ix.gone) == 0 && ix.evict == 0
	return ix
}

// BandKeys returns the keys an article with signature sig is filed under:
// what a Backing stores per article. A signature the index cannot compare
// has none.
func (ix *Index) BandKeys(sig Signature) []uint64 {
	if !ix.usable(sig) {
		return nil
	}
	return ix.bandKeys(sig, make([]uint64, 0, ix.bands+indexParas))
}

// BandChange is a change of an article's band keys for the backing: the
// keys it is filed under now, none when it is taken out.
type BandChange struct {
	ID   string
	Keys []uint64
}

// TakeChanges returns the band changes made since the last call, in the
// order made, and forgets them; the caller applies them to the backing in
// that order before the next match. Without a backing there are none.
func (ix *Index) TakeChanges() []BandChange {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ch := ix.changes
	ix.changes = nil
	clear(ix.gone) // the backing no longer lists what was removed
	return ch
}

// matchBacking judges sig against the latest articles the backing files
// under keys that memory does not hold and that were not removed since the
// changes were last taken: with memory's, the latest perKey of each key.
func (ix *Index) matchBacking(ctx context.Context, sig Signature, keys []uint64) ([]Match, error) {
	ix.mu.RLock()
	// Removed articles the backing still lists take no candidate's place.
	limit := perKey + len(ix.gone)
	ix.mu.RUnlock()
	lists, err := ix.backing.InBands(ctx, keys, limit)
	if err != nil {
		return nil, fmt.Errorf("dedup: backing bands: %w", err)
	}
	ix.mu.RLock()
	type cand struct {
		id  string
		key int // index in keys of the first key that brought it
		pos int // from the end of that key's list
	}
	seen := map[string]bool{}
	var cands []cand
	for ki, k := range keys {
		list := lists[k]
		want := perKey - len(ix.buckets[k])
		// The latest first: memory holds the latest of all, so those of
		// the backing's that memory does not hold come after them.
		for i := len(list) - 1; i >= 0 && want > 0; i-- {
			id := list[i]
			if _, inMemory := ix.pos[id]; inMemory || ix.gone[id] {
				continue
			}
			want--
			if !seen[id] {
				seen[id] = true
				cands = append(cands, cand{id, ki, len(list) - 1 - i})
			}
		}
	}
	ix.mu.RUnlock()
	if len(cands) == 0 {
		return nil, nil
	}
	// In the order the backing lists them: by key, then as filed.
	slices.SortStableFunc(cands, func(a, b cand) int {
		if a.key != b.key {
			return a.key - b.key
		}
		return b.pos - a.pos
	})
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.id
	}
	sigs, err := ix.backingSignatures(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []Match
	for _, id := range ids {
		s, ok := sigs[id]
		if !ok || !ix.usable(s) {
			continue // gone since, or signed by another scheme
		}
		if j, rel, ok := ix.cfg.judge(sig, s); ok {
			out = append(out, Match{ID: id, Similarity: j, Relation: rel})
		}
	}
	return out, nil
}

// cachedSigs is how many signatures read from the backing an index keeps:
// an older article under a key that many new ones share is then read once,
// not once for each of them. About a kilobyte each.
const cachedSigs = 16384

// sigCache holds signatures read from the backing, the oldest read dropped
// first. It is only a cache: what is found never depends on it.
type sigCache struct {
	mu   sync.Mutex
	m    map[string]Signature
	ring []string // ids in the order read; ring[next] is dropped next
	next int
}

func (c *sigCache) forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

// backingSignatures returns the signatures of ids, from the cache or the
// backing.
func (ix *Index) backingSignatures(ctx context.Context, ids []string) (map[string]Signature, error) {
	c := &ix.cache
	out := make(map[string]Signature, len(ids))
	var ask []string
	c.mu.Lock()
	for _, id := range ids {
		if s, ok := c.m[id]; ok {
			out[id] = s
		} else {
			ask = append(ask, id)
		}
	}
	c.mu.Unlock()
	if len(ask) == 0 {
		return out, nil
	}
	read, err := ix.backing.Signatures(ctx, ask)
	if err != nil {
		return nil, fmt.Errorf("dedup: backing signatures: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]Signature, cachedSigs)
		c.ring = make([]string, cachedSigs)
	}
	for _, id := range ask {
		s, ok := read[id]
		if !ok {
			continue
		}
		out[id] = s
		if _, had := c.m[id]; had {
			continue
		}
		if old := c.ring[c.next]; old != "" {
			delete(c.m, old)
		}
		c.ring[c.next], c.m[id] = id, s
		c.next = (c.next + 1) % len(c.ring)
	}
	return out, nil
}
