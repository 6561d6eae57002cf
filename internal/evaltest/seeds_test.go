package evaltest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// seedLines returns a seed file's lines, trimmed, with blank and
// no-break-space-only lines dropped.
func seedLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " ")); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func articleBySource(t *testing.T, st *sqlite.Store, name string) dossier.Article {
	t.Helper()
	var found *dossier.Article
	err := st.Articles(context.Background(), func(a dossier.Article) error {
		if filepath.Base(a.Source) == name {
			found = &a
		}
		return nil
	})
	if err != nil || found == nil {
		t.Fatalf("no article from %s (err %v)", name, err)
	}
	return *found
}

func paragraphs(text string) []string { return strings.Split(text, "\n\n") }

// occurrences counts the paragraphs of text equal to line.
func occurrences(text, line string) int {
	n := 0
	for _, p := range paragraphs(text) {
		if p == line {
			n++
		}
	}
	return n
}

var quoted = regexp.MustCompile(`[“"]([^“”"]+)[”"]`)

// checkQuotes asserts every quoted run in the body lines is found as a quote
// with the wanted speaker, and that offsets slice the text.
func checkQuotes(t *testing.T, a dossier.Article, body []string, speaker func(line, quote string) []string) {
	t.Helper()
	for _, q := range a.Quotes {
		if q.Start < 0 || q.End > len(a.Text) || a.Text[q.Start:q.End] != q.Text {
			t.Errorf("%s: quote offsets [%d,%d) do not slice %q", a.Source, q.Start, q.End, q.Text)
		}
	}
	for _, line := range body {
		for _, m := range quoted.FindAllStringSubmatch(line, -1) {
			want := strings.Trim(m[1], " ,.")
			var got *dossier.Quote
			for i, q := range a.Quotes {
				if strings.Contains(q.Text, want) || (len(q.Text) > 8 && strings.Contains(want, strings.Trim(q.Text, " ,."))) {
					got = &a.Quotes[i]
					break
				}
			}
			if got == nil {
				t.Errorf("%s: quote not found: %.60q", filepath.Base(a.Source), want)
				continue
			}
			if ws := speaker(line, want); !slices.Contains(ws, got.Speaker) {
				t.Errorf("%s: quote %.50q: speaker %q, want one of %q", filepath.Base(a.Source), want, got.Speaker, ws)
			}
		}
	}
}

func TestSeeds(t *testing.T) {
	dir := evaldata.Dir(t, "seeds")
	const wire, daily = "000_2e92df3e5a288141.txt", "001_c2ea8446f52993cb.txt"
	want := evaldata.ReadSeedExpectations(t)
	st, _, sum := run(t, filepath.Join(dir, wire), filepath.Join(dir, daily))
	if sum.New != 2 || sum.Failed != 0 {
		t.Fatalf("ingest: %+v", sum)
	}
	a, b := articleBySource(t, st, wire), articleBySource(t, st, daily)

	t.Run("story", func(t *testing.T) {
		if a.StoryID == "" || a.StoryID != b.StoryID {
			t.Errorf("one event, one story: got %q and %q", a.StoryID, b.StoryID)
		}
		if a.DuplicateOf != "" || b.DuplicateOf != "" {
			t.Errorf("independent reports are not copies: duplicate_of %q, %q", a.DuplicateOf, b.DuplicateOf)
		}
	})

	t.Run("wire copy", func(t *testing.T) {
		lines := seedLines(t, filepath.Join(dir, wire))
		if a.Title != lines[0] {
			t.Errorf("title %q, want the first line %q", a.Title, lines[0])
		}
		// Lines 3..21 are the body; the crawl saved it twice (from line 22 on).
		body := lines[2:21]
		for _, l := range body {
			if n := occurrences(a.Text, l); n != 1 {
				t.Errorf("body paragraph %.50q appears %d times, want 1", l, n)
			}
		}
		if got := len(paragraphs(a.Text)); got != len(body) {
			t.Errorf("%d paragraphs, want %d", got, len(body))
		}
		if strings.Contains(a.Text, lines[1]) {
			t.Errorf("the byline line is in the body")
		}
		if a.Outlet != want.WireOutlet || len(a.Authors) != 0 {
			t.Errorf("outlet %q authors %q, want %s and no person", a.Outlet, a.Authors, want.WireOutlet)
		}
		if got := a.Published.Format("2006-01-02T15:04:05-07:00"); a.Published.IsZero() || got != want.WirePublished {
			t.Errorf("published %s, want %s", got, want.WirePublished)
		}
		checkQuotes(t, a, body, func(_, _ string) []string { return []string{want.Speaker} })
	})

	t.Run("daily with furniture", func(t *testing.T) {
		lines := seedLines(t, filepath.Join(dir, daily))
		if b.Title != lines[0] {
			t.Errorf("title %q, want the first line %q", b.Title, lines[0])
		}
		// Structure, not content: the caption lines end in a bracketed credit,
		// the body runs from after the last caption to the byline, and every
		// other line is furniture.
		var body, furniture []string
		var caption string
		lastCaption, byline := -1, -1
		for i, l := range lines {
			switch {
			case strings.HasPrefix(l, "BY "):
				byline = i
			case strings.HasSuffix(l, "]"):
				caption, lastCaption = l, i
			}
		}
		if lastCaption < 0 || byline < lastCaption {
			t.Fatalf("test derivation: caption at %d, byline at %d", lastCaption, byline)
		}
		for i, l := range lines[1:] {
			if i+1 > lastCaption && i+1 < byline {
				body = append(body, l)
			} else if l != caption {
				furniture = append(furniture, l)
			}
		}
		if len(body) != 14 {
			t.Fatalf("test derivation: %d body lines, want 14", len(body))
		}
		for _, l := range body {
			if n := occurrences(b.Text, l); n != 1 {
				t.Errorf("body paragraph %.50q appears %d times, want 1", l, n)
			}
		}
		for _, l := range append(furniture, caption) {
			if occurrences(b.Text, l) > 0 {
				t.Errorf("furniture in the body: %q", l)
			}
		}
		if len(b.Captions) != 1 || b.Captions[0] != caption {
			t.Errorf("captions %q, want once %q", b.Captions, caption)
		}
		if b.Outlet != want.DailyOutlet {
			t.Errorf("outlet %q, want %s", b.Outlet, want.DailyOutlet)
		}
		if len(b.Authors) != 1 || b.Authors[0] != want.DailyAuthor {
			t.Errorf("authors %q, want [%s]", b.Authors, want.DailyAuthor)
		}
		if len(b.Contacts) != 1 || !strings.HasSuffix(b.Contacts[0], "@"+want.ContactDomain) {
			t.Errorf("contacts %q, want the byline e-mail", b.Contacts)
		}
		if !b.Published.IsZero() {
			t.Errorf("published %v: the text states no date, it must stay unknown", b.Published)
		}
		checkQuotes(t, b, body, func(_, q string) []string {
			if strings.Contains(q, want.OrgFragment) {
				return want.OrgNames
			}
			return []string{want.Speaker}
		})
	})

	t.Run("together", func(t *testing.T) {
		// EXPECTED.md's "Together": remarks both outlets carry, in their
		// own words; facts only one reported; one conflict, on the host.
		story, err := st.Story(context.Background(), a.StoryID)
		if err != nil || story.Comparison == nil {
			t.Fatalf("story %s: %v, comparison %v", a.StoryID, err, story.Comparison)
		}
		c := story.Comparison
		shared := 0
		for _, r := range c.Remarks {
			in := map[string]bool{}
			for _, q := range r.Quotes {
				in[q.Article] = true
			}
			if in[a.ID] && in[b.ID] {
				shared++
				if r.Speaker != want.Speaker {
					t.Errorf("a remark both outlets carry is %q's, want %q's", r.Speaker, want.Speaker)
				}
			}
		}
		if shared < 2 {
			t.Errorf("%d remarks carried by both outlets, want at least the 2 EXPECTED.md names", shared)
		}
		uniqueIn := map[string]int{}
		for _, u := range c.Unique {
			uniqueIn[u.Article]++
		}
		if uniqueIn[a.ID] == 0 || uniqueIn[b.ID] == 0 {
			t.Errorf("sentences only one outlet carries: %d and %d, want some in each", uniqueIn[a.ID], uniqueIn[b.ID])
		}
		if len(c.Conflicts) != 1 || len(c.Conflicts[0].Values) != 2 || c.Conflicts[0].Values[0].Article == c.Conflicts[0].Values[1].Article {
			t.Fatalf("conflicts %+v: want exactly one, between the two outlets", c.Conflicts)
		}
		for i, v := range c.Conflicts[0].Values {
			// The wire copy (read first) names the first host.
			if h := want.Hosts[i]; !strings.Contains(v.Value, h[1]) && !strings.Contains(h[0], v.Value) && !strings.Contains(v.Value, h[0]) {
				t.Errorf("conflict value %d is %q, want the host %s (%s)", i, v.Value, h[0], h[1])
			}
			text := a.Text
			if v.Article == b.ID {
				text = b.Text
			}
			if text[v.Start:v.End] != v.Value || v.SentenceStart > v.Start || v.SentenceEnd < v.End {
				t.Errorf("conflict value %q does not sit at its offsets inside its sentence", v.Value)
			}
		}
	})

	t.Run("idempotent", func(t *testing.T) {
		_, _, again := runInto(t, st, filepath.Join(dir, wire), filepath.Join(dir, daily))
		if again.Unchanged != 2 || again.New != 0 || again.Updated != 0 {
			t.Errorf("second ingest: %+v, want 2 unchanged", again)
		}
	})
}
