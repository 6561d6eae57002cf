package clean

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// outletPages makes pages of one invented outlet: each story has two
// pages sharing a background paragraph, and every page carries the
// outlet's menu and footer.
func outletPages(stories int) []TemplatePage {
	var out []TemplatePage
	for s := range stories {
		story := fmt.Sprintf("story-%d", s)
		background := fmt.Sprintf("The canal through district %d was dug in the eighteenth century and has been closed to barges since the floods.", s)
		for v := range 2 {
			text := strings.Join([]string{
				fmt.Sprintf("Canal news number %d, update %d", s, v),
				"Front page",
				"Weather and tides",
				fmt.Sprintf("Officials gave update %d on story %d on Tuesday, saying that the works would go on through the spring and into the summer.", v, s),
				background,
				"Tidewater Ledger, published every morning from the harbour office.",
			}, "\n")
			out = append(out, TemplatePage{Story: story, Text: text})
		}
	}
	return out
}

func TestLearnTemplate(t *testing.T) {
	tests := []struct {
		name    string
		pages   []TemplatePage
		want    []string
		absent  []string
		stories int
	}{
		{
			name:   "furniture of many stories",
			pages:  outletPages(6),
			want:   []string{"Front page", "Tidewater Ledger, published every morning from the harbour office.", "Weather and tides"},
			absent: []string{"The canal through district 0 was dug in the eighteenth century and has been closed to barges since the floods."},
		},
		{
			name:  "too few stories to tell",
			pages: outletPages(2),
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LearnTemplate(tt.pages)
			if !slices.Equal(got.Lines, tt.want) {
				t.Errorf("lines %q, want %q", got.Lines, tt.want)
			}
			// Any order of the same pages gives the same template.
			shuffled := slices.Clone(tt.pages)
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			if again := LearnTemplate(shuffled); again.Version != got.Version {
				t.Errorf("version %s after shuffling, want %s", again.Version, got.Version)
			}
			if loaded := LoadTemplate(got.Lines); loaded.Version != got.Version {
				t.Errorf("loaded version %s, want %s", loaded.Version, got.Version)
			}
		})
	}
}

// TestTextWithTemplate checks that a template's lines leave the body even
// where the page alone would keep them, and that nothing else changes.
func TestTextWithTemplate(t *testing.T) {
	pages := outletPages(6)
	tmpl := LearnTemplate(pages)
	page := pages[3].Text
	c := New(WithoutMemory())
	plain, with := c.Text(page, ""), c.TextWithTemplate(page, "", &tmpl)
	footer := "Tidewater Ledger, published every morning from the harbour office."
	if !slices.Contains(plain.Paragraphs, footer) {
		t.Fatalf("fixture: the footer should pass without a template: %q", plain.Paragraphs)
	}
	want := slices.DeleteFunc(slices.Clone(plain.Paragraphs), func(s string) bool { return slices.Contains(tmpl.Lines, s) })
	if !slices.Equal(with.Paragraphs, want) {
		t.Errorf("with template:\n got %q\nwant %q", with.Paragraphs, want)
	}
	if !hasRemoved(with, footer, Furniture) {
		t.Errorf("footer not removed as furniture")
	}
}

// FuzzLearnTemplate checks that a template holds only lines of its pages
// and that loading it back gives the same version.
func FuzzLearnTemplate(f *testing.F) {
	f.Add("Menu\nStory text one.\nFooter", "Menu\nStory text two.\nFooter", "Menu\nStory three.\nFooter")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		pages := []TemplatePage{{"a", a}, {"b", b}, {"c", c}}
		tmpl := LearnTemplate(pages)
		in := map[string]bool{}
		for _, pg := range pages {
			for _, l := range splitLines(pg.Text) {
				in[l] = true
			}
		}
		for _, l := range tmpl.Lines {
			if !in[l] {
				t.Fatalf("template line %q is on no page", l)
			}
		}
		if got := LoadTemplate(tmpl.Lines); got.Version != tmpl.Version {
			t.Fatalf("reloaded version %s, want %s", got.Version, tmpl.Version)
		}
	})
}
