package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
)

func TestVectorOf(t *testing.T) {
	long := strings.Repeat("ö", maxLexeme) // two bytes each: cut on a boundary
	for _, tc := range []struct {
		name        string
		title, text []string
		want        string
	}{
		{"title then text", []string{"ferry", "timetable"}, []string{"the", "ferry"}, `'ferry':1A,5 'timetable':2A 'the':4`},
		{"quotes and backslashes", nil, []string{`o'brien`, `c:\yard`}, `'o''brien':2 'c:\\yard':3`},
		{"empty", nil, nil, ``},
		{"long token cut", nil, []string{long}, `'` + strings.Repeat("ö", maxLexeme/2) + `':2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := vectorOf(tc.title, tc.text); got != tc.want {
				t.Errorf("vectorOf = %.120q, want %.120q", got, tc.want)
			}
		})
	}
	// Positions stop at the 256th of a lexeme and at 16383.
	many := make([]string, 20000)
	for i := range many {
		many[i] = "gull"
	}
	v := vectorOf(nil, many)
	if n := strings.Count(v, ","); n != maxPosLex-1 {
		t.Errorf("%d positions kept, want %d", n+1, maxPosLex)
	}
}

func TestTSQuery(t *testing.T) {
	for _, tc := range []struct {
		q, want string
	}{
		{"bridge", `'bridge'`},
		{`"toll bridge"`, `'toll' & 'bridge'`},
		{`"county shu"*`, `'county' & 'shu':*`},
		{`detour* o'brien`, `'detour':* & 'o''brien'`},
	} {
		if got := tsquery(query.Parse(tc.q).Positive()); got != tc.want {
			t.Errorf("tsquery(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
	if p := runPattern([]string{"county", "shu"}, true); p != " county shu" {
		t.Errorf("prefix pattern %q", p)
	}
	if p := runPattern([]string{"toll", "bridge"}, false); p != " toll bridge " {
		t.Errorf("phrase pattern %q", p)
	}
}

// TestPutRefusesText checks that what PostgreSQL's text cannot hold is
// refused by name, leaves nothing behind, and finds nothing when asked.
func TestPutRefusesText(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		a     dossier.Article
		field string
	}{
		{"invalid UTF-8 in the text", dossier.Article{ID: "a1", StoryID: "s1", Title: "Weir", Text: "water \xff level"}, "text"},
		{"NUL in the title", dossier.Article{ID: "a2", StoryID: "s2", Title: "We\x00ir", Text: "water level"}, "title"},
		{"invalid speaker", dossier.Article{ID: "a3", StoryID: "s3", Title: "Weir", Text: "water level",
			Quotes: []dossier.Quote{{Text: "water", Speaker: "Ola \xc3", End: 5}}}, "speaker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := st.Put(ctx, &tc.a, store.State{})
			if !errors.Is(err, errText) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("Put: %v, want errText naming %s", err, tc.field)
			}
			if _, err := st.Article(ctx, tc.a.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Article after a refused Put: %v, want ErrNotFound", err)
			}
		})
	}
	if _, err := st.Resolve(ctx, store.KindArticle, "a\xff"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Resolve of invalid UTF-8: %v, want ErrNotFound", err)
	}
	page, err := st.Search(ctx, store.SearchQuery{Query: query.Parse("wa\x00ter")})
	if err != nil || len(page.Hits) != 0 {
		t.Errorf("Search with a NUL: %+v, %v; want no hits", page, err)
	}
}
