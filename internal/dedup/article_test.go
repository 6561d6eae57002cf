package dedup

import (
	"testing"
)

const (
	bridgeTitle = "Halvorsen Street bridge to close for six weeks after cracks found"
	briefTitle  = "Pell River loses its quickest road to the hospital"
)

// TestMatchArticles checks the containment rule on whole articles: a title
// and a text, as ingest signs them.
func TestMatchArticles(t *testing.T) {
	cfg := DefaultConfig()
	type art struct{ title, file string }
	orig := art{bridgeTitle, "original.txt"}
	tests := []struct {
		name   string
		stored art
		query  art
		want   bool
		rel    Relation
	}{
		{"cut to two paragraphs under the same headline", orig, art{bridgeTitle + " | Northcape Wire", "brief_top.txt"}, true, InStored},
		{"original after its two-paragraph cut", art{bridgeTitle, "brief_top.txt"}, orig, true, HoldsStored},
		{"cut to two paragraphs with a local one between", orig, art{"INLET (Inlet Courier) - " + bridgeTitle, "brief_local.txt"}, true, InStored},
		{"two paragraphs of the top under a headline of its own", orig, art{briefTitle, "brief_top.txt"}, false, Resembles},
		{"a byline is no headline", orig, art{"By Northcape Wire staff", "copy_cut.txt"}, true, InStored},
		{"one outlet's boilerplate paragraph over two stories", art{"Fishing boat aground off Skarvik", "boiler_a.txt"}, art{"Brennmo library to open on Sundays", "boiler_b.txt"}, false, Resembles},
		{"boilerplate, one side untitled", art{"", "boiler_a.txt"}, art{"Brennmo library to open on Sundays", "boiler_b.txt"}, false, Resembles},
		{"independent report under the same headline", orig, art{bridgeTitle, "independent.txt"}, false, Resembles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex(cfg)
			ix.Add("stored", cfg.SignArticle(tt.stored.title, fixture(t, tt.stored.file)))
			ms := ix.MatchAll(cfg.SignArticle(tt.query.title, fixture(t, tt.query.file)))
			if got := len(ms) == 1; got != tt.want || len(ms) > 1 {
				t.Fatalf("MatchAll = %+v, want a match %v", ms, tt.want)
			}
			if tt.want && ms[0].Relation != tt.rel {
				t.Errorf("Relation = %d, want %d", ms[0].Relation, tt.rel)
			}
		})
	}
}

func TestHeadline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bridge to close | Fjord Valley Tribune", "Bridge to close"},
		{"PELL RIVER (Northcape Wire) - Bridge to close", "Bridge to close"},
		{"NEW PELL - Bridge to close", "Bridge to close"},
		{"By Northcape Wire staff", ""},
		{"By the river, a bridge closes for six weeks of repairs", "By the river, a bridge closes for six weeks of repairs"},
		{"Bridge - the long detour", "Bridge - the long detour"},
		{"UN says aid is late", "UN says aid is late"},
		{"PELL RIVER (Northcape Wire -", "PELL RIVER (Northcape Wire -"},
		{"ONE TWO THREE FOUR FIVE - story", "ONE TWO THREE FOUR FIVE - story"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := headline(tt.in); got != tt.want {
			t.Errorf("headline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSignArticleTitle checks that the title counts as the first paragraph,
// so a text whose first paragraph became its title matches one that kept it.
func TestSignArticleTitle(t *testing.T) {
	cfg := DefaultConfig()
	text := fixture(t, "original.txt")
	first, rest, _ := cutParagraph(text)
	a := cfg.SignArticle(first, rest)
	b := cfg.SignArticle("", text)
	if j := estimate(a, b); j < 0.95 {
		t.Errorf("resemblance %.2f, want the same text", j)
	}
	if n := len(cfg.SignArticle(bridgeTitle, text).titleWords()); n != 11 {
		t.Errorf("%d title words, want 11", n)
	}
	if n := len(cfg.SignArticle("By Northcape Wire staff", text).titleWords()); n != 0 {
		t.Errorf("a byline title gave %d title words, want 0", n)
	}
}

func cutParagraph(text string) (first, rest string, ok bool) {
	for i := 0; i+1 < len(text); i++ {
		if text[i] == '\n' && text[i+1] == '\n' {
			return text[:i], text[i+2:], true
		}
	}
	return text, "", false
}
