package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// TestStoryCacheFollowsWrites: a story's page and API answer come from
// the cache while the story is unchanged, and never once a write that
// changes it has committed; a write to another story keeps the entry.
func TestStoryCacheFollowsWrites(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	story := comparedStory(t, f)
	other := ""
	pg, err := f.st.StoriesPage(ctx, store.StoryQuery{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range pg.Stories {
		if s.ID != story {
			other = s.ID
			break
		}
	}
	st, err := f.st.Story(ctx, story)
	if err != nil {
		t.Fatal(err)
	}
	first, err := f.st.Article(ctx, st.Articles[0])
	if err != nil {
		t.Fatal(err)
	}
	last := st.Articles[len(st.Articles)-1]
	given := ""
	for _, id := range st.Articles {
		a, err := f.st.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range a.Quotes {
			if given == "" && q.Speaker != "" {
				given = cmpOr(q.Given, q.Speaker)
			}
		}
	}
	if given == "" {
		t.Fatal("the compared story quotes nobody")
	}
	put := func(a dossier.Article) error {
		sv, _, err := f.st.Saved(ctx, a.ID)
		if err != nil {
			return err
		}
		return f.st.Put(ctx, &a, sv.State)
	}
	hits := func() float64 {
		t.Helper()
		return cacheHits(t, f)
	}
	get := func(path string) string {
		t.Helper()
		resp := f.do(t, "GET", path, "", nil, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return readAll(t, resp)
	}

	steps := []struct {
		name  string
		write func() error
		// shown must be on the page and in the answer after the write,
		// gone must not; cached says the entry outlived the write.
		shown, gone string
		cached      bool
	}{
		{"nothing written", func() error { return nil }, first.Title, "", true},
		{"another story written", func() error {
			o, err := f.st.Story(ctx, other)
			if err != nil {
				return err
			}
			a, err := f.st.Article(ctx, o.Articles[0])
			if err != nil {
				return err
			}
			a.Title = "Quillmoor ferry timetable revised"
			return put(a)
		}, first.Title, "", true},
		{"an article's title replaced", func() error {
			a := first
			a.Title = "Harbour wall works delayed to the spring"
			return put(a)
		}, "Harbour wall works delayed to the spring", "", false},
		{"a speaker renamed", func() error {
			return f.st.RenameSpeakers(ctx, story, map[string]string{given: "Oriel Vantongeren"})
		}, "Oriel Vantongeren", "", false},
		{"the comparison replaced", func() error {
			return f.st.SetComparison(ctx, story, dossier.Comparison{Conflicts: []dossier.Conflict{}})
		}, "Oriel Vantongeren", "", false},
		{"an article removed", func() error { return f.st.Remove(ctx, last, "test") }, "Harbour wall works", "", false},
	}
	for _, path := range []string{"/stories/" + story, "/api/v1/stories/" + story} {
		get(path) // drawn and kept
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		for _, path := range []string{"/stories/" + story, "/api/v1/stories/" + story} {
			before := hits()
			body := get(path)
			if strings.HasPrefix(path, "/stories/") {
				body = html.UnescapeString(body)
			}
			if got := hits() > before; got != step.cached {
				t.Errorf("%s: %s served from the cache: %v, want %v", step.name, path, got, step.cached)
			}
			if !strings.Contains(body, step.shown) {
				t.Errorf("%s: %s does not show %q", step.name, path, step.shown)
			}
			if step.gone != "" && strings.Contains(body, step.gone) {
				t.Errorf("%s: %s still shows %q", step.name, path, step.gone)
			}
			// The count of articles: one fewer once one is removed.
			n := len(st.Articles)
			if step.name == "an article removed" {
				n--
			}
			count := fmt.Sprintf("%d articles", n)
			if !strings.HasPrefix(path, "/stories/") {
				count = fmt.Sprintf(`"articles":%d`, n)
			}
			if !strings.Contains(body, count) {
				t.Errorf("%s: %s does not show %s", step.name, path, count)
			}
			// Drawn again, the next one is a hit.
			before = hits()
			get(path)
			if hits() != before+1 {
				t.Errorf("%s: %s asked again was drawn again", step.name, path)
			}
		}
	}
}

// TestStoryCacheKeepsNoVisitor: what the cache keeps of a page carries
// nothing of the visitor it was drawn for.
func TestStoryCacheKeepsNoVisitor(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	story := comparedStory(t, f)
	signedIn := newBrowser(t, f)
	resp := signedIn.postForm("/signin", nil) // sets the CSRF cookie
	resp.Body.Close()
	_, form := signedIn.get("/signin")
	resp = signedIn.postForm("/signin", map[string][]string{"csrf": {csrfOf(t, form)}, "token": {testToken}, "next": {"/"}})
	resp.Body.Close()

	_, mine := signedIn.get("/stories/" + story)
	_, theirs := newBrowser(t, f).get("/stories/" + story)
	if !strings.Contains(mine, "Sign out") || !strings.Contains(mine, csrfOf(t, mine)) {
		t.Errorf("the signed-in visitor's page has no sign-out form")
	}
	if strings.Contains(theirs, "Sign out") || strings.Contains(theirs, csrfOf(t, mine)) {
		t.Errorf("another visitor's page, from the cache, carries the first visitor's form")
	}
	if f.srv.views.len() != 1 {
		t.Errorf("%d entries kept, want the one page", f.srv.views.len())
	}
}

func TestViewCacheBound(t *testing.T) {
	tests := []struct {
		name   string
		limit  int64
		puts   []viewEntry
		want   []string // ids kept
		absent []string
	}{
		{"least recent out", 3 * (64 + 1 + 10), []viewEntry{
			{key: viewKey{viewPage, "a"}, version: 1, body: make([]byte, 10)},
			{key: viewKey{viewPage, "b"}, version: 1, body: make([]byte, 10)},
			{key: viewKey{viewPage, "c"}, version: 1, body: make([]byte, 10)},
			{key: viewKey{viewPage, "d"}, version: 1, body: make([]byte, 10)},
		}, []string{"b", "c", "d"}, []string{"a"}},
		{"a newer version replaces", 1 << 20, []viewEntry{
			{key: viewKey{viewPage, "a"}, version: 1, body: []byte("old")},
			{key: viewKey{viewPage, "a"}, version: 2, body: []byte("new")},
		}, []string{"a"}, nil},
		{"an older version never replaces", 1 << 20, []viewEntry{
			{key: viewKey{viewPage, "a"}, version: 2, body: []byte("new")},
			{key: viewKey{viewPage, "a"}, version: 1, body: []byte("old")},
		}, []string{"a"}, nil},
		{"too large for the cache", 100, []viewEntry{
			{key: viewKey{viewPage, "a"}, version: 1, body: make([]byte, 200)},
		}, nil, []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newViewCache(tc.limit)
			var newest int64
			for _, e := range tc.puts {
				c.put(&e)
				newest = max(newest, e.version)
			}
			for _, id := range tc.want {
				e, ok := c.get(viewKey{viewPage, id}, newest)
				if !ok {
					t.Errorf("%s not kept at version %d", id, newest)
				} else if newest == 2 && string(e.body) != "new" {
					t.Errorf("%s: %q kept, want the newer", id, e.body)
				}
			}
			for _, id := range tc.absent {
				if _, ok := c.get(viewKey{viewPage, id}, 1); ok {
					t.Errorf("%s kept", id)
				}
			}
			if c.used > tc.limit {
				t.Errorf("%d bytes kept, over %d", c.used, tc.limit)
			}
		})
	}
}

// cacheHits reads the cache's hits from the server's metrics.
func cacheHits(t *testing.T, f *fixture) float64 {
	t.Helper()
	return metricValue(readAll(t, f.do(t, "GET", "/metrics", "", nil, nil)), `dossier_story_cache_total{result="hit"}`)
}
