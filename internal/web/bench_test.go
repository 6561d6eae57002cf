package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkPages serves the story and article pages of the examples'
// compared story, in-process (no network), to measure the handlers alone:
// the story page and answer from the cache, and drawn each time by a
// server without it.
func BenchmarkPages(b *testing.B) {
	f := newFixture(b, Config{Loopback: true}, examplePaths...)
	bare, err := New(Config{Store: f.st, Token: testToken, Loopback: true, TempDir: b.TempDir(), CacheBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	story := comparedStory(b, f)
	sv, err := f.srv.storyView(b.Context(), story)
	if err != nil {
		b.Fatal(err)
	}
	cached, uncached := f.srv.Handler(), bare.Handler()
	for _, page := range []struct {
		name, path string
		h          http.Handler
	}{
		{"stories", "/", cached},
		{"story", "/stories/" + story, cached},
		{"story-uncached", "/stories/" + story, uncached},
		{"article", "/articles/" + sv.Items[0].ID, cached},
		{"api-story", "/api/v1/stories/" + story, cached},
		{"api-story-uncached", "/api/v1/stories/" + story, uncached},
	} {
		h := page.h
		b.Run(page.name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", page.path, nil))
				if w.Code != 200 {
					b.Fatalf("%s: %d", page.path, w.Code)
				}
			}
		})
	}
}
