package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dossiernews/dossier/internal/store"
)

// roundTrips counts what the client sends the server and waits for: a
// query, or a batch of pipelined queries.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// TestRoundTripsPerArticle holds the writes an ingest makes per article
// to a few round trips: on PostgreSQL they cost more than the work.
// Before the statements were pipelined: a Put of a new article 14, of a
// replaced one 19, a state delta 10 to 13; now 5 (two of them the
// savepoint), 6 and 2; with the savepoint in the first and last batches,
// 3, 4 and 2; with the article's story's aggregate read in the first
// batch and written with the rows, 2, 4 and 2.
func TestRoundTripsPerArticle(t *testing.T) {
	rt := &roundTrips{}
	st := openTempWith(t, func(c *pgxpool.Config) { c.ConnConfig.Tracer = rt })
	defer st.Close()
	ctx := context.Background()
	for _, tt := range []struct {
		name               string
		i                  int
		putMost, stateMost int64
	}{
		// The first statements are prepared: a round trip each more.
		{"warm-up", 0, 100, 100},
		{"new article", 1, 2, 2},
		{"replaced, new story", 1, 4, 2}, // the story it left is tallied anew
	} {
		a := benchArticle(tt.i)
		if tt.name == "replaced, new story" {
			a.StoryID = "another"
		}
		var put, state int64
		err := st.Batch(ctx, func(ctx context.Context) error {
			before := rt.n.Load()
			if err := st.Put(ctx, a, store.State{Signature: []byte("sig"), Features: []byte("features")}); err != nil {
				return err
			}
			put = rt.n.Load() - before
			d := store.StateDelta{Docs: 1, Terms: map[string]int64{fmt.Sprintf("word%d", tt.i): 1, "pier": 1},
				Stories:   map[string][]byte{a.StoryID: []byte("state")},
				StoryKeys: map[string][]string{a.StoryID: {"pier", fmt.Sprintf("word%d", tt.i)}},
				Bands:     map[string][]uint64{a.ID: {uint64(tt.i + 7), uint64(tt.i * 31)}}}
			before = rt.n.Load()
			if err := st.ApplyState(ctx, d); err != nil {
				return err
			}
			state = rt.n.Load() - before
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		t.Logf("%s: Put %d round trips, ApplyState %d", tt.name, put, state)
		if put > tt.putMost || state > tt.stateMost {
			t.Errorf("%s: Put %d round trips (at most %d), ApplyState %d (at most %d)", tt.name, put, tt.putMost, state, tt.stateMost)
		}
	}
}
