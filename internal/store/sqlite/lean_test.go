package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/store"
)

// state0006 is streaming state as migration 0005 laid it out: two stories
// sharing a key, and two articles sharing a band.
const state0006 = `
INSERT INTO story_keys(key, changed, story_id) VALUES ('harbour', 1, 's-quay'), ('harbour', 2, 's-pier'), ('gale', 2, 's-pier');
INSERT INTO story_keysets(story_id, changed, keys) VALUES ('s-quay', 1, x'07686172626f7572'), ('s-pier', 2, x'0467616c6507686172626f7572');
INSERT INTO counters(name, value) VALUES ('state_change', 2), ('band_ord', 2);
INSERT INTO band_articles(band, ord, article_id) VALUES (5, 1, 'quay-1'), (5, 2, 'pier-1'), (9, 2, 'pier-1');
INSERT INTO article_bands(article_id, ord, bands) VALUES
	('quay-1', 1, x'0500000000000000'), ('pier-1', 2, x'05000000000000000900000000000000');
`

// TestMigrateLeanState: state written before 0008 reads the same after it,
// and keeps working: key counts match the keys, band order is kept.
func TestMigrateLeanState(t *testing.T) {
	ctx := context.Background()
	st := openFrom(t, 6, state0006)

	keys, err := st.StoriesWithKeys(ctx, []string{"harbour", "gale"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"harbour": {"s-pier", "s-quay"}, "gale": {"s-pier"}}; !reflect.DeepEqual(keys, want) {
		t.Errorf("StoriesWithKeys after migrating = %v, want %v", keys, want)
	}
	if keys, err = st.StoriesWithKeys(ctx, []string{"harbour"}, 1); err != nil || keys["harbour"] != nil || len(keys) != 1 {
		t.Errorf("harbour with limit 1 = %v, %v; want it too common", keys, err)
	}
	bands, err := st.ArticlesInBands(ctx, []uint64{5, 9}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[uint64][]string{5: {"quay-1", "pier-1"}, 9: {"pier-1"}}; !reflect.DeepEqual(bands, want) {
		t.Errorf("ArticlesInBands after migrating = %v, want %v", bands, want)
	}
	// The migrated rows are replaced as new ones are.
	if err := st.ApplyState(ctx, store.StateDelta{StoryKeys: map[string][]string{"s-quay": nil}, Bands: map[string][]uint64{"pier-1": {9}}}); err != nil {
		t.Fatal(err)
	}
	if keys, err = st.StoriesWithKeys(ctx, []string{"harbour"}, 1); err != nil || !reflect.DeepEqual(keys["harbour"], []string{"s-pier"}) {
		t.Errorf("harbour after s-quay's keys go = %v, %v; want [s-pier]", keys, err)
	}
	if bands, err = st.ArticlesInBands(ctx, []uint64{5, 9}, 0); err != nil || !reflect.DeepEqual(bands, map[uint64][]string{5: {"quay-1"}, 9: {"pier-1"}}) {
		t.Errorf("bands after pier-1 leaves 5 = %v, %v", bands, err)
	}
}

// TestBandLevels: with a level 0 of a few rows, bands set, replaced and
// deleted across many deltas are merged through several levels, and every
// lookup answers as one table would: each band's articles in the order
// their bands were first set.
func TestBandLevels(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	defer st.Close()
	st.stmt.state.level0 = 3
	model := map[string][]uint64{} // article -> bands
	var order []string             // articles by first set
	r := rand.New(rand.NewPCG(5, 6))
	for step := range 300 {
		d := store.StateDelta{Bands: map[string][]uint64{}}
		for range 1 + r.IntN(3) {
			id := fmt.Sprintf("a%03d", r.IntN(60))
			var bands []uint64
			if step%7 != 0 {
				for range 1 + r.IntN(4) {
					bands = append(bands, uint64(r.IntN(40))<<60|uint64(r.IntN(3)))
				}
			}
			d.Bands[id] = bands
		}
		if err := st.ApplyState(ctx, d); err != nil {
			t.Fatal(err)
		}
		for _, id := range sortedKeys(d.Bands) { // the order this backend files a delta in
			bands := d.Bands[id]
			if len(bands) == 0 {
				delete(model, id)
				order = slices.DeleteFunc(order, func(x string) bool { return x == id })
				continue
			}
			if _, ok := model[id]; !ok {
				order = append(order, id)
			}
			model[id] = bands
		}
	}
	var all []uint64
	want := map[uint64][]string{}
	for _, id := range order {
		for _, b := range uniqueU64(model[id]) {
			want[b] = append(want[b], id)
		}
	}
	for b := range want {
		all = append(all, b)
	}
	got, err := st.ArticlesInBands(ctx, append(all, 7), 0) // 7: no article has it
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ArticlesInBands = %v\nwant %v", got, want)
	}
	for _, limit := range []int{1, 2, 5} {
		latest := map[uint64][]string{}
		for b, ids := range want {
			latest[b] = ids[max(0, len(ids)-limit):]
		}
		got, err := st.ArticlesInBands(ctx, append(all, 7), limit)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, latest) {
			t.Errorf("ArticlesInBands limit %d = %v\nwant %v", limit, got, latest)
		}
	}
	var top int
	if err := st.r.QueryRowContext(ctx, `SELECT MAX(level) FROM band_levels`).Scan(&top); err != nil || top < 2 {
		t.Errorf("top level = %d, %v; want 2 or more from a level 0 of 3 rows", top, err)
	}
}

func uniqueU64(xs []uint64) []uint64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return slices.Compact(xs)
}

// TestLatestInBandsPlan: a limited band lookup reads each band of each
// level from its limit-th latest row on, through the key, never the band whole.
func TestLatestInBandsPlan(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	q := strings.NewReplacer("(?), (?)", "(1), (2)", "?3", "32").Replace(st.stmt.state.bandsLatest.build(2))
	p := queryPlan(t, st, q)
	for _, want := range []string{"SCAN l; SEARCH b USING PRIMARY KEY (level=? AND band=? AND ord>?)", "SEARCH x USING PRIMARY KEY (level=? AND band=?)"} {
		if !strings.Contains(p, want) {
			t.Errorf("plan %s; want %s", p, want)
		}
	}
	if strings.Contains(p, "SCAN b") || strings.Contains(p, "ORDER BY") {
		t.Errorf("plan %s: a band scanned or sorted", p)
	}
}
