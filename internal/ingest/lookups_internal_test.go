package ingest

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// TestLookupsSeeWrites: what lookups read ahead answers as the store
// would, after any Put or Remove made since.
func TestLookupsSeeWrites(t *testing.T) {
	ctx := context.Background()
	article := func(id, fp, dup string) *dossier.Article {
		return &dossier.Article{ID: id, StoryID: "s-" + id, Title: "Lock gates " + id, Text: "The lock gates open at dawn.",
			Fingerprint: fp, DuplicateOf: dup}
	}
	tests := []struct {
		name   string
		stored []*dossier.Article
		write  func(st store.Store) error
	}{
		{"a new article", nil, func(st store.Store) error { return st.Put(ctx, article("gate-1", "fp-gate", ""), store.State{}) }},
		{"an original replaced by a copy", []*dossier.Article{article("gate-1", "fp-gate", ""), article("gate-2", "fp-gate", "")},
			func(st store.Store) error { return st.Put(ctx, article("gate-1", "fp-gate", "gate-2"), store.State{}) }},
		{"an original's text changed", []*dossier.Article{article("gate-1", "fp-gate", ""), article("gate-2", "fp-weir", "")},
			func(st store.Store) error { return st.Put(ctx, article("gate-1", "fp-weir", ""), store.State{}) }},
		{"an original removed", []*dossier.Article{article("gate-1", "fp-gate", ""), article("gate-2", "fp-gate", "")},
			func(st store.Store) error { return st.Remove(ctx, "gate-1", "removed") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dossier.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			for _, a := range tt.stored {
				if err := st.Put(ctx, a, store.State{}); err != nil {
					t.Fatal(err)
				}
			}
			l := newLookups(st, true)
			ids, fps := []string{"gate-1", "gate-2"}, []string{"fp-gate", "fp-weir"}
			if err := l.fill(ctx, ids, fps); err != nil {
				t.Fatal(err)
			}
			if err := tt.write(l); err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				sv, found, err := l.Saved(ctx, id)
				want, wantFound, werr := st.Saved(ctx, id)
				if err != nil || werr != nil || found != wantFound || sv.StoryID != want.StoryID || sv.DuplicateOf != want.DuplicateOf {
					t.Errorf("Saved(%s) = %+v, %v, %v; the store has %+v, %v, %v", id, sv, found, err, want, wantFound, werr)
				}
			}
			for _, fp := range fps {
				id, found, err := l.CanonicalByFingerprint(ctx, fp)
				want, wantFound, werr := st.CanonicalByFingerprint(ctx, fp)
				if err != nil || werr != nil || id != want || found != wantFound {
					t.Errorf("CanonicalByFingerprint(%s) = %q, %v, %v; the store has %q, %v, %v", fp, id, found, err, want, wantFound, werr)
				}
			}
		})
	}
}

// TestLookupsKeepMembers: a story's originals as lookups keeps them
// (StoryFeatures) are the store's after any Put or Remove, whether the
// write appends to what is kept or forgets it.
func TestLookupsKeepMembers(t *testing.T) {
	ctx := context.Background()
	article := func(id, story, dup string) *dossier.Article {
		return &dossier.Article{ID: id, StoryID: story, Title: "Weir " + id, Text: "The weir holds.", Fingerprint: "fp-" + id, DuplicateOf: dup}
	}
	state := func(id string) store.State { return store.State{Features: []byte("features of " + id)} }
	// In ingest order: an article that comes into a story (d1, w3) falls
	// before some of its members.
	stored := []*dossier.Article{article("d1", "s-dam", ""), article("w1", "s-weir", ""), article("w3", "s-weir", "w1"),
		article("w2", "s-weir", ""), article("d2", "s-dam", "")}
	tests := []struct {
		name  string
		limit int
		write func(st store.Store) error
	}{
		{"a new original", 5, func(st store.Store) error { return st.Put(ctx, article("w4", "s-weir", ""), state("w4")) }},
		{"a new original past the first asked", 2, func(st store.Store) error { return st.Put(ctx, article("w4", "s-weir", ""), state("w4")) }},
		{"a new copy", 5, func(st store.Store) error { return st.Put(ctx, article("w4", "s-weir", "w2"), state("w4")) }},
		{"an original moved in", 5, func(st store.Store) error { return st.Put(ctx, article("d1", "s-weir", ""), state("d1x")) }},
		{"a copy made an original", 5, func(st store.Store) error { return st.Put(ctx, article("w3", "s-weir", ""), state("w3")) }},
		{"an original made a copy", 5, func(st store.Store) error { return st.Put(ctx, article("w1", "s-weir", "w2"), state("w1")) }},
		{"an original written again", 5, func(st store.Store) error { return st.Put(ctx, article("w2", "s-weir", ""), state("w2 again")) }},
		{"an original removed", 5, func(st store.Store) error { return st.Remove(ctx, "w2", "removed") }},
		{"new originals, then one moved out", 5, func(st store.Store) error {
			for _, id := range []string{"w4", "w5"} {
				if err := st.Put(ctx, article(id, "s-weir", ""), state(id)); err != nil {
					return err
				}
			}
			return st.Put(ctx, article("w4", "s-dam", ""), state("w4"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dossier.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			for _, a := range stored {
				if err := st.Put(ctx, a, state(a.ID)); err != nil {
					t.Fatal(err)
				}
			}
			l := newLookups(st, true)
			// As commit asks before it writes: whether each is stored.
			if err := l.fill(ctx, []string{"w1", "w2", "w3", "w4", "w5", "d1", "d2"}, nil); err != nil {
				t.Fatal(err)
			}
			stories := []string{"s-weir", "s-dam"}
			for _, s := range stories {
				if _, _, err := l.StoryFeatures(ctx, s, tt.limit); err != nil {
					t.Fatal(err)
				}
			}
			if err := tt.write(l); err != nil {
				t.Fatal(err)
			}
			for _, s := range stories {
				for _, limit := range []int{tt.limit, 1} {
					ids, feats, err := l.StoryFeatures(ctx, s, limit)
					wantIDs, wantFeats, werr := st.StoryFeatures(ctx, s, limit)
					if err != nil || werr != nil || !reflect.DeepEqual(ids, wantIDs) || !reflect.DeepEqual(feats, wantFeats) {
						t.Errorf("StoryFeatures(%s, %d) = %v %q, %v; the store has %v %q, %v", s, limit, ids, feats, err, wantIDs, wantFeats, werr)
					}
				}
			}
		})
	}
}
