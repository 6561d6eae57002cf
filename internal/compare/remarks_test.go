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

// fixtureStory is a fixture: invented reports of one story, with their quotes
// given by text (the test finds their offsets) and what must come out.
type fixtureStory struct {
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

func loadFixture(t *testing.T, path string) (fixtureStory, []Report) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s fixtureStory
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

func fixtureFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no fixtureFiles in testdata/%s: %v", dir, err)
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
	for _, path := range fixtureFiles(t, "remarks") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s, reports := loadFixture(t, path)
			got := Remarks(reports)
			var desc []wantRemark
			for _, r := range got {
				desc = append(desc, describeRemark(r, reports))
			}
			if len(got) != len(s.Remarks) {
				t.Fatalf("%s\n%d remarks, want %d:\n%s", s.About, len(got), len(s.Remarks), dumpJSON(desc))
			}
			for i, w := range s.Remarks {
				g := desc[i]
				ok := g.Speaker == w.Speaker && g.Text == w.Text && reflect.DeepEqual(g.Outlets, w.Outlets) && len(g.Quotes) == len(w.Quotes)
				for k := 0; ok && k < len(w.Quotes); k++ {
					ok = strings.HasPrefix(g.Quotes[k], w.Quotes[k])
				}
				if !ok {
					t.Errorf("%s\nremark %d:\n got %s\nwant %s", s.About, i, dumpJSON(g), dumpJSON(w))
				}
			}
		})
	}
}

func dumpJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestRemarksEveryQuoteOnce checks the invariants on every fixture: each
// quote of every report is in exactly one remark, offsets slice to the
// quote, and the same input gives the same remarks.
func TestRemarksEveryQuoteOnce(t *testing.T) {
	for _, dir := range []string{"remarks", "unique"} {
		for _, path := range fixtureFiles(t, dir) {
			_, reports := loadFixture(t, path)
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

// FuzzCompare feeds texts and quotes with any offsets: nothing panics,
// every quote is in exactly one remark, and unique sentences lie in their
// article's text with a score in (0, 1].
func FuzzCompare(f *testing.F) {
	f.Add("\"We will rebuild,\" she said, \"by spring.\"\n\nThe pier opened on March 3.", "\"We'll rebuild by spring,\" Ona Brisk said. The pier opened early in March.", 1, 11, "Ona Brisk")
	f.Add("", "x", -4, 900, "")
	f.Add("SOLBERG (Wire) - A. B. C.", "ÅÄÖ “quoted” ‘single’ — 東京", 3, 2, "Wire")
	f.Fuzz(func(t *testing.T, a, b string, start, end int, speaker string) {
		quoteAt := func(text string, s, e int) dossier.Quote {
			q := dossier.Quote{Speaker: speaker, Start: s, End: e, Text: "words of a quote"}
			if s >= 0 && s <= e && e <= len(text) {
				q.Text = text[s:e]
			}
			return q
		}
		reports := []Report{
			{Article: dossier.Article{ID: "a", Outlet: "A", Text: a, Quotes: []dossier.Quote{quoteAt(a, start, end), quoteAt(a, end, end+7)}}},
			{Article: dossier.Article{ID: "b", Outlet: "B", Text: b, Quotes: []dossier.Quote{quoteAt(b, start, end)}}, CopyOutlets: []string{"C", "A"}},
		}
		seen := map[[3]int]int{}
		for _, r := range Remarks(reports) {
			if len(r.Outlets) == 0 || len(r.Quotes) == 0 {
				t.Fatalf("remark without outlets or quotes: %+v", r)
			}
			for _, q := range r.Quotes {
				seen[[3]int{int(q.Article[0]), q.Start, q.End}]++
			}
		}
		if len(seen) != 2 && len(seen) != 3 { // the two quotes of a may coincide
			t.Fatalf("remarks hold %d distinct quotes, want the reports' 3: %v", len(seen), seen)
		}
		texts := map[string]string{"a": a, "b": b}
		for _, u := range Unique(reports) {
			if u.Start < 0 || u.End > len(texts[u.Article]) || u.Start >= u.End || u.Score <= 0 || u.Score > 1 {
				t.Fatalf("unique %+v outside its text of %d bytes or score out of range", u, len(texts[u.Article]))
			}
		}
	})
}
