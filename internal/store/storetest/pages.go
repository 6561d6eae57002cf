package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// pageArticle is a minimal article of story in outlet, published at hour
// h of 2026-04-01 in the offset off (hours), or undated when h < 0.
func pageArticle(id, story, outlet string, h, off int) *dossier.Article {
	a := &dossier.Article{ID: id, Source: id + ".txt", Title: "Title of " + id, Outlet: outlet,
		Text: "Body of " + id + ".", Fingerprint: "fp-" + id, StoryID: story, Language: "en"}
	if h >= 0 {
		a.Published = time.Date(2026, 4, 1, h, 0, 0, 0, time.UTC).In(time.FixedZone("", off*3600))
	}
	return a
}

func put(t *testing.T, st store.Store, as ...*dossier.Article) {
	t.Helper()
	for _, a := range as {
		if err := st.Put(context.Background(), a, store.State{}); err != nil {
			t.Fatalf("Put %s: %v", a.ID, err)
		}
	}
}

// allPages follows Next from q to the end, checking each page's size.
func allPages(t *testing.T, st store.Store, q store.StoryQuery) []string {
	t.Helper()
	var ids []string
	for range 100 {
		page, err := st.StoriesPage(context.Background(), q)
		if err != nil {
			t.Fatalf("StoriesPage(%+v): %v", q, err)
		}
		if q.Limit > 0 && (len(page.Stories) > q.Limit || page.Next != "" && len(page.Stories) != q.Limit) {
			t.Fatalf("StoriesPage(%+v): %d stories, next %q", q, len(page.Stories), page.Next)
		}
		for _, s := range page.Stories {
			ids = append(ids, s.ID)
		}
		if page.Next == "" {
			return ids
		}
		q.Cursor = page.Next
	}
	t.Fatal("StoriesPage never ends")
	return nil
}

func testStoriesPage(t *testing.T, st store.Store) {
	ctx := context.Background()
	if page, err := st.StoriesPage(ctx, store.StoryQuery{}); err != nil || len(page.Stories) != 0 || page.Next != "" {
		t.Errorf("StoriesPage on an empty store = %+v, %v", page, err)
	}
	// Last published (UTC): s-b 09:00 (stated 18:00+09:00), s-a 08:00, s-c
	// and s-d both 05:00 (s-d created later), s-e undated.
	put(t, st,
		pageArticle("a1", "s-a", "North Post", 2, 0),
		pageArticle("b1", "s-b", "North Post", 1, -5),
		pageArticle("c1", "s-c", "South Star", 5, 0),
		pageArticle("a2", "s-a", "South Star", 8, 2),
		pageArticle("e1", "s-e", "North Post", -1, 0),
		pageArticle("d1", "s-d", "East Sun", 5, 1),
		pageArticle("b2", "s-b", "East Sun", 9, 9),
	)
	order := []string{"s-b", "s-a", "s-d", "s-c", "s-e"}
	for _, limit := range []int{0, 1, 2, 5, 6} {
		if got := allPages(t, st, store.StoryQuery{Limit: limit}); !reflect.DeepEqual(got, order) {
			t.Errorf("limit %d: stories %v, want %v", limit, got, order)
		}
	}
	page, err := st.StoriesPage(ctx, store.StoryQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := store.StorySummary{ID: "s-b", Title: "Title of b1", Articles: 2, Outlets: []string{"North Post", "East Sun"}}
	got := page.Stories[0]
	if got.ID != want.ID || got.Title != want.Title || got.Articles != want.Articles || !reflect.DeepEqual(got.Outlets, want.Outlets) ||
		timeText(got.FirstPublished) != "2026-03-31T20:00:00-05:00" || timeText(got.LastPublished) != "2026-04-01T18:00:00+09:00" {
		t.Errorf("first story %+v (first %s, last %s), want %+v from 2026-03-31T20:00:00-05:00 to 2026-04-01T18:00:00+09:00",
			got, timeText(got.FirstPublished), timeText(got.LastPublished), want)
	}

	at := func(h int) time.Time { return time.Date(2026, 4, 1, h, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		q    store.StoryQuery
		want []string
	}{
		{"outlet", store.StoryQuery{Outlet: "North Post"}, []string{"s-b", "s-a", "s-e"}},
		{"outlet unknown", store.StoryQuery{Outlet: "Nobody"}, nil},
		{"from", store.StoryQuery{From: at(6)}, []string{"s-b", "s-a"}},
		// A story's span meets the range: s-a runs 02:00 to 08:00.
		{"to", store.StoryQuery{To: at(3)}, []string{"s-b", "s-a"}},
		{"from and to", store.StoryQuery{From: at(4), To: at(6)}, []string{"s-b", "s-a", "s-d", "s-c"}},
		{"to before a story's first", store.StoryQuery{From: at(4), To: at(5)}, []string{"s-b", "s-a"}},
		{"from in another offset", store.StoryQuery{From: at(5).In(time.FixedZone("", -7*3600))}, []string{"s-b", "s-a", "s-d", "s-c"}},
		{"outlet and from, paged", store.StoryQuery{Outlet: "East Sun", From: at(5), Limit: 1}, []string{"s-b", "s-d"}},
	} {
		if got := allPages(t, st, tc.q); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: stories %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []string{"x", "zz", "00", "73010203", "6101"} {
		if _, err := st.StoriesPage(ctx, store.StoryQuery{Cursor: bad}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("StoriesPage with cursor %q: err %v, want ErrBadCursor", bad, err)
		}
	}
	// An article cursor is no story cursor.
	ap, err := st.ArticlesPage(ctx, store.ArticleQuery{Limit: 1})
	if err != nil || ap.Next == "" {
		t.Fatalf("ArticlesPage = %+v, %v", ap, err)
	}
	if _, err := st.StoriesPage(ctx, store.StoryQuery{Cursor: ap.Next}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("StoriesPage with an article cursor: err %v, want ErrBadCursor", err)
	}
}

func testArticlesPage(t *testing.T, st store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	collectPages := func(q store.ArticleQuery) []string {
		var ids []string
		for range 100 {
			page, err := st.ArticlesPage(ctx, q)
			if err != nil {
				t.Fatalf("ArticlesPage(%+v): %v", q, err)
			}
			for _, a := range page.Articles {
				ids = append(ids, a.ID)
				for _, d := range diffArticle(fx[a.ID].Article, a) {
					t.Errorf("ArticlesPage: %s", d)
				}
			}
			if page.Next == "" {
				return ids
			}
			q.Cursor = page.Next
		}
		t.Fatal("ArticlesPage never ends")
		return nil
	}
	for _, limit := range []int{0, 1, 2, 5} {
		if got := collectPages(store.ArticleQuery{Limit: limit}); !reflect.DeepEqual(got, putOrder) {
			t.Errorf("all articles, limit %d: %v, want %v", limit, got, putOrder)
		}
		if got, want := collectPages(store.ArticleQuery{Story: "s-tide", Limit: limit}), []string{"tide-1", "tide-2", "tide-3"}; !reflect.DeepEqual(got, want) {
			t.Errorf("s-tide, limit %d: %v, want %v", limit, got, want)
		}
	}
	if got := collectPages(store.ArticleQuery{Story: "s-none"}); len(got) != 0 {
		t.Errorf("articles of no story: %v", got)
	}
	if _, err := st.ArticlesPage(ctx, store.ArticleQuery{Cursor: "61"}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("ArticlesPage with a bad cursor: err %v, want ErrBadCursor", err)
	}
}

// testTallyFollowsArticles: after replacements, moves and removals, every
// story shows what its articles say, as a story made afresh from them would.
func testTallyFollowsArticles(t *testing.T, st store.Store) {
	ctx := context.Background()
	put(t, st,
		pageArticle("m1", "s-x", "Ridge Times", 3, 0),
		pageArticle("m2", "s-x", "Vale Echo", 1, 4),
		pageArticle("m3", "s-x", "Ridge Times", 7, -2),
		pageArticle("m4", "s-y", "Vale Echo", 2, 0),
	)
	steps := []struct {
		name string
		do   func() error
	}{
		{"earliest moved later", func() error {
			return st.Put(ctx, pageArticle("m2", "s-x", "Vale Echo", 9, 4), store.State{})
		}},
		{"outlet's first changes outlet", func() error {
			return st.Put(ctx, pageArticle("m1", "s-x", "Delta Call", 3, 0), store.State{})
		}},
		{"latest leaves for another story", func() error {
			return st.Put(ctx, pageArticle("m2", "s-y", "Vale Echo", 9, 4), store.State{})
		}},
		{"undated arrival", func() error {
			return st.Put(ctx, pageArticle("m5", "s-x", "Vale Echo", -1, 0), store.State{})
		}},
		{"remove the latest", func() error { return st.Remove(ctx, "m3", "test") }},
		{"remove the only dated", func() error { return st.Remove(ctx, "m1", "test") }},
		{"empty a story", func() error {
			if err := st.Remove(ctx, "m4", "test"); err != nil {
				return err
			}
			return st.Remove(ctx, "m2", "test")
		}},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		checkTallies(t, st, step.name)
	}
	if _, err := st.Story(ctx, "s-y"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("emptied story s-y: err %v, want ErrNotFound", err)
	}
	if got := allPages(t, st, store.StoryQuery{Outlet: "Vale Echo"}); !reflect.DeepEqual(got, []string{"s-x"}) {
		t.Errorf("stories of Vale Echo at the end: %v, want [s-x]", got)
	}
	if got := allPages(t, st, store.StoryQuery{Outlet: "Ridge Times"}); len(got) != 0 {
		t.Errorf("stories of Ridge Times, whose articles are gone: %v", got)
	}
}

// checkTallies compares each story's aggregate with one made afresh from
// its articles as stored.
func checkTallies(t *testing.T, st store.Store, when string) {
	t.Helper()
	ctx := context.Background()
	listed := map[string]store.StorySummary{}
	page, err := st.StoriesPage(ctx, store.StoryQuery{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range page.Stories {
		listed[s.ID] = s
	}
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != len(listed) {
		t.Errorf("%s: Stories has %d, StoriesPage %d", when, len(stories), len(listed))
	}
	for _, s := range stories {
		var fresh store.Tally
		for i, id := range s.Articles {
			a, err := st.Article(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			fresh.Add(store.Contribution{Seq: int64(i), Outlet: a.Outlet, Published: a.Published})
		}
		want := store.SummaryOf(s.ID, s.Title, fresh)
		got := listed[s.ID]
		if fmt.Sprint(summaryText(got)) != fmt.Sprint(summaryText(want)) {
			t.Errorf("%s: story %s listed as %v, its articles say %v", when, s.ID, summaryText(got), summaryText(want))
		}
		if !slices.Equal(s.Outlets, want.Outlets) || timeText(s.FirstPublished) != timeText(want.FirstPublished) ||
			timeText(s.LastPublished) != timeText(want.LastPublished) {
			t.Errorf("%s: Story %s shows %v %s %s, its articles say %v", when, s.ID, s.Outlets,
				timeText(s.FirstPublished), timeText(s.LastPublished), summaryText(want))
		}
	}
}

func summaryText(s store.StorySummary) []string {
	return append([]string{s.ID, fmt.Sprint(s.Articles), timeText(s.FirstPublished), timeText(s.LastPublished)}, s.Outlets...)
}
