package describe

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/evaldata"
)

var reSeedByline = regexp.MustCompile(`(?i)^by\s`)

// seedPage splits a text dump the way clean will: the first line is the
// title, "By …" lines are bylines, long lines are paragraphs, lines ending in
// a bracketed credit are captions, the rest is furniture.
func seedPage(text string) clean.Page {
	var p clean.Page
	idx := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\u00a0", " "))
		if line == "" {
			continue
		}
		switch {
		case p.Title == "":
			p.Title = line
		case line == p.Title:
			p.Removed = append(p.Removed, clean.Line{Text: line, Kind: clean.Title, Index: idx})
		case reSeedByline.MatchString(line):
			p.Removed = append(p.Removed, clean.Line{Text: line, Kind: clean.Byline, Index: idx})
		case strings.HasSuffix(line, "]"):
			p.Captions = append(p.Captions, line)
		case len(strings.Fields(line)) >= 12:
			p.Paragraphs = append(p.Paragraphs, line)
		default:
			p.Removed = append(p.Removed, clean.Line{Text: line, Kind: clean.Furniture, Index: idx})
		}
		idx++
	}
	return p
}

// TestSeeds checks the metadata EXPECTED.md asks of the two seed articles.
func TestSeeds(t *testing.T) {
	dir := evaldata.Dir(t, "seeds")
	want := evaldata.ReadSeedExpectations(t)
	tests := []struct {
		prefix    string
		outlet    string
		authors   []string
		contacts  int
		published string // RFC 3339, "" for unknown
	}{
		{"000_", want.WireOutlet, nil, 0, want.WirePublished},
		{"001_", want.DailyOutlet, []string{want.DailyAuthor}, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.prefix, func(t *testing.T) {
			matches, err := filepath.Glob(filepath.Join(dir, tc.prefix+"*.txt"))
			if err != nil || len(matches) != 1 {
				t.Fatalf("seed %s*: %v %v", tc.prefix, matches, err)
			}
			raw, err := os.ReadFile(matches[0])
			if err != nil {
				t.Fatalf("read seed: %v", err)
			}
			page := seedPage(string(raw))
			m := Describe(Input{Source: matches[0], Page: page})
			if m.Outlet != tc.outlet {
				t.Errorf("outlet %q, want %q", m.Outlet, tc.outlet)
			}
			if !slices.Equal(m.Authors, tc.authors) {
				t.Errorf("authors %q, want %q", m.Authors, tc.authors)
			}
			if len(m.Contacts) != tc.contacts || tc.contacts > 0 && !strings.Contains(m.Contacts[0], "@") {
				t.Errorf("contacts %q, want %d e-mail", m.Contacts, tc.contacts)
			}
			got := ""
			if !m.Published.IsZero() {
				got = m.Published.Format(time.RFC3339)
			}
			if got != tc.published {
				t.Errorf("published %q, want %q", got, tc.published)
			}
			if m.Title != page.Title {
				t.Errorf("title %q, want the first line %q", m.Title, page.Title)
			}
			if m.Language != "en" {
				t.Errorf("language %q, want en", m.Language)
			}
		})
	}
}
