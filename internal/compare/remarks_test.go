package compare

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
)

// story is a fixture: invented reports of one story, with their quotes
// given by text (the test finds their offsets) and what must come out.
type story struct {
	About   string `json:"about"`
	Reports []struct {
		ID     string   `json:"id"`
		Outlet string   `json:"outlet"`
		Copies []string `json:"copies"`
		Text   string   `json:"text"`
		Quotes []struct {
			Text    string `json:"text"`
			Speaker string `json:"speaker"`
			Partial bool   `json:"partial"`
		} `json:"quotes"`
	} `json:"reports"`
	Remarks []wantRemark        `json:"remarks"`
	Unique  map[string][]string `json:"unique"`
	Outlets map[string][]string `json:"outlets"`
}

// wantRemark lists a remark's quotes as "article:opening words".
type wantRemark struct {
	Speaker string   `json:"speaker"`
	Outlets []string `json:"outlets"`
	Text    string   `json:"text"`
	Quotes  []string `json:"quotes"`
}

func loadStory(t *testing.T, path string) (story, []Report) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s story
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var reports []Report
	for _, r := range s.Reports {
		a := dossier.Article{ID: r.ID, Outlet: r.Outlet, Text: r.Text}
		from := 0
		for _, q := range r.Quotes {
			i := strings.Index(r.Text[from:], q.Text)
			if i < 0 {
				t.Fatalf("%s: quote %q is not in %s's text after byte %d", path, q.Text, r.ID, from)
			}
			start := from + i
			a.Quotes = append(a.Quotes, dossier.Quote{Text: q.Text, Speaker: q.Speaker, Start: start, End: start + len(q.Text), Partial: q.Partial})
			from = start + len(q.Text)
		}
		reports = append(reports, Report{Article: a, CopyOutlets: r.Copies})
	}
	return s, reports
}

func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no fixtures in testdata/%s: %v", dir, err)
	}
	return m
}

// describeRemark writes a remark the way fixtures state it.
func describeRemark(r dossier.Remark, reports []Report) wantRemark {
	text := map[string]string{}
	for _, rp := range reports {
		text[rp.Article.ID] = rp.Article.Text
	}
	w := wantRemark{Speaker: r.Speaker, Outlets: r.Outlets, Text: r.Text}
	for _, q := range r.Quotes {
		w.Quotes = append(w.Quotes, q.Article+":"+text[q.Article][q.Start:q.End])
	}
	return w
}

func TestRemarks(t *testing.T) {
	for _, path := range fixtures(t, "remarks") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s, reports := loadStory(t, path)
			got := Remarks(reports)
			var desc []wantRemark
			for _, r := range got {
				desc = append(desc, describeRemark(r, reports))
			}
			if len(got) != len(s.Remarks) {
				t.Fatalf("%s\n%d remarks, want %d:\n%s", s.About, len(got), len(s.Remarks), dump(desc))
			}
			for i, w := range s.Remarks {
				g := desc[i]
				ok := g.Speaker == w.Speaker && g.Text == w.Text && reflect.DeepEqual(g.Outlets, w.Outlets) && len(g.Quotes) == len(w.Quotes)
				for k := 0; ok && k < len(w.Quotes); k++ {
					ok = strings.HasPrefix(g.Quotes[k], w.Quotes[k])
				}
				if !ok {
					t.Errorf("%s\nremark %d:\n got %s\nwant %s", s.About, i, dump(g), dump(w))
				}
			}
		})
	}
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestRemarksEveryQuoteOnce checks the invariants on every fixture: each
// quote of every report is in exactly one remark, offsets slice to the
// quote, and the same input gives the same remarks.
func TestRemarksEveryQuoteOnce(t *testing.T) {
	for _, dir := range []string{"remarks", "unique"} {
		for _, path := range fixtures(t, dir) {
			_, reports := loadStory(t, path)
			got := Remarks(reports)
			seen := map[dossier.QuoteRef]int{}
			for _, r := range got {
				for _, q := range r.Quotes {
					seen[q]++
				}
			}
			n := 0
			for _, rp := range reports {
				for _, q := range rp.Article.Quotes {
					n++
					if c := seen[dossier.QuoteRef{Article: rp.Article.ID, Start: q.Start, End: q.End}]; c != 1 {
						t.Errorf("%s: quote %q is in %d remarks, want 1", path, q.Text, c)
					}
				}
			}
			if len(seen) != n {
				t.Errorf("%s: remarks hold %d quotes, the reports %d", path, len(seen), n)
			}
			if again := Remarks(reports); !reflect.DeepEqual(again, got) {
				t.Errorf("%s: two runs differ", path)
			}
		}
	}
}

func TestRemarksEdgeCases(t *testing.T) {
	if got := Remarks(nil); got != nil {
		t.Errorf("Remarks(nil) = %v, want nil", got)
	}
	// Offsets past the text and a quote without words lose nothing and
	// do not panic.
	reports := []Report{
		{Article: dossier.Article{ID: "x", Outlet: "O", Text: "short", Quotes: []dossier.Quote{
			{Text: "Harbour dues will rise", Speaker: "Ada Voss", Start: 90, End: 120},
			{Text: "...", Speaker: "Ada Voss", Start: 2, End: 1},
		}}},
		{Article: dossier.Article{ID: "y", Text: "", Quotes: []dossier.Quote{{Text: "Harbour dues will rise", Speaker: "Ada Voss"}}}},
	}
	got := Remarks(reports)
	want := []dossier.Remark{
		{Speaker: "Ada Voss", Text: "...", Outlets: []string{"O"}, Quotes: []dossier.QuoteRef{{Article: "x", Start: 2, End: 1}}},
		{Speaker: "Ada Voss", Text: "Harbour dues will rise", Outlets: []string{"O"}, Quotes: []dossier.QuoteRef{{Article: "x", Start: 90, End: 120}, {Article: "y"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Remarks on bad offsets:\n got %+v\nwant %+v", got, want)
	}
}
