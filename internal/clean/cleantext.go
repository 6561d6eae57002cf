package clean

import (
	"hash/fnv"
	"slices"
	"strings"

	"github.com/dossiernews/dossier/internal/words"
)

// Text cleans text as scrapers save it. A title that is a headline (see
// IsHeadline) is the title, capped, and a leading line repeating it is
// dropped; otherwise (no title, a date, a URL) the first line shaped like a
// headline is the title and leaves the body.
func (c *Cleaner) Text(raw, title string) Page {
	return c.TextWithTemplate(raw, title, nil)
}

// TextWithTemplate is Text for a page of an outlet whose furniture is
// known: lines of the template leave the body as furniture whatever their
// shape. A nil template is none.
func (c *Cleaner) TextWithTemplate(raw, title string, t *Template) Page {
	lines := splitLines(raw)
	title = normLine(title)
	var p Page
	start, keys := 0, title
	if headlineShape(title) {
		p.Title = shortTitle(title)
	} else {
		p.Title, start = leadTitle(lines, &p)
		keys = p.Title
	}
	p.Paragraphs = c.classifyLines(lines, start, keys, t, &p)
	return p
}

// titleKeys are the forms of the title a later line may repeat: the whole
// title, and its parts around a site-name separator ("Headline | Site").
func titleKeys(title string) map[string]bool {
	keys := map[string]bool{}
	t := strings.ToLower(title)
	if t == "" {
		return keys
	}
	keys[t] = true
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » "} {
		for _, part := range strings.Split(t, sep) {
			if part = strings.TrimSpace(part); len(strings.Fields(part)) >= 3 {
				keys[part] = true
			}
		}
	}
	return keys
}

// doc is one document's lines with what the classifier knows of each.
type doc struct {
	fs     []feat
	start  int
	prose  bool // the stopword list covers the document's language
	counts map[string]int
	in     []bool // inside a main region
	title  map[string]bool
	words  []string // the title's lowercase words
}

// analyse computes the features and the rule and context-free verdicts of
// lines[start:].
func (c *Cleaner) analyse(lines []string, start int, title string, t *Template) *doc {
	n := len(lines)
	d := &doc{fs: make([]feat, n), start: start, counts: map[string]int{}, title: titleKeys(title)}
	d.words = strings.Fields(strings.ToLower(title))
	fs := d.fs
	words := make([]int, n)
	for i := start; i < n; i++ {
		fs[i] = lineFeatures(lines[i])
		words[i] = int(fs[i].words)
	}
	across := c.remember(lines, words)
	for i := start; i < n; i++ {
		across[i] = across[i] || t.has(lines[i])
	}
	// Stopword shares mean something only in a language the list covers.
	var sw, sn float64
	for i := start; i < n; i++ {
		if fs[i].words >= 8 {
			sw += fs[i].stop
			sn++
		}
	}
	d.prose = sn > 0 && sw/sn >= 0.12
	for i := start; i < n; i++ {
		d.counts[lines[i]]++
	}
	for i := start; i < n; i++ {
		f := &fs[i]
		f.across = across[i]
		if d.title[strings.ToLower(f.text)] {
			f.rule, f.kind = true, Title
			continue
		}
		next, prev := "", ""
		if i+1 < n {
			next = lines[i+1]
		}
		if i > start {
			prev = lines[i-1]
		}
		if k, ok := ruleKind(*f, next); ok {
			f.rule, f.kind = true, k
			continue
		}
		if prev == f.text && fs[i-1].rule && fs[i-1].kind == Caption {
			f.rule, f.kind = true, Caption
			continue
		}
		// A short line that recurs inside the document is a menu or widget.
		classify(f, c.params(), d.prose, across[i] || d.counts[f.text] >= 3 && f.words <= 4)
	}
	d.in = regions(fs, start, c.params())
	return d
}

// heuristic is the hand-set verdict on a line no rule decided: inside a
// main region and not bad, or good and long enough outside one.
func (d *doc) heuristic(i int, pr params) bool {
	f := d.fs[i]
	return d.in[i] && (f.cls != bad || pr.shortInRegion && f.weak) || f.cls == good && f.words >= pr.outsideWords
}

// classifyLines sorts lines[start:] into body paragraphs and removed lines.
func (c *Cleaner) classifyLines(lines []string, start int, title string, t *Template, p *Page) []string {
	d := c.analyse(lines, start, title, t)
	keep := d.keep(c.params(), lineStage1, lineStage2)
	var body []string
	rep := newRepeats()
	seenCap := map[string]bool{}
	for i := start; i < len(lines); i++ {
		f := d.fs[i]
		if f.rule {
			p.Removed = append(p.Removed, Line{Text: f.text, Kind: f.kind, Index: i})
			if f.kind == Caption && !seenCap[f.text] {
				seenCap[f.text] = true
				p.Captions = append(p.Captions, f.text)
			}
			continue
		}
		if !keep[i] {
			p.Removed = append(p.Removed, Line{Text: f.text, Kind: Furniture, Index: i})
			continue
		}
		if rep.repeat(f.text) {
			p.Removed = append(p.Removed, Line{Text: f.text, Kind: Repeat, Index: i})
			continue
		}
		body = append(body, f.text)
	}
	return body
}

// params are the classifier's weights, tuned on the dev text dumps.
type params struct {
	goodWords         float64 // a line this long is body-like
	goodWordsTerminal float64 // a sentence this long is body-like
	outsideWords      float64 // a line this long is kept even outside the main region
	neutralCost       float64
	badCost           float64
	goodCap           float64
	shortInRegion     bool    // keep very short lines (not widgets) inside a region
	swLong            float64 // stopword share a long line needs to be body-like
	swMid             float64 // stopword share that makes a mid-length non-sentence body-like
	extend            int     // region grows over up to this many adjacent sentence-like lines
	termCost          float64 // cost of a short line that ends like a sentence
	otherRegion       float64 // a further region scoring this share of the best is kept too
}

// defaultParams: outsideWords 1000 and swMid 2 switch those two rules off;
// on dev they did not pay (kept for tuning on more data).
func defaultParams() params {
	return params{goodWords: 16, goodWordsTerminal: 8, outsideWords: 1000, neutralCost: 3, badCost: 15, goodCap: 60, otherRegion: 0.3, swLong: 0.1, swMid: 2, extend: 2, termCost: 2}
}

// regions marks the main region and any other region scoring at least
// otherRegion times as much (articles split by a widget in the middle).
func regions(fs []feat, start int, pr params) []bool {
	in := make([]bool, len(fs))
	lo, hi, best := mainRegion(fs, start, pr)
	for i := lo; i < hi; i++ {
		in[i] = true
	}
	defer func() {
		// Grow each region over neighbouring short sentences (a lead, a
		// closing line): prose shape is evidence enough next to the body.
		if pr.extend <= 0 {
			return
		}
		marks := slices.Clone(in)
		for i := start; i < len(fs); i++ {
			if !marks[i] {
				continue
			}
			for _, dir := range []int{-1, 1} {
				j := i + dir
				if j >= start && j < len(fs) && marks[j] {
					continue
				}
				for k := 0; k < pr.extend && j >= start && j < len(fs) && !marks[j]; k++ {
					f := fs[j]
					if f.rule {
						j += dir
						continue
					}
					if f.cls != neutral || !f.terminal || !f.upper || f.words < 4 {
						break
					}
					in[j] = true
					j += dir
				}
			}
		}
	}()
	if pr.otherRegion >= 1 || best <= 0 {
		return in
	}
	// Search the rest, one segment at a time, on both sides.
	type span struct{ lo, hi int }
	todo := []span{{start, lo}, {hi, len(fs)}}
	for len(todo) > 0 {
		sp := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if sp.hi-sp.lo <= 0 {
			continue
		}
		l, h, sc := mainRegion(fs[:sp.hi], sp.lo, pr)
		if sc < pr.otherRegion*best || h <= l {
			continue
		}
		for i := l; i < h; i++ {
			in[i] = true
		}
		todo = append(todo, span{sp.lo, l}, span{h, sp.hi})
	}
	return in
}

// mainRegion finds the run of lines with the best body score: good lines
// earn their length, short and furniture lines cost, so head and tail
// menus fall outside while a short line between paragraphs stays inside.
func mainRegion(fs []feat, start int, pr params) (int, int, float64) {
	best, bestLo, bestHi := 0.0, start, start
	cur, curLo := 0.0, start
	for i := start; i < len(fs); i++ {
		var s float64
		f := fs[i]
		switch {
		case f.rule:
			s = 0
		case f.cls == good:
			s = f.words
			if s > pr.goodCap {
				s = pr.goodCap
			}
		case f.cls == bad:
			s = -pr.badCost
		case f.terminal:
			s = -pr.termCost
		default:
			s = -pr.neutralCost
		}
		if cur <= 0 {
			cur, curLo = 0, i
		}
		cur += s
		if cur > best {
			best, bestLo, bestHi = cur, curLo, i+1
		}
	}
	return bestLo, bestHi, best
}

// sentenceCut is the probability under which a sentence in the main region
// is dropped (0.5 for other lines). On the even half of dev it costs 0.001
// of F1 against 0.5.
const sentenceCut = 0.3

// keep is the verdict on every line no rule decided: the line model's,
// or the heuristic's when m1 is nil.
func (d *doc) keep(pr params, m1, m2 scorer) []bool {
	out := make([]bool, len(d.fs))
	if m1 == nil {
		for i := d.start; i < len(d.fs); i++ {
			out[i] = !d.fs[i].rule && d.heuristic(i, pr)
		}
		return out
	}
	p, _ := d.predict(pr, m1, m2)
	for i := d.start; i < len(d.fs); i++ {
		// The model may rescue a line bad by shape, never one the lexicon
		// or the memory names furniture.
		f := d.fs[i]
		// A whole sentence inside the main region takes stronger evidence to
		// drop: losing the article's last paragraph is worse than keeping a
		// bio line.
		cut := 0.5
		if d.in[i] && f.cls == good && f.terminal && f.upper {
			cut = sentenceCut
		}
		out[i] = !f.rule && !f.strong && p[i] > cut
	}
	return out
}

// repeats finds body lines that repeat earlier ones word for word or nearly:
// a body saved twice where the second copy was edited a little, its
// paragraphs split or merged differently.
type repeats struct {
	lines    map[string]bool
	shingles map[uint64]bool
	last     bool // the previous line was a near repeat
}

// Near-repeat thresholds: a line of at least minShingles word triples is a
// repeat when nearShare of them are already in the body; next to another
// repeat, runShare is enough (a copy's shorter or more edited lines).
const (
	minShingles = 6
	nearShare   = 0.7
	runShare    = 0.5
)

func newRepeats() *repeats {
	return &repeats{lines: map[string]bool{}, shingles: map[uint64]bool{}}
}

// repeat reports whether l repeats the body so far, and adds it to the body
// when it does not.
func (r *repeats) repeat(l string) bool {
	if r.lines[l] {
		r.last = true
		return true
	}
	sh := shingles(l)
	if len(sh) >= minShingles || r.last && len(sh) > 0 {
		hit := 0
		for _, h := range sh {
			if r.shingles[h] {
				hit++
			}
		}
		share := float64(hit) / float64(len(sh))
		if share >= nearShare || r.last && share >= runShare {
			r.last = true
			return true
		}
	}
	r.last = false
	r.lines[l] = true
	for _, h := range sh {
		r.shingles[h] = true
	}
	return false
}

// shingles hashes the line's runs of three lowercase words and numbers.
func shingles(l string) []uint64 {
	toks := words.Tokens(l)
	if len(toks) < 3 {
		return nil
	}
	out := make([]uint64, 0, len(toks)-2)
	h := fnv.New64a()
	for i := 0; i+2 < len(toks); i++ {
		h.Reset()
		for _, t := range toks[i : i+3] {
			h.Write([]byte(strings.ToLower(t.Text)))
			h.Write([]byte{0})
		}
		out = append(out, h.Sum64())
	}
	return out
}
