package clean

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/evaldata"
)

// evalItem is one page of the trafilatura benchmark.
type evalItem struct {
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

var reSpaces = regexp.MustCompile(`\s+`)

func normWS(s string) string { return strings.TrimSpace(reSpaces.ReplaceAllString(s, " ")) }

// score mirrors score_extraction.py: substring match of whitespace-normalised
// segments; a page with no text misses all its `with` segments.
type score struct{ tp, fp, fn, tn, missing int }

func (s *score) add(it evalItem, text string) {
	t := normWS(text)
	if t == "" {
		s.missing++
		s.fn += len(it.With)
		s.tn += len(it.Without)
		return
	}
	for _, w := range it.With {
		if strings.Contains(t, normWS(w)) {
			s.tp++
		} else {
			s.fn++
		}
	}
	for _, w := range it.Without {
		if strings.Contains(t, normWS(w)) {
			s.fp++
		} else {
			s.tn++
		}
	}
}

func (s score) f1() float64 {
	d := 2*s.tp + s.fp + s.fn
	if d == 0 {
		return 0
	}
	return 2 * float64(s.tp) / float64(d)
}

func (s score) String() string {
	p := float64(s.tp) / float64(max(s.tp+s.fp, 1))
	r := float64(s.tp) / float64(max(s.tp+s.fn, 1))
	return "precision " + ftoa(p) + " recall " + ftoa(r) + " F1 " + ftoa(s.f1())
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

func loadEval(t testing.TB) (string, []evalItem) {
	dir := evaldata.Dir(t, "eval/trafilatura-dev")
	b, err := os.ReadFile(filepath.Join(dir, "evaldata.json"))
	if err != nil {
		t.Fatalf("read evaldata: %v", err)
	}
	var m map[string]evalItem
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("parse evaldata: %v", err)
	}
	items := make([]evalItem, 0, len(m))
	for _, it := range m {
		items = append(items, it)
	}
	return dir, items
}

// TestEvalTextDump scores the line classifier on the dev text dumps.
func TestEvalTextDump(t *testing.T) {
	dir, items := loadEval(t)
	c := New()
	var s score
	start := time.Now()
	for _, it := range items {
		b, err := os.ReadFile(filepath.Join(dir, "textdump", it.File+".txt"))
		if err != nil {
			s.add(it, "")
			continue
		}
		p := c.Text(string(b), "")
		s.add(it, p.Text())
	}
	t.Logf("textdump: %d pages in %v: %v", len(items), time.Since(start), s)
	if f := s.f1(); f < textDumpFloor {
		t.Errorf("textdump F1 %.3f below floor %.3f", f, textDumpFloor)
	}
}

const textDumpFloor = 0.875

// TestEvalHTML scores extraction on the dev HTML pages, also on each half
// (odd and even pages in name order) to show nothing is fitted to one.
func TestEvalHTML(t *testing.T) {
	if testing.Short() {
		t.Skip("HTML benchmark takes ~15 s")
	}
	dir, items := loadEval(t)
	slices.SortFunc(items, func(a, b evalItem) int { return strings.Compare(a.File, b.File) })
	c := New()
	var s score
	var half [2]score
	start := time.Now()
	for i, it := range items {
		b, err := os.ReadFile(filepath.Join(dir, "html", it.File))
		if err != nil {
			s.add(it, "")
			half[i%2].add(it, "")
			continue
		}
		p, err := c.HTML(b, "")
		if err != nil {
			t.Logf("%s: %v", it.File, err)
		}
		s.add(it, p.Text())
		half[i%2].add(it, p.Text())
	}
	el := time.Since(start)
	t.Logf("html: %d pages in %v (%.0f pages/s): %v; half 0 %v; half 1 %v", len(items), el, float64(len(items))/el.Seconds(), s, half[0], half[1])
	if f := s.f1(); f < htmlFloor {
		t.Errorf("html F1 %.3f below floor %.3f", f, htmlFloor)
	}
}

const htmlFloor = 0.92

// TestEvalOwnExtractor scores Dossier's own extractor alone (no
// go-trafilatura), on the whole of dev and on each half.
func TestEvalOwnExtractor(t *testing.T) {
	if testing.Short() {
		t.Skip("HTML benchmark")
	}
	dir, items := loadEval(t)
	slices.SortFunc(items, func(a, b evalItem) int { return strings.Compare(a.File, b.File) })
	c := New()
	var s score
	var half [2]score
	for i, it := range items {
		b, err := os.ReadFile(filepath.Join(dir, "html", it.File))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(string(b))
		if err != nil {
			t.Fatal(err)
		}
		ex := extract(doc)
		p := c.fromContent(ex.text, Meta{Title: pageTitle(doc)}, ex.captions)
		s.add(it, p.Text())
		half[i%2].add(it, p.Text())
	}
	t.Logf("own extractor: %v; half 0 %v; half 1 %v", s, half[0], half[1])
	if f := s.f1(); f < ownFloor {
		t.Errorf("own extractor F1 %.3f below floor %.3f", f, ownFloor)
	}
}

const ownFloor = 0.90
