package web

import (
	"context"
	"sync/atomic"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// An ingest is CPU-bound for seconds; on two cores it would hold both
// while a page waited for a turn. So the server's ingests go through
// readersFirst, which lets readers in flight go first.

const (
	// maxYield bounds one wait, so that reads without a pause never stop
	// an ingest: at most this per store call it makes.
	maxYield = 2 * time.Millisecond
	// yieldStep is how often a waiting ingest looks again.
	yieldStep = 100 * time.Microsecond
)

// readGate counts the reads in flight.
type readGate struct{ active atomic.Int64 }

// enter marks a read in flight until the returned function is called.
func (g *readGate) enter() func() {
	g.active.Add(1)
	return func() { g.active.Add(-1) }
}

// wait returns once no read is in flight, after maxYield, or when ctx ends.
func (g *readGate) wait(ctx context.Context) {
	if g.active.Load() == 0 {
		return
	}
	deadline := time.Now().Add(maxYield)
	for g.active.Load() > 0 && ctx.Err() == nil && time.Now().Before(deadline) {
		time.Sleep(yieldStep)
	}
}

// readersFirst is a store whose calls that an ingest makes for every
// article wait for the gate first. The rest pass through.
type readersFirst struct {
	store.Store
	gate *readGate
}

func (r readersFirst) Put(ctx context.Context, a *dossier.Article, st store.State) error {
	r.gate.wait(ctx)
	return r.Store.Put(ctx, a, st)
}

func (r readersFirst) Saved(ctx context.Context, id string) (store.Saved, bool, error) {
	r.gate.wait(ctx)
	return r.Store.Saved(ctx, id)
}

func (r readersFirst) Article(ctx context.Context, id string) (dossier.Article, error) {
	r.gate.wait(ctx)
	return r.Store.Article(ctx, id)
}

func (r readersFirst) Story(ctx context.Context, id string) (dossier.Story, error) {
	r.gate.wait(ctx)
	return r.Store.Story(ctx, id)
}

func (r readersFirst) ApplyState(ctx context.Context, d store.StateDelta) error {
	r.gate.wait(ctx)
	return r.Store.ApplyState(ctx, d)
}

func (r readersFirst) TermCounts(ctx context.Context, terms []string) (int64, map[string]int64, error) {
	r.gate.wait(ctx)
	return r.Store.TermCounts(ctx, terms)
}

func (r readersFirst) StoryStates(ctx context.Context, ids []string) (map[string][]byte, error) {
	r.gate.wait(ctx)
	return r.Store.StoryStates(ctx, ids)
}

func (r readersFirst) StoryFeatures(ctx context.Context, storyID string, limit int) ([]string, [][]byte, error) {
	r.gate.wait(ctx)
	return r.Store.StoryFeatures(ctx, storyID, limit)
}

func (r readersFirst) StoriesWithKeys(ctx context.Context, keys []string, limit int) (map[string][]string, error) {
	r.gate.wait(ctx)
	return r.Store.StoriesWithKeys(ctx, keys, limit)
}

func (r readersFirst) ArticlesInBands(ctx context.Context, bands []uint64, limit int) (map[uint64][]string, error) {
	r.gate.wait(ctx)
	return r.Store.ArticlesInBands(ctx, bands, limit)
}

func (r readersFirst) Signatures(ctx context.Context, ids []string) (map[string][]byte, error) {
	r.gate.wait(ctx)
	return r.Store.Signatures(ctx, ids)
}

func (r readersFirst) SetComparison(ctx context.Context, storyID string, c dossier.Comparison) error {
	r.gate.wait(ctx)
	return r.Store.SetComparison(ctx, storyID, c)
}
