package sqlite

import (
	"context"
	"strings"
	"testing"
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
