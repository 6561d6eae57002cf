package compare

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/evaldata"
)

// conflictSeedHosts reads from EXPECTED.md the two hosts the seeds disagree on:
// "000 says the webinar was hosted by the NAME (ACR); 001 says ... hosted
// by the NAME (ACR)".
func conflictSeedHosts(t *testing.T, dir string) (wire, daily []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "EXPECTED.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, disagree, ok := strings.Cut(string(b), "Where they disagree")
	if !ok {
		t.Fatal("EXPECTED.md: no \"Where they disagree\"")
	}
	re := regexp.MustCompile(`(\d{3}) says the [^.;]*?hosted\s+by\s+the\s+([^(;]+?)\s*\(([A-Z]+)\)`)
	ms := re.FindAllStringSubmatch(strings.Join(strings.Fields(disagree), " "), -1)
	if len(ms) != 2 || ms[0][1] != "000" || ms[1][1] != "001" {
		t.Fatalf("EXPECTED.md: cannot read the two hosts from %q", disagree)
	}
	return []string{ms[0][2], ms[0][3]}, []string{ms[1][2], ms[1][3]}
}

func conflictSeedReports(t *testing.T, dir string) []Report {
	t.Helper()
	c := clean.New(clean.WithoutMemory())
	var reports []Report
	for i, f := range []string{"000_2e92df3e5a288141.txt", "001_c2ea8446f52993cb.txt"} {
		raw, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		text := c.Text(string(raw), "").Text()
		reports = append(reports, Report{Article: dossier.Article{ID: f[:3], Text: text, Outlet: fmt.Sprintf("outlet-%d", i)}})
	}
	return reports
}

// TestConflictsSeeds: the seeds disagree on who hosted the seminar, and on
// nothing else.
func TestConflictsSeeds(t *testing.T) {
	dir := evaldata.Dir(t, "seeds")
	wire, daily := conflictSeedHosts(t, dir)
	reports := conflictSeedReports(t, dir)
	got := Conflicts(reports)
	for _, c := range got {
		t.Logf("conflict %q: %s", c.About, conflictValues(c))
	}
	for _, s := range sharedConflictKeys(reports) {
		t.Logf("stated by both: %s", s)
	}
	if len(got) != 1 {
		t.Fatalf("want exactly the host conflict, got %d conflicts", len(got))
	}
	c := got[0]
	if c.About != "hosted by" || len(c.Values) != 2 {
		t.Fatalf("want the host conflict with two values, got %q with %d", c.About, len(c.Values))
	}
	for i, want := range [][]string{wire, daily} {
		v := c.Values[i]
		if v.Article != fmt.Sprintf("%03d", i) {
			t.Errorf("value %d from article %q, want %03d", i, v.Article, i)
		}
		if !strings.HasPrefix(v.Value, want[0]) {
			t.Errorf("value %d = %q, want the name %q", i, v.Value, want[0])
		}
	}
}

// sharedConflictKeys lists the details two or more reports state, with each
// report's values: what the comparison weighed.
func sharedConflictKeys(reports []Report) []string {
	by := map[string][]string{}
	for _, r := range reports {
		d := newDoc(r.Article.Text, 0)
		d.readFacts()
		seen := map[string]bool{}
		for _, f := range d.facts {
			if !seen[f.key] {
				seen[f.key] = true
				by[f.key] = append(by[f.key], fmt.Sprintf("%s=%q", r.Article.ID, d.text[f.start:f.end]))
			}
		}
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(by)) {
		if len(by[k]) > 1 {
			out = append(out, k+" "+strings.Join(by[k], " "))
		}
	}
	return out
}

func conflictValues(c dossier.Conflict) string {
	var ss []string
	for _, v := range c.Values {
		ss = append(ss, fmt.Sprintf("%s=%q", v.Article, v.Value))
	}
	return strings.Join(ss, " | ")
}

type conflictRecord struct {
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Outlet    string    `json:"outlet"`
	Published time.Time `json:"published"`
}

func readConflictJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConflictsDedupCopies: a copy changes no number, name or date of its
// original, so a copy and its original never conflict. Copies live at
// the reserved .example domain; the other articles of a group are its
// originals.
func TestConflictsDedupCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a benchmark")
	}
	dir := evaldata.Dir(t, "eval/dedup-dev")
	recs := readConflictJSONL[conflictRecord](t, filepath.Join(dir, "stream.jsonl"))
	gold := readConflictJSONL[struct {
		Line  int `json:"line"`
		Group int `json:"group"`
	}](t, filepath.Join(dir, "gold.jsonl"))
	groups := map[int][]int{}
	for _, g := range gold {
		groups[g.Group] = append(groups[g.Group], g.Line-1)
	}
	pairs, bad, shared := 0, 0, 0
	keys := slices.Sorted(maps.Keys(groups))
	for _, g := range keys {
		var originals, copies []int
		for _, i := range groups[g] {
			if strings.Contains(recs[i].URL, ".example/") {
				copies = append(copies, i)
			} else {
				originals = append(originals, i)
			}
		}
		for _, c := range copies {
			for _, o := range originals {
				pairs++
				pair := []Report{conflictReport(o, recs[o]), conflictReport(c, recs[c])}
				shared += len(sharedConflictKeys(pair))
				got := Conflicts(pair)
				if len(got) > 0 {
					bad++
					for _, x := range got {
						t.Errorf("copy %d of %d: conflict %q: %s", c+1, o+1, x.About, conflictValues(x))
					}
				}
			}
		}
	}
	t.Logf("%d copy-original pairs, %d details stated by both sides of a pair, %d pairs with a conflict", pairs, shared, bad)
}

func conflictReport(i int, r conflictRecord) Report {
	return Report{Article: dossier.Article{ID: fmt.Sprintf("line%d", i+1), Text: r.Text, Outlet: r.Outlet, Published: r.Published}}
}

// TestConflictsAllSides logs the conflicts found in allsides-dev stories,
// for reading by hand; it asserts nothing.
func TestConflictsAllSides(t *testing.T) { logStoryConflicts(t, "eval/allsides-dev") }

// TestConflictsECBPlus does the same on ecbplus-dev, whose stories hold
// more and longer reports.
func TestConflictsECBPlus(t *testing.T) { logStoryConflicts(t, "eval/ecbplus-dev") }

func logStoryConflicts(t *testing.T, set string) {
	if testing.Short() {
		t.Skip("reads a benchmark")
	}
	dir := evaldata.Dir(t, set)
	recs := readConflictJSONL[conflictRecord](t, filepath.Join(dir, "stream.jsonl"))
	gold := readConflictJSONL[struct {
		Line  int    `json:"line"`
		Story string `json:"story"`
	}](t, filepath.Join(dir, "gold.jsonl"))
	stories := map[string][]int{}
	for _, g := range gold {
		stories[g.Story] = append(stories[g.Story], g.Line-1)
	}
	n, shared := 0, 0
	for _, s := range slices.Sorted(maps.Keys(stories)) {
		var reports []Report
		for _, i := range stories[s] {
			reports = append(reports, conflictReport(i, recs[i]))
		}
		shared += len(sharedConflictKeys(reports))
		for _, c := range Conflicts(reports) {
			n++
			t.Logf("story %s conflict %d %q:", s, n, c.About)
			for _, v := range c.Values {
				text := recs[conflictLine(v.Article)].Text
				t.Logf("    %s %q in: %s", v.Article, v.Value, text[v.SentenceStart:v.SentenceEnd])
			}
		}
	}
	t.Logf("%d stories, %d details stated by two reports or more, %d conflicts", len(stories), shared, n)
}

func conflictLine(id string) int {
	var n int
	fmt.Sscanf(id, "line%d", &n)
	return n - 1
}
