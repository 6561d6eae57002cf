package dedup

import (
	"context"
	"fmt"
)

// Backing is where an Index finds articles it does not hold in memory:
// typically the store, which keeps each canonical article's BandKeys and
// Signature.
type Backing interface {
	// InBands lists, per band key, the articles stored under it, in ingest order.
	InBands(ctx context.Context, keys []uint64) (map[uint64][]string, error)
	// Signatures returns the stored signatures of ids; an id it does not
	// hold is left out.
	Signatures(ctx context.Context, ids []string) (map[string]Signature, error)
}

// WithBacking makes ix consult b for the articles memory does not hold, and
// keep in memory at most memory articles (the latest added; 0 is no bound),
// so that its state stays small however large the archive grows. Articles
// added to ix must also be stored in b, under BandKeys, by the caller. Call
// it before the index is used; it returns ix.
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

// matchBacking judges sig against the articles the backing files under keys
// that memory does not hold and that were not removed in this process.
func (ix *Index) matchBacking(ctx context.Context, sig Signature, keys []uint64) ([]Match, error) {
	lists, err := ix.backing.InBands(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("dedup: backing bands: %w", err)
	}
	ix.mu.RLock()
	seen := map[string]bool{}
	var ids []string
	for _, k := range keys {
		for _, id := range lists[k] {
			if seen[id] {
				continue
			}
			seen[id] = true
			if _, inMemory := ix.pos[id]; !inMemory && !ix.gone[id] {
				ids = append(ids, id)
			}
		}
	}
	ix.mu.RUnlock()
	if len(ids) == 0 {
		return nil, nil
	}
	sigs, err := ix.backing.Signatures(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("dedup: backing signatures: %w", err)
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
