package describe

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestTreeAuthors reads the pages under testdata/authors through Describe
// (no cleaned page, so only the markup names people) and states the authors
// that must come out.
func TestTreeAuthors(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		// rel=author links; a teaser's author and a commenter are not the article's.
		{"rel-author.html", []string{"Maren Holloway", "Tobias Wren"}},
		// itemprop=author with its name; the role beside it is no name.
		{"itemprop.html", []string{"Henrike Sommerfeld"}},
		// A byline class with an "Auteur :" label; a teaser's byline comes later.
		{"class-byline.html", []string{"Solène Marchetti"}},
		// A newsroom credits itself: no person.
		{"desk.html", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "authors", tt.file))
			if err != nil {
				t.Fatalf("read fixture: %v", err)
			}
			if got := Describe(Input{Source: tt.file, HTML: raw}).Authors; !slices.Equal(got, tt.want) {
				t.Errorf("authors %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNotOutlet(t *testing.T) {
	pi := pageInfo{siteName: "Larkspur Weekly"}
	tests := []struct {
		name  string
		names []string
		url   string
		want  []string
	}{
		{"host spelt as words", []string{"Larkspur Weekly Com"}, "https://larkspurweekly.com/a", nil},
		{"site name beside a person", []string{"Ada Brinsley", "Larkspur Weekly"}, "https://larkspurweekly.com/a", []string{"Ada Brinsley"}},
		{"a personal site named for its author", []string{"Larkspur Weekly"}, "https://example.org/a", []string{"Larkspur Weekly"}},
		{"a reference list", []string{"A. One", "B. Two", "C. Three", "D. Four", "E. Five", "F. Six", "G. Seven", "H. Eight", "I. Nine", "J. Ten", "K. Eleven"}, "", []string{"A. One"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := notOutlet(tt.names, "", pi, "", tt.url); !slices.Equal(got, tt.want) {
				t.Errorf("notOutlet(%q) = %q, want %q", tt.names, got, tt.want)
			}
		})
	}
}
