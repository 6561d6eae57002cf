// Package storetest is the one test suite every store.Store backend must
// pass. A backend's test calls Run with how to open its stores:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, storetest.Backend{
//			Open:  func(t *testing.T) store.Store { return openEmpty(t) },
//			Again: func(t *testing.T, st store.Store) store.Store { return openSame(t, st) },
//		})
//	}
//
// Fixtures are fictional articles in testdata/articles.json, embedded so the
// suite finds them whatever package runs it.
package storetest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

//go:embed testdata/articles.json
var articlesJSON []byte

// fixture is one stored article with its streaming state.
type fixture struct {
	Article           dossier.Article
	Signature         []byte
	Features          []byte
	SourceKey, Digest string
}

func (f fixture) state() store.State {
	return store.State{Signature: f.Signature, Features: f.Features, SourceKey: f.SourceKey, Digest: f.Digest}
}

// fixtures are keyed by article ID; loadFixtures returns fresh copies each
// time, so a subtest may change them.
func loadFixtures(t *testing.T) map[string]fixture {
	t.Helper()
	var fs []fixture
	if err := json.Unmarshal(articlesJSON, &fs); err != nil {
		t.Fatalf("storetest: fixtures: %v", err)
	}
	m := map[string]fixture{}
	for _, f := range fs {
		// A fixture whose offsets do not point at its quote would make the
		// round-trip test prove nothing about offsets.
		for i, q := range f.Article.Quotes {
			if q.Start < 0 || q.End > len(f.Article.Text) || q.Start > q.End || f.Article.Text[q.Start:q.End] != q.Text {
				t.Fatalf("storetest: fixture %s quote %d: offsets %d:%d do not hold %q", f.Article.ID, i, q.Start, q.End, q.Text)
			}
		}
		m[f.Article.ID] = f
	}
	return m
}

// putOrder is the ingest order used by most subtests: a duplicate right after
// its original, then another story, then a third article of the first story.
var putOrder = []string{"tide-1", "tide-2", "dam-1", "tide-3", "bare-1"}

// Backend opens the stores the suite runs on.
type Backend struct {
	// Open returns a new, empty store.
	Open func(t *testing.T) store.Store
	// Again opens another handle on st's store, as a second process would
	// (the writer lock is tested between the two).
	Again func(t *testing.T, st store.Store) store.Store
}

// Run runs the suite. It closes every store it is given when the subtest
// ends.
func Run(t *testing.T, b Backend) {
	open := func(t *testing.T) store.Store {
		t.Helper()
		st := b.Open(t)
		t.Cleanup(func() {
			if err := st.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return st
	}
	again := func(t *testing.T, st store.Store) store.Store {
		t.Helper()
		other := b.Again(t, st)
		t.Cleanup(func() {
			if err := other.Close(); err != nil {
				t.Errorf("Close second handle: %v", err)
			}
		})
		return other
	}
	lockTest := func(fn func(t *testing.T, st, other store.Store)) func(t *testing.T, st store.Store) {
		return func(t *testing.T, st store.Store) { fn(t, st, again(t, st)) }
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"Comparison", testComparison},
		{"Uncompared", testUncompared},
		{"RenameSpeakers", testRenameSpeakers},
		{"IdempotentPut", testIdempotentPut},
		{"ReplaceKeepsSeq", testReplaceKeepsSeq},
		{"ReplaceMovesStory", testReplaceMovesStory},
		{"Fingerprints", testFingerprints},
		{"Replay", testReplay},
		{"HasLegacy", testHasLegacy},
		{"Stories", testStories},
		{"NotFound", testNotFound},
		{"CancelledPut", testCancelledPut},
		{"ArticlesOrder", testArticlesOrder},
		{"ConcurrentReaders", testConcurrentReaders},
		{"Saved", testSaved},
		{"Copies", testCopies},
		{"Seen", testSeen},
		{"Remove", testRemove},
		{"RemoveAbsent", testRemoveAbsent},
		{"Moves", testMoves},
		{"Resolve", testResolve},
		{"Alias", testAlias},
		{"StoriesPage", testStoriesPage},
		{"ArticlesPage", testArticlesPage},
		{"TallyFollowsArticles", testTallyFollowsArticles},
		{"Search", testSearch},
		{"SearchQuotes", testSearchQuotes},
		{"SearchFollowsWrites", testSearchFollowsWrites},
		{"SearchManyMatches", testSearchManyMatches},
		{"StoryVersion", testStoryVersion},
		{"Batch", lockTest(testBatch)},
		{"State", testState},
		{"ClearState", testClearState},
		{"StoryFeatures", testStoryFeatures},
		{"Signatures", testSignatures},
		{"LockHeld", lockTest(testLockHeld)},
		{"LockWait", lockTest(testLockWait)},
		{"LockCancelled", lockTest(testLockCancelled)},
		{"Subscriptions", testSubscriptions},
		{"Templates", testTemplates},
		{"OutletArticles", testOutletArticles},
		{"Furniture", testFurniture},
		{"Recleans", testRecleans},
		{"Taught", testTaught},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// putAll stores the fixtures named, in that order.
func putAll(t *testing.T, st store.Store, fx map[string]fixture, ids ...string) {
	t.Helper()
	for _, id := range ids {
		f, ok := fx[id]
		if !ok {
			t.Fatalf("no fixture %s", id)
		}
		a := f.Article
		if err := st.Put(context.Background(), &a, f.state()); err != nil {
			t.Fatalf("Put %s: %v", id, err)
		}
	}
}

// collect returns every article from Articles, in the order given.
func collect(t *testing.T, st store.Store) []dossier.Article {
	t.Helper()
	var as []dossier.Article
	if err := st.Articles(context.Background(), func(a dossier.Article) error {
		as = append(as, a)
		return nil
	}); err != nil {
		t.Fatalf("Articles: %v", err)
	}
	return as
}

func ids(as []dossier.Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func testRoundTrip(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	for _, id := range putOrder {
		t.Run(id, func(t *testing.T) {
			got, err := st.Article(context.Background(), id)
			if err != nil {
				t.Fatalf("Article: %v", err)
			}
			for _, d := range diffArticle(fx[id].Article, got) {
				t.Error(d)
			}
		})
	}
	// The fixtures must exercise what the round trip claims to cover.
	tokyo, err := st.Article(context.Background(), "tide-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, off := tokyo.Published.Zone(); off != 9*3600 {
		t.Errorf("tide-1 published offset %ds, want +09:00", off)
	}
	bare, err := st.Article(context.Background(), "bare-1")
	if err != nil {
		t.Fatal(err)
	}
	if !bare.Published.IsZero() || !bare.IngestedAt.IsZero() || !bare.Modified.IsZero() {
		t.Errorf("bare-1: unknown times came back as %v / %v / %v, want zero", bare.Published, bare.IngestedAt, bare.Modified)
	}
	if _, off := tokyo.Modified.Zone(); tokyo.Modified.IsZero() || off != 9*3600 {
		t.Errorf("tide-1 modified %v, want a time at +09:00", tokyo.Modified)
	}
	// Articles must return the same content as Article.
	for _, a := range collect(t, st) {
		for _, d := range diffArticle(fx[a.ID].Article, a) {
			t.Errorf("Articles: %s", d)
		}
	}
}

func testIdempotentPut(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	putAll(t, st, fx, "tide-1", "dam-1", "tide-1", "tide-1")
	if got, want := ids(collect(t, st)), []string{"tide-1", "dam-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after putting tide-1 three times: articles %v, want %v", got, want)
	}
	got, err := st.Article(context.Background(), "tide-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Quotes) != len(fx["tide-1"].Article.Quotes) {
		t.Errorf("tide-1 has %d quotes after repeated puts, want %d", len(got.Quotes), len(fx["tide-1"].Article.Quotes))
	}
	stories, err := st.Stories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []storySummary{
		{ID: "s-tide", Title: "Ferry crews stop work over rosters", Articles: []string{"tide-1"},
			Outlets: []string{"Harbour Ledger"}, First: "2026-03-14T09:30:00+09:00", Last: "2026-03-14T09:30:00+09:00",
			Speakers: []dossier.SpeakerCount{{Name: "Mara Quill", Quotes: 3}}},
		{ID: "s-dam", Title: "Reservoir lowered before the melt", Articles: []string{"dam-1"},
			Outlets: []string{"Harbour Ledger"}, First: "2026-02-01T12:00:00Z", Last: "2026-02-01T12:00:00Z",
			Speakers: []dossier.SpeakerCount{{Name: "Ivo Brandt", Quotes: 1}, {Name: "Mara Quill", Quotes: 1}}},
	}
	if got := summarise(stories); !reflect.DeepEqual(got, want) {
		t.Errorf("stories after repeated puts:\n got %+v\nwant %+v", got, want)
	}
	// Storing an article again in the same story is no move.
	for _, id := range []string{"s-tide", "s-dam"} {
		checkMoves(t, st, id, nil, time.Now())
	}
}

func testReplaceKeepsSeq(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	putAll(t, st, fx, "tide-1", "dam-1", "bare-1")

	changed := fx["tide-1"]
	changed.Article.Title = "Ferry crews end stoppage"
	changed.Article.Outlet = "Bay Monitor"
	changed.Article.Authors = nil
	changed.Article.Captions = []string{"One caption left."}
	changed.Article.Published = time.Date(2026, 3, 16, 7, 0, 0, 0, time.FixedZone("", -3*3600))
	changed.Article.Quotes = changed.Article.Quotes[:1]
	changed.Signature = []byte("sig tide-1 v2")
	fx["tide-1"] = changed
	putAll(t, st, fx, "tide-1")

	if got, want := ids(collect(t, st)), []string{"tide-1", "dam-1", "bare-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after replacing tide-1: order %v, want %v", got, want)
	}
	got, err := st.Article(context.Background(), "tide-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffArticle(changed.Article, got) {
		t.Errorf("replaced: %s", d)
	}
	var sig []byte
	err = st.Replay(context.Background(), func(s store.Saved) error {
		if s.ID == "tide-1" {
			sig = s.Signature
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sig, changed.Signature) {
		t.Errorf("replayed signature %q, want the replacement's %q", sig, changed.Signature)
	}
	s, err := st.Story(context.Background(), "s-tide")
	if err != nil {
		t.Fatal(err)
	}
	want := storySummary{ID: "s-tide", Title: "Ferry crews stop work over rosters", Articles: []string{"tide-1"},
		Outlets: []string{"Bay Monitor"}, First: "2026-03-16T07:00:00-03:00", Last: "2026-03-16T07:00:00-03:00",
		Speakers: []dossier.SpeakerCount{{Name: "Mara Quill", Quotes: 1}}}
	if got := summarise([]dossier.Story{s})[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("story after replace:\n got %+v\nwant %+v", got, want)
	}
}

func testReplaceMovesStory(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	putAll(t, st, fx, "tide-1", "dam-1")
	before := time.Now()
	moved := fx["dam-1"]
	moved.Article.StoryID = "s-tide"
	fx["dam-1"] = moved
	putAll(t, st, fx, "dam-1")

	stories, err := st.Stories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []storySummary{{ID: "s-tide", Title: "Ferry crews stop work over rosters", Articles: []string{"tide-1", "dam-1"},
		Outlets: []string{"Harbour Ledger"}, First: "2026-02-01T12:00:00Z", Last: "2026-03-14T09:30:00+09:00",
		Speakers: []dossier.SpeakerCount{{Name: "Mara Quill", Quotes: 4}, {Name: "Ivo Brandt", Quotes: 1}}}}
	if got := summarise(stories); !reflect.DeepEqual(got, want) {
		t.Errorf("a story left without articles must disappear:\n got %+v\nwant %+v", got, want)
	}
	if _, err := st.Story(context.Background(), "s-dam"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Story(s-dam) after its only article moved: err %v, want ErrNotFound", err)
	}
	// The move is on record, seen from both stories.
	want1 := []store.Move{{Article: "dam-1", From: "s-dam", To: "s-tide", Reason: "updated"}}
	for _, id := range []string{"s-dam", "s-tide"} {
		checkMoves(t, st, id, want1, before)
	}
}

func testFingerprints(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	// The duplicate is stored first here: with no canonical article stored
	// yet, a fingerprint lookup must find nothing.
	putAll(t, st, fx, "tide-2")
	if id, found, err := st.CanonicalByFingerprint(ctx, "fp-tide"); err != nil || found {
		t.Errorf("CanonicalByFingerprint with only a duplicate stored = %q, %v, %v; want not found", id, found, err)
	}
	putAll(t, st, fx, "tide-1", "dam-1")
	// A second canonical article with the same text arrives later: the
	// earliest one stays the canonical.
	later := fx["dam-1"]
	later.Article.ID, later.Article.Fingerprint, later.Article.StoryID = "tide-late", "fp-tide", "s-tide"
	fx["tide-late"] = later
	putAll(t, st, fx, "tide-late")

	tests := []struct {
		fp     string
		wantID string
		found  bool
	}{
		{"fp-tide", "tide-1", true},
		{"fp-dam", "dam-1", true},
		{"fp-unknown", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		id, found, err := st.CanonicalByFingerprint(ctx, tc.fp)
		if err != nil || id != tc.wantID || found != tc.found {
			t.Errorf("CanonicalByFingerprint(%q) = %q, %v, %v; want %q, %v, nil", tc.fp, id, found, err, tc.wantID, tc.found)
		}
	}
	fps := []struct {
		id, fp string
		found  bool
	}{
		{"tide-1", "fp-tide", true},
		{"tide-2", "fp-tide", true},
		{"dam-1", "fp-dam", true},
		{"nope", "", false},
	}
	for _, tc := range fps {
		fp, found, err := st.Fingerprint(ctx, tc.id)
		if err != nil || fp != tc.fp || found != tc.found {
			t.Errorf("Fingerprint(%q) = %q, %v, %v; want %q, %v, nil", tc.id, fp, found, err, tc.fp, tc.found)
		}
	}
	// Many at once, as one at a time: the earliest stored, not the first
	// by ID; a fingerprint asked twice is answered once.
	early := fx["dam-1"]
	early.Article.ID, early.Article.Fingerprint, early.Article.StoryID = "a-tide-later", "fp-tide", "s-tide"
	fx["a-tide-later"] = early
	putAll(t, st, fx, "a-tide-later")
	got, err := st.CanonicalsByFingerprint(ctx, []string{"fp-tide", "fp-dam", "fp-unknown", "", "fp-tide"})
	if want := map[string]string{"fp-tide": "tide-1", "fp-dam": "dam-1"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("CanonicalsByFingerprint = %v, %v; want %v", got, err, want)
	}
	if got, err := st.CanonicalsByFingerprint(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("CanonicalsByFingerprint(nil) = %v, %v; want none", got, err)
	}
}

func testReplay(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	var none int
	if err := st.Replay(ctx, func(store.Saved) error { none++; return nil }); err != nil || none != 0 {
		t.Errorf("Replay on an empty store: %d calls, err %v; want 0, nil", none, err)
	}
	putAll(t, st, fx, putOrder...)
	var got []store.Saved
	if err := st.Replay(ctx, func(s store.Saved) error { got = append(got, s); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{"tide-1", "dam-1", "tide-3", "bare-1"} // tide-2 is a duplicate
	if len(got) != len(want) {
		t.Fatalf("Replay gave %d articles, want %v", len(got), want)
	}
	for i, s := range got {
		if w := savedOf(fx[want[i]]); !sameSaved(s, w) {
			t.Errorf("Replay #%d = %+v, want %+v", i, s, w)
		}
	}
	stop := errors.New("stop here")
	calls := 0
	err := st.Replay(ctx, func(store.Saved) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Replay with a failing callback: %d calls, err %v; want 1 call and the callback's error", calls, err)
	}
}

func testHasLegacy(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	check := func(when string, want bool) {
		t.Helper()
		if got, err := st.HasLegacy(ctx); err != nil || got != want {
			t.Errorf("%s: HasLegacy = %v, %v; want %v", when, got, err, want)
		}
	}
	check("empty store", false)
	f := fx["tide-1"]
	a, state := f.Article, f.state()
	state.SourceKey = "path:/archive/tide.txt"
	if err := st.Put(ctx, &a, state); err != nil {
		t.Fatal(err)
	}
	check("an article with a source key", false)
	f = fx["dam-1"]
	a, state = f.Article, f.state()
	state.SourceKey = ""
	if err := st.Put(ctx, &a, state); err != nil {
		t.Fatal(err)
	}
	check("an article without", true)
}

// storySummary is a Story with times as comparable text (instant and offset).
type storySummary struct {
	ID, Title         string
	Articles, Outlets []string
	First, Last       string
	Speakers          []dossier.SpeakerCount
}

func summarise(stories []dossier.Story) []storySummary {
	out := make([]storySummary, len(stories))
	for i, s := range stories {
		out[i] = storySummary{ID: s.ID, Title: s.Title, Articles: s.Articles, Outlets: s.Outlets,
			First: timeText(s.FirstPublished), Last: timeText(s.LastPublished), Speakers: s.Speakers}
		if len(out[i].Outlets) == 0 {
			out[i].Outlets = nil
		}
		if len(out[i].Speakers) == 0 {
			out[i].Speakers = nil
		}
	}
	return out
}

// timeText is a time as RFC 3339 in its own offset, "" when zero: two times
// match only when both instant and offset are the same.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func testStories(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	if stories, err := st.Stories(ctx); err != nil || len(stories) != 0 {
		t.Errorf("Stories on an empty store = %d stories, %v; want none", len(stories), err)
	}
	putAll(t, st, fx, putOrder...)
	// s-tide: tide-1 is 00:30 UTC, tide-3 03:00 UTC, though tide-1's clock
	// reads later; the times keep their own offsets.
	want := []storySummary{
		{ID: "s-tide", Title: "Ferry crews stop work over rosters",
			Articles: []string{"tide-1", "tide-2", "tide-3"},
			Outlets:  []string{"Harbour Ledger", "Coastline Wire", "Bay Monitor"},
			First:    "2026-03-14T09:30:00+09:00", Last: "2026-03-13T22:00:00-05:00",
			Speakers: []dossier.SpeakerCount{{Name: "Mara Quill", Quotes: 3}, {Name: "Otto Fenn", Quotes: 2}, {Name: "Ada Reyes", Quotes: 1}}},
		{ID: "s-dam", Title: "Reservoir lowered before the melt", Articles: []string{"dam-1"},
			Outlets: []string{"Harbour Ledger"}, First: "2026-02-01T12:00:00Z", Last: "2026-02-01T12:00:00Z",
			Speakers: []dossier.SpeakerCount{{Name: "Ivo Brandt", Quotes: 1}, {Name: "Mara Quill", Quotes: 1}}},
		{ID: "s-bare", Title: "", Articles: []string{"bare-1"}},
	}
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := summarise(stories)
	if len(got) != len(want) {
		t.Fatalf("Stories = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("Stories[%d]:\n got %+v\nwant %+v", i, got[i], want[i])
		}
		one, err := st.Story(ctx, want[i].ID)
		if err != nil {
			t.Errorf("Story(%s): %v", want[i].ID, err)
			continue
		}
		if g := summarise([]dossier.Story{one})[0]; !reflect.DeepEqual(g, want[i]) {
			t.Errorf("Story(%s):\n got %+v\nwant %+v", want[i].ID, g, want[i])
		}
	}
}

func testNotFound(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, "tide-1")
	for _, id := range []string{"nope", "", "TIDE-1", "s-tide"} {
		if _, err := st.Article(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Article(%q): err %v, want ErrNotFound", id, err)
		}
	}
	for _, id := range []string{"nope", "", "tide-1"} {
		if _, err := st.Story(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Story(%q): err %v, want ErrNotFound", id, err)
		}
	}
}

// countdownCtx is cancelled after its Done or Err has been consulted n times,
// so a Put can be cut at each point where the backend looks at its context.
type countdownCtx struct {
	context.Context
	mu   sync.Mutex
	left int
	done chan struct{}
}

func newCountdown(n int) *countdownCtx {
	c := &countdownCtx{Context: context.Background(), left: n, done: make(chan struct{})}
	if n <= 0 {
		close(c.done)
	}
	return c
}

func (c *countdownCtx) tick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left > 0 {
		c.left--
		if c.left == 0 {
			close(c.done)
		}
	}
}

func (c *countdownCtx) Done() <-chan struct{} { c.tick(); return c.done }

func (c *countdownCtx) Err() error {
	c.tick()
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func testCancelledPut(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, "dam-1")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	a := fx["tide-1"].Article
	if err := st.Put(cancelled, &a, fx["tide-1"].state()); err == nil {
		t.Errorf("Put with a cancelled context succeeded")
	}
	assertAbsent(t, st, "tide-1", "s-tide")

	// Cut the Put at every point the backend consults its context: each cut
	// must leave all or nothing.
	failures, success := 0, false
	for n := 0; n < 2000 && !success; n++ {
		f := fx["tide-3"]
		f.Article.ID = fmt.Sprintf("cut-%d", n)
		f.Article.StoryID = fmt.Sprintf("s-cut-%d", n)
		for i := range f.Article.Quotes {
			f.Article.Quotes[i].Speaker = fmt.Sprintf("Cut Speaker %d", n)
		}
		a := f.Article
		err := st.Put(newCountdown(n), &a, f.state())
		if err != nil {
			failures++
			assertAbsent(t, st, f.Article.ID, f.Article.StoryID)
			continue
		}
		success = true
		got, err := st.Article(ctx, f.Article.ID)
		if err != nil {
			t.Fatalf("Article after a Put that succeeded at cut %d: %v", n, err)
		}
		for _, d := range diffArticle(f.Article, got) {
			t.Errorf("cut %d: %s", n, d)
		}
	}
	t.Logf("cut Puts: %d cut short before one completed", failures)
	if failures == 0 || !success {
		t.Errorf("cut Puts: %d failed, success %v; want the earliest cuts to fail and a late one to succeed", failures, success)
	}
	// The store must still work after the interrupted writes.
	putAll(t, st, fx, "tide-1")
	got, err := st.Article(ctx, "tide-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffArticle(fx["tide-1"].Article, got) {
		t.Errorf("after cancelled puts: %s", d)
	}
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stories {
		if len(s.Articles) == 0 {
			t.Errorf("story %s left without articles", s.ID)
		}
		for _, sp := range s.Speakers {
			if strings.HasPrefix(sp.Name, "Cut Speaker") && s.ID != "s-cut-"+strings.TrimPrefix(sp.Name, "Cut Speaker ") {
				t.Errorf("speaker %s counted in story %s", sp.Name, s.ID)
			}
		}
	}
}

// assertAbsent checks that nothing of an article that failed to store shows.
func assertAbsent(t *testing.T, st store.Store, id, storyID string) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.Article(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a failed Put, Article(%s): err %v, want ErrNotFound", id, err)
	}
	if _, found, err := st.Fingerprint(ctx, id); found || err != nil {
		t.Errorf("after a failed Put, Fingerprint(%s) found %v, err %v", id, found, err)
	}
	if _, err := st.Story(ctx, storyID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a failed Put, Story(%s): err %v, want ErrNotFound", storyID, err)
	}
	for _, a := range collect(t, st) {
		if a.ID == id {
			t.Errorf("after a failed Put, Articles lists %s", id)
		}
	}
}

func testArticlesOrder(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	if got := collect(t, st); len(got) != 0 {
		t.Errorf("Articles on an empty store: %v", ids(got))
	}
	order := []string{"bare-1", "tide-3", "tide-1", "dam-1", "tide-2"}
	putAll(t, st, fx, order...)
	got := collect(t, st)
	if !reflect.DeepEqual(ids(got), order) {
		t.Errorf("Articles order %v, want put order %v", ids(got), order)
	}
	for _, a := range got {
		if len(a.Quotes) != len(fx[a.ID].Article.Quotes) {
			t.Errorf("Articles: %s has %d quotes, want %d", a.ID, len(a.Quotes), len(fx[a.ID].Article.Quotes))
		}
	}
	stop := errors.New("stop here")
	var seen []string
	err := st.Articles(ctx, func(a dossier.Article) error {
		seen = append(seen, a.ID)
		if len(seen) == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || !reflect.DeepEqual(seen, order[:2]) {
		t.Errorf("Articles with a callback failing at the second: saw %v, err %v; want %v and the callback's error", seen, err, order[:2])
	}
	// The callback may read the store while Articles is running.
	var nested int
	err = st.Articles(ctx, func(a dossier.Article) error {
		b, err := st.Article(ctx, a.ID)
		if err != nil {
			return err
		}
		if b.ID == a.ID {
			nested++
		}
		return nil
	})
	if err != nil || nested != len(order) {
		t.Errorf("Articles with a reading callback: %d nested reads, err %v; want %d, nil", nested, err, len(order))
	}
}

// testConcurrentReaders reads while another goroutine writes: every read must
// succeed and see whole articles only.
func testConcurrentReaders(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, "dam-1")
	const writes = 40
	base := fx["tide-1"]
	errc := make(chan error, 8)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < writes; i++ {
			f := base
			f.Article.ID = fmt.Sprintf("w-%d", i)
			a := f.Article
			if err := st.Put(ctx, &a, f.state()); err != nil {
				errc <- fmt.Errorf("writer: %w", err)
				return
			}
		}
	}()
	stopReaders := make(chan struct{})
	var readers sync.WaitGroup
	for r := 0; r < 3; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stopReaders:
					return
				default:
				}
				err := st.Articles(ctx, func(a dossier.Article) error {
					if strings.HasPrefix(a.ID, "w-") && (len(a.Quotes) != len(base.Article.Quotes) || a.Text != base.Article.Text) {
						return fmt.Errorf("half-written %s: %d quotes", a.ID, len(a.Quotes))
					}
					return nil
				})
				if err == nil {
					_, err = st.Stories(ctx)
				}
				if err != nil {
					errc <- fmt.Errorf("reader: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stopReaders)
	readers.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if n := len(collect(t, st)); n != writes+1 {
		t.Errorf("%d articles after concurrent writes, want %d", n, writes+1)
	}
}

// diffArticle lists how got differs from want. Times must match in instant
// and offset; empty and nil lists are the same.
func diffArticle(want, got dossier.Article) []string {
	var d []string
	add := func(field string, w, g any) {
		d = append(d, fmt.Sprintf("%s %s: got %#v, want %#v", want.ID, field, g, w))
	}
	str := []struct {
		name string
		w, g string
	}{
		{"ID", want.ID, got.ID}, {"Source", want.Source, got.Source}, {"URL", want.URL, got.URL},
		{"Outlet", want.Outlet, got.Outlet}, {"Title", want.Title, got.Title},
		{"Language", want.Language, got.Language}, {"Text", want.Text, got.Text},
		{"Fingerprint", want.Fingerprint, got.Fingerprint}, {"DuplicateOf", want.DuplicateOf, got.DuplicateOf},
		{"StoryID", want.StoryID, got.StoryID},
		{"Published", timeText(want.Published), timeText(got.Published)},
		{"IngestedAt", timeText(want.IngestedAt), timeText(got.IngestedAt)},
		{"Modified", timeText(want.Modified), timeText(got.Modified)},
	}
	for _, s := range str {
		if s.w != s.g {
			add(s.name, s.w, s.g)
		}
	}
	if want.Similarity != got.Similarity {
		add("Similarity", want.Similarity, got.Similarity)
	}
	lists := []struct {
		name string
		w, g []string
	}{
		{"Authors", want.Authors, got.Authors}, {"Contacts", want.Contacts, got.Contacts}, {"Captions", want.Captions, got.Captions},
	}
	for _, l := range lists {
		if (len(l.w) != 0 || len(l.g) != 0) && !reflect.DeepEqual(l.w, l.g) {
			add(l.name, l.w, l.g)
		}
	}
	if (len(want.Quotes) != 0 || len(got.Quotes) != 0) && !reflect.DeepEqual(want.Quotes, got.Quotes) {
		add("Quotes", want.Quotes, got.Quotes)
	}
	return d
}
