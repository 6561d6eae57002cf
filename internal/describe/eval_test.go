package describe

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/charset"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/evaldata"
)

// TestHTMLDateDev measures publication-day accuracy on the htmldate dev half,
// scored like score_dates.py: the day read in the date's own offset, a
// missing date counted wrong.
func TestHTMLDateDev(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 500 pages")
	}
	var gold map[string]struct{ URL, Date string }
	dir := readGold(t, "eval/htmldate-dev", "dates.json", &gold)
	start := time.Now()
	right, dated := 0, 0
	// Each half of dev (odd and even pages in name order) is scored apart,
	// to show that no rule is fitted to a few pages.
	names := slices.Sorted(maps.Keys(gold))
	var halfRight, halfN [2]int
	for i, name := range names {
		g := gold[name]
		halfN[i%2]++
		page, err := os.ReadFile(filepath.Join(dir, "html", name))
		if err != nil {
			t.Fatalf("read page: %v", err)
		}
		m := Describe(Input{Source: name, HTML: page})
		if m.Published.IsZero() {
			if testing.Verbose() && os.Getenv("DESCRIBE_EVAL_LOG") != "" {
				t.Logf("miss %s: none, want %s", name, g.Date)
			}
			continue
		}
		dated++
		if got := m.Published.Format("2006-01-02"); got == g.Date {
			right++
			halfRight[i%2]++
		} else if os.Getenv("DESCRIBE_EVAL_LOG") != "" {
			t.Logf("miss %s: %s, want %s", name, m.Published.Format(time.RFC3339), g.Date)
		}
	}
	acc := float64(right) / float64(len(gold))
	prec := float64(right) / float64(max(dated, 1))
	t.Logf("htmldate-dev: pages %d, dated %d; accuracy %.3f, precision %.3f; halves %.3f / %.3f; %.0f pages/s",
		len(gold), dated, acc, prec, float64(halfRight[0])/float64(max(halfN[0], 1)),
		float64(halfRight[1])/float64(max(halfN[1], 1)), float64(len(gold))/time.Since(start).Seconds())
	if acc < 0.92 {
		t.Errorf("accuracy %.3f below the floor 0.92", acc)
	}
}

// TestAuthorsDev measures authors on the trafilatura dev pages whose gold
// names an author, through clean and Describe as ingest runs them. A page is
// right when every gold name and every found name share a word (case
// aside): the gold writes some names in part ("Heiko"). Gold desks and
// user names count too, so a perfect score is out of reach by design.
func TestAuthorsDev(t *testing.T) {
	if testing.Short() {
		t.Skip("cleans 274 pages")
	}
	var gold map[string]struct {
		File   string
		Author any // a name, several joined, or a list of names
	}
	dir := readGold(t, "eval/trafilatura-dev", "evaldata.json", &gold)
	cl := clean.New(clean.WithoutMemory())
	var withGold, found, right int
	var halfRight, halfN [2]int
	for i, key := range slices.Sorted(maps.Keys(gold)) {
		g := gold[key]
		var want []string
		switch a := g.Author.(type) {
		case string:
			want = reNameSplit.Split(a, -1)
		case []any:
			for _, e := range a {
				if s, ok := e.(string); ok {
					want = append(want, s)
				}
			}
		}
		if strings.TrimSpace(strings.Join(want, "")) == "" {
			continue
		}
		page, err := os.ReadFile(filepath.Join(dir, "html", g.File))
		if err != nil {
			t.Fatalf("read page: %v", err)
		}
		p, err := cl.HTML(page, "")
		if err != nil {
			continue
		}
		withGold++
		halfN[i%2]++
		m := Describe(Input{Source: g.File, Page: p, HTML: page})
		if len(m.Authors) > 0 {
			found++
		}
		if sameNames(m.Authors, want) {
			right++
			halfRight[i%2]++
		} else if os.Getenv("DESCRIBE_EVAL_LOG") != "" {
			t.Logf("miss %s: %q, want %q", g.File, m.Authors, want)
		}
	}
	t.Logf("trafilatura-dev authors: pages %d, with authors %d; right %d: recall %.3f, precision %.3f; halves %.3f / %.3f",
		withGold, found, right, float64(right)/float64(max(withGold, 1)), float64(right)/float64(max(found, 1)),
		float64(halfRight[0])/float64(max(halfN[0], 1)), float64(halfRight[1])/float64(max(halfN[1], 1)))
}

// sameNames reports whether every name of got shares a word with one of
// want and every name of want with one of got.
func sameNames(got, want []string) bool {
	words := func(s string) []string { return strings.Fields(strings.ToLower(s)) }
	shares := func(a string, bs []string) bool {
		for _, b := range bs {
			for _, w := range words(a) {
				if slices.Contains(words(b), w) {
					return true
				}
			}
		}
		return false
	}
	var ws []string
	for _, w := range want {
		if w = strings.TrimSpace(w); w != "" {
			ws = append(ws, w)
		}
	}
	if len(got) == 0 || len(ws) == 0 {
		return false
	}
	for _, g := range got {
		if !shares(g, ws) {
			return false
		}
	}
	for _, w := range ws {
		if !shares(w, got) {
			return false
		}
	}
	return true
}

// BenchmarkDescribePages runs Describe alone on the htmldate dev pages,
// parsed and cleaned beforehand, as ingest hands them over.
func BenchmarkDescribePages(b *testing.B) {
	dir := evaldata.Dir(b, "eval/htmldate-dev/html")
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(names) == 0 {
		b.Fatalf("no pages in %s: %v", dir, err)
	}
	c := clean.New(clean.WithoutMemory())
	var ins []Input
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		text, _, err := charset.HTML(raw, "")
		if err != nil {
			continue
		}
		doc, err := clean.Parse(text)
		if err != nil {
			continue
		}
		p, err := c.Tree(doc, "")
		if err != nil {
			continue
		}
		ins = append(ins, Input{Page: p, HTML: []byte(text), Doc: doc})
	}
	b.ResetTimer()
	for b.Loop() {
		for _, in := range ins {
			Describe(in)
		}
	}
	b.ReportMetric(float64(b.N*len(ins))/b.Elapsed().Seconds(), "pages/s")
}

// TestTitlesDev measures titles on the trafilatura dev pages whose gold
// states one, through clean and Describe as ingest runs them: a title is
// right when it equals the gold's, case and spacing aside.
func TestTitlesDev(t *testing.T) {
	if testing.Short() {
		t.Skip("cleans 495 pages")
	}
	var gold map[string]struct{ File, Title string }
	dir := readGold(t, "eval/trafilatura-dev", "evaldata.json", &gold)
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	cl := clean.New(clean.WithoutMemory())
	var n, right int
	var halfRight, halfN [2]int
	for i, key := range slices.Sorted(maps.Keys(gold)) {
		g := gold[key]
		if strings.TrimSpace(g.Title) == "" {
			continue
		}
		page, err := os.ReadFile(filepath.Join(dir, "html", g.File))
		if err != nil {
			t.Fatalf("read page: %v", err)
		}
		n++
		halfN[i%2]++
		p, err := cl.HTML(page, "")
		if err != nil {
			continue
		}
		if m := Describe(Input{Source: g.File, Page: p, HTML: page}); norm(m.Title) == norm(g.Title) {
			right++
			halfRight[i%2]++
		} else if os.Getenv("DESCRIBE_EVAL_LOG") != "" {
			t.Logf("miss %s: %q, want %q", g.File, m.Title, g.Title)
		}
	}
	acc := float64(right) / float64(max(n, 1))
	t.Logf("trafilatura-dev titles: pages %d, right %d: accuracy %.3f; halves %.3f / %.3f", n, right, acc,
		float64(halfRight[0])/float64(max(halfN[0], 1)), float64(halfRight[1])/float64(max(halfN[1], 1)))
	if acc < titleFloor {
		t.Errorf("title accuracy %.3f below floor %.3f", acc, titleFloor)
	}
}

// titleFloor is under the 0.801 measured when the test was added (0.702
// before clean read the page's one <h1> as its headline).
const titleFloor = 0.78

// readGold decodes a dev set's gold file into v and returns the set's
// folder. The gold files are written by Python: a page without a gold
// value says NaN, which no prediction can match, as in the scorers.
func readGold(t *testing.T, set, name string, v any) string {
	t.Helper()
	dir := evaldata.Dir(t, set)
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("read gold: %v", err)
	}
	raw = bytes.ReplaceAll(raw, []byte(": NaN"), []byte(": null"))
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("parse gold: %v", err)
	}
	return dir
}
