package compare

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
)

func TestUnique(t *testing.T) {
	for _, path := range fixtureFiles(t, "unique") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s, reports := loadFixture(t, path)
			text := map[string]string{}
			for _, r := range reports {
				text[r.Article.ID] = r.Article.Text
			}
			got := Unique(reports)
			// Each expected opening matches exactly one listed sentence,
			// and nothing else is listed.
			listed := map[string][]string{}
			for _, u := range got {
				sent := text[u.Article][u.Start:u.End]
				listed[u.Article] = append(listed[u.Article], sent)
				if u.Score <= 0 || u.Score > 1 {
					t.Errorf("%s: score %v of %q is outside (0, 1]", u.Article, u.Score, sent)
				}
				if want := s.Outlets[u.Article]; !reflect.DeepEqual(u.Outlets, want) {
					t.Errorf("%s: outlets %q, want %q", u.Article, u.Outlets, want)
				}
			}
			for _, r := range reports {
				id := r.Article.ID
				var gotOpen []string
				for _, sent := range listed[id] {
					open := "(unexpected) " + sent
					for _, w := range s.Unique[id] {
						if strings.HasPrefix(sent, w) {
							open = w
						}
					}
					gotOpen = append(gotOpen, open)
				}
				slices.Sort(gotOpen)
				want := slices.Clone(s.Unique[id])
				slices.Sort(want)
				if !reflect.DeepEqual(gotOpen, want) {
					t.Errorf("%s\n%s: unique\n got %q\nwant %q", s.About, id, gotOpen, want)
				}
			}
			// Best first within each article, articles in report order.
			for i := 1; i < len(got); i++ {
				if got[i].Article == got[i-1].Article && got[i].Score > got[i-1].Score {
					t.Errorf("%s: not best first: %v after %v", got[i].Article, got[i].Score, got[i-1].Score)
				}
			}
			if again := Unique(reports); !reflect.DeepEqual(again, got) {
				t.Error("two runs differ")
			}
		})
	}
}

func TestUniqueNeedsTwoReports(t *testing.T) {
	_, reports := loadFixture(t, filepath.Join("testdata", "unique", "bridge.json"))
	if got := Unique(reports[:1]); got != nil {
		t.Errorf("one report: %d unique sentences, want none", len(got))
	}
	if got := Unique(nil); got != nil {
		t.Errorf("no report: %v, want nil", got)
	}
}

// TestUniqueIdenticalReports: two outlets running the same text share all
// of it, and an empty report adds nothing.
func TestUniqueIdenticalReports(t *testing.T) {
	_, reports := loadFixture(t, filepath.Join("testdata", "unique", "bridge.json"))
	a := reports[0].Article
	b := a
	b.ID = "twin"
	empty := dossier.Article{ID: "empty"}
	if got := Unique([]Report{{Article: a}, {Article: b}, {Article: empty}}); len(got) != 0 {
		t.Errorf("identical reports: %d unique sentences, want none", len(got))
	}
}

func TestDatelineEnd(t *testing.T) {
	tests := []struct {
		sent, rest string // rest: what follows the dateline ("" for none)
	}{
		{"HARBOURTON (Coast Wire) - The ferry sank.", "The ferry sank."},
		{"PORT ELLIS, May 2 (Coast Wire) — Crews walked out.", "Crews walked out."},
		{"NEW SKARHOLM – Crews walked out.", "Crews walked out."},
		{"The council (in full) - met.", ""},
		{"Harbourton - a town of ferries.", ""},
		{"US officials said 40 boats sank.", ""},
	}
	for _, tt := range tests {
		end := datelineEnd(tt.sent)
		got := ""
		if end > 0 {
			got = tt.sent[end:]
		}
		if got != tt.rest {
			t.Errorf("datelineEnd(%q) leaves %q, want %q", tt.sent, got, tt.rest)
		}
	}
}
