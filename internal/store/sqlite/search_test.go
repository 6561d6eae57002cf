package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
