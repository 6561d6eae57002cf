package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// searchKeys runs q to its last page and returns the hits as article IDs
// (or article and quote for a quote search).
func searchKeys(t testing.TB, st store.Store, q string, quotes bool) []string {
	t.Helper()
	var out []string
	cursor := ""
	for range 1000 {
		page, err := st.Search(context.Background(), store.SearchQuery{Query: query.Parse(q), Quotes: quotes, Cursor: cursor, Limit: store.MaxLimit})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		for _, h := range page.Hits {
			k := h.ArticleID
			if h.Quote != nil {
				k += fmt.Sprintf(" %d:%d", h.Quote.Start, h.Quote.End)
			}
			out = append(out, k)
		}
		if page.Next == "" {
			return out
		}
		cursor = page.Next
	}
	t.Fatalf("Search(%q): no last page", q)
	return nil
}

// searchTime sums the time spent searching SQLite and PostgreSQL, for the log.
var searchTime [2]time.Duration

// ranked says whether a query orders by rank, which may differ between
// backends; otherwise both list newest first and must agree in order.
func ranked(q string, quotes bool) bool { return len(query.Parse(q).Positive()) > 0 }

// agree checks that both stores find the same hits for q: the same set
// when ranked, the same list otherwise.
func agree(t testing.TB, lite, pg store.Store, q string, quotes bool) {
	t.Helper()
	start := time.Now()
	want := searchKeys(t, lite, q, quotes)
	mid := time.Now()
	got := searchKeys(t, pg, q, quotes)
	searchTime[0] += mid.Sub(start)
	searchTime[1] += time.Since(mid)
	if ranked(q, quotes) {
		want, got = slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(got))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Search(%q, quotes %v): PostgreSQL finds %d hits, SQLite %d; first difference at %d",
			q, quotes, len(got), len(want), firstDiffStrings(got, want))
	}
}

func firstDiffStrings(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// queriesOf makes queries from what a store holds, so that they find
// something: single tokens, phrases of two and three, prefixes, the same
// excluded, and speaker: and outlet: with the names' tokens; from about
// places places spread over the whole text.
func queriesOf(t testing.TB, st store.Store, places int) []string {
	t.Helper()
	total := 0
	err := st.Articles(context.Background(), func(a dossier.Article) error {
		total += len(query.Tokens(a.Title + "\n" + a.Text))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	every := max(1, total/places)
	var qs []string
	seen := map[string]bool{}
	add := func(q string) {
		if !seen[q] {
			seen[q] = true
			qs = append(qs, q)
		}
	}
	n := 0
	err = st.Articles(context.Background(), func(a dossier.Article) error {
		toks := query.Tokens(a.Title + "\n" + a.Text)
		for i := 0; i+2 < len(toks); i++ {
			n++
			if n%every != 0 {
				continue
			}
			w := toks[i]
			add(quoteTerm(w))
			add(quoteTerm(toks[i], toks[i+1]))
			add(quoteTerm(toks[i], toks[i+1], toks[i+2]))
			if r := []rune(w); len(r) > 3 {
				add(quoteTerm(string(r[:3])) + "*")
			}
			add(quoteTerm(toks[i+2]) + " -" + quoteTerm(w))
		}
		if a.Outlet != "" {
			if o := query.Tokens(a.Outlet); len(o) > 0 {
				add("outlet:" + quoteTerm(o[len(o)-1]))
			}
		}
		for _, q := range a.Quotes {
			if sp := query.Tokens(q.Speaker); len(sp) > 0 {
				add("speaker:" + quoteTerm(sp[len(sp)-1]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// quoteTerm writes tokens as a query phrase.
func quoteTerm(tokens ...string) string { return `"` + strings.Join(tokens, " ") + `"` }

// searchAgrees checks queries made from the store's own text on both.
func searchAgrees(t *testing.T, lite, pg store.Store) {
	qs := queriesOf(t, lite, 100)
	for _, q := range qs {
		agree(t, lite, pg, q, false)
		if strings.HasPrefix(q, "speaker:") || strings.Count(q, " ") == 0 {
			agree(t, lite, pg, q, true)
		}
	}
	for _, q := range []string{"", "-the", "lang:en", "lang:en -the"} {
		agree(t, lite, pg, q, false)
		agree(t, lite, pg, q, true)
	}
	t.Logf("%d queries agree; searching took SQLite %v, PostgreSQL %v in all", len(qs), searchTime[0].Round(time.Millisecond), searchTime[1].Round(time.Millisecond))
	searchTime = [2]time.Duration{}
}

// fuzzArticles are invented articles whose words test the token stream's
// edges: apostrophes, hyphens, number separators, backslashes, quotes and
// scripts without spaces.
var fuzzArticles = []*dossier.Article{
	{ID: "f1", StoryID: "sf1", Outlet: "Quayside Ledger", Language: "en", Title: "Ferry's new O'Brien-class hull",
		Text:   `The yard's 1,250-tonne hull cost 4.5m; "it's sound," said the C:\yard\ foreman, Ada Rusk. Ratings ran 3-2.`,
		Quotes: []dossier.Quote{{Text: `it's sound,`, Speaker: "Ada Rusk", Start: 40, End: 51, Cue: "said"}}},
	{ID: "f2", StoryID: "sf2", Outlet: "Tallin Post", Language: "de", Title: "Brücke über die Förde",
		Text: "Die Straßenbrücke über die Förde öffnet am 3. Mai; Kosten: 12,5 Mio. Euro."},
	{ID: "f3", StoryID: "sf3", Outlet: "Hoshi Shinbun", Language: "ja", Title: "駅前の新しい図書館",
		Text: "駅前に新しい図書館ができた。館長は「本が好きな人に来てほしい」と話した。"},
}

func FuzzSearchAgrees(f *testing.F) {
	server(f)
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, f.TempDir()+"/agree.db")
	if err != nil {
		f.Fatal(err)
	}
	defer lite.Close()
	pg := openTemp(f)
	defer pg.Close()
	for _, a := range fuzzArticles {
		for _, st := range []store.Store{lite, pg} {
			c := *a
			if err := st.Put(ctx, &c, store.State{}); err != nil {
				f.Fatal(err)
			}
		}
	}
	for _, seed := range []struct{ text, q string }{
		{"The O'Brien-class hull", `"o'brien-class hull"`},
		{"1,250-tonne", "1,250*"},
		{`C:\yard\ and 'quotes'`, `yard -hull`},
		{"図書館の本", "図書"},
		{"Straßenbrücke", "straßen*"},
		{"", `speaker:rusk sound`},
	} {
		f.Add(seed.text, seed.q)
	}
	f.Fuzz(func(t *testing.T, text, q string) {
		if !utf8.ValidString(text) || strings.IndexByte(text, 0) >= 0 {
			return // PostgreSQL refuses such text; TestPutRefusesText checks how
		}
		a := &dossier.Article{ID: "fz", StoryID: "sfz", Outlet: "Fuzz Wire", Language: "en", Title: "Fuzzed", Text: text}
		for _, st := range []store.Store{lite, pg} {
			c := *a
			if err := st.Put(ctx, &c, store.State{}); err != nil {
				t.Fatal(err)
			}
		}
		agree(t, lite, pg, q, false)
		agree(t, lite, pg, q, true)
	})
}

// FuzzResolveAgrees wants Resolve to name the same ID, or fail alike, on
// both backends holding the same articles and aliases.
func FuzzResolveAgrees(f *testing.F) {
	server(f)
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, f.TempDir()+"/resolve.db")
	if err != nil {
		f.Fatal(err)
	}
	defer lite.Close()
	pg := openTemp(f)
	defer pg.Close()
	for _, st := range []store.Store{lite, pg} {
		for _, id := range []string{"a3f0000000000000a", "a3f0000000000000b", "a3f1000000000000c", "a7700000000000001"} {
			a := dossier.Article{ID: id, StoryID: "s" + id[1:], Title: "Weir " + id, Text: "The weir.", Language: "en", Fingerprint: "fp" + id}
			if err := st.Put(ctx, &a, store.State{}); err != nil {
				f.Fatal(err)
			}
		}
		if err := st.Alias(ctx, store.KindArticle, "a77", "a3f0000000000000a"); err != nil {
			f.Fatal(err)
		}
	}
	for _, seed := range []string{"a3f0", "A3F1", "3f0000000000000b", "a77", "a7", "s3f1", "", " a3f1 ", "a\xff", "%", "a3f_"} {
		f.Add(seed, seed != "" && seed[0] == 's')
	}
	f.Fuzz(func(t *testing.T, ref string, story bool) {
		kind := store.KindArticle
		if story {
			kind = store.KindStory
		}
		want, err1 := lite.Resolve(ctx, kind, ref)
		got, err2 := pg.Resolve(ctx, kind, ref)
		kindOf := func(err error) string {
			switch {
			case err == nil:
				return "found"
			case errors.Is(err, store.ErrNotFound):
				return "not found"
			case errors.Is(err, store.ErrAmbiguous):
				return "ambiguous"
			}
			return err.Error()
		}
		if got != want || kindOf(err1) != kindOf(err2) {
			t.Errorf("Resolve(%v, %q): SQLite %q (%v), PostgreSQL %q (%v)", kind, ref, want, err1, got, err2)
		}
	})
}
