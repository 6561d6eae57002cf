package storetest

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// savedOf is what Saved and Replay must give back for a stored fixture.
func savedOf(f fixture) store.Saved {
	return store.Saved{ID: f.Article.ID, StoryID: f.Article.StoryID, DuplicateOf: f.Article.DuplicateOf, State: f.state()}
}

// sameSaved compares two states; a nil and an empty blob are the same.
func sameSaved(a, b store.Saved) bool {
	return a.ID == b.ID && a.StoryID == b.StoryID && a.DuplicateOf == b.DuplicateOf &&
		a.SourceKey == b.SourceKey && a.Digest == b.Digest &&
		bytes.Equal(a.Signature, b.Signature) && bytes.Equal(a.Features, b.Features)
}

// checkMoves compares Moves(story) with want, ignoring At, which must lie
// between since (less a second, for backends keeping coarser times) and now.
func checkMoves(t *testing.T, st store.Store, story string, want []store.Move, since time.Time) {
	t.Helper()
	got, err := st.Moves(context.Background(), story)
	if err != nil {
		t.Errorf("Moves(%s): %v", story, err)
		return
	}
	now := time.Now()
	var bare []store.Move
	for _, m := range got {
		if m.At.Before(since.Add(-time.Second)) || m.At.After(now) {
			t.Errorf("Moves(%s): %s moved at %v, want between %v and %v", story, m.Article, m.At, since, now)
		}
		m.At = time.Time{}
		bare = append(bare, m)
	}
	if len(bare) != len(want) || (len(want) > 0 && !reflect.DeepEqual(bare, want)) {
		t.Errorf("Moves(%s) =\n %+v\nwant\n %+v", story, bare, want)
	}
}

func testSaved(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	if sv, found, err := st.Saved(ctx, "tide-1"); found || err != nil {
		t.Errorf("Saved on an empty store = %+v, %v, %v; want not found", sv, found, err)
	}
	// The duplicate must carry all a state can hold, or the loop proves less.
	if d := fx["tide-2"]; d.Article.DuplicateOf == "" || d.SourceKey == "" || d.Digest == "" || len(d.Signature) == 0 {
		t.Fatal("fixture tide-2 must be a duplicate with a source key, digest and signature")
	}
	putAll(t, st, fx, putOrder...)
	for _, id := range putOrder {
		got, found, err := st.Saved(ctx, id)
		if want := savedOf(fx[id]); err != nil || !found || !sameSaved(got, want) {
			t.Errorf("Saved(%s) = %+v, %v, %v; want %+v", id, got, found, err, want)
		}
	}
	// A replacement's state replaces the old one.
	f := fx["tide-1"]
	f.Signature, f.Features = []byte("sig tide-1 v2"), nil
	f.SourceKey, f.Digest = "path:/archive/ledger/ferry.html", "dg-ledger-ferry-2"
	fx["tide-1"] = f
	putAll(t, st, fx, "tide-1")
	if got, found, err := st.Saved(ctx, "tide-1"); err != nil || !found || !sameSaved(got, savedOf(f)) {
		t.Errorf("Saved(tide-1) after replacing = %+v, %v, %v; want %+v", got, found, err, savedOf(f))
	}
	for _, id := range []string{"nope", "", "s-tide"} {
		if sv, found, err := st.Saved(ctx, id); found || err != nil {
			t.Errorf("Saved(%q) = %+v, %v, %v; want not found", id, sv, found, err)
		}
	}
	// Many at once, as one at a time, in a batch with its own writes.
	err := st.Batch(ctx, func(ctx context.Context) error {
		f := fx["dam-1"]
		f.Digest = "dg-dam-in-a-batch"
		fx["dam-1"] = f
		a := f.Article
		if err := st.Put(ctx, &a, f.state()); err != nil {
			return err
		}
		got, err := st.SavedMany(ctx, append([]string{"nope", "", "s-tide", "tide-1"}, putOrder...))
		if err != nil {
			return err
		}
		if len(got) != len(putOrder) {
			t.Errorf("SavedMany: %d articles, want %d: %v", len(got), len(putOrder), got)
		}
		for _, id := range putOrder {
			if want := savedOf(fx[id]); !sameSaved(got[id], want) {
				t.Errorf("SavedMany: %s = %+v, want %+v", id, got[id], want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("SavedMany in a batch: %v", err)
	}
	if got, err := st.SavedMany(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("SavedMany(nil) = %v, %v; want none", got, err)
	}
}

func testCopies(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, putOrder...)
	// Named to sort before tide-2, which was stored first.
	second := fx["tide-2"]
	second.Article.ID, second.SourceKey = "copy-tide", ""
	fx["copy-tide"] = second
	putAll(t, st, fx, "copy-tide", "tide-2") // tide-2 again: it keeps its place
	check := func(when, id string, want []string) {
		t.Helper()
		got, err := st.Copies(ctx, id)
		if err != nil || len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: Copies(%q) = %v, %v; want %v", when, id, got, err, want)
		}
	}
	check("stored", "tide-1", []string{"tide-2", "copy-tide"})
	for _, id := range []string{"dam-1", "tide-2", "nope", ""} {
		check("stored", id, nil)
	}
	// A copy re-linked as canonical is no longer listed.
	relinked := fx["copy-tide"]
	relinked.Article.DuplicateOf = ""
	fx["copy-tide"] = relinked
	putAll(t, st, fx, "copy-tide")
	check("re-linked", "tide-1", []string{"tide-2"})
}

func testSeen(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	t1, t2, dam := fx["tide-1"], fx["tide-2"], fx["dam-1"]
	check := func(when, key, digest, want string) {
		t.Helper()
		id, found, err := st.Seen(ctx, key, digest)
		if err != nil || id != want || found != (want != "") {
			t.Errorf("%s: Seen(%q, %q) = %q, %v, %v; want %q", when, key, digest, id, found, err, want)
		}
	}
	check("empty store", t1.SourceKey, t1.Digest, "")
	putAll(t, st, fx, putOrder...)
	check("stored", t1.SourceKey, t1.Digest, "tide-1")
	check("stored", t2.SourceKey, t2.Digest, "tide-2") // duplicates are documents read too
	check("stored", dam.SourceKey, dam.Digest, "dam-1")
	check("digest changed", t1.SourceKey, "dg-other", "")
	check("no digest", t1.SourceKey, "", "")
	check("no key", "", "", "")
	check("another key's digest", "path:/nowhere", t1.Digest, "")

	// The document changed: only its new digest is seen.
	t1.Digest = "dg-ledger-ferry-2"
	fx["tide-1"] = t1
	putAll(t, st, fx, "tide-1")
	check("re-read", t1.SourceKey, "dg-ledger-ferry-1", "")
	check("re-read", t1.SourceKey, t1.Digest, "tide-1")

	// The same document now yields another article.
	other := fx["tide-3"]
	other.Article.ID, other.SourceKey, other.Digest = "tide-1b", t1.SourceKey, "dg-ledger-ferry-3"
	fx["tide-1b"] = other
	putAll(t, st, fx, "tide-1b")
	check("key taken over", t1.SourceKey, t1.Digest, "")
	check("key taken over", t1.SourceKey, other.Digest, "tide-1b")

	// One article read under a second key is seen under both.
	mirror := dam
	mirror.SourceKey, mirror.Digest = "path:/mirror/dam.html", "dg-mirror-dam-1"
	fx["dam-1"] = mirror
	putAll(t, st, fx, "dam-1")
	check("second key", dam.SourceKey, dam.Digest, "dam-1")
	check("second key", mirror.SourceKey, mirror.Digest, "dam-1")

	if err := st.Remove(ctx, "dam-1", "test"); err != nil {
		t.Fatal(err)
	}
	check("removed", dam.SourceKey, dam.Digest, "")
	check("removed", mirror.SourceKey, mirror.Digest, "")
}

func testRemove(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, putOrder...)
	before := time.Now()

	// tide-3 leaves s-tide, and its speakers' quotes with it.
	if err := st.Remove(ctx, "tide-3", "gone from the feed"); err != nil {
		t.Fatalf("Remove(tide-3): %v", err)
	}
	if _, err := st.Article(ctx, "tide-3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Article(tide-3) after Remove: err %v, want ErrNotFound", err)
	}
	if fp, found, err := st.Fingerprint(ctx, "tide-3"); found || err != nil {
		t.Errorf("Fingerprint(tide-3) after Remove = %q, %v, %v", fp, found, err)
	}
	if sv, found, err := st.Saved(ctx, "tide-3"); found || err != nil {
		t.Errorf("Saved(tide-3) after Remove = %+v, %v, %v", sv, found, err)
	}
	if got, want := ids(collect(t, st)), []string{"tide-1", "tide-2", "dam-1", "bare-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Articles after removing tide-3: %v, want %v", got, want)
	}
	s, err := st.Story(ctx, "s-tide")
	if err != nil {
		t.Fatal(err)
	}
	wantTide := storySummary{ID: "s-tide", Title: "Ferry crews stop work over rosters",
		Articles: []string{"tide-1", "tide-2"}, Outlets: []string{"Harbour Ledger", "Coastline Wire"},
		First: "2026-03-14T09:30:00+09:00", Last: "2026-03-14T09:30:00+09:00",
		Speakers: []dossier.SpeakerCount{{Name: "Mara Quill", Quotes: 3}}}
	if got := summarise([]dossier.Story{s})[0]; !reflect.DeepEqual(got, wantTide) {
		t.Errorf("s-tide after removing tide-3:\n got %+v\nwant %+v", got, wantTide)
	}

	// dam-1 was s-dam's only article: the story goes too.
	if err := st.Remove(ctx, "dam-1", "retracted"); err != nil {
		t.Fatalf("Remove(dam-1): %v", err)
	}
	if _, err := st.Story(ctx, "s-dam"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Story(s-dam) after removing its only article: err %v, want ErrNotFound", err)
	}

	// Removing an original leaves its copies as they are: re-linking them
	// is the caller's business.
	if err := st.Remove(ctx, "tide-1", "withdrawn"); err != nil {
		t.Fatalf("Remove(tide-1): %v", err)
	}
	if a, err := st.Article(ctx, "tide-2"); err != nil || a.DuplicateOf != "tide-1" {
		t.Errorf("copy tide-2 after removing its original: duplicate of %q, %v; want tide-1 kept", a.DuplicateOf, err)
	}
	if c, err := st.Copies(ctx, "tide-1"); err != nil || !reflect.DeepEqual(c, []string{"tide-2"}) {
		t.Errorf("Copies(tide-1) after removing it = %v, %v; want [tide-2]", c, err)
	}
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var storyIDs []string
	for _, s := range stories {
		storyIDs = append(storyIDs, s.ID)
	}
	if want := []string{"s-tide", "s-bare"}; !reflect.DeepEqual(storyIDs, want) {
		t.Errorf("stories after removals: %v, want %v", storyIDs, want)
	}
	var replayed []string
	if err := st.Replay(ctx, func(s store.Saved) error { replayed = append(replayed, s.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"bare-1"}; !reflect.DeepEqual(replayed, want) {
		t.Errorf("Replay after removals: %v, want %v", replayed, want)
	}

	checkMoves(t, st, "s-tide", []store.Move{
		{Article: "tide-3", From: "s-tide", Reason: "gone from the feed"},
		{Article: "tide-1", From: "s-tide", Reason: "withdrawn"},
	}, before)
	checkMoves(t, st, "s-dam", []store.Move{{Article: "dam-1", From: "s-dam", Reason: "retracted"}}, before)

	// An article stored again after its removal comes last in ingest order.
	putAll(t, st, fx, "tide-3")
	if got, want := ids(collect(t, st)), []string{"tide-2", "bare-1", "tide-3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Articles after storing tide-3 again: %v, want %v", got, want)
	}
}

func testRemoveAbsent(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, "dam-1")
	before := time.Now()
	for _, id := range []string{"nope", "", "s-dam", "DAM-1"} {
		if err := st.Remove(ctx, id, "test"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Remove(%q): err %v, want ErrNotFound", id, err)
		}
	}
	if err := st.Remove(ctx, "dam-1", "first"); err != nil {
		t.Fatal(err)
	}
	if err := st.Remove(ctx, "dam-1", "second"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second Remove(dam-1): err %v, want ErrNotFound", err)
	}
	checkMoves(t, st, "s-dam", []store.Move{{Article: "dam-1", From: "s-dam", Reason: "first"}}, before)
}

func testMoves(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, "tide-1", "dam-1")
	before := time.Now()
	checkMoves(t, st, "s-dam", nil, before) // arriving is not a move
	dam := fx["dam-1"]
	for i, story := range []string{"s-tide", "s-dam"} {
		dam.Article.StoryID = story
		a := dam.Article
		state := dam.state()
		if i == 1 {
			state.Reason = "merged"
		}
		if err := st.Put(ctx, &a, state); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Remove(ctx, "dam-1", "retracted"); err != nil {
		t.Fatal(err)
	}
	there := store.Move{Article: "dam-1", From: "s-dam", To: "s-tide", Reason: "updated"}
	back := store.Move{Article: "dam-1", From: "s-tide", To: "s-dam", Reason: "merged"}
	out := store.Move{Article: "dam-1", From: "s-dam", Reason: "retracted"}
	checkMoves(t, st, "s-dam", []store.Move{there, back, out}, before)
	checkMoves(t, st, "s-tide", []store.Move{there, back}, before)
	checkMoves(t, st, "s-never", nil, before)
}
