package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	dossier "github.com/dossiernews/dossier"

	"github.com/dossiernews/dossier/internal/ingest"
)

// TestReclusterAgreesWithFreshIngest: a store built with other settings
// (every article its own story, no near copies) and then reclustered with
// the defaults holds what a fresh ingest with the defaults holds, every
// move is recorded, and a second recluster changes nothing.
func TestReclusterAgreesWithFreshIngest(t *testing.T) {
	ctx := context.Background()
	corpus := []string{filepath.Join("..", "..", "examples")}
	strict := ingest.DefaultConfig()
	strict.Cluster.Threshold = 1 // only identical terms reach it
	strict.Dedup.Threshold, strict.Dedup.Containment = 1, 0

	st := openStore(t)
	ingestOnce(t, st, strict, corpus...)

	progress := 0
	rs, err := ingest.Recluster(ctx, st, ingest.DefaultConfig(), func(done, total int) { progress = done })
	if err != nil {
		t.Fatal(err)
	}
	fresh := openStore(t)
	ingestOnce(t, fresh, ingest.DefaultConfig(), corpus...)
	want := viewOf(t, fresh)
	sameView(t, "after recluster", viewOf(t, st), want)
	stored := 0
	if err := fresh.Articles(ctx, func(dossier.Article) error { stored++; return nil }); err != nil {
		t.Fatal(err)
	}
	if progress != stored || rs.Articles != stored {
		t.Errorf("progress %d, summary %+v; want %d articles", progress, rs, stored)
	}
	if rs.Moved == 0 || rs.Relinked == 0 {
		t.Fatalf("summary %+v: the strict store had no stories or copies to rebuild", rs)
	}

	// Every article that changed story left a trace with the reason.
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, s := range stories {
		moves, err := st.Moves(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range moves {
			if m.To == s.ID && m.Reason == ingest.MoveReclustered {
				recorded++
			}
		}
	}
	if recorded != rs.Moved {
		t.Errorf("%d moves recorded as reclustered, summary says %d moved", recorded, rs.Moved)
	}

	again, err := ingest.Recluster(ctx, st, ingest.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Moved != 0 || again.Relinked != 0 || again.Compared != 0 {
		t.Errorf("a second recluster changed things: %+v", again)
	}
	sameView(t, "after a second recluster", viewOf(t, st), want)
}

// TestStateBuiltForOlderStores: a store whose streaming state is missing,
// as one written by a version that kept none, has it built from its
// articles when a writer opens it, and goes on as if it had always had it.
func TestStateBuiltForOlderStores(t *testing.T) {
	ctx := context.Background()
	recs := records(t)
	dir := t.TempDir()
	first := writeFeed(t, dir, "first.jsonl", recs, "port", "bakery")
	second := writeFeed(t, dir, "second.jsonl", recs, "port-copy", "bridge", "fire")
	cfg := ingest.DefaultConfig()

	st := openStore(t)
	ingestOnce(t, st, cfg, first)
	if err := st.ClearState(ctx); err != nil {
		t.Fatal(err)
	}
	ingestOnce(t, st, cfg, first, second)

	fresh := openStore(t)
	ingestOnce(t, fresh, cfg, first, second)
	sameView(t, "after building the state", viewOf(t, st), viewOf(t, fresh))
	if docs, _, err := st.TermCounts(ctx, nil); err != nil || docs == 0 {
		t.Errorf("no state after the build: docs %d, %v", docs, err)
	}
}
