package compare

import (
	"fmt"
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

// itemsOf reads the informative items of every sentence of a one-report
// story, each written as describeItem writes it.
func itemsOf(text string) [][]string {
	reports := []Report{{Article: dossier.Article{ID: "a", Text: text}}}
	st := newStoryText(reports)
	st.readItems(reports)
	rev := make([]string, len(st.w))
	for stem, id := range st.ids {
		rev[id] = stem
	}
	var out [][]string
	for _, s := range st.sents {
		var got []string
		for _, it := range s.items {
			got = append(got, describeItem(&it, rev))
		}
		out = append(out, got)
	}
	return out
}

func describeItem(it *infoItem, rev []string) string {
	switch it.kind {
	case infoNumber:
		s := fmt.Sprintf("%g", it.val)
		if it.unit != "" {
			s += " " + it.unit
		}
		if it.approx {
			s = "~" + s
		}
		if it.refers {
			s = "the " + s
		}
		return s
	case infoClock:
		return fmt.Sprintf("%02d:%02d", int(it.val)/60, int(it.val)%60)
	case infoDate:
		s := fmt.Sprintf("month %d day %d-%d", it.month, it.lo, it.hi)
		if it.year != 0 {
			s += fmt.Sprintf(" year %d", it.year)
		}
		return s
	case infoWeekday:
		return fmt.Sprintf("weekday %d", it.lo)
	case infoName:
		var ns []string
		for _, n := range it.names {
			ns = append(ns, rev[n])
		}
		return "name " + strings.Join(ns, " ")
	}
	return "quote"
}

func TestSentenceItems(t *testing.T) {
	tests := []struct {
		text string
		want [][]string // per sentence
	}{
		{"The union wants a 9% rise; the port offered 5.5 per cent and then 6 percent.",
			[][]string{{"9 percent", "5.5 percent", "6 percent"}}},
		{"Work stopped in mid-January and resumed on 3 March 2024. The span opened early in March. It closed at the end of May.",
			[][]string{{"month 1 day 11-20", "month 3 day 3-3 year 2024"}, {"month 3 day 1-10"}, {"month 5 day 21-31"}}},
		{"The bridge reopened on March 3rd, 2019, after the Jan. 6 flood.", [][]string{{"month 3 day 3-3 year 2019", "month 1 day 6-6"}}},
		{"May we say it? The vote is in May.", [][]string{nil, {"month 5 day 1-31"}}},
		{"The plan costs $4.5 million, a 1.1-billion-crown project, about 2,000 jobs and 30 days.",
			[][]string{{"4.5e+06 dollar", "1.1e+09 crown", "~2000", "30 day"}}},
		{"Lift-off came at 10:42 a.m., the landing before 6 pm, a check at 12 a.m. and a call at 7.30pm.", [][]string{{"10:42", "18:00", "00:00", "19:30"}}},
		{"It weighs 2.5 tonnes and 3.75 metres.", [][]string{{"2.5 tonne", "3.75 metre"}}},
		{"She worked there for twenty-five years on a six-year contract.", [][]string{{"25 year", "6 year"}}},
		{"Relations between the two countries are poor, two officials said.", [][]string{{"the 2", "2"}}},
		{"Then Gideon Farrow met Ines Haldane at Gate 4 after the Kestrel-2 flight on Thursday.",
			[][]string{{"name gideon farrow", "name ine haldane", "name gate 4", "name kestrel 2", "weekday 3"}}},
	}
	for _, tt := range tests {
		if got := itemsOf(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// TestInfoCompatible: two wordings of one item are compatible when they
// can state one fact (one more precise than the other), not when they
// differ.
func TestInfoCompatible(t *testing.T) {
	tests := []struct {
		a, b string // sentences of one item each
		want bool
	}{
		{"Work stopped on January 14.", "Work stopped in mid-January.", true},
		{"Work stopped on January 14.", "Work stopped in late January.", false},
		{"Work stopped on January 14, 2025.", "Work stopped in January 2024.", false},
		{"The bridge opened early in March.", "The bridge opened on March 3.", true},
		{"Fares rose 9 percent.", "Fares rose 9%.", true},
		{"Fares rose 9 percent.", "Fares rose 9 points.", false},
		{"Workers struck, about 2,000 of them.", "Workers struck, 2,030 of them.", true},
		{"Workers struck, 2,000 of them.", "Workers struck, 2,030 of them.", false},
		{"Workers struck, about 2,000 of them.", "Workers struck, 2,300 of them.", false},
		{"It has 30 days to appeal.", "It has 30 weeks to appeal.", false},
		{"It lifted off at 10:42 a.m.", "It lifted off at 10:42.", true},
		{"It lifted off at 10:42 p.m.", "It lifted off at 10:42.", false},
		{"Then Farrow spoke.", "Then Gideon Farrow spoke.", true},
		{"Then Ines Haldane spoke.", "Then Rafe Haldane spoke.", false},
		{"The talks ended on Thursday.", "The talks ended on Friday.", false},
	}
	for _, tt := range tests {
		reports := []Report{{Article: dossier.Article{ID: "a", Text: tt.a}}, {Article: dossier.Article{ID: "b", Text: tt.b}}}
		st := newStoryText(reports)
		st.readItems(reports)
		a, b := st.sents[0].items, st.sents[1].items
		if len(a) != 1 || len(b) != 1 {
			t.Errorf("%q / %q: %d and %d items, want one each", tt.a, tt.b, len(a), len(b))
			continue
		}
		if got := a[0].compatible(&b[0]); got != tt.want || b[0].compatible(&a[0]) != got {
			t.Errorf("%q / %q: compatible %v, want %v both ways", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestAnchors: figures, times and dates of a day or part of a month pin a
// fact down; a month or weekday alone, a figure pointing back and a name
// do not.
func TestAnchors(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"It ended in early May.", true},
		{"It ended in May 2024.", true},
		{"It ended on May 4.", true},
		{"It ended in May.", false},
		{"It ended on Thursday.", false},
		{"It ended at 10:42.", true},
		{"It took two years.", true},
		{"It split the two countries.", false},
		{"It ended at Gate 4.", false},
	}
	for _, tt := range tests {
		reports := []Report{{Article: dossier.Article{ID: "a", Text: tt.text}}}
		st := newStoryText(reports)
		st.readItems(reports)
		items := st.sents[0].items
		if len(items) != 1 {
			t.Errorf("%q: %d items, want one", tt.text, len(items))
			continue
		}
		if got := items[0].anchors(); got != tt.want {
			t.Errorf("%q: anchors %v, want %v", tt.text, got, tt.want)
		}
	}
}
