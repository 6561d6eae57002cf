package compare

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/quote"
	"github.com/dossiernews/dossier/internal/words"
)

type devArticle struct {
	URL    string `json:"url"`
	Outlet string `json:"outlet"`
	Text   string `json:"text"`
	group  int
}

// readDedupDev reads the stream with each line's gold group.
func readDedupDev(t *testing.T) []devArticle {
	t.Helper()
	dir := evaldata.Dir(t, "eval/dedup-dev")
	lines := func(name string, each func([]byte) error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			if err := each(sc.Bytes()); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var arts []devArticle
	lines("stream.jsonl", func(b []byte) error {
		var a devArticle
		err := json.Unmarshal(b, &a)
		arts = append(arts, a)
		return err
	})
	n := 0
	lines("gold.jsonl", func(b []byte) error {
		var g struct {
			Line, Group int
		}
		if err := json.Unmarshal(b, &g); err != nil {
			return err
		}
		if g.Line < 1 || g.Line > len(arts) {
			t.Fatalf("gold line %d outside the stream", g.Line)
		}
		arts[g.Line-1].group = g.Group
		n++
		return nil
	})
	if n != len(arts) {
		t.Fatalf("gold has %d lines, stream %d", n, len(arts))
	}
	return arts
}

// isCopy tells the benchmark's made copies: they live at its example
// mastheads' addresses (the README says how they were made).
func isCopy(a devArticle) bool { return strings.Contains(a.URL, ".example/news/") }

// copyPairs pairs each copy with the original of its group it shares most
// words with (a group can hold originals that overlap strongly).
func copyPairs(arts []devArticle) [][2]int {
	originals := map[int][]int{}
	for i, a := range arts {
		if !isCopy(a) {
			originals[a.group] = append(originals[a.group], i)
		}
	}
	var out [][2]int
	for i, a := range arts {
		if !isCopy(a) {
			continue
		}
		best, bestN := -1, -1
		cw := contentSet(a.Text)
		for _, o := range originals[a.group] {
			n := 0
			for w := range contentSet(arts[o].Text) {
				if cw[w] {
					n++
				}
			}
			if n > bestN {
				best, bestN = o, n
			}
		}
		if best >= 0 {
			out = append(out, [2]int{best, i})
		}
	}
	return out
}

func contentSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words.Content(s) {
		m[w] = true
	}
	return m
}

// TestDedupDevCopies compares each copy of dedup-dev with its original as
// two reports of one story. Copies never change what was said: every quote
// of the copy must be one remark with a quote of the original, and Unique
// may list for the copy only what it added, never a sentence it kept
// word for word.
func TestDedupDevCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a benchmark")
	}
	arts := readDedupDev(t)
	pairs := copyPairs(arts)
	if len(pairs) == 0 {
		t.Fatal("no copy pairs in dedup-dev")
	}
	var copyQuotes, aligned, speakerSplit int
	var verbatim, falseUnique, edited, editedUnique, added, addedUnique, furnitureUnique, listed int
	var examples []string
	for _, p := range pairs {
		o, c := arts[p[0]], arts[p[1]]
		orig := dossier.Article{ID: "orig", Outlet: "original", Text: o.Text, Quotes: quote.Find(o.Text)}
		cp := dossier.Article{ID: "copy", Outlet: c.Outlet, Text: c.Text, Quotes: quote.Find(c.Text)}
		reports := []Report{{Article: orig}, {Article: cp}}

		for _, r := range Remarks(reports) {
			var fromOrig, fromCopy int
			for _, q := range r.Quotes {
				if q.Article == "orig" {
					fromOrig++
				} else {
					fromCopy++
				}
			}
			copyQuotes += fromCopy
			if fromOrig > 0 {
				aligned += fromCopy
			} else if fromCopy > 0 {
				n, ex := sameWordsElsewhere(r, cp, orig)
				speakerSplit += n
				if ex != "" && len(examples) < 8 {
					examples = append(examples, ex)
				}
			}
		}

		unique := map[words.Span]bool{}
		for _, u := range Unique(reports) {
			if u.Article == "copy" {
				unique[words.Span{Start: u.Start, End: u.End}] = true
			}
		}
		listed += len(unique)
		for _, sp := range words.Sentences(cp.Text) {
			sent := cp.Text[sp.Start:sp.End]
			switch {
			case strings.Contains(o.Text, sent):
				verbatim++
				if unique[sp] {
					falseUnique++
					t.Errorf("copy sentence kept word for word listed as unique: %q", sent)
				}
			case len(words.Content(sent)) < uniqueMinWords:
				if unique[sp] {
					furnitureUnique++
				}
			case similarToAny(sent, o.Text):
				edited++
				if unique[sp] {
					editedUnique++
					t.Logf("edited copy sentence listed as unique: %q", sent)
				}
			default:
				added++
				if unique[sp] {
					addedUnique++
				}
			}
		}
	}
	share := float64(aligned) / float64(max(1, copyQuotes))
	t.Logf("dedup-dev: %d copy/original pairs; copy quotes aligned with the original's %d/%d = %.3f (unaligned with an original quote of the same words but another speaker: %d)",
		len(pairs), aligned, copyQuotes, share, speakerSplit)
	t.Logf("dedup-dev: copy sentences kept verbatim %d, listed unique %d (false unique); edited %d, listed %d; added by the copy %d, listed %d; short furniture listed %d; listed in all %d",
		verbatim, falseUnique, edited, editedUnique, added, addedUnique, furnitureUnique, listed)
	for _, e := range examples {
		t.Logf("speakers differ: %s", e)
	}
	if falseUnique > 0 {
		t.Errorf("%d verbatim copy sentences listed as unique, want 0", falseUnique)
	}
	if share < minCopyQuotesAligned {
		t.Errorf("copy quotes aligned %.3f, want at least %.2f", share, minCopyQuotesAligned)
	}
	if editedUnique > 0 || furnitureUnique > 0 {
		t.Errorf("listed as unique: %d lightly edited copy sentences, %d short furniture lines; want 0", editedUnique, furnitureUnique)
	}
	if addedUnique < added*9/10 {
		t.Errorf("sentences the copy added listed as unique: %d of %d, want at least nine in ten", addedUnique, added)
	}
}

// minCopyQuotesAligned is the floor under the share of aligned copy
// quotes; a copy's quote goes unaligned only when the quote finder gives
// it another speaker than in the original (a cut paragraph took the name).
const minCopyQuotesAligned = 0.98

// sameWordsElsewhere counts the quotes of a copy-only remark whose words
// the original quotes under another speaker, with an example.
func sameWordsElsewhere(r dossier.Remark, cp, orig dossier.Article) (int, string) {
	n, ex := 0, ""
	for _, q := range r.Quotes {
		text := cp.Text[q.Start:q.End]
		for _, oq := range orig.Quotes {
			if strings.Contains(oq.Text, text) || strings.Contains(text, oq.Text) {
				n++
				ex = fmt.Sprintf("original %q, copy %q: %.50q", oq.Speaker, r.Speaker, text)
				break
			}
		}
	}
	return n, ex
}

// similarToAny says whether most content words of a sentence of the copy
// are in one sentence of the original (a sentence the copy edited).
func similarToAny(sent, text string) bool {
	cw := words.Content(sent)
	for _, sp := range words.Sentences(text) {
		ow := contentSet(text[sp.Start:sp.End])
		n := 0
		for _, w := range cw {
			if ow[w] {
				n++
			}
		}
		if 2*n >= len(cw) {
			return true
		}
	}
	return false
}
