package describe

import (
	"slices"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/clean"
)

// TestAuthorOrder runs the whole path (clean, then Describe) many times on
// pages naming several people: the extractor visits JSON-LD objects in map
// order, and the authors must still come out in the order the page writes
// them, every time.
func TestAuthorOrder(t *testing.T) {
	const ld = `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Tide gauges fail along the estuary",%s}</script>`
	people := `"creator":{"@type":"Person","name":"Orla Fenwick"},"contributor":{"@type":"Person","name":"Bastian Quill"},"editor":{"@type":"Person","name":"Carys Moyle"}`
	tests := []struct {
		name string
		head string // inside <head>, after the title
		by   string // a byline paragraph opening the article, or ""
		want []string
	}{
		{name: "byline, meta tags and JSON-LD",
			head: `<meta name="author" content="Bastian Quill"><meta name="author" content="Orla Fenwick">` + strings.Replace(ld, "%s", people, 1),
			by:   "By Orla Fenwick and Bastian Quill", want: []string{"Orla Fenwick", "Bastian Quill"}},
		{name: "meta tags and JSON-LD authors, no byline",
			head: `<meta name="author" content="Bastian Quill"><meta name="author" content="Orla Fenwick">` +
				strings.Replace(ld, "%s", `"author":[{"@type":"Person","name":"Bastian Quill"},{"@type":"Person","name":"Orla Fenwick"}],`+people, 1),
			want: []string{"Bastian Quill", "Orla Fenwick"}},
		{name: "JSON-LD people under other keys only",
			head: strings.Replace(ld, "%s", people, 1),
			want: []string{"Orla Fenwick", "Bastian Quill", "Carys Moyle"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			by := ""
			if tc.by != "" {
				by = "<p>" + tc.by + "</p>"
			}
			page := []byte(`<html lang="en"><head><title>Tide gauges fail along the estuary</title>` + tc.head +
				`</head><body><article><h1>Tide gauges fail along the estuary</h1>` + by + `<p>` + body + `</p><p>` + body + `</p></article></body></html>`)
			for i := range 40 {
				p, err := clean.New().HTML(page, "")
				if err != nil {
					t.Fatalf("clean: %v", err)
				}
				if got := Describe(Input{Source: "tide.html", Page: p, HTML: page}).Authors; !slices.Equal(got, tc.want) {
					t.Fatalf("run %d: authors %q, want %q", i, got, tc.want)
				}
			}
		})
	}
}

func TestInPageOrder(t *testing.T) {
	raw := []byte(`<p>by ORLA FENWICK</p><p>Bastian Quill</p>`)
	tests := []struct{ in, want []string }{
		{[]string{"Bastian Quill", "Orla Fenwick"}, []string{"Orla Fenwick", "Bastian Quill"}},
		{[]string{"Zed Amory", "Bastian Quill", "Abel Norn"}, []string{"Bastian Quill", "Abel Norn", "Zed Amory"}},
		{[]string{"Bastian Quill"}, []string{"Bastian Quill"}},
		{nil, nil},
	}
	for _, tc := range tests {
		if got := inPageOrder(tc.in, raw); !slices.Equal(got, tc.want) {
			t.Errorf("inPageOrder(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
