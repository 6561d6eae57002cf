package ingest

import (
	"context"
	"path/filepath"
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
			l := &lookups{Store: st}
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
