package quote

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/evaldata"
)

// The scorer of ../shared/eval/score_quotes.py, re-expressed in Go.
var (
	goldQuoteRE = regexp.MustCompile(`[“"]([^“”"]+)[”"]`)
	wordRE      = regexp.MustCompile(`[a-z0-9]+`)
	capNameRE   = regexp.MustCompile(`[A-Z][a-zA-Z'-]+`)
	scorerPron  = setOf(`he she they it we i you his her their the a an who which that some many one others`)
)

func scoreWords(s string) []string { return wordRE.FindAllString(strings.ToLower(s), -1) }

func overlapF1(a, b []string) float64 {
	ca := map[string]int{}
	for _, w := range a {
		ca[w]++
	}
	common := 0
	for _, w := range b {
		if ca[w] > 0 {
			ca[w]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(len(b)), float64(common)/float64(len(a))
	return 2 * p * r / (p + r)
}

type goldQuote struct {
	words  []string
	source string
	text   string
}

type polnearScore struct {
	recall, precision, speaker float64
	spOK, spN, nGold, nPred    int
}

// scorePolnear runs Find over the dev articles and scores it as the Python
// scorer does. verbose logs speaker errors.
func scorePolnear(tb testing.TB, verbose bool) polnearScore {
	dir := evaldata.Dir(tb, "eval/polnear-dev")
	f, err := os.Open(filepath.Join(dir, "gold.jsonl"))
	if err != nil {
		tb.Fatalf("open gold: %v", err)
	}
	defer f.Close()
	gold := map[string][]goldQuote{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var g struct {
			Doc     string
			Content *struct{ Text string }
			Source  *struct{ Text string }
		}
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			tb.Fatalf("gold line: %v", err)
		}
		if _, ok := gold[g.Doc]; !ok {
			order = append(order, g.Doc)
			gold[g.Doc] = nil
		}
		if g.Content == nil {
			continue
		}
		segs := goldQuoteRE.FindAllStringSubmatch(g.Content.Text, -1)
		texts := []string{g.Content.Text}
		if len(segs) > 0 {
			texts = texts[:0]
			for _, s := range segs {
				texts = append(texts, s[1])
			}
		}
		src := ""
		if g.Source != nil {
			src = g.Source.Text
		}
		for _, t := range texts {
			if w := scoreWords(t); len(w) > 0 {
				gold[g.Doc] = append(gold[g.Doc], goldQuote{w, src, t})
			}
		}
	}
	var s polnearScore
	tpP, hit := 0, 0
	for _, docID := range order {
		raw, err := os.ReadFile(filepath.Join(dir, "text", docID+".txt"))
		if err != nil {
			tb.Fatalf("read article: %v", err)
		}
		body := string(raw)
		if i := strings.IndexByte(body, '\n'); i >= 0 {
			body = body[i+1:]
		} else {
			body = ""
		}
		body = strings.TrimLeft(body, "\n")
		var preds []dossier.Quote
		var pw [][]string
		for _, q := range Find(body) {
			if body[q.Start:q.End] != q.Text {
				tb.Errorf("%s: offsets [%d,%d) do not slice to %q", docID, q.Start, q.End, q.Text)
			}
			if w := scoreWords(q.Text); len(w) > 0 {
				preds = append(preds, q)
				pw = append(pw, w)
			}
		}
		gs := gold[docID]
		s.nPred += len(preds)
		for i, w := range pw {
			matched := false
			for _, g := range gs {
				if overlapF1(g.words, w) >= 0.5 {
					matched = true
					break
				}
			}
			if matched {
				tpP++
			} else if verbose {
				tb.Logf("EXTRA %s: %q", docID, preds[i].Text)
			}
		}
		for _, g := range gs {
			s.nGold++
			best, bestF := -1, 0.0
			for i, w := range pw {
				if f := overlapF1(g.words, w); best < 0 || f > bestF {
					best, bestF = i, f
				}
			}
			if best < 0 || bestF < 0.5 {
				if verbose {
					tb.Logf("MISS %s: %q", docID, g.text)
				}
				continue
			}
			hit++
			names := map[string]bool{}
			for _, n := range capNameRE.FindAllString(g.source, -1) {
				if l := strings.ToLower(n); !scorerPron[l] {
					names[l] = true
				}
			}
			if len(names) == 0 {
				if verbose && os.Getenv("QUOTE_PRON") != "" {
					tb.Logf("PRON %s: gold %q got %q (cue %q) for %.50q", docID, g.source, preds[best].Speaker, preds[best].Cue, preds[best].Text)
				}
				continue
			}
			s.spN++
			ok := false
			for _, w := range scoreWords(preds[best].Speaker) {
				if names[w] {
					ok = true
				}
			}
			if ok {
				s.spOK++
			} else if verbose {
				tb.Logf("SPEAKER %s: gold %q got %q (cue %q) for %.60q", docID, g.source, preds[best].Speaker, preds[best].Cue, preds[best].Text)
			}
		}
	}
	s.recall = float64(hit) / float64(max(s.nGold, 1))
	s.precision = float64(tpP) / float64(max(s.nPred, 1))
	s.speaker = float64(s.spOK) / float64(max(s.spN, 1))
	return s
}

// TestPolnearDev measures Find on the PolNeAR dev half with the scorer's
// rules and holds the floors the product must keep.
func TestPolnearDev(t *testing.T) {
	s := scorePolnear(t, os.Getenv("QUOTE_VERBOSE") != "")
	t.Logf("polnear-dev: gold %d predicted %d recall %.3f precision %.3f speaker %.3f (%d/%d)",
		s.nGold, s.nPred, s.recall, s.precision, s.speaker, s.spOK, s.spN)
	if s.recall < 0.98 || s.precision < 0.97 {
		t.Errorf("recall %.3f / precision %.3f below the 0.98 / 0.97 floors", s.recall, s.precision)
	}
	if s.speaker < 0.93 {
		t.Errorf("speaker accuracy %.3f below 0.93", s.speaker)
	}
}
