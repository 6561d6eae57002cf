package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/dossiernews/dossier/internal/store"
)

// testStoryFeatures: a story's originals in ingest order with the
// features stored with them; copies, other stories and articles moved
// away are left out, and limit bounds the answer.
func testStoryFeatures(t *testing.T, st store.Store) {
	ctx := context.Background()
	putWith := func(id, story, dupOf string) {
		t.Helper()
		a := pageArticle(id, story, "Harbour Gazette", 1, 0)
		a.DuplicateOf = dupOf
		if err := st.Put(ctx, a, store.State{Features: []byte("features of " + id)}); err != nil {
			t.Fatalf("Put %s: %v", id, err)
		}
	}
	putWith("a3", "s-one", "")
	putWith("a1", "s-one", "")
	putWith("c1", "s-one", "a1") // a copy
	putWith("b1", "s-two", "")
	putWith("a2", "s-one", "")
	putWith("a4", "s-one", "")
	putWith("a4", "s-two", "") // moved away, keeping its place
	cases := []struct {
		story string
		limit int
		want  []string
	}{
		{"s-one", 10, []string{"a3", "a1", "a2"}},
		{"s-one", 2, []string{"a3", "a1"}},
		{"s-two", 10, []string{"b1", "a4"}},
		{"s-none", 10, nil},
		{"s-one", 0, nil},
	}
	for _, tc := range cases {
		ids, feats, err := st.StoryFeatures(ctx, tc.story, tc.limit)
		if err != nil {
			t.Fatalf("StoryFeatures(%s, %d): %v", tc.story, tc.limit, err)
		}
		if !slices.Equal(ids, tc.want) || len(feats) != len(ids) {
			t.Errorf("StoryFeatures(%s, %d) = %v (%d features), want %v", tc.story, tc.limit, ids, len(feats), tc.want)
			continue
		}
		for i, id := range ids {
			if string(feats[i]) != "features of "+id {
				t.Errorf("features of %s = %q", id, feats[i])
			}
		}
	}
}
