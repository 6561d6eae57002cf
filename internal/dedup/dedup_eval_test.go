package dedup

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/describe"
	"github.com/dossiernews/dossier/internal/evaldata"
)

type evalArticle struct {
	URL    string `json:"url"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	Outlet string `json:"outlet"`
}

type evalGold struct {
	Line     int    `json:"line"`
	Group    int    `json:"group"`
	Story    string `json:"story"`
	Unscored []int  `json:"unscored"`
}

type evalSet struct {
	titles, texts []string
	gold          []evalGold
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open eval data: %w", err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

func loadDedupDev(tb testing.TB) evalSet {
	tb.Helper()
	dir := evaldata.Dir(tb, "eval/dedup-dev")
	arts, err := readJSONL[evalArticle](filepath.Join(dir, "stream.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	gold, err := readJSONL[evalGold](filepath.Join(dir, "gold.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(arts) != len(gold) {
		tb.Fatalf("stream has %d articles, gold %d", len(arts), len(gold))
	}
	// Clean each record as ingest does, so that title and text are what
	// the index sees end to end.
	cl := clean.New(clean.WithoutMemory())
	set := evalSet{gold: gold}
	for _, a := range arts {
		page := cl.Text(a.Text, a.Title)
		if len(page.Paragraphs) == 0 && page.Title != "" {
			page.Paragraphs = []string{page.Title}
		}
		hints := describe.Hints{URL: a.URL, Title: a.Title, Outlet: a.Outlet}
		if !clean.IsHeadline(a.Title) {
			hints.Title = ""
		}
		meta := describe.Describe(describe.Input{Page: page, Hints: hints})
		set.titles = append(set.titles, meta.Title)
		set.texts = append(set.texts, page.Text())
	}
	return set
}

// half keeps the gold groups whose hash has parity h, to show that a figure
// holds on data its settings were not picked on.
func (set evalSet) half(h int) evalSet {
	var out evalSet
	for i, g := range set.gold {
		if int(mix64(uint64(g.Group))&1) == h {
			out.titles = append(out.titles, set.titles[i])
			out.texts = append(out.texts, set.texts[i])
			out.gold = append(out.gold, g)
		}
	}
	return out
}

// indexCopies files copies in the index too, a match on one giving its
// original (DEDUP_COPIES=1).
var indexCopies = os.Getenv("DEDUP_COPIES") != ""

// runPipeline links each article exactly as ingest does: exact fingerprint
// first, then Match against canonical articles; canonical ones are added.
// It returns the canonical position of each article.
func runPipeline(cfg Config, texts []string, sigs []Signature) []int {
	ix := NewIndex(cfg)
	byFP := map[string]int{}
	pos := map[string]int{}
	canon := make([]int, len(texts))
	for n, t := range texts {
		fp := Fingerprint(t)
		if c, ok := byFP[fp]; ok {
			canon[n] = c
			continue
		}
		id := fmt.Sprint("line", n+1)
		if m, _, ok := ix.Match(sigs[n]); ok {
			canon[n] = canon[pos[m]]
			if indexCopies {
				pos[id] = n
				ix.Add(id, sigs[n])
			}
			continue
		}
		canon[n] = n
		byFP[fp] = n
		pos[id] = n
		ix.Add(id, sigs[n])
	}
	return canon
}

type pairScore struct {
	P, R, F1    float64
	sameStoryFP int
	tp, fp, fn  int
	rate        float64 // articles/s for Fingerprint, Sign and Match/Add
}

// scorePairs mirrors score_dedup.py.
func scorePairs(gold []evalGold, canon []int) pairScore {
	var s pairScore
	for x := range gold {
		skip := map[int]bool{}
		for _, u := range gold[x].Unscored {
			skip[u] = true
		}
		for y := x + 1; y < len(gold); y++ {
			if skip[gold[y].Group] {
				continue
			}
			g := gold[x].Group == gold[y].Group
			p := canon[x] == canon[y]
			switch {
			case g && p:
				s.tp++
			case g:
				s.fn++
			case p:
				s.fp++
				if gold[x].Story == gold[y].Story {
					s.sameStoryFP++
				}
			}
		}
	}
	s.P, s.R = 1, 1
	if s.tp+s.fp > 0 {
		s.P = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		s.R = float64(s.tp) / float64(s.tp+s.fn)
	}
	if s.P+s.R > 0 {
		s.F1 = 2 * s.P * s.R / (s.P + s.R)
	}
	return s
}

func evalConfig(set evalSet, cfg Config) (pairScore, []int) {
	start := time.Now()
	sigs := make([]Signature, len(set.texts))
	for i, t := range set.texts {
		sigs[i] = cfg.SignArticle(set.titles[i], t)
	}
	canon := runPipeline(cfg, set.texts, sigs)
	s := scorePairs(set.gold, canon)
	s.rate = float64(len(set.texts)) / time.Since(start).Seconds()
	return s, canon
}

// TestDedupDev measures pairwise P/R/F1 on the public dev set and on its two
// halves (gold groups split by a hash). DEDUP_DEBUG=1 lists the errors.
func TestDedupDev(t *testing.T) {
	all := loadDedupDev(t)
	cfg := DefaultConfig()
	for _, tc := range []struct {
		name  string
		set   evalSet
		floor float64
		ss    int
	}{
		{"all", all, 0.99, 3},
		{"half0", all.half(0), 0.99, 2},
		{"half1", all.half(1), 0.99, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, canon := evalConfig(tc.set, cfg)
			t.Logf("dedup-dev %s: pairwise P %.4f R %.4f F1 %.4f; same-story false links %d (tp %d fp %d fn %d); %.0f articles/s",
				tc.name, s.P, s.R, s.F1, s.sameStoryFP, s.tp, s.fp, s.fn, s.rate)
			if os.Getenv("DEDUP_DEBUG") != "" {
				logErrors(t, cfg, tc.set, canon)
			}
			if s.F1 < tc.floor {
				t.Errorf("F1 %.4f below floor %.3f", s.F1, tc.floor)
			}
			if s.sameStoryFP > tc.ss {
				t.Errorf("%d independent same-story pairs linked, want at most %d", s.sameStoryFP, tc.ss)
			}
		})
	}
}

// logErrors lists, per gold group split by the pipeline and per canonical
// article joining groups, one pair with what judge saw.
func logErrors(t *testing.T, cfg Config, set evalSet, canon []int) {
	sig := func(i int) Signature { return cfg.SignArticle(set.titles[i], set.texts[i]) }
	show := func(kind string, x, y int) {
		a, b := sig(x), sig(y)
		j, rel, ok := cfg.judge(a, b)
		small, large := a, b
		if a.size() > b.size() {
			small, large = b, a
		}
		lo := overlap(small, large, titlesAgree(small, large))
		t.Logf("%s lines %d %d: sizes %d %d J %.2f cont %.2f added %d lead %.2f paras %.2f (%d %d) rel %d ok %v",
			kind, set.gold[x].Line, set.gold[y].Line, a.size(), b.size(), j, j*float64(a.size()+b.size())/(1+j)/float64(small.size()-lo.added), lo.added,
			lo.share(), paraShare(a.paras(), b.paras()), len(a.paras()), len(b.paras()), rel, ok)
	}
	byGroup := map[int][]int{}
	for i, g := range set.gold {
		byGroup[g.Group] = append(byGroup[g.Group], i)
	}
	for _, members := range byGroup {
		first := map[int]int{} // canonical -> first member
		for _, i := range members {
			if _, ok := first[canon[i]]; !ok {
				first[canon[i]] = i
			}
		}
		var reps []int
		for _, i := range members {
			if first[canon[i]] == i {
				reps = append(reps, i)
			}
		}
		for k := 1; k < len(reps); k++ {
			show("missed", reps[0], reps[k])
		}
	}
	byCanon := map[int][]int{}
	for i, c := range canon {
		byCanon[c] = append(byCanon[c], i)
	}
	for _, members := range byCanon {
		seen := map[int]int{}
		for _, i := range members {
			g := set.gold[i].Group
			if _, ok := seen[g]; ok {
				continue
			}
			for g2, j := range seen {
				if slices.Contains(set.gold[i].Unscored, g2) {
					continue
				}
				kind := "linked"
				if set.gold[i].Story == set.gold[j].Story {
					kind = "linked-same-story"
				}
				show(kind, j, i)
			}
			seen[g] = i
		}
	}
}

// TestDedupDevSweep explores settings; run with DEDUP_SWEEP=1 (and
// DEDUP_HALF=0|1 for one half of the gold groups).
func TestDedupDevSweep(t *testing.T) {
	if os.Getenv("DEDUP_SWEEP") == "" {
		t.Skip("set DEDUP_SWEEP=1 to sweep settings")
	}
	set := loadDedupDev(t)
	if h := os.Getenv("DEDUP_HALF"); h == "0" || h == "1" {
		set = set.half(int(h[0] - '0'))
	}
	base := DefaultConfig()
	var cfgs []Config
	for _, th := range []float64{0.5, 0.55, 0.6} {
		for _, c := range []float64{0.7} {
			for _, pp := range []float64{0.5} {
				for _, tr := range []float64{0.5} {
					cfg := base
					cfg.Threshold, cfg.Containment, cfg.Paragraphs, cfg.TitledRatio = th, c, pp, tr
					cfgs = append(cfgs, cfg)
				}
			}
		}
	}
	for _, cfg := range cfgs {
		s, _ := evalConfig(set, cfg)
		t.Logf("T=%.2f C=%.2f R=%.2f L=%.2f TR=%.2f P=%.2f M=%d: P %.4f R %.4f F1 %.4f ss %d",
			cfg.Threshold, cfg.Containment, cfg.MinRatio, cfg.Lead, cfg.TitledRatio, cfg.Paragraphs, cfg.MinShingles, s.P, s.R, s.F1, s.sameStoryFP)
	}
}
