package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
)

// searchQuote is a quote of a search fixture, found in its text.
type searchQuote struct{ speaker, text string }

func searchArticle(id, story, outlet, lang, published, title, text string, quotes ...searchQuote) *dossier.Article {
	a := &dossier.Article{ID: id, Source: id + ".txt", StoryID: story, Outlet: outlet, Language: lang,
		Title: title, Text: text, Fingerprint: "fp-" + id}
	if published != "" {
		p, err := time.Parse(time.RFC3339, published)
		if err != nil {
			panic(err)
		}
		a.Published = p
	}
	for _, q := range quotes {
		i := strings.Index(text, q.text)
		if i < 0 {
			panic("quote not in text: " + q.text)
		}
		a.Quotes = append(a.Quotes, dossier.Quote{Text: q.text, Speaker: q.speaker, Start: i, End: i + len(q.text), Cue: "said"})
	}
	return a
}

// searchFixtures are invented articles in four scripts; s3 copies s1 and
// is undated.
func searchFixtures() []*dossier.Article {
	const bridge = "The county will close the old toll bridge on Monday.\n\n“The cables are worn and must be replaced,” said Petra Lindqvist, the county engineer. Drivers will use the ferry instead."
	s3 := searchArticle("s3", "st-bridge", "Metro Digest", "en", "", "Old toll bridge to close for repairs", bridge,
		searchQuote{"Petra Lindqvist", "The cables are worn and must be replaced,"})
	s3.DuplicateOf = "s1"
	return []*dossier.Article{
		searchArticle("s1", "st-bridge", "Lakeside Courier", "en", "2025-04-02T08:00:00Z", "Old toll bridge to close for repairs", bridge,
			searchQuote{"Petra Lindqvist", "The cables are worn and must be replaced,"}),
		searchArticle("s2", "st-bridge", "Valley Herald", "en", "2025-04-03T10:00:00+02:00", "Drivers face detours as bridge shuts",
			"Detours began as the county shut the bridge. “We expect queues at the ferry,” said Jonas Ekdahl, who runs the ferry service. Lindqvist said the cables would arrive in May.",
			searchQuote{"Jonas Ekdahl", "We expect queues at the ferry,"}),
		s3,
		searchArticle("s4", "st-fair", "Valley Herald", "fr", "2025-03-20T09:00:00Z", "La foire aux fromages ouvre samedi",
			"La foire aux fromages ouvre samedi sur la place du marché. « Nous attendons dix mille visiteurs », a dit Claire Morvan.",
			searchQuote{"Claire Morvan", "Nous attendons dix mille visiteurs"}),
		searchArticle("s5", "st-ja", "Minato Shimbun", "ja", "2025-04-01T09:00:00+09:00", "新しい図書館が開館",
			"市の中心部に新しい図書館が開館した。初日には三千人が訪れた。"),
		searchArticle("s6", "st-zh", "Hexi Daily", "zh", "2025-04-04T09:00:00+08:00", "河西大桥通车",
			"新建的河西大桥今天正式通车。市民可以步行过桥。"),
		searchArticle("s7", "st-ko", "Haneul Times", "ko", "2025-04-05T09:00:00+09:00", "새 도서관 개관",
			"시내 중심에 새 도서관이 문을 열었다. 첫날 방문객은 삼천 명이었다."),
		searchArticle("s8", "st-ferry", "Lakeside Courier", "en", "2025-04-06T07:00:00Z", "Ferry timetable changes",
			"The ferry will run every twenty minutes while the bridge is shut."),
	}
}

func putSearchFixtures(t *testing.T, st store.Store) {
	t.Helper()
	for _, a := range searchFixtures() {
		if err := st.Put(context.Background(), a, store.State{}); err != nil {
			t.Fatalf("Put %s: %v", a.ID, err)
		}
	}
}

// searchAll runs a query to its last page, pages of limit hits.
func searchAll(t *testing.T, st store.Store, q string, quotes bool, limit int) []store.SearchHit {
	t.Helper()
	var hits []store.SearchHit
	cursor := ""
	for range 100 {
		page, err := st.Search(context.Background(), store.SearchQuery{Query: query.Parse(q), Quotes: quotes, Cursor: cursor, Limit: limit})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if len(page.Hits) > max(limit, 0) && limit > 0 {
			t.Fatalf("Search(%q): %d hits on a page of %d", q, len(page.Hits), limit)
		}
		hits = append(hits, page.Hits...)
		if page.Next == "" {
			return hits
		}
		cursor = page.Next
	}
	t.Fatalf("Search(%q): no last page", q)
	return nil
}

func hitIDs(hits []store.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.ArticleID)
	}
	return out
}

func sorted(ids []string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

func testSearch(t *testing.T, st store.Store) {
	putSearchFixtures(t, st)
	for _, tc := range []struct {
		q string
		// want are the hits in order when ordered, else as a set.
		want    []string
		ordered bool
	}{
		{"bridge", []string{"s1", "s2", "s3", "s8"}, false},
		{"BRIDGE county", []string{"s1", "s2", "s3"}, false},
		{"bridge -cables", []string{"s8"}, false},
		{`"toll bridge"`, []string{"s1", "s3"}, false},
		{`"bridge toll"`, []string{}, false},
		{`detour*`, []string{"s2"}, false},
		{`"county shu"*`, []string{"s2"}, false},
		{"ferry", []string{"s8", "s1", "s2", "s3"}, false},
		{"bridge outlet:herald", []string{"s2"}, false},
		{`bridge outlet:"valley herald"`, []string{"s2"}, false},
		{`bridge outlet:"herald valley"`, []string{}, false},
		{"bridge from:2025-04-03", []string{"s2", "s8"}, false},
		{"bridge to:2025-04-02", []string{"s1"}, false},
		{"speaker:lindqvist", []string{"s1", "s3"}, true},
		{"lang:fr", []string{"s4"}, true},
		{"lang:fr lang:en", []string{}, true},
		{`outlet:"lakeside courier"`, []string{"s8", "s1"}, true},
		{"outlet:courier outlet:herald", []string{}, true},
		{"outlet:nowhere bridge", []string{}, true},
		{"", []string{"s8", "s7", "s6", "s2", "s1", "s5", "s4", "s3"}, true},
		{"-bridge -fromages", []string{"s7", "s6", "s5"}, true},
		{"図書館", []string{"s5"}, false},
		{"図書", []string{"s5"}, false},
		{"館図", []string{}, false},
		{"大桥", []string{"s6"}, false},
		{"도서관", []string{"s7"}, false},
		{"도서관*", []string{"s7"}, false},
		{"fromages lang:fr", []string{"s4"}, false},
		{"marché", []string{"s4"}, false},
		// Stray syntax is text, never an error.
		{`"bridge`, []string{"s1", "s2", "s3", "s8"}, false},
		{`bridge: (( ) NEAR( ^ {title}:`, []string{}, false},
		{`AND OR NOT`, []string{}, false},
		{`* - "" :`, []string{"s8", "s7", "s6", "s2", "s1", "s5", "s4", "s3"}, true},
	} {
		t.Run(tc.q, func(t *testing.T) {
			got := hitIDs(searchAll(t, st, tc.q, false, 0))
			want := tc.want
			if !tc.ordered {
				got, want = sorted(got), sorted(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Search(%q) = %v, want %v", tc.q, got, want)
			}
		})
	}

	t.Run("title ranks above text", func(t *testing.T) {
		hits := searchAll(t, st, "ferry", false, 0)
		if len(hits) == 0 || hits[0].ArticleID != "s8" {
			t.Fatalf("Search(ferry) = %v, want s8 first", hitIDs(hits))
		}
		if got := hits[0].TitleMarks; !slices.Equal(got, [][2]int{{0, 5}}) {
			t.Errorf("title marks %v, want [[0 5]]", got)
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Rank < hits[i-1].Rank {
				t.Errorf("hit %d ranks %g before %g", i, hits[i-1].Rank, hits[i].Rank)
			}
		}
	})

	t.Run("hit fields", func(t *testing.T) {
		hits := searchAll(t, st, "cables outlet:digest", false, 0)
		if len(hits) != 1 {
			t.Fatalf("hits %v, want s3", hitIDs(hits))
		}
		h := hits[0]
		if h.ArticleID != "s3" || h.StoryID != "st-bridge" || h.Outlet != "Metro Digest" || h.Language != "en" ||
			h.DuplicateOf != "s1" || !h.Published.IsZero() || h.Quote != nil {
			t.Errorf("hit %+v", h)
		}
		if len(h.Snippet.Marks) != 1 {
			t.Fatalf("snippet %q marks %v, want one", h.Snippet.Text, h.Snippet.Marks)
		}
		m := h.Snippet.Marks[0]
		if got := h.Snippet.Text[m[0]:m[1]]; got != "cables" {
			t.Errorf("marked %q, want cables", got)
		}
		hits = searchAll(t, st, "detours", false, 0)
		want := time.Date(2025, 4, 3, 10, 0, 0, 0, time.FixedZone("", 2*3600))
		if len(hits) != 1 || !hits[0].Published.Equal(want) {
			t.Fatalf("hits %+v, want s2 published %v", hits, want)
		}
		if _, off := hits[0].Published.Zone(); off != 2*3600 {
			t.Errorf("published offset %d, want the stated +02:00", off)
		}
	})

	t.Run("paging", func(t *testing.T) {
		for _, q := range []string{"", "bridge", "ferry", "speaker:lindqvist", "-bridge"} {
			whole := hitIDs(searchAll(t, st, q, false, 0))
			for _, limit := range []int{1, 2, 3} {
				if got := hitIDs(searchAll(t, st, q, false, limit)); !slices.Equal(got, whole) {
					t.Errorf("Search(%q) by pages of %d = %v, want %v", q, limit, got, whole)
				}
			}
		}
		ranked, err := st.Search(context.Background(), store.SearchQuery{Query: query.Parse("bridge"), Limit: 1})
		if err != nil || ranked.Next == "" {
			t.Fatalf("Search(bridge) = %+v, %v", ranked, err)
		}
		for _, bad := range []struct{ q, cursor string }{
			{"bridge", "zz"}, {"bridge", "71"}, {"bridge", store.EncodeArticleCursor(3)},
			{"lang:en", ranked.Next}, // a ranked list's cursor on a list by date
		} {
			_, err := st.Search(context.Background(), store.SearchQuery{Query: query.Parse(bad.q), Cursor: bad.cursor})
			if !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("Search(%q) with cursor %q: %v, want ErrBadCursor", bad.q, bad.cursor, err)
			}
		}
	})
}

func quoteTexts(hits []store.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		if h.Quote == nil {
			out = append(out, "<no quote>")
			continue
		}
		out = append(out, h.ArticleID+": "+h.Quote.Speaker+": "+h.Quote.Text)
	}
	return out
}

func testSearchQuotes(t *testing.T, st store.Store) {
	putSearchFixtures(t, st)
	const petra = "Petra Lindqvist: The cables are worn and must be replaced,"
	for _, tc := range []struct {
		q       string
		want    []string
		ordered bool
	}{
		{"speaker:lindqvist cables", []string{"s1: " + petra, "s3: " + petra}, false},
		{`speaker:"petra lindqvist"`, []string{"s1: " + petra, "s3: " + petra}, true},
		{"speaker:ekdahl", []string{"s2: Jonas Ekdahl: We expect queues at the ferry,"}, true},
		{"ferry", []string{"s2: Jonas Ekdahl: We expect queues at the ferry,"}, false},
		{"speaker:lindqvist ferry", []string{}, false},
		{"lindqvist", []string{}, false}, // a speaker is found by speaker:, not by words
		{"visiteurs outlet:herald", []string{"s4: Claire Morvan: Nous attendons dix mille visiteurs"}, false},
		{"-cables lang:en", []string{"s2: Jonas Ekdahl: We expect queues at the ferry,"}, true},
		{"", []string{"s2: Jonas Ekdahl: We expect queues at the ferry,", "s1: " + petra,
			"s4: Claire Morvan: Nous attendons dix mille visiteurs", "s3: " + petra}, true},
	} {
		t.Run(tc.q, func(t *testing.T) {
			got := quoteTexts(searchAll(t, st, tc.q, true, 0))
			want := tc.want
			if !tc.ordered {
				got, want = sorted(got), sorted(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Search(%q, quotes) = %q, want %q", tc.q, got, want)
			}
			for _, limit := range []int{1, 2} {
				if paged := quoteTexts(searchAll(t, st, tc.q, true, limit)); !slices.Equal(sorted(paged), sorted(got)) {
					t.Errorf("Search(%q, quotes) by pages of %d = %q, want %q", tc.q, limit, paged, got)
				}
			}
		})
	}
	hits := searchAll(t, st, "speaker:ekdahl queues", true, 0)
	if len(hits) != 1 {
		t.Fatalf("hits %q", quoteTexts(hits))
	}
	h := hits[0]
	if h.StoryID != "st-bridge" || h.Quote.Start != strings.Index(searchFixtures()[1].Text, "We expect") || h.Quote.Cue != "said" {
		t.Errorf("hit %+v, quote %+v", h, *h.Quote)
	}
	if got := h.Snippet.Text; got != "We expect queues at the ferry," || !slices.Equal(h.Snippet.Marks, [][2]int{{10, 16}}) {
		t.Errorf("snippet %q %v", got, h.Snippet.Marks)
	}
}

// testSearchFollowsWrites checks that every write keeps the index in step.
func testSearchFollowsWrites(t *testing.T, st store.Store) {
	ctx := context.Background()
	putSearchFixtures(t, st)
	check := func(what, q string, quotes bool, want ...string) {
		t.Helper()
		got := hitIDs(searchAll(t, st, q, quotes, 0))
		if !slices.Equal(sorted(got), sorted(append([]string{}, want...))) {
			t.Errorf("%s: Search(%q) = %v, want %v", what, q, got, want)
		}
	}

	a := searchFixtures()[7]
	a.Text = "The ferry will run every half hour while the bridge is shut."
	if err := st.Put(ctx, a, store.State{}); err != nil {
		t.Fatal(err)
	}
	check("replaced", "twenty", false)
	check("replaced", "half hour", false, "s8")
	check("replaced", "bridge", false, "s1", "s2", "s3", "s8")

	a.StoryID = "st-bridge" // as a recluster moves it
	if err := st.Put(ctx, a, store.State{}); err != nil {
		t.Fatal(err)
	}
	if hits := searchAll(t, st, "half", false, 0); len(hits) != 1 || hits[0].StoryID != "st-bridge" {
		t.Errorf("moved: hits %+v, want s8 in st-bridge", hits)
	}

	b := searchFixtures()[1]
	b.Quotes = nil
	if err := st.Put(ctx, b, store.State{}); err != nil {
		t.Fatal(err)
	}
	check("quotes dropped", "speaker:ekdahl", true)
	check("quotes dropped", "queues", false, "s2")

	if err := st.Remove(ctx, "s2", "test"); err != nil {
		t.Fatal(err)
	}
	check("removed", "detour*", false)
	check("removed", "queues", false)

	if err := st.RenameSpeakers(ctx, "st-bridge", map[string]string{"Petra Lindqvist": "Petra Lindqvist-Holm"}); err != nil {
		t.Fatal(err)
	}
	check("renamed", `speaker:"petra lindqvist"`, true)
	check("renamed", "speaker:lindqvist-holm", true, "s1", "s3")
	check("renamed", "speaker:lindqvist-holm", false, "s1", "s3")
	if err := st.RenameSpeakers(ctx, "st-bridge", nil); err != nil {
		t.Fatal(err)
	}
	check("renamed back", `speaker:"petra lindqvist"`, true, "s1", "s3")

	// A batch rolled back leaves the index as it was.
	c := searchArticle("s9", "st-new", "Hill Post", "en", "", "Snowplough ordered", "The council ordered a snowplough.")
	failed := errors.New("roll back")
	err := st.Batch(ctx, func(ctx context.Context) error {
		if err := st.Put(ctx, c, store.State{}); err != nil {
			return err
		}
		page, err := st.Search(ctx, store.SearchQuery{Query: query.Parse("snowplough")})
		if err != nil || len(page.Hits) != 1 {
			t.Errorf("in batch: Search(snowplough) = %+v, %v; want s9", page, err)
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("Batch: %v", err)
	}
	check("rolled back", "snowplough", false)

	// An inner batch that read the index and failed is undone alone; what
	// the outer one wrote before it stays.
	d := searchArticle("s10", "st-new", "Hill Post", "en", "", "Gritter ordered", "The council ordered a gritter.")
	err = st.Batch(ctx, func(ctx context.Context) error {
		if err := st.Put(ctx, c, store.State{}); err != nil {
			return err
		}
		inner := st.Batch(ctx, func(ctx context.Context) error {
			if err := st.Put(ctx, d, store.State{}); err != nil {
				return err
			}
			page, err := st.Search(ctx, store.SearchQuery{Query: query.Parse("council ordered")})
			if err != nil || len(page.Hits) != 2 {
				t.Errorf("in inner batch: Search = %+v, %v; want s9 and s10", page, err)
			}
			return failed
		})
		if !errors.Is(inner, failed) {
			t.Errorf("inner Batch: %v", inner)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	check("inner batch undone", "council ordered", false, "s9")

	// Another handle (a restart) finds what was written.
	check("committed", "bridge", false, "s1", "s3", "s8")
}

// testSearchManyMatches: a word in more articles than a backend may rank
// at once (SQLite ranks a thousand at a time) is found in every one of
// them once, in pages of any size, alone, with a word excluded and in
// quotes.
func testSearchManyMatches(t *testing.T, st store.Store) {
	const n = 1500
	ctx := context.Background()
	var all, unburnt []string
	err := st.Batch(ctx, func(ctx context.Context) error {
		for i := range n {
			id := fmt.Sprintf("kiln-%04d", i)
			text := strings.Repeat("The kiln was fired at dawn. ", 1+i%3) + "Potters waited for the glaze to set."
			if i%4 == 0 {
				text += " One pot cracked."
			} else {
				unburnt = append(unburnt, id)
			}
			all = append(all, id)
			a := searchArticle(id, "st-"+id, "Clay Weekly", "en", "", fmt.Sprintf("Firing %d", i), text,
				searchQuote{"Mara Holt", "Potters waited for the glaze to set."})
			if err := st.Put(ctx, a, store.State{}); err != nil {
				return fmt.Errorf("put %s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q      string
		quotes bool
		want   []string
	}{
		{"kiln", false, all},
		{"kiln -cracked", false, unburnt},
		{"glaze", true, all},
	} {
		for _, limit := range []int{97, store.MaxLimit} {
			got := hitIDs(searchAll(t, st, tc.q, tc.quotes, limit))
			if !slices.Equal(sorted(got), tc.want) {
				t.Errorf("Search(%q, quotes %v) in pages of %d: %d hits, want each of %d once", tc.q, tc.quotes, limit, len(got), len(tc.want))
			}
		}
	}
}
