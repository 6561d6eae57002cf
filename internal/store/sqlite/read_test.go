package sqlite

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestReadPlans: the reads a page or an ingest makes each time are
// lookups in an index, never a scan of a table.
func TestReadPlans(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	for _, tc := range []struct {
		name, query, want string
		args              []any
	}{
		// The partial index is empty in a new store: scanning it is free.
		{"HasLegacy", hasLegacyQuery, "SCAN articles USING COVERING INDEX articles_legacy", nil},
		{"StoryVersion", storyVersionQuery, "SEARCH stories USING INDEX sqlite_autoindex_stories_1 (id=?)", []any{"x"}},
		{"story's articles", storyArticlesQuery, "SEARCH articles USING INDEX articles_story (story_id=?)", []any{"x"}},
	} {
		if plan := planWith(t, st, tc.query, tc.args...); plan != tc.want {
			t.Errorf("%s: plan %q, want %q", tc.name, plan, tc.want)
		}
	}
}

// planWith is queryPlan for a query with parameters.
func planWith(t *testing.T, st *Store, query string, args ...any) string {
	t.Helper()
	rows, err := st.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}

// TestSnapshotsNeverWaitToPrepare holds every reader connection in a
// snapshot and asks each for a statement nobody prepared: preparing would
// need one more connection, which none of them gives back.
func TestSnapshotsNeverWaitToPrepare(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var snaps []querier
	for range readConns {
		q, done, err := st.snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		snaps = append(snaps, q)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(snaps))
	for i, q := range snaps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pq, err := st.prepared(ctx, q, fmt.Sprintf("SELECT %d", i))
			if err != nil {
				errs[i] = err
				return
			}
			var n int
			errs[i] = pq.QueryRowContext(ctx).Scan(&n)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("snapshot %d: %v", i, err)
		}
	}
	// The story reads run inside snapshots: they were prepared at Open.
	for _, q := range warmQueries() {
		if got, _ := st.rstmt.get(ctx, st.r, q, false); got == nil {
			t.Errorf("not prepared at open: %.60s", q)
		}
	}
}
