package storetest

import (
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
)

// TestDiffArticle checks the comparison the suite relies on: a backend that
// loses an offset, a quote field or a list item must be caught.
func TestDiffArticle(t *testing.T) {
	fx := loadFixtures(t)
	base := fx["tide-1"].Article
	if len(base.Quotes) < 2 || base.Published.IsZero() {
		t.Fatal("fixture tide-1 must have quotes and a publication time")
	}
	tests := []struct {
		name   string
		change func(a *dossier.Article)
		field  string // "" when the change must not count as a difference
	}{
		{"same", func(a *dossier.Article) {}, ""},
		{"contact lost", func(a *dossier.Article) { a.Contacts = nil }, "Contacts"},
		{"offset lost", func(a *dossier.Article) { a.Published = a.Published.UTC() }, "Published"},
		{"instant moved", func(a *dossier.Article) { a.Published = a.Published.Add(time.Second) }, "Published"},
		{"quote end", func(a *dossier.Article) { a.Quotes[1].End++ }, "Quotes"},
		{"quote partial", func(a *dossier.Article) { a.Quotes[0].Partial = !a.Quotes[0].Partial }, "Quotes"},
		{"quote dropped", func(a *dossier.Article) { a.Quotes = a.Quotes[1:] }, "Quotes"},
		{"caption order", func(a *dossier.Article) { a.Captions[0], a.Captions[1] = a.Captions[1], a.Captions[0] }, "Captions"},
		{"similarity", func(a *dossier.Article) { a.Similarity = 0.5 }, "Similarity"},
		{"ingested zero", func(a *dossier.Article) { a.IngestedAt = time.Time{} }, "IngestedAt"},
		{"modified lost", func(a *dossier.Article) { a.Modified = time.Time{} }, "Modified"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := clone(base)
			tc.change(&got)
			d := diffArticle(base, got)
			switch {
			case tc.field == "" && len(d) != 0:
				t.Errorf("unexpected differences: %v", d)
			case tc.field != "" && (len(d) != 1 || !strings.Contains(d[0], tc.field)):
				t.Errorf("differences %v, want exactly one about %s", d, tc.field)
			}
		})
	}
	// An empty list and a missing one are the same to every backend.
	a, b := clone(base), clone(base)
	a.Authors, b.Authors = nil, []string{}
	if d := diffArticle(a, b); len(d) != 0 {
		t.Errorf("nil and empty authors reported as different: %v", d)
	}
}

func clone(a dossier.Article) dossier.Article {
	a.Authors = append([]string(nil), a.Authors...)
	a.Contacts = append([]string(nil), a.Contacts...)
	a.Captions = append([]string(nil), a.Captions...)
	a.Quotes = append([]dossier.Quote(nil), a.Quotes...)
	return a
}

func TestFixturesCoverTheSuite(t *testing.T) {
	fx := loadFixtures(t)
	for _, id := range putOrder {
		if _, ok := fx[id]; !ok {
			t.Errorf("putOrder names %s, which is not a fixture", id)
		}
	}
	if fx["tide-2"].Article.DuplicateOf != "tide-1" || fx["tide-2"].Article.Fingerprint != fx["tide-1"].Article.Fingerprint {
		t.Error("tide-2 must be an exact duplicate of tide-1")
	}
}
