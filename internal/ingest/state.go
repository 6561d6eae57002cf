package ingest

import (
	"context"
	"fmt"

	"github.com/dossiernews/dossier/internal/cluster"
	"github.com/dossiernews/dossier/internal/dedup"
	"github.com/dossiernews/dossier/internal/store"
)

// indexMemory is how many of the latest indexed articles the dedup index
// keeps in memory; the rest it finds through the store's bands. Copies are
// mostly published within days of their original.
const indexMemory = 50000

// dedupBacking lets the dedup index find, through the store, the articles
// it does not hold in memory.
type dedupBacking struct{ in *Ingester }

func (b dedupBacking) InBands(ctx context.Context, keys []uint64, limit int) (map[uint64][]string, error) {
	return b.in.st.ArticlesInBands(ctx, keys, limit)
}

func (b dedupBacking) Signatures(ctx context.Context, ids []string) (map[string]dedup.Signature, error) {
	raw, err := b.in.st.Signatures(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]dedup.Signature, len(ids))
	for _, id := range ids {
		if sig, err := dedup.UnmarshalSignature(raw[id]); err == nil {
			out[id] = sig
			continue
		}
		// None or unreadable: signed again from the article, if it is there.
		sv, found, err := b.in.st.Saved(ctx, id)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		sig, _, err := b.in.stateOf(ctx, sv)
		if err != nil {
			return nil, err
		}
		out[id] = sig
	}
	return out, nil
}

// indexAdd files an original in the dedup index; its bands go to the store
// with the commit (see flushState).
func (in *Ingester) indexAdd(id string, sig dedup.Signature) {
	in.index.Add(id, sig)
}

// indexRemove takes an article out of the dedup index and, with the
// commit, its bands out of the store.
func (in *Ingester) indexRemove(id string) {
	in.index.Remove(id)
}

// pendingBands are bands for the store that the index has not made: those
// of a store built from an earlier version's articles.
func (in *Ingester) pendingBands() map[string][]uint64 {
	if in.pending.Bands == nil {
		in.pending.Bands = map[string][]uint64{}
	}
	return in.pending.Bands
}

// flushState writes the streaming state the writes since the last flush
// changed; it runs in the batch of the articles that changed it.
func (in *Ingester) flushState(ctx context.Context) error {
	d := in.pending
	in.pending = store.StateDelta{}
	cd := in.clusterer.TakeDelta()
	d.Docs += cd.Docs
	d.Terms, d.Stories, d.StoryKeys = cd.Terms, cd.Stories, cd.StoryKeys
	in.founded += cd.Terms[cluster.FoundedTerm]
	changes := in.index.TakeChanges()
	if len(in.teach) > 0 {
		if err := in.st.AddTaught(ctx, in.teach); err != nil {
			return fmt.Errorf("write template counts: %w", err)
		}
		in.teach = map[string]int{}
	}
	// The index's changes keep its order: the store files articles in the
	// order their bands are set.
	for _, c := range changes {
		d.BandChanges = append(d.BandChanges, store.BandChange{ID: c.ID, Bands: c.Keys})
	}
	if len(d.Bands) > 0 || len(d.BandChanges) > 0 || len(d.Terms) > 0 || len(d.Stories) > 0 || len(d.StoryKeys) > 0 || d.Docs != 0 {
		if err := in.st.ApplyState(ctx, d); err != nil {
			return fmt.Errorf("write streaming state: %w", err)
		}
	}
	return nil
}

// atomically runs fn and writes the state it changed in one transaction.
// An interrupt lets a write that began finish, so that the streaming state
// in memory never runs ahead of the store's. Its writes may go behind the
// streaming work (store.WritesBehind): every caller gives the transaction
// up at the first failure, and starts a new Ingester.
func (in *Ingester) atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	return in.st.Batch(store.WritesBehind(context.WithoutCancel(ctx)), func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			in.pending = store.StateDelta{}
			in.teach = map[string]int{}
			in.index.TakeChanges()
			return err
		}
		return in.flushState(ctx)
	})
}
