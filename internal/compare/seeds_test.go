package compare

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/quote"
	"github.com/dossiernews/dossier/internal/words"
)

// seedTogether is what EXPECTED.md's "Together" section says the compare
// stage must make of the two seeds, read at run time.
type seedTogether struct {
	// same are the examples of one remark in both outlets: per example,
	// the snippet of 000 and of 001.
	same [][2]string
	// quoted are the fragments the section names as quotes of their own.
	quoted []string
	// only are, per seed ("000", "001"), the facts only it reported.
	only map[string][]string
}

func readSeedTogether(t *testing.T, dir string) seedTogether {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "EXPECTED.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, together, ok := strings.Cut(string(b), "\n## Together")
	if !ok {
		t.Fatal("EXPECTED.md: no Together section")
	}
	bullet := func(title string) string {
		i := strings.Index(together, "- **"+title)
		if i < 0 {
			t.Fatalf("EXPECTED.md: no bullet %q", title)
		}
		rest := together[i+3:]
		if j := strings.Index(rest, "\n- **"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	var st seedTogether
	for _, m := range regexp.MustCompile("000\\s+`([^`]+)`\\s+and\\s+001\\s+`([^`]+)`").FindAllStringSubmatch(bullet("Same remark"), -1) {
		st.same = append(st.same, [2]string{m[1], m[2]})
	}
	for _, m := range regexp.MustCompile("`([\"“][^`]+[\"”])`").FindAllStringSubmatch(bullet("Quotes and speakers"), -1) {
		st.quoted = append(st.quoted, m[1])
	}
	st.only = map[string][]string{}
	for _, m := range regexp.MustCompile(`Only (\d{3}):\s*([^.]+(?:\.[^ \n][^.]*)*)\.`).FindAllStringSubmatch(bullet("What only one outlet"), -1) {
		for _, item := range strings.Split(m[2], ",") {
			if item = strings.TrimSpace(item); item != "" {
				st.only[m[1]] = append(st.only[m[1]], item)
			}
		}
	}
	if len(st.same) < 2 || len(st.quoted) < 3 || len(st.only["000"]) < 3 || len(st.only["001"]) < 3 {
		t.Fatalf("EXPECTED.md: read %d same-remark examples, %d quoted snippetFragments, %d/%d only-one-outlet facts; the layout changed",
			len(st.same), len(st.quoted), len(st.only["000"]), len(st.only["001"]))
	}
	return st
}

// snippetFragments are the runs of words of a snippet between its ellipses,
// normalised; runs without a content word are dropped.
func snippetFragments(snippet string) []string {
	var out []string
	for _, part := range strings.Split(snippet, "...") {
		if len(words.Content(part)) == 0 {
			continue
		}
		out = append(out, normWordsOf(part))
	}
	return out
}

func normWordsOf(s string) string {
	var ws []string
	for _, t := range words.Tokens(s) {
		ws = append(ws, words.Norm(t.Text))
	}
	return " " + strings.Join(ws, " ") + " "
}

// holdsSnippet says whether a quote's words hold every fragment of a snippet, or
// are held by it (a partial quote of the snippet's sentence).
func holdsSnippet(quoteText, snippet string) bool {
	q := normWordsOf(quoteText)
	frs := snippetFragments(snippet)
	if len(frs) == 0 {
		return false
	}
	for _, f := range frs {
		if !strings.Contains(q, f) && !strings.Contains(f, q) {
			return false
		}
	}
	return true
}

func seedReports(t *testing.T) (string, []Report) {
	t.Helper()
	dir := evaldata.Dir(t, "seeds")
	var reports []Report
	for _, id := range []string{"000", "001"} {
		m, err := filepath.Glob(filepath.Join(dir, id+"_*.txt"))
		if err != nil || len(m) != 1 {
			t.Fatalf("seed %s: %v %v", id, m, err)
		}
		raw, err := os.ReadFile(m[0])
		if err != nil {
			t.Fatal(err)
		}
		text := clean.New(clean.WithoutMemory()).Text(string(raw), "").Text()
		a := dossier.Article{ID: id, Outlet: "outlet " + id, Text: text, Quotes: quote.Find(text)}
		reports = append(reports, Report{Article: a})
	}
	return dir, reports
}

// TestSeedsTogether checks EXPECTED.md's "Together" on the two seeds:
// each example of one remark in both outlets is one remark across both
// articles, no remark merges two of the things it names apart, Unique
// lists for each seed the facts only it reported and not the remark both
// carry word for word.
func TestSeedsTogether(t *testing.T) {
	dir, reports := seedReports(t)
	want := readSeedTogether(t, dir)
	text := map[string]string{"000": reports[0].Article.Text, "001": reports[1].Article.Text}
	remarks := Remarks(reports)

	// What each remark holds of the things EXPECTED.md names: the
	// examples of one remark (a quote holding the example's words) and
	// the fragments quoted on their own (a quote that is the fragment).
	named := func(r dossier.Remark) (same, quoted map[int]bool) {
		same, quoted = map[int]bool{}, map[int]bool{}
		for _, q := range r.Quotes {
			qt := text[q.Article][q.Start:q.End]
			for i, ex := range want.same {
				if holdsSnippet(qt, map[string]string{"000": ex[0], "001": ex[1]}[q.Article]) {
					same[i] = true
				}
			}
			for i, f := range want.quoted {
				if normWordsOf(strings.Trim(f, `"“”`)) == normWordsOf(qt) {
					quoted[i] = true
				}
			}
		}
		return same, quoted
	}
	for i, ex := range want.same {
		found := false
		for _, r := range remarks {
			if same, _ := named(r); !same[i] {
				continue
			}
			arts := map[string]bool{}
			for _, q := range r.Quotes {
				if holdsSnippet(text[q.Article][q.Start:q.End], map[string]string{"000": ex[0], "001": ex[1]}[q.Article]) {
					arts[q.Article] = true
				}
			}
			if arts["000"] && arts["001"] {
				found = true
			}
		}
		if !found {
			t.Errorf("example %d of one remark in two outlets is not one remark across both seeds", i+1)
		}
	}
	for _, r := range remarks {
		if same, quoted := named(r); len(same) > 1 || len(quoted) > 1 {
			t.Errorf("one remark merges what EXPECTED.md names apart: examples %v, snippetFragments %v (%q)", same, quoted, r.Text)
		}
	}

	// Unique: each fact only one seed reported is in a sentence listed for
	// it; no sentence listed is one stating a remark both carry.
	listed := map[string][]string{}
	for _, u := range Unique(reports) {
		listed[u.Article] = append(listed[u.Article], text[u.Article][u.Start:u.End])
	}
	for id, facts := range want.only {
		for _, fact := range facts {
			if !anyMentions(listed[id], fact) {
				t.Errorf("seed %s: no sentence listed as unique mentions %q", id, fact)
			}
		}
	}
	for _, r := range remarks {
		if len(r.Outlets) < 2 {
			continue
		}
		for _, q := range r.Quotes {
			for _, s := range listed[q.Article] {
				if wholly := strings.Contains(text[q.Article][q.Start:q.End], strings.Trim(s, `"“”,. `)); wholly {
					t.Errorf("seed %s: a sentence of a remark both outlets carry is listed as unique: %q", q.Article, s)
				}
			}
		}
	}
	for _, ex := range want.same {
		for k, id := range []string{"000", "001"} {
			for _, s := range listed[id] {
				if holdsSnippet(s, ex[k]) && sharedMost(s, ex[k]) {
					t.Errorf("seed %s: the sentence of a shared remark is listed as unique: %q", id, s)
				}
			}
		}
	}
	t.Logf("seeds: %d remarks, %d across both; unique sentences 000: %d, 001: %d", len(remarks), countShared(remarks), len(listed["000"]), len(listed["001"]))
}

func countShared(rs []dossier.Remark) int {
	n := 0
	for _, r := range rs {
		if len(r.Outlets) > 1 {
			n++
		}
	}
	return n
}

// anyMentions says whether a sentence mentions a fact: most of the fact's
// content words, or for alternatives ("a / b") those of one of them.
func anyMentions(sents []string, fact string) bool {
	for _, alt := range strings.Split(fact, "/") {
		key := words.Content(strings.Trim(alt, `"“” `))
		if len(key) == 0 {
			continue
		}
		for _, s := range sents {
			have := map[string]bool{}
			for _, w := range words.Content(s) {
				have[w] = true
			}
			n := 0
			for _, w := range key {
				if have[w] {
					n++
				}
			}
			if 2*n >= len(key) {
				return true
			}
		}
	}
	return false
}

// sharedMost says whether most content words of a sentence are the
// snippet's.
func sharedMost(sent, snippet string) bool {
	sn := map[string]bool{}
	for _, w := range words.Content(snippet) {
		sn[w] = true
	}
	cw := words.Content(sent)
	n := 0
	for _, w := range cw {
		if sn[w] {
			n++
		}
	}
	return 2*n > len(cw)
}
