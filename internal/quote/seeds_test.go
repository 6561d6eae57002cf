package quote

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/evaldata"
)

// seedBody turns a seed crawl file into clean text the simple way: drop the
// title line, keep lines that read as sentences (long, ending in sentence
// punctuation or a quote mark), each once, as paragraphs.
func seedBody(raw string) string {
	lines := strings.Split(raw, "\n")
	seen := map[string]bool{}
	var paras []string
	for _, l := range lines[1:] {
		l = strings.TrimFunc(l, unicode.IsSpace)
		if len(strings.Fields(l)) < 8 || seen[l] {
			continue
		}
		last := []rune(l)[len([]rune(l))-1]
		if !strings.ContainsRune(".?!\"”)", last) {
			continue
		}
		seen[l] = true
		paras = append(paras, l)
	}
	return strings.Join(paras, "\n\n")
}

func findSeed(t *testing.T, dir, prefix string) (string, []dossier.Quote) {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v %v", prefix, m, err)
	}
	raw, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	body := seedBody(string(raw))
	qs := Find(body)
	for _, q := range qs {
		if body[q.Start:q.End] != q.Text {
			t.Errorf("seed %s: [%d,%d) slices to %q, Text is %q", prefix, q.Start, q.End, body[q.Start:q.End], q.Text)
		}
	}
	return body, qs
}

// TestSeeds checks EXPECTED.md's quote expectations: every quote of both
// seeds is the US official's, except the Olympic committee's fragment.
func TestSeeds(t *testing.T) {
	dir := evaldata.Dir(t, "seeds")
	const official = "Mark Lambert"
	_, q0 := findSeed(t, dir, "000")
	_, q1 := findSeed(t, dir, "001")
	if len(q0) < 11 {
		t.Errorf("seed 000: %d quotes, want at least 11", len(q0))
	}
	if len(q1) < 6 {
		t.Errorf("seed 001: %d quotes, want at least 6", len(q1))
	}
	// Fragments the expectations name, by their words.
	wantPartial := map[string]string{
		"no reservations":     official,
		"rational player":     official,
		"off ramp":            official,
		"a moot question":     official,
		"unilateral decision": "International Olympic Committee",
	}
	found := map[string]bool{}
	for i, qs := range [][]dossier.Quote{q0, q1} {
		for _, q := range qs {
			key := strings.TrimRight(strings.ToLower(q.Text), ".,")
			want := official
			if w, ok := wantPartial[key]; ok {
				found[key] = true
				want = w
				if !q.Partial {
					t.Errorf("seed %d: %q should be partial", i, q.Text)
				}
			}
			if q.Speaker != want {
				t.Errorf("seed %d: %.50q speaker %q (cue %q), want %q", i, q.Text, q.Speaker, q.Cue, want)
			}
		}
	}
	for k := range wantPartial {
		if !found[k] {
			t.Errorf("fragment %q not found", k)
		}
	}
}
