package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/dossiernews/dossier/internal/store"
)

func testBatch(t *testing.T, st store.Store, other store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	fail := errors.New("give up")

	// Rolled back: nothing of it stays, though each write inside succeeded.
	err := st.Batch(ctx, func(ctx context.Context) error {
		a := fx["dam-1"].Article
		if err := st.Put(ctx, &a, fx["dam-1"].state()); err != nil {
			return err
		}
		if err := st.ApplyState(ctx, store.StateDelta{Docs: 1, Terms: map[string]int64{"sluice": 1}}); err != nil {
			return err
		}
		return fail
	})
	if !errors.Is(err, fail) {
		t.Fatalf("Batch whose function fails: err %v, want the function's", err)
	}
	assertAbsent(t, st, "dam-1", "s-dam")
	if docs, counts, err := st.TermCounts(ctx, []string{"sluice"}); err != nil || docs != 0 || len(counts) != 0 {
		t.Errorf("after a rolled-back batch: docs %d, counts %v, %v; want none", docs, counts, err)
	}

	// A failed ApplyState fails its batch, which the function ignoring the
	// error does not commit: no part of a delta is kept.
	err = st.Batch(ctx, func(ctx context.Context) error {
		a := fx["dam-1"].Article
		if err := st.Put(ctx, &a, fx["dam-1"].state()); err != nil {
			return err
		}
		gone, cancel := context.WithCancel(ctx)
		cancel()
		if err := st.ApplyState(gone, store.StateDelta{Docs: 1, Terms: map[string]int64{"sluice": 1}}); err == nil {
			return errors.New("ApplyState with a cancelled context succeeded")
		}
		return nil
	})
	if err == nil {
		t.Error("Batch in which ApplyState failed committed")
	}
	assertAbsent(t, st, "dam-1", "s-dam")
	if docs, counts, err := st.TermCounts(ctx, []string{"sluice"}); err != nil || docs != 0 || len(counts) != 0 {
		t.Errorf("after a batch whose ApplyState failed: docs %d, counts %v, %v; want none", docs, counts, err)
	}

	// Committed: the batch reads its own writes, another handle sees them
	// only after the commit, and a failed Put inside is undone alone.
	err = st.Batch(ctx, func(ctx context.Context) error {
		for _, id := range []string{"tide-1", "tide-2"} {
			a := fx[id].Article
			if err := st.Put(ctx, &a, fx[id].state()); err != nil {
				return err
			}
		}
		if err := st.ApplyState(ctx, store.StateDelta{Docs: 2, Terms: map[string]int64{"ferry": 2}}); err != nil {
			return err
		}
		s, err := st.Story(ctx, "s-tide")
		if err != nil || !reflect.DeepEqual(s.Articles, []string{"tide-1", "tide-2"}) {
			return fmt.Errorf("inside the batch: Story(s-tide) = %v, %v; want its two articles", s.Articles, err)
		}
		if docs, counts, err := st.TermCounts(ctx, []string{"ferry"}); err != nil || docs != 2 || counts["ferry"] != 2 {
			return fmt.Errorf("inside the batch: docs %d, counts %v, %v; want 2 and ferry 2", docs, counts, err)
		}
		if _, err := other.Article(context.Background(), "tide-1"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("another handle sees tide-1 before the commit: %v", err)
		}
		if _, err := st.Article(context.Background(), "tide-1"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("a read outside the batch sees tide-1 before the commit: %v", err)
		}
		bad := fx["dam-1"].Article
		bad.ID = ""
		if err := st.Put(ctx, &bad, store.State{}); err == nil {
			return errors.New("Put of an article without ID succeeded")
		}
		// An inner batch that fails is undone alone.
		err = st.Batch(ctx, func(ctx context.Context) error {
			a := fx["dam-1"].Article
			if err := st.Put(ctx, &a, fx["dam-1"].state()); err != nil {
				return err
			}
			return fail
		})
		if !errors.Is(err, fail) {
			return fmt.Errorf("inner batch: err %v, want the function's", err)
		}
		if _, err := st.Article(ctx, "dam-1"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("dam-1 of a failed inner batch is still there: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	for _, h := range []store.Store{st, other} {
		if got := ids(collect(t, h)); !reflect.DeepEqual(got, []string{"tide-1", "tide-2"}) {
			t.Errorf("after the batch: articles %v, want [tide-1 tide-2]", got)
		}
		if docs, counts, err := h.TermCounts(ctx, []string{"ferry"}); err != nil || docs != 2 || counts["ferry"] != 2 {
			t.Errorf("after the batch: docs %d, counts %v, %v", docs, counts, err)
		}
	}

	// A batch's context is no use once the batch is over.
	var kept context.Context
	if err := st.Batch(ctx, func(ctx context.Context) error { kept = ctx; return nil }); err != nil {
		t.Fatal(err)
	}
	a := fx["dam-1"].Article
	if err := st.Put(kept, &a, fx["dam-1"].state()); err == nil {
		t.Error("Put with the context of a finished batch succeeded")
	}
	if _, err := st.Article(kept, "tide-1"); err == nil {
		t.Error("Article with the context of a finished batch succeeded")
	}
}

func testState(t *testing.T, st store.Store) {
	ctx := context.Background()
	apply := func(d store.StateDelta) {
		t.Helper()
		if err := st.ApplyState(ctx, d); err != nil {
			t.Fatalf("ApplyState: %v", err)
		}
	}
	if docs, counts, err := st.TermCounts(ctx, []string{"a"}); err != nil || docs != 0 || len(counts) != 0 {
		t.Errorf("TermCounts on an empty store = %d, %v, %v", docs, counts, err)
	}
	// More terms than one statement takes, and a repeat in the question.
	many := map[string]int64{}
	var asked []string
	for i := range 700 {
		term := fmt.Sprintf("term%03d", i)
		many[term] = int64(i%3 + 1)
		asked = append(asked, term)
	}
	apply(store.StateDelta{Docs: 3, Terms: many})
	apply(store.StateDelta{Docs: -1, Terms: map[string]int64{"term000": -1, "term001": -1, "term002": 5, "fresh": 1}})
	docs, counts, err := st.TermCounts(ctx, append(asked, "term002", "absent", "fresh"))
	if err != nil {
		t.Fatal(err)
	}
	if docs != 2 {
		t.Errorf("docs %d, want 2", docs)
	}
	if _, ok := counts["term000"]; ok {
		t.Error("term000, counted down to 0, is still there")
	}
	if _, ok := counts["absent"]; ok {
		t.Error("a term never added has a count")
	}
	if counts["term001"] != 1 || counts["term002"] != 8 || counts["term699"] != 1 || counts["fresh"] != 1 || len(counts) != 700 {
		t.Errorf("counts: term001 %d (want 1), term002 %d (want 8), term699 %d (want 1), fresh %d (want 1), %d terms (want 700)",
			counts["term001"], counts["term002"], counts["term699"], counts["fresh"], len(counts))
	}

	// Story states: set, replace, delete.
	apply(store.StateDelta{Stories: map[string][]byte{"s1": {1}, "s2": {2, 2}, "s3": {}}})
	apply(store.StateDelta{Stories: map[string][]byte{"s1": {9}, "s2": nil}})
	states, err := st.StoryStates(ctx, []string{"s1", "s2", "s3", "s4"})
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 2 || !reflect.DeepEqual(states["s1"], []byte{9}) || states["s3"] == nil || len(states["s3"]) != 0 {
		t.Errorf("StoryStates = %v, want s1 [9] and s3 empty", states)
	}

	// Story keys: in ID order; too common maps to nil.
	apply(store.StateDelta{StoryKeys: map[string][]string{"s1": {"port", "strike"}, "s2": {"port"}}})
	apply(store.StateDelta{StoryKeys: map[string][]string{"s3": {"port", "dam", "dam"}}})
	apply(store.StateDelta{StoryKeys: map[string][]string{"s1": {"strike", "crew"}}}) // s1 leaves port
	keys, err := st.StoriesWithKeys(ctx, []string{"port", "strike", "crew", "dam", "none"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"port": {"s2", "s3"}, "strike": {"s1"}, "crew": {"s1"}, "dam": {"s3"}}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("StoriesWithKeys = %v, want %v", keys, want)
	}
	apply(store.StateDelta{StoryKeys: map[string][]string{"s4": {"port"}}})
	keys, err = st.StoriesWithKeys(ctx, []string{"port", "dam"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := keys["port"]; !ok || v != nil || !reflect.DeepEqual(keys["dam"], []string{"s3"}) {
		t.Errorf("with three stories on port and limit 2: %v, want port nil and dam [s3]", keys)
	}
	apply(store.StateDelta{StoryKeys: map[string][]string{"s3": nil}})
	keys, err = st.StoriesWithKeys(ctx, []string{"port", "dam"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"port": {"s2", "s4"}}; !reflect.DeepEqual(keys, want) {
		t.Errorf("after s3's keys are deleted: %v, want %v", keys, want)
	}
	// The same keys again change no count.
	apply(store.StateDelta{StoryKeys: map[string][]string{"s2": {"port"}, "s4": {"port"}}})
	keys, err = st.StoriesWithKeys(ctx, []string{"port", "port"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"port": {"s2", "s4"}}; !reflect.DeepEqual(keys, want) {
		t.Errorf("after the same keys again, limit 2: %v, want %v", keys, want)
	}
	if _, err := st.StoriesWithKeys(ctx, []string{"port"}, 0); err == nil {
		t.Error("StoriesWithKeys with limit 0: no error")
	}
	// A backend may pack a key's stories into one value: IDs holding
	// digits, separators and other scripts come back whole.
	odd := []string{"12:s", "s 3,4", "ø:2é"}
	apply(store.StateDelta{StoryKeys: map[string][]string{odd[0]: {"tide"}, odd[1]: {"tide"}, odd[2]: {"tide"}}})
	keys, err = st.StoriesWithKeys(ctx, []string{"tide"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"tide": {"12:s", "s 3,4", "ø:2é"}}; !reflect.DeepEqual(keys, want) {
		t.Errorf("stories with odd IDs: %q, want %q", keys, want)
	}
	apply(store.StateDelta{StoryKeys: map[string][]string{odd[0]: nil, odd[1]: nil, odd[2]: nil}})

	// Bands: in the order first set, replacing keeps the place.
	apply(store.StateDelta{Bands: map[string][]uint64{"a1": {10, 1 << 63}}})
	apply(store.StateDelta{Bands: map[string][]uint64{"a2": {10, 20, 20}}})
	apply(store.StateDelta{Bands: map[string][]uint64{"a3": {20}, "a1": {20, 1 << 63}}})
	bands, err := st.ArticlesInBands(ctx, []uint64{10, 20, 1 << 63, 30, 20}, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantBands := map[uint64][]string{10: {"a2"}, 20: {"a1", "a2", "a3"}, 1 << 63: {"a1"}}
	if !reflect.DeepEqual(bands, wantBands) {
		t.Errorf("ArticlesInBands = %v, want %v", bands, wantBands)
	}
	apply(store.StateDelta{Bands: map[string][]uint64{"a1": nil, "a2": {}, "never-set": nil}})
	bands, err = st.ArticlesInBands(ctx, []uint64{10, 20, 1 << 63}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[uint64][]string{20: {"a3"}}; !reflect.DeepEqual(bands, want) {
		t.Errorf("after deleting a1's and a2's bands: %v, want %v", bands, want)
	}
	// Nothing asked, nothing found.
	if b, err := st.ArticlesInBands(ctx, nil, 0); err != nil || len(b) != 0 {
		t.Errorf("ArticlesInBands(nil) = %v, %v", b, err)
	}
	testLatestInBands(t, st, apply)
	testBandChanges(t, st, apply)
}

// testBandChanges: a delta's band changes file articles in their order,
// after its Bands, one article's changes following each other as if each
// were a delta of its own.
func testBandChanges(t *testing.T, st store.Store, apply func(store.StateDelta)) {
	t.Helper()
	apply(store.StateDelta{Bands: map[string][]uint64{"k1": {60}}, BandChanges: []store.BandChange{
		{ID: "z9", Bands: []uint64{60, 61}},
		{ID: "k2", Bands: []uint64{60}},
		{ID: "z9"}, // taken out: set again below, it is filed last
		{ID: "k3", Bands: []uint64{61}},
		{ID: "z9", Bands: []uint64{60}},
		{ID: "k2", Bands: []uint64{60, 61}}, // replaced: it keeps its place
	}})
	for _, tt := range []struct {
		limit int
		want  map[uint64][]string
	}{
		{0, map[uint64][]string{60: {"k1", "k2", "z9"}, 61: {"k2", "k3"}}},
		{2, map[uint64][]string{60: {"k2", "z9"}, 61: {"k2", "k3"}}},
	} {
		got, err := st.ArticlesInBands(context.Background(), []uint64{60, 61}, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("after a delta of band changes: ArticlesInBands(limit %d) = %v, want %v", tt.limit, got, tt.want)
		}
	}
}

// testLatestInBands: a limit keeps the latest of a band, in the order
// first set; taken out and set again, an article is the latest.
func testLatestInBands(t *testing.T, st store.Store, apply func(store.StateDelta)) {
	t.Helper()
	ctx := context.Background()
	// One at a time: the order of a delta's own articles is not defined.
	for i := range 12 {
		apply(store.StateDelta{Bands: map[string][]uint64{fmt.Sprintf("m%02d", i): {40, uint64(41 + i%2)}}})
	}
	latest := func(limit int, bands ...uint64) map[uint64][]string {
		t.Helper()
		got, err := st.ArticlesInBands(ctx, bands, limit)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	tests := []struct {
		name  string
		delta []store.StateDelta
		limit int
		want  map[uint64][]string
	}{
		{"the latest of each band", nil, 3, map[uint64][]string{
			40: {"m09", "m10", "m11"}, 41: {"m06", "m08", "m10"}, 42: {"m07", "m09", "m11"}}},
		{"a limit above the count", nil, 20, map[uint64][]string{
			41: {"m00", "m02", "m04", "m06", "m08", "m10"}}},
		{"the latest removed", []store.StateDelta{{Bands: map[string][]uint64{"m11": nil}}}, 2, map[uint64][]string{
			40: {"m09", "m10"}, 41: {"m08", "m10"}, 42: {"m07", "m09"}}},
		{"replaced, it keeps its place", []store.StateDelta{{Bands: map[string][]uint64{"m03": {40, 41}}}}, 2, map[uint64][]string{
			40: {"m09", "m10"}, 41: {"m08", "m10"}, 42: {"m07", "m09"}}},
		{"taken out and set again, it is the latest", []store.StateDelta{
			{Bands: map[string][]uint64{"m03": nil}}, {Bands: map[string][]uint64{"m03": {40, 42}}}}, 2, map[uint64][]string{
			40: {"m10", "m03"}, 41: {"m08", "m10"}, 42: {"m09", "m03"}}},
	}
	for _, tt := range tests {
		for _, d := range tt.delta {
			apply(d)
		}
		asked := []uint64{40, 41, 42, 43, 40}
		if tt.name == "a limit above the count" {
			asked = []uint64{41}
		}
		if got := latest(tt.limit, asked...); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ArticlesInBands(limit %d) = %v, want %v", tt.name, tt.limit, got, tt.want)
		}
	}
}

func testClearState(t *testing.T, st store.Store) {
	ctx := context.Background()
	err := st.ApplyState(ctx, store.StateDelta{
		Docs:      2,
		Terms:     map[string]int64{"harbour": 2},
		Stories:   map[string][]byte{"s-port": []byte("state")},
		StoryKeys: map[string][]string{"s-port": {"harbour"}},
		Bands:     map[string][]uint64{"a-port": {7, 9}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ClearState(ctx); err != nil {
		t.Fatal(err)
	}
	docs, counts, err := st.TermCounts(ctx, []string{"harbour"})
	if err != nil || docs != 0 || len(counts) != 0 {
		t.Errorf("after ClearState: TermCounts = %d, %v, %v; want nothing", docs, counts, err)
	}
	if states, err := st.StoryStates(ctx, []string{"s-port"}); err != nil || len(states) != 0 {
		t.Errorf("after ClearState: StoryStates = %v, %v", states, err)
	}
	if keys, err := st.StoriesWithKeys(ctx, []string{"harbour"}, 10); err != nil || len(keys["harbour"]) != 0 {
		t.Errorf("after ClearState: StoriesWithKeys = %v, %v", keys, err)
	}
	if bands, err := st.ArticlesInBands(ctx, []uint64{7}, 0); err != nil || len(bands[7]) != 0 {
		t.Errorf("after ClearState: ArticlesInBands = %v, %v", bands, err)
	}
	// The state builds up again from nothing.
	if err := st.ApplyState(ctx, store.StateDelta{Docs: 1, Bands: map[string][]uint64{"a-port": {7}}}); err != nil {
		t.Fatal(err)
	}
	if bands, err := st.ArticlesInBands(ctx, []uint64{7}, 0); err != nil || len(bands[7]) != 1 {
		t.Errorf("state after a rebuild: ArticlesInBands = %v, %v", bands, err)
	}
}

// testSignatures: the signatures of stored articles, replaced ones as
// replaced, and nothing for IDs not stored.
func testSignatures(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, putOrder...)
	f := fx["tide-1"]
	f.Signature = []byte("sig tide-1 v2")
	fx["tide-1"] = f
	putAll(t, st, fx, "tide-1")
	got, err := st.Signatures(ctx, []string{"tide-1", "tide-2", "nope", "tide-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"tide-1": []byte("sig tide-1 v2"), "tide-2": fx["tide-2"].Signature}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Signatures = %q, want %q", got, want)
	}
	if got, err := st.Signatures(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Signatures(nil) = %v, %v", got, err)
	}
}
