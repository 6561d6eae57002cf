package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/dossiernews/dossier/internal/store"
)

// MoveSplit is the reason a Move records for an article whose story split
// in two, as it had grown into two events.
const MoveSplit = "split"

// applyRegroups carries out in the store what the clusterer's last
// assignment decided besides the article's own story: merges, or a split.
// One assignment decides one or the other, so that applying them after
// each keeps their order.
func (in *Ingester) applyRegroups(ctx context.Context, sum *Summary, touched map[string]bool) error {
	if err := in.applyMerges(ctx, sum, touched); err != nil {
		return err
	}
	return in.applySplits(ctx, sum, touched)
}

// applySplits moves the originals that left a story, and their copies,
// into the story they founded, recording each move.
func (in *Ingester) applySplits(ctx context.Context, sum *Summary, touched map[string]bool) error {
	for _, sp := range in.clusterer.TakeSplits() {
		for _, id := range sp.Articles {
			copies, err := in.st.Copies(ctx, id)
			if err != nil {
				return fmt.Errorf("split %s from %s: %w", sp.Into, sp.From, err)
			}
			for _, x := range append([]string{id}, copies...) {
				a, sv, err := in.load(ctx, x)
				if errors.Is(err, store.ErrNotFound) {
					continue // the article being assigned, stored next
				}
				if err != nil {
					return fmt.Errorf("split %s from %s: %w", sp.Into, sp.From, err)
				}
				if a.StoryID == sp.Into {
					continue
				}
				a.StoryID = sp.Into
				state := sv.State
				state.Reason = MoveSplit
				if err := in.rewrite(ctx, &a, state); err != nil {
					return fmt.Errorf("split %s from %s: %w", sp.Into, sp.From, err)
				}
			}
		}
		touched[sp.From], touched[sp.Into] = true, true
		in.stories[sp.Into] = true
		sum.Split++
		in.log.Debug("split story", "from", sp.From, "into", sp.Into, "articles", len(sp.Articles))
	}
	return nil
}

// clusterBacking is the store as the clusterer's backing. While stories
// are rebuilt (placed not nil), a story's members are only those placed
// again so far: the others still carry the story IDs of before, which
// the new stories may share.
type clusterBacking struct {
	store.Store
	placed map[string]bool
}

func (b clusterBacking) StoryFeatures(ctx context.Context, storyID string, limit int) ([]string, [][]byte, error) {
	if b.placed == nil {
		return b.Store.StoryFeatures(ctx, storyID, limit)
	}
	for ask := limit; ; ask *= 2 {
		ids, feats, err := b.Store.StoryFeatures(ctx, storyID, ask)
		if err != nil {
			return nil, nil, err
		}
		var keptIDs []string
		var kept [][]byte
		for i, id := range ids {
			if b.placed[id] {
				keptIDs, kept = append(keptIDs, id), append(kept, feats[i])
			}
		}
		if len(keptIDs) >= limit || len(ids) < ask {
			return keptIDs[:min(len(keptIDs), limit)], kept[:min(len(kept), limit)], nil
		}
	}
}
