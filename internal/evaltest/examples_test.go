package evaltest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/export"
)

// expected is examples/EXPECTED.json: what Dossier must make of the bundled corpus.
type expected struct {
	Stories []struct {
		Name    string   `json:"name"`
		Members []string `json:"members"`
	} `json:"stories"`
	Unrelated  []string `json:"unrelated"`
	Duplicates []struct {
		Copy, Of, Kind string
	} `json:"duplicates"`
	Quotes []struct {
		Source, Contains, Speaker string
	} `json:"quotes"`
	Metadata []struct {
		Source, Title, Outlet string
		Authors               []string
		Published             *string
	} `json:"metadata"`
	NotInBody []struct {
		Source, Line string
	} `json:"not_in_body"`
	Corrupt []string `json:"corrupt"`

	// What the comparison of each story must give (examples_compare_test.go).
	Speakers []struct {
		Story string   `json:"story"`
		Names []string `json:"names"`
	} `json:"speakers"`
	StorySpeakers []struct {
		Source, Contains, Speaker string
	} `json:"story_speakers"`
	Remarks []struct {
		Story, Speaker, Fullest string
		Quotes                  []spot
		Outlets                 []string
	} `json:"remarks"`
	NotMerged []struct {
		Story  string
		Quotes []spot
	} `json:"not_merged"`
	Unique []struct {
		Source, Contains string
		Outlets          []string
	} `json:"unique"`
	NotUnique    []spot         `json:"not_unique"`
	Conflicts    []conflictWant `json:"conflicts"`
	NotConflicts []struct {
		Story  string
		Values []value
	} `json:"not_conflicts"`
}

// conflictWant is a conflict of a story: its values, from two reports or more.
type conflictWant struct {
	Story, About string
	Values       []value
	// Missed marks a real conflict the comparison does not find yet (its
	// wording is too far apart): not required, never counted as false.
	Missed bool
}

// spot is a place in an example: the first words of it that source's text holds.
type spot struct{ Source, Contains string }

// value is a detail as one example source writes it.
type value struct{ Source, Value string }

const examplesDir = "../../examples"

// readExpected reads examples/EXPECTED.json and the examples folder's absolute path.
func readExpected(t *testing.T) (expected, string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(examplesDir, "EXPECTED.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want expected
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("EXPECTED.json: %v", err)
	}
	abs, err := filepath.Abs(examplesDir)
	if err != nil {
		t.Fatal(err)
	}
	return want, abs
}

func TestExamples(t *testing.T) {
	want, abs := readExpected(t)
	st, _, sum := run(t, abs)

	bySource := map[string]dossier.Article{}
	if err := st.Articles(t.Context(), func(a dossier.Article) error {
		rel, err := filepath.Rel(abs, a.Source)
		if err != nil {
			return err
		}
		bySource[filepath.ToSlash(rel)] = a
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	get := func(t *testing.T, src string) dossier.Article {
		t.Helper()
		a, ok := bySource[src]
		if !ok {
			t.Fatalf("no article from %s", src)
		}
		return a
	}

	t.Run("corrupt reported, rest ingested", func(t *testing.T) {
		var bad []string
		for _, p := range sum.Problems {
			rel, _ := filepath.Rel(abs, p.Source)
			bad = append(bad, filepath.ToSlash(rel))
		}
		for _, c := range want.Corrupt {
			found := false
			for _, b := range bad {
				found = found || b == c || strings.HasPrefix(b, c+"#")
			}
			if !found {
				t.Errorf("corrupt %s not reported; problems %q", c, bad)
			}
		}
		if sum.Failed != len(sum.Problems) || sum.Failed < len(want.Corrupt) {
			t.Errorf("failed %d, problems %d", sum.Failed, len(sum.Problems))
		}
	})
	t.Run("stories", func(t *testing.T) {
		seen := map[string]string{} // story ID → expected story name
		for _, s := range want.Stories {
			first := get(t, s.Members[0]).StoryID
			for _, m := range s.Members[1:] {
				if got := get(t, m).StoryID; got != first {
					t.Errorf("%s: %s is in story %s, %s in %s", s.Name, m, got, s.Members[0], first)
				}
			}
			if other, ok := seen[first]; ok {
				t.Errorf("stories %q and %q were merged into %s", other, s.Name, first)
			}
			seen[first] = s.Name
		}
		for _, u := range want.Unrelated {
			if name, ok := seen[get(t, u).StoryID]; ok {
				t.Errorf("unrelated %s joined story %q", u, name)
			}
		}
	})
	t.Run("duplicates", func(t *testing.T) {
		for _, d := range want.Duplicates {
			c, of := get(t, d.Copy), get(t, d.Of)
			if d.Kind == "saved-twice-not-a-dup" {
				if c.DuplicateOf != "" {
					t.Errorf("%s is not a copy, but linked to %s", d.Copy, c.DuplicateOf)
				}
				continue
			}
			if c.DuplicateOf != of.ID {
				t.Errorf("%s copy (%s): duplicate_of %q, want %s (%s)", d.Kind, d.Copy, c.DuplicateOf, of.ID, d.Of)
			}
			if len(c.Quotes) != 0 {
				t.Errorf("copy %s quoted again: %d quotes", d.Copy, len(c.Quotes))
			}
		}
	})
	t.Run("quotes", func(t *testing.T) {
		for _, q := range want.Quotes {
			a := get(t, q.Source)
			var got *dossier.Quote
			for i := range a.Quotes {
				if strings.Contains(a.Quotes[i].Text, q.Contains) {
					got = &a.Quotes[i]
				}
			}
			switch {
			case got == nil:
				t.Errorf("%s: no quote containing %q", q.Source, q.Contains)
			case got.Speaker != q.Speaker:
				t.Errorf("%s: quote %q: speaker %q, want %q", q.Source, q.Contains, got.Speaker, q.Speaker)
			}
		}
	})
	t.Run("metadata", func(t *testing.T) {
		for _, m := range want.Metadata {
			a := get(t, m.Source)
			if a.Title != m.Title {
				t.Errorf("%s: title %q, want %q", m.Source, a.Title, m.Title)
			}
			if a.Outlet != m.Outlet {
				t.Errorf("%s: outlet %q, want %q", m.Source, a.Outlet, m.Outlet)
			}
			if strings.Join(a.Authors, "|") != strings.Join(m.Authors, "|") {
				t.Errorf("%s: authors %q, want %q", m.Source, a.Authors, m.Authors)
			}
			got, wantP := export.Time(a.Published), m.Published
			switch {
			case (got == nil) != (wantP == nil):
				t.Errorf("%s: published %v, want %v", m.Source, deref(got), deref(wantP))
			case got != nil && *got != *wantP:
				t.Errorf("%s: published %s, want %s", m.Source, *got, *wantP)
			}
		}
	})
	t.Run("furniture out of the body", func(t *testing.T) {
		for _, n := range want.NotInBody {
			if a := get(t, n.Source); strings.Contains(a.Text, n.Line) {
				t.Errorf("%s: %q is in the body", n.Source, n.Line)
			}
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}
