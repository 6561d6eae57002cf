package web

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkPages serves the story and article pages of the examples'
// compared story, in-process (no network), to measure the handlers alone.
func BenchmarkPages(b *testing.B) {
	f := newFixture(b, Config{Loopback: true}, examplePaths...)
	story := comparedStory(b, f)
	sv, err := f.srv.storyView(b.Context(), story)
	if err != nil {
		b.Fatal(err)
	}
	h := f.srv.Handler()
	for _, page := range []struct{ name, path string }{
		{"stories", "/"},
		{"story", "/stories/" + story},
		{"article", "/articles/" + sv.Items[0].ID},
		{"api-story", "/api/v1/stories/" + story},
	} {
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
