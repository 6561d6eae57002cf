package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

// testTemplates: templates come back as put, by outlet name; putting one
// again replaces it.
func testTemplates(t *testing.T, st store.Store) {
	ctx := context.Background()
	if ts, err := st.Templates(ctx); err != nil || len(ts) != 0 {
		t.Fatalf("Templates of an empty store = %+v, %v; want none", ts, err)
	}
	at := time.Date(2026, 4, 2, 6, 15, 0, 0, time.UTC)
	ledger := store.Template{Outlet: "Harbour Ledger", Lines: []string{"Ferry times", "Tide tables and harbour notices"}, Version: "v1", LearnedAt: at, Pages: 40}
	monitor := store.Template{Outlet: "Bay Monitor", Lines: []string{"Subscribe to the Monitor"}, Version: "m1", LearnedAt: at.Add(time.Hour), Pages: 9, Fresh: 4}
	for _, tm := range []store.Template{ledger, monitor} {
		if err := st.PutTemplate(ctx, tm); err != nil {
			t.Fatalf("PutTemplate %s: %v", tm.Outlet, err)
		}
	}
	// A template learned again, shrunk to nothing.
	ledger2 := store.Template{Outlet: "Harbour Ledger", Version: "v2", LearnedAt: at.Add(48 * time.Hour), Pages: 41}
	if err := st.PutTemplate(ctx, ledger2); err != nil {
		t.Fatalf("PutTemplate again: %v", err)
	}
	want := []store.Template{monitor, ledger2}
	if got, err := st.Templates(ctx); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Templates = %+v, %v; want %+v", got, err, want)
	}
	if err := st.PutTemplate(ctx, store.Template{Version: "x"}); err == nil {
		t.Error("PutTemplate without an outlet succeeded")
	}
}

// testOutletArticles: an outlet's articles newest first by publication,
// undated ones last (latest ingested first), bounded by limit.
func testOutletArticles(t *testing.T, st store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	// Two undated articles of the outlet, ingested after the others.
	for _, id := range []string{"ledger-undated-1", "ledger-undated-2"} {
		a := fx["bare-1"].Article
		a.ID, a.Outlet, a.StoryID = id, "Harbour Ledger", "s-bare"
		// One of them had a template's line taken out.
		var state store.State
		if id == "ledger-undated-1" {
			state.Furniture = store.Furniture{Version: "t1", Removed: []store.RemovedParagraph{{Index: 1, Text: "Read our weekend edition"}}}
		}
		if err := st.Put(ctx, &a, state); err != nil {
			t.Fatalf("Put %s: %v", id, err)
		}
	}
	tests := []struct {
		outlet string
		limit  int
		want   []string
	}{
		{"Harbour Ledger", 0, []string{"tide-1", "dam-1", "ledger-undated-2", "ledger-undated-1"}},
		{"Harbour Ledger", 3, []string{"tide-1", "dam-1", "ledger-undated-2"}},
		{"Coastline Wire", 10, []string{"tide-2"}},
		{"Nowhere Gazette", 10, nil},
	}
	for _, tc := range tests {
		got, err := st.OutletArticles(ctx, tc.outlet, tc.limit)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("OutletArticles(%q, %d) = %v, %v; want %v", tc.outlet, tc.limit, got, err, tc.want)
		}
		// The same articles as pages, each as loading it gives.
		pages, err := st.OutletPages(ctx, tc.outlet, tc.limit)
		if err != nil {
			t.Fatalf("OutletPages(%q, %d): %v", tc.outlet, tc.limit, err)
		}
		var ids []string
		for _, p := range pages {
			ids = append(ids, p.ID)
			a, err := st.Article(ctx, p.ID)
			if err != nil {
				t.Fatalf("Article %s: %v", p.ID, err)
			}
			sv, _, err := st.Saved(ctx, p.ID)
			if err != nil {
				t.Fatalf("Saved %s: %v", p.ID, err)
			}
			if p.StoryID != a.StoryID || p.Text != a.Text || !reflect.DeepEqual(p.Furniture, sv.Furniture) {
				t.Errorf("OutletPages(%q): %s = %+v; loaded: story %q, text %q, furniture %+v", tc.outlet, p.ID, p, a.StoryID, a.Text, sv.Furniture)
			}
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("OutletPages(%q, %d) lists %v; want %v", tc.outlet, tc.limit, ids, tc.want)
		}
	}
}

// testFurniture: the paragraphs a template took out come back with the
// article's state, from Saved and Replay, and a Put without any clears
// them.
func testFurniture(t *testing.T, st store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	f := fx["tide-1"]
	furniture := store.Furniture{Version: "v7", Removed: []store.RemovedParagraph{{Index: 0, Text: "Ferry times"}, {Index: 4, Text: "© Harbour Ledger"}}}
	state := f.state()
	state.Furniture = furniture
	a := f.Article
	if err := st.Put(ctx, &a, state); err != nil {
		t.Fatal(err)
	}
	if sv, _, err := st.Saved(ctx, "tide-1"); err != nil || !reflect.DeepEqual(sv.Furniture, furniture) {
		t.Errorf("Saved furniture = %+v, %v; want %+v", sv.Furniture, err, furniture)
	}
	var replayed store.Furniture
	err := st.Replay(ctx, func(sv store.Saved) error {
		if sv.ID == "tide-1" {
			replayed = sv.Furniture
		}
		return nil
	})
	if err != nil || !reflect.DeepEqual(replayed, furniture) {
		t.Errorf("Replay furniture = %+v, %v; want %+v", replayed, err, furniture)
	}
	if sv, _, err := st.Saved(ctx, "dam-1"); err != nil || !reflect.DeepEqual(sv.Furniture, store.Furniture{}) {
		t.Errorf("Saved furniture of an article without = %+v, %v; want none", sv.Furniture, err)
	}
	putAll(t, st, fx, "tide-1")
	if sv, _, err := st.Saved(ctx, "tide-1"); err != nil || !reflect.DeepEqual(sv.Furniture, store.Furniture{}) {
		t.Errorf("Saved furniture after a Put without = %+v, %v; want none", sv.Furniture, err)
	}
}

// testRecleans: traces come back oldest first, per article; an absent
// article has none and cannot get one; removing the article drops them.
func testRecleans(t *testing.T, st store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	at := time.Date(2026, 4, 3, 10, 0, 0, 0, time.UTC)
	rs := []store.Reclean{
		{Article: "tide-1", At: at, Version: "v1", Removed: 2},
		{Article: "dam-1", At: at, Version: "v1", Removed: 1},
		{Article: "tide-1", At: at.Add(time.Hour), Version: "v2", Restored: 1},
	}
	for _, r := range rs {
		if err := st.AddReclean(ctx, r); err != nil {
			t.Fatalf("AddReclean %+v: %v", r, err)
		}
	}
	if err := st.AddReclean(ctx, store.Reclean{Article: "nope", At: at, Version: "v1"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AddReclean of an absent article: %v, want ErrNotFound", err)
	}
	if got, err := st.Recleans(ctx, "tide-1"); err != nil || !reflect.DeepEqual(got, []store.Reclean{rs[0], rs[2]}) {
		t.Errorf("Recleans(tide-1) = %+v, %v; want %+v", got, err, []store.Reclean{rs[0], rs[2]})
	}
	if got, err := st.Recleans(ctx, "tide-3"); err != nil || len(got) != 0 {
		t.Errorf("Recleans(tide-3) = %+v, %v; want none", got, err)
	}
	if err := st.Remove(ctx, "tide-1", "removed"); err != nil {
		t.Fatal(err)
	}
	putAll(t, st, fx, "tide-1")
	if got, err := st.Recleans(ctx, "tide-1"); err != nil || len(got) != 0 {
		t.Errorf("Recleans(tide-1) after Remove and Put = %+v, %v; want none", got, err)
	}
	if got, err := st.Recleans(ctx, "dam-1"); err != nil || !reflect.DeepEqual(got, rs[1:2]) {
		t.Errorf("Recleans(dam-1) = %+v, %v; want %+v", got, err, rs[1:2])
	}
}

// testTaught: counts add up per outlet, a rolled-back batch adds
// nothing, and clearing deletes them all.
func testTaught(t *testing.T, st store.Store) {
	ctx := context.Background()
	if got, err := st.Taught(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Taught of an empty store = %v, %v; want none", got, err)
	}
	if err := st.AddTaught(ctx, nil); err != nil {
		t.Fatalf("AddTaught(nil): %v", err)
	}
	for _, c := range []map[string]int{{"Harbour Ledger": 2, "Bay Monitor": 1}, {"Harbour Ledger": 3}} {
		if err := st.AddTaught(ctx, c); err != nil {
			t.Fatalf("AddTaught(%v): %v", c, err)
		}
	}
	want := map[string]int{"Harbour Ledger": 5, "Bay Monitor": 1}
	errBack := errors.New("roll back")
	err := st.Batch(ctx, func(ctx context.Context) error {
		if err := st.AddTaught(ctx, map[string]int{"Bay Monitor": 4, "Coastline Wire": 1}); err != nil {
			return err
		}
		if got, err := st.Taught(ctx); err != nil || !reflect.DeepEqual(got, map[string]int{"Harbour Ledger": 5, "Bay Monitor": 5, "Coastline Wire": 1}) {
			t.Errorf("Taught inside the batch = %v, %v", got, err)
		}
		return errBack
	})
	if !errors.Is(err, errBack) {
		t.Fatalf("Batch: %v", err)
	}
	if got, err := st.Taught(ctx); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Taught = %v, %v; want %v", got, err, want)
	}
	if err := st.ClearTaught(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Taught(ctx); err != nil || len(got) != 0 {
		t.Errorf("Taught after ClearTaught = %v, %v; want none", got, err)
	}
}
