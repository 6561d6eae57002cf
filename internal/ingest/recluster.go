package ingest

import (
	"context"
	"fmt"
	"slices"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/cluster"
	"github.com/dossiernews/dossier/internal/dedup"
	"github.com/dossiernews/dossier/internal/store"
)

// ReclusterSummary counts what Recluster changed.
type ReclusterSummary struct {
	Articles int // articles read
	// Relinked counts articles whose original changed: a copy that is now
	// an original, an original that is now a copy, or a copy of another.
	Relinked int
	Moved    int // articles whose story changed
	Compared int // stories whose comparison was made anew
	Stories  int // stories after the rebuild
}

// MoveReclustered is the reason a Move records for an article Recluster put
// into another story.
const MoveReclustered = "reclustered"

// Recluster rebuilds copies and stories from the stored articles, in ingest
// order, with cfg's dedup and clustering settings, as if the articles were
// ingested afresh in that order: no input is read again, and an article's
// signature and features are made anew from its stored text, so that a
// changed setting takes effect everywhere. Every article that changes story
// is recorded (reason "reclustered"). It takes the writer lock for the whole
// rebuild. progress, when not nil, is told how many of how many articles
// are done, before the first and after each.
//
// A kill part way leaves a store every article of which is in a story and
// a later Recluster finishes the job; the stories are then a mix of the two
// settings until it does.
func Recluster(ctx context.Context, st store.Store, cfg Config, progress func(done, total int)) (ReclusterSummary, error) {
	var rs ReclusterSummary
	if cfg.Who == "" {
		cfg.Who = "dossier recluster"
	}
	in, err := open(ctx, st, cfg, true)
	if err != nil {
		return rs, err
	}
	defer in.Close()
	var sum Summary
	touched := map[string]bool{}
	firstWith := map[string]string{} // fingerprint → first original holding it
	// The articles are read whole before any is written: a write may not
	// overtake the read it depends on, and ingest order is what counts.
	var ids []string
	if err := st.Articles(ctx, func(a dossier.Article) error {
		ids = append(ids, a.ID)
		return nil
	}); err != nil {
		return rs, fmt.Errorf("recluster: list articles: %w", err)
	}
	if progress != nil {
		progress(0, len(ids))
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return rs, fmt.Errorf("recluster interrupted: %w", err)
		}
		err := in.atomically(ctx, func(ctx context.Context) error {
			return in.replace(ctx, id, firstWith, &rs, &sum, touched)
		})
		if err != nil {
			return rs, fmt.Errorf("recluster %s: %w", id, err)
		}
		rs.Articles++
		if progress != nil {
			progress(rs.Articles, len(ids))
		}
	}
	if err := in.compareStale(ctx, &sum); err != nil {
		return rs, err
	}
	rs.Compared = sum.Compared
	rs.Stories = len(in.stories)
	return rs, nil
}

// replace places one stored article again, as a fresh ingest in ingest
// order would, and stores what changed.
func (in *Ingester) replace(ctx context.Context, id string, firstWith map[string]string, rs *ReclusterSummary, sum *Summary, touched map[string]bool) error {
	a, sv, err := in.load(ctx, id)
	if err != nil {
		return err
	}
	was := a
	start := time.Now()
	sig := in.cfg.Dedup.SignArticle(a.Title, a.Text)
	in.clock(2, start)
	start = time.Now()
	feat := cluster.Extract(a.Title, a.Text, a.Language, a.Published)
	in.clock(3, start)

	displaced, err := in.place(ctx, &a, sig, feat, firstWith)
	if err != nil {
		return err
	}
	if a.DuplicateOf == "" && was.DuplicateOf != "" {
		start := time.Now()
		a.Quotes = findQuotes(a.Text, a.Outlet)
		in.clock(4, start)
	}
	if a.DuplicateOf != was.DuplicateOf {
		rs.Relinked++
	}
	if a.StoryID != was.StoryID {
		rs.Moved++
	}
	state := store.State{Signature: sig.Marshal(), Features: feat.Marshal(), SourceKey: sv.SourceKey, Digest: sv.Digest, Reason: MoveReclustered, Furniture: sv.Furniture}
	in.stories[a.StoryID] = true
	if !sameArticle(a, was) || !slices.Equal(state.Signature, sv.Signature) || !slices.Equal(state.Features, sv.Features) {
		if err := in.rewrite(ctx, &a, state); err != nil {
			return err
		}
		touched[a.StoryID] = true
	}
	if a.DuplicateOf != "" {
		// A copy is found through its original, never through bands
		// of its own that an earlier clustering stored.
		in.pendingBands()[a.ID] = nil
	}
	if a.DuplicateOf == "" {
		in.placed[a.ID] = true
	}
	if err := in.applyRegroups(ctx, sum, touched); err != nil {
		return err
	}
	if displaced.ID != "" {
		if err := in.displace(ctx, displaced, a.ID, sum, touched); err != nil {
			return err
		}
	}
	return nil
}

// place links a, in ingest order, to the first earlier original with its
// text, else to the near copy the index finds, else puts it into a story;
// a copy that came first takes its original's place, which is returned.
func (in *Ingester) place(ctx context.Context, a *dossier.Article, sig dedup.Signature, feat cluster.Features, firstWith map[string]string) (dedup.Match, error) {
	displaced, err := in.settle(ctx, a, sig, feat, firstWith[a.Fingerprint], "", true)
	if err != nil {
		return displaced, err
	}
	if a.DuplicateOf == "" {
		firstWith[a.Fingerprint] = a.ID
	}
	return displaced, nil
}
