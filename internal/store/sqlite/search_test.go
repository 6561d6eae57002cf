package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/benchgen"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
)

// TestMigrateSearch: a store made before 0007 has its rows indexed when it
// opens.
func TestMigrateSearch(t *testing.T) {
	ctx := context.Background()
	st := openFrom(t, 1, store0001)
	for _, tc := range []struct {
		q      string
		quotes bool
		want   string
	}{
		{"reopened tuesday", false, "bridge-1 bridge-2"},
		{"repairs -tuesday", false, ""},
		{"speaker:reel", true, "bridge-1"},
		{"speaker:reel", false, "bridge-1"},
	} {
		page, err := st.Search(ctx, store.SearchQuery{Query: query.Parse(tc.q), Quotes: tc.quotes})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range page.Hits {
			ids = append(ids, h.ArticleID)
		}
		if got := strings.Join(ids, " "); got != tc.want {
			t.Errorf("Search(%q, quotes %v) = %q, want %q", tc.q, tc.quotes, got, tc.want)
		}
	}
}

// TestSearchPlans: a listing by date reads an index in order, never sorts
// the store; a ranked search starts from the index's matches.
func TestSearchPlans(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	for _, tc := range []struct{ query, want string }{
		{`SELECT a.seq FROM articles a WHERE (a.pub_ns IS NULL OR a.pub_ns < 5 OR (a.pub_ns = 5 AND a.seq < 3)) ORDER BY a.pub_ns DESC, a.seq DESC LIMIT 51`, "INDEX articles_published"},
		{`SELECT a.seq FROM articles a WHERE a.outlet_id IN (1) ORDER BY a.pub_ns DESC, a.seq DESC LIMIT 51`, "INDEX articles_outlet_published (outlet_id=?)"},
		{`SELECT f.k FROM (SELECT rowid AS k, bm25(article_search) AS r FROM article_search WHERE article_search MATCH '"x"') f JOIN articles a ON a.seq = f.k ORDER BY f.r, f.k LIMIT 51`, "SCAN article_search VIRTUAL TABLE INDEX"},
		{strings.NewReplacer("?", "1").Replace(unindexQuotesQuery), "VIRTUAL TABLE INDEX"},
	} {
		if p := queryPlan(t, st, tc.query); !strings.Contains(p, tc.want) {
			t.Errorf("plan of %.60q: %s; want %s", tc.query, p, tc.want)
		}
	}
	// A ranked search walks the index's matches by rowid to find its
	// block, sorting nothing, and ranks within the block's rowids alone;
	// a filter of speakers is a list, not keys looked up in the index.
	ctx := context.Background()
	for _, q := range []string{"ferry", "ferry -strike", "ferry speaker:lindqvist", "ferry lang:en", "speaker:lindqvist ferry"} {
		for _, quotes := range []bool{false, true} {
			p, _, err := planSearch(ctx, st.r, store.SearchQuery{Query: query.Parse(q), Quotes: quotes})
			if err != nil {
				t.Fatal(err)
			}
			text, args := p.walk(1 << 40)
			if plan := queryPlan(t, st, text, args...); strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, ":=") {
				t.Errorf("%q, quotes %v: the block's walk is %s", q, quotes, plan)
			}
			text, args = p.query(quotes, block{from: 5, below: 1 << 40}, store.SearchCursor{}, false, 21)
			if plan := queryPlan(t, st, text, args...); !strings.Contains(plan, "_search VIRTUAL TABLE INDEX 0:M2><") {
				t.Errorf("%q, quotes %v: a block's page is %s", q, quotes, plan)
			}
		}
	}
}

// BenchmarkSearch searches a store of generated articles: a ranked query
// of one word, of two, a phrase, a prefix, a quote search and a listing by
// date filtered by outlet.
func BenchmarkSearch(b *testing.B) {
	const n = 3000
	ctx := context.Background()
	var corpus, truth bytes.Buffer
	if _, err := benchgen.Generate(ctx, benchgen.Config{N: n, Seed: 7}, &corpus, &truth); err != nil {
		b.Fatal(err)
	}
	st := openTemp(b)
	defer st.Close()
	var outlet string
	dec := json.NewDecoder(&corpus)
	var words []string
	for i := 0; dec.More(); i++ {
		var r benchgen.Record
		if err := dec.Decode(&r); err != nil {
			b.Fatal(err)
		}
		a := &dossier.Article{ID: fmt.Sprintf("a%d", i), Source: r.URL, URL: r.URL, Outlet: r.Outlet, Title: r.Title,
			Text: r.Text, Language: "en", Fingerprint: fmt.Sprint(i), StoryID: fmt.Sprintf("s%d", i/5)}
		if r.Published != nil {
			a.Published, _ = time.Parse(time.RFC3339, *r.Published)
		}
		outlet = r.Outlet
		if i%500 == 0 {
			words = append(words, query.Tokens(r.Title)...)
		}
		if err := st.Put(ctx, a, store.State{}); err != nil {
			b.Fatal(err)
		}
	}
	queries := []string{words[0], words[1] + " " + words[2], `"` + words[3] + " " + words[4] + `"`, words[5][:min(3, len(words[5]))] + "*",
		"outlet:" + query.Quote(outlet), "-" + words[0] + " lang:en",
		// A word nearly every article has, as the load test's searches
		// often are: the rank of every match is what such a page costs.
		"said", "said " + words[0]}
	for _, qs := range queries {
		q := query.Parse(qs)
		b.Run(strings.ReplaceAll(q.String(), " ", "_"), func(b *testing.B) {
			hits := 0
			for b.Loop() {
				page, err := st.Search(ctx, store.SearchQuery{Query: q, Limit: 20})
				if err != nil {
					b.Fatal(err)
				}
				hits = len(page.Hits)
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}

// BenchmarkPutGenerated stores generated articles with their quotes: the
// write path's cost, search index included.
func BenchmarkPutGenerated(b *testing.B) {
	const n = 2000
	ctx := context.Background()
	var corpus, truth bytes.Buffer
	if _, err := benchgen.Generate(ctx, benchgen.Config{N: n, Seed: 11}, &corpus, &truth); err != nil {
		b.Fatal(err)
	}
	var arts []*dossier.Article
	dec := json.NewDecoder(&corpus)
	for i := 0; dec.More(); i++ {
		var r benchgen.Record
		if err := dec.Decode(&r); err != nil {
			b.Fatal(err)
		}
		a := &dossier.Article{ID: fmt.Sprintf("a%d", i), Source: r.URL, URL: r.URL, Outlet: r.Outlet, Title: r.Title,
			Text: r.Text, Language: "en", Fingerprint: fmt.Sprint(i), StoryID: fmt.Sprintf("s%d", i/5)}
		// A quote per paragraph's first sentence, as the quote stage finds a few.
		for _, p := range strings.SplitN(r.Text, "\n\n", 4)[:min(3, strings.Count(r.Text, "\n\n")+1)] {
			start := strings.Index(r.Text, p)
			end := start + min(len(p), 80)
			a.Quotes = append(a.Quotes, dossier.Quote{Text: r.Text[start:end], Speaker: "Speaker " + fmt.Sprint(i%40), Start: start, End: end})
		}
		arts = append(arts, a)
	}
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		st := openTemp(b)
		b.StartTimer()
		start := time.Now()
		err := st.Batch(ctx, func(ctx context.Context) error {
			for _, a := range arts {
				if err := st.Put(ctx, a, store.State{}); err != nil {
					return err
				}
			}
			return nil
		})
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(elapsed.Microseconds())/float64(n*b.N), "µs/article")
}

// generatedStore is a store of n of dossier bench's generated articles,
// written in batches as an ingest writes them.
func generatedStore(b *testing.B, n int, seed uint64) *Store {
	b.Helper()
	ctx := context.Background()
	var corpus bytes.Buffer
	if _, err := benchgen.Generate(ctx, benchgen.Config{N: n, Seed: seed}, &corpus, io.Discard); err != nil {
		b.Fatal(err)
	}
	st := openTemp(b)
	dec := json.NewDecoder(&corpus)
	for i := 0; dec.More(); {
		err := st.Batch(ctx, func(ctx context.Context) error {
			for end := i + 1000; i < end && dec.More(); i++ {
				var r benchgen.Record
				if err := dec.Decode(&r); err != nil {
					return err
				}
				a := &dossier.Article{ID: fmt.Sprintf("a%d", i), Source: r.URL, URL: r.URL, Outlet: r.Outlet, Title: r.Title,
					Text: r.Text, Language: "en", Fingerprint: fmt.Sprint(i), StoryID: fmt.Sprintf("s%d", i/5)}
				if r.Published != nil {
					a.Published, _ = time.Parse(time.RFC3339, *r.Published)
				}
				if err := st.Put(ctx, a, store.State{}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// BenchmarkSearchCommonWord is a page of a word nearly every generated
// article has, the first and the tenth, at two sizes of store: what a page
// costs should not grow with the matches.
func BenchmarkSearchCommonWord(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{20000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			st := generatedStore(b, n, 5)
			defer st.Close()
			var matches int
			if err := st.r.QueryRowContext(ctx, `SELECT count(*) FROM article_search WHERE article_search MATCH '"said"'`).Scan(&matches); err != nil {
				b.Fatal(err)
			}
			for _, qs := range []string{"said", "said -police"} {
				q := query.Parse(qs)
				for _, pageNo := range []int{1, 10} {
					sq := store.SearchQuery{Query: q, Limit: 20}
					for range pageNo - 1 {
						page, err := st.Search(ctx, sq)
						if err != nil {
							b.Fatal(err)
						}
						sq.Cursor = page.Next
					}
					b.Run(fmt.Sprintf("%s/page=%d", strings.ReplaceAll(qs, " ", "_"), pageNo), func(b *testing.B) {
						for b.Loop() {
							page, err := st.Search(ctx, sq)
							if err != nil {
								b.Fatal(err)
							}
							if len(page.Hits) != 20 {
								b.Fatalf("%d hits", len(page.Hits))
							}
						}
						b.ReportMetric(float64(matches), "matches")
					})
				}
			}
		})
	}
}

// TestSearchBlocks: a query matching more than rankBlock rows is ranked a
// block at a time, newest block first, and its pages reach every match
// once, across the blocks' edges, with and without filters.
func TestSearchBlocks(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	defer st.Close()
	const n = 2*rankBlock + 345
	type fixture struct {
		id              string
		moth, fr, other bool
	}
	var arts []fixture
	err := st.Batch(ctx, func(ctx context.Context) error {
		for i := range n {
			f := fixture{id: fmt.Sprintf("lamp-%04d", i), moth: i%3 == 0, fr: i%5 == 0, other: i%7 == 0}
			// The common word from once to four times, so that ranks differ.
			text := strings.Repeat("The lantern swung. ", 1+i%4) + "Keepers counted the oil."
			if f.moth {
				text += " A moth circled it."
			}
			a := &dossier.Article{ID: f.id, Source: f.id, URL: "https://lamps.example/" + f.id, Outlet: "Lamp Gazette",
				Title: fmt.Sprintf("Night %d at the lighthouse", i), Text: text, Language: "en", Fingerprint: f.id, StoryID: "s" + f.id,
				Published: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)}
			if f.fr {
				a.Language = "fr"
			}
			if f.other {
				a.Outlet = "Harbour Bell"
			}
			start := strings.Index(text, "Keepers")
			a.Quotes = []dossier.Quote{{Text: "Keepers counted the oil.", Speaker: "Ines Varga", Start: start, End: start + 24}}
			if f.moth {
				a.Quotes[0].Speaker = "Tomas Reed"
			}
			if err := st.Put(ctx, a, store.State{}); err != nil {
				return err
			}
			arts = append(arts, f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q      string
		quotes bool
		keep   func(fixture) bool
	}{
		{"lantern", false, func(fixture) bool { return true }},
		{"lantern -moth", false, func(f fixture) bool { return !f.moth }},
		{"lantern lang:fr", false, func(f fixture) bool { return f.fr }},
		{`lantern outlet:"lamp gazette"`, false, func(f fixture) bool { return !f.other }},
		{"lantern speaker:varga", false, func(f fixture) bool { return !f.moth }},
		{"keepers oil", true, func(fixture) bool { return true }},
		{"keepers -moth speaker:reed", true, func(f fixture) bool { return f.moth }},
	} {
		var want []string // newest first
		for i := len(arts) - 1; i >= 0; i-- {
			if tc.keep(arts[i]) {
				want = append(want, arts[i].id)
			}
		}
		for _, limit := range []int{61, store.MaxLimit} {
			var got []string
			var ranks []float64
			sq := store.SearchQuery{Query: query.Parse(tc.q), Quotes: tc.quotes, Limit: limit}
			for pages := 0; ; pages++ {
				if pages > n {
					t.Fatalf("%q: no last page", tc.q)
				}
				page, err := st.Search(ctx, sq)
				if err != nil {
					t.Fatalf("Search(%q): %v", tc.q, err)
				}
				for _, h := range page.Hits {
					got = append(got, h.ArticleID)
					ranks = append(ranks, h.Rank)
				}
				if page.Next == "" {
					break
				}
				sq.Cursor = page.Next
			}
			if len(got) != len(want) {
				t.Errorf("%q, pages of %d: %d hits, want %d", tc.q, limit, len(got), len(want))
				continue
			}
			// Each block holds the next rankBlock matches by age, in
			// order of rank.
			for from := 0; from < len(want); from += rankBlock {
				to := min(from+rankBlock, len(want))
				blockGot, blockWant := slices.Sorted(slices.Values(got[from:to])), slices.Sorted(slices.Values(want[from:to]))
				if !slices.Equal(blockGot, blockWant) {
					t.Errorf("%q, pages of %d: hits %d to %d are not the matches of that age", tc.q, limit, from, to)
				}
				if !slices.IsSorted(ranks[from:to]) {
					t.Errorf("%q, pages of %d: hits %d to %d are not in order of rank", tc.q, limit, from, to)
				}
			}
		}
	}
}
