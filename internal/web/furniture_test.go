package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/store"
)

// TestArticleFurniture: the paragraphs an outlet's template took out of an
// article come with it, in their order, in the API and folded away on its
// page, escaped like everything ingested; an article without any has none.
func TestArticleFurniture(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	pg, err := f.st.ArticlesPage(ctx, store.ArticleQuery{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Articles) < 2 {
		t.Fatalf("%d articles in the fixture", len(pg.Articles))
	}
	with, without := pg.Articles[0].ID, pg.Articles[1].ID
	a, err := f.st.Article(ctx, with)
	if err != nil {
		t.Fatal(err)
	}
	sv, _, err := f.st.Saved(ctx, with)
	if err != nil {
		t.Fatal(err)
	}
	sv.State.Furniture = store.Furniture{Version: "v1", Removed: []store.RemovedParagraph{
		{Index: 7, Text: "Read the evening edition on the ferry <script>alert(1)</script>"},
		{Index: 2, Text: "Subscribers get the tide tables first."},
	}}
	if err := f.st.Put(ctx, &a, sv.State); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		with:    {"Subscribers get the tide tables first.", "Read the evening edition on the ferry <script>alert(1)</script>"},
		without: {},
	}
	for id, paragraphs := range want {
		resp := f.do(t, "GET", "/api/v1/articles/"+id, "", nil, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET article %s: %d", id, resp.StatusCode)
		}
		var v ArticleView
		if err := json.Unmarshal([]byte(readAll(t, resp)), &v); err != nil {
			t.Fatal(err)
		}
		if v.Furniture == nil || strings.Join(v.Furniture, "|") != strings.Join(paragraphs, "|") {
			t.Errorf("article %s: furniture %q, want %q", id, v.Furniture, paragraphs)
		}
		page := readAll(t, f.do(t, "GET", "/articles/"+id, "", nil, nil))
		if shown := strings.Contains(page, "Outlet furniture taken out"); shown != (len(paragraphs) > 0) {
			t.Errorf("article %s: furniture section shown %v, want %v", id, shown, len(paragraphs) > 0)
		}
		if strings.Contains(page, "<script>alert(1)") {
			t.Errorf("article %s: furniture not escaped", id)
		}
	}
	page := readAll(t, f.do(t, "GET", "/articles/"+with, "", nil, nil))
	if !strings.Contains(page, "Outlet furniture taken out (2)") || !strings.Contains(page, "the ferry &lt;script&gt;") {
		t.Error("the article page does not list its two paragraphs of furniture, escaped")
	}
}
