package compare

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
)

// conflictCase is one invented story: its reports and exactly the
// conflicts that must come out of them (none for a near miss).
type conflictCase struct {
	Name      string    `json:"name"`
	Published time.Time `json:"published"`
	Reports   []struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"reports"`
	Want []struct {
		About  string `json:"about"`
		Values []struct {
			Article string `json:"article"`
			Value   string `json:"value"`
		} `json:"values"`
	} `json:"want"`
}

func TestConflicts(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "conflicts", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []conflictCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			var reports []Report
			texts := map[string]string{}
			for _, r := range tc.Reports {
				reports = append(reports, Report{Article: dossier.Article{ID: r.ID, Text: r.Text, Outlet: "outlet " + r.ID, Published: tc.Published}})
				texts[r.ID] = r.Text
			}
			got := Conflicts(reports)
			var gotS, wantS []string
			for _, c := range got {
				gotS = append(gotS, conflictString(c))
				checkConflictOffsets(t, c, texts)
			}
			for _, w := range tc.Want {
				var vs []string
				for _, v := range w.Values {
					vs = append(vs, fmt.Sprintf("%s=%q", v.Article, v.Value))
				}
				wantS = append(wantS, fmt.Sprintf("%q: %s", w.About, strings.Join(vs, " | ")))
			}
			if !reflect.DeepEqual(gotS, wantS) {
				t.Errorf("conflicts:\n got %q\nwant %q", gotS, wantS)
			}
		})
	}
}

func conflictString(c dossier.Conflict) string {
	return fmt.Sprintf("%q: %s", c.About, conflictValues(c))
}

// checkConflictOffsets: each value is its article's bytes, inside the sentence
// that states it.
func checkConflictOffsets(t *testing.T, c dossier.Conflict, texts map[string]string) {
	t.Helper()
	for _, v := range c.Values {
		text := texts[v.Article]
		if v.Start < 0 || v.End > len(text) || v.Start >= v.End || text[v.Start:v.End] != v.Value {
			t.Errorf("%q: value %q has offsets [%d,%d) in %s", c.About, v.Value, v.Start, v.End, v.Article)
			continue
		}
		if v.SentenceStart > v.Start || v.SentenceEnd < v.End || v.SentenceEnd > len(text) {
			t.Errorf("%q: value %q [%d,%d) outside its sentence [%d,%d)", c.About, v.Value, v.Start, v.End, v.SentenceStart, v.SentenceEnd)
		}
	}
}

// TestConflictsDeterministic: the same reports give the same conflicts.
func TestConflictsDeterministic(t *testing.T) {
	reports := conflictStory(40)
	first := Conflicts(reports)
	for range 5 {
		if got := Conflicts(reports); !reflect.DeepEqual(got, first) {
			t.Fatal("Conflicts differ between runs on the same reports")
		}
	}
	if len(first) == 0 {
		t.Fatal("the generated story has conflicts by construction; none found")
	}
}

func TestConflictsEmpty(t *testing.T) {
	for _, reports := range [][]Report{nil, {{}}, {{Article: dossier.Article{ID: "a", Text: "14 people were injured."}}}} {
		if got := Conflicts(reports); len(got) != 0 {
			t.Errorf("Conflicts(%d reports) = %v, want none", len(reports), got)
		}
	}
}

func FuzzConflicts(f *testing.F) {
	f.Add("About 2,000 people attended on Tuesday, June 3.", "Mayor Ines Varga, 54, said 14 were injured; $2.3m was raised by the Lund Trust (LT).")
	f.Add("The forum hosted by the Rail & Tram Board (RTB) drew 5-10 people.", "Acting Regional Director for Rail and Trams Ola Brandt, the city's deputy mayor, 1, 500 a. m. 6. 2")
	f.Fuzz(func(t *testing.T, a, b string) {
		reports := []Report{{Article: dossier.Article{ID: "a", Text: a}}, {Article: dossier.Article{ID: "b", Text: b}}}
		texts := map[string]string{"a": a, "b": b}
		for _, c := range Conflicts(reports) {
			checkConflictOffsets(t, c, texts)
			if len(c.Values) < 2 || c.About == "" {
				t.Errorf("conflict %q with %d values", c.About, len(c.Values))
			}
		}
	})
}

// TestConflictsOnlyBetweenNearReports: reports published days apart state
// figures as they were then, so differing figures are no conflict; the same
// reports a day apart, or undated, do conflict.
func TestConflictsOnlyBetweenNearReports(t *testing.T) {
	day := time.Date(2025, 4, 7, 9, 0, 0, 0, time.UTC)
	mk := func(published time.Time) []Report {
		return []Report{
			{Article: dossier.Article{ID: "a", Outlet: "Fenwick Post", Published: day,
				Text: "Fourteen people were injured when the footbridge over the Arle collapsed, the county said."}},
			{Article: dossier.Article{ID: "b", Outlet: "Arle Valley News", Published: published,
				Text: "Nine people were injured when the footbridge over the Arle collapsed, according to the county."}},
		}
	}
	for _, tt := range []struct {
		name      string
		published time.Time
		want      int
	}{
		{"a day apart", day.Add(24 * time.Hour), 1},
		{"undated", time.Time{}, 1},
		{"ten days apart", day.Add(10 * 24 * time.Hour), 0},
	} {
		if got := Conflicts(mk(tt.published)); len(got) != tt.want {
			t.Errorf("%s: %d conflicts %+v, want %d", tt.name, len(got), got, tt.want)
		}
	}
}
