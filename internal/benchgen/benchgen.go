// Package benchgen writes a synthetic news corpus of any size with its own
// truth, for measuring Dossier at scale: overlapping topics, heavy-tailed
// stories spread over hours to weeks, syndicated copies, one-off articles,
// dated and undated articles, quotes; and scores stories and copies
// against that truth (BCubed and pairwise).
//
// The corpus is streamed in publication order, holding only the stories
// still running, so a million articles take little memory. The same Config
// gives the same bytes.
package benchgen

import (
	"bufio"
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config says what to generate.
type Config struct {
	N    int
	Seed uint64
	// Start is the first story's time; zero means 2024-01-08 06:00 UTC.
	Start time.Time
}

// Record is one input line in Dossier's JSONL format.
type Record struct {
	URL       string   `json:"url"`
	Title     string   `json:"title,omitempty"`
	Text      string   `json:"text"`
	Published *string  `json:"published"`
	Outlet    string   `json:"outlet"`
	Authors   []string `json:"authors,omitempty"`
}

// Truth is what one corpus line is, in corpus order.
type Truth struct {
	Line  int    `json:"line"` // from 1
	URL   string `json:"url"`
	Story string `json:"story"`
	// CopyOf is the URL of the report this article republishes, "" for an
	// independent report.
	CopyOf string `json:"copy_of,omitempty"`
	Topic  string `json:"topic"`
}

// Stats counts what Generate wrote.
type Stats struct {
	Articles int `json:"articles"`
	Stories  int `json:"stories"`
	Copies   int `json:"copies"`
	Undated  int `json:"undated"`
	OneOffs  int `json:"one_offs"`
}

// Tuning. Rates are per simulated day; they set how many stories of one
// topic run at once, which is what makes clustering hard.
const (
	articlesPerDay = 500
	topicsPerTheme = 4
	maxStorySize   = 500
	storyAlpha     = 1.3 // Pareto tail of story sizes
	copyShare      = 0.3 // of a story's later articles
	undatedShare   = 0.12
	oneOffShare    = 0.05 // of stories
	rareWords      = 3000
)

// Generate writes cfg.N articles as JSONL to corpus and their truth as
// JSONL to truth. It stops early with ctx's error.
func Generate(ctx context.Context, cfg Config, corpus, truth io.Writer) (Stats, error) {
	if cfg.N < 0 {
		return Stats{}, fmt.Errorf("benchgen: N %d: want 0 or more", cfg.N)
	}
	g := newGen(cfg)
	cw, tw := bufio.NewWriterSize(corpus, 1<<16), bufio.NewWriterSize(truth, 1<<16)
	for line := 1; line <= cfg.N; line++ {
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return g.stats, fmt.Errorf("benchgen: %w", err)
			}
		}
		rec, tr := g.next()
		tr.Line = line
		if err := writeJSON(cw, rec); err != nil {
			return g.stats, fmt.Errorf("benchgen: write corpus: %w", err)
		}
		if err := writeJSON(tw, tr); err != nil {
			return g.stats, fmt.Errorf("benchgen: write truth: %w", err)
		}
	}
	if err := errors.Join(cw.Flush(), tw.Flush()); err != nil {
		return g.stats, fmt.Errorf("benchgen: flush: %w", err)
	}
	return g.stats, nil
}

// Extra is one more article for a corpus made with cfg, not in it: an
// independent report of a new story, dated when the corpus ends.
func Extra(cfg Config) (Record, Truth) {
	cfg.Seed = cfg.Seed*0x9e3779b97f4a7c15 + 0x51 // a stream of its own
	g := newGen(cfg)
	g.seq = cfg.N + 1 // its URL differs from every corpus URL
	end := g.clock.Add(time.Duration(float64(cfg.N) / articlesPerDay * 24 * float64(time.Hour)))
	s := g.newStory(end)
	s.times = s.times[:1]
	rec, tr := g.report(s, s.times[0])
	tr.Line = 1
	return rec, tr
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

type outlet struct {
	name, host string
	wire       bool
	zone       *time.Location
	shape      string // the layout its timestamps use
}

type topic struct {
	id    string
	theme *theme
	words []string
}

type person struct{ first, last, role string }

func (p person) full() string { return p.first + " " + p.last }

// report is an article kept so that later copies can republish it.
type report struct {
	url, title string
	paras      []string
	outlet     int
}

type story struct {
	id       string
	topic    *topic
	oneOff   bool
	people   [2]person
	place    string
	place2   string
	words    [2]string // the story's own detail words
	org      string
	nums     [3]int
	day      time.Time // the event's date
	facts    []string
	quotes   []string
	titles   []string    // headline templates its reports use
	times    []time.Time // remaining article times, ascending
	reports  []report    // the latest independent reports
	index    int         // for the heap
	articles int
}

type gen struct {
	cfg     Config
	rng     *rand.Rand
	vocab   []string // Zipf-ranked
	zipf    *rand.Zipf
	topicZ  *rand.Zipf
	outlets []outlet
	topics  []topic
	active  storyHeap
	clock   time.Time // the next story's start
	stories int
	seq     int
	stats   Stats
}

func newGen(cfg Config) *gen {
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2024, 1, 8, 6, 0, 0, 0, time.UTC)
	}
	g := &gen{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x6e657773)), clock: cfg.Start}
	// The vocabulary and outlets do not depend on the seed.
	fixed := rand.New(rand.NewPCG(7, 11))
	seen := map[string]bool{}
	for _, w := range commonNouns {
		seen[w] = true
		g.vocab = append(g.vocab, w)
	}
	for len(g.vocab) < len(commonNouns)+rareWords {
		w := syllables(fixed, 2+fixed.IntN(2))
		if !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	g.zipf = rand.NewZipf(g.rng, 1.1, 2, uint64(len(g.vocab)-1))
	zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -5*3600),
		time.FixedZone("", 2*3600), time.FixedZone("", 9*3600), time.FixedZone("", -8*3600)}
	shapes := []string{time.RFC3339, time.RFC3339, time.RFC3339, time.RFC1123Z}
	for i := range 160 {
		place := capital(syllables(fixed, 1+fixed.IntN(2))) + pick(fixed, placeTo)
		o := outlet{zone: zones[fixed.IntN(len(zones))], shape: shapes[fixed.IntN(len(shapes))]}
		if i < 8 {
			o.name, o.wire = place+" "+pick(fixed, wireKinds), true
		} else {
			o.name = "The " + place + " " + pick(fixed, papers)
		}
		o.host = strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(o.name, "The "), " ", "")) + ".example"
		g.outlets = append(g.outlets, o)
	}
	for ti := range themes {
		for range topicsPerTheme {
			t := topic{id: fmt.Sprintf("t%02d", len(g.topics)), theme: &themes[ti]}
			for len(t.words) < 8 {
				// Topic words from the middle of the vocabulary: neither
				// the commonest words nor hapaxes.
				w := g.vocab[10+fixed.IntN(600)]
				if !contains(t.words, w) {
					t.words = append(t.words, w)
				}
			}
			g.topics = append(g.topics, t)
		}
	}
	g.topicZ = rand.NewZipf(g.rng, 1.2, 4, uint64(len(g.topics)-1))
	return g
}

// next returns the next article in publication order.
func (g *gen) next() (Record, Truth) {
	for len(g.active) == 0 || !g.clock.After(g.active[0].times[0]) {
		s := g.newStory(g.clock)
		heap.Push(&g.active, s)
		// Stories arrive as a Poisson process at the rate that gives
		// articlesPerDay; the mean story size is about 4.3.
		gap := g.rng.ExpFloat64() * 24 * float64(time.Hour) * 4.3 / articlesPerDay
		g.clock = g.clock.Add(time.Duration(gap))
	}
	s := g.active[0]
	t := s.times[0]
	s.times = s.times[1:]
	if len(s.times) == 0 {
		heap.Pop(&g.active)
	} else {
		heap.Fix(&g.active, 0)
	}
	if len(s.reports) > 0 && g.rng.Float64() < copyShare {
		return g.copyOf(s, t)
	}
	return g.report(s, t)
}

func (g *gen) newStory(start time.Time) *story {
	g.stories++
	g.stats.Stories++
	s := &story{id: fmt.Sprintf("s%07d", g.stories), day: start}
	size := 1
	if g.rng.Float64() < oneOffShare {
		s.oneOff = true
		s.topic = &topic{id: "none", theme: &themes[g.rng.IntN(len(themes))], words: []string{g.word(), g.word()}}
		g.stats.OneOffs++
	} else {
		s.topic = &g.topics[g.topicZ.Uint64()]
		size = min(maxStorySize, int(math.Pow(1-g.rng.Float64(), -1/storyAlpha)))
	}
	th := s.topic.theme
	for i := range s.people {
		s.people[i] = person{pick(g.rng, firstNames), g.surname(), pick(g.rng, th.roles[i])}
	}
	s.place = capital(syllables(g.rng, 1+g.rng.IntN(2))) + pick(g.rng, placeTo)
	s.place2 = capital(syllables(g.rng, 1+g.rng.IntN(2))) + pick(g.rng, placeTo)
	s.words = [2]string{g.vocab[50+g.rng.IntN(len(g.vocab)-50)], capital(g.vocab[50+g.rng.IntN(len(g.vocab)-50)])}
	s.org = capital(syllables(g.rng, 1+g.rng.IntN(2))) + " " + pick(g.rng, th.orgs)
	for i, r := range [][2]int{th.n1, th.n2, th.n3} {
		s.nums[i] = r[0] + g.rng.IntN(r[1]-r[0]+1)
	}
	if s.oneOff {
		s.facts = []string{g.fill(s, pick(g.rng, oneOff))}
		for range 4 + g.rng.IntN(4) {
			s.facts = append(s.facts, g.fill(s, pick(g.rng, background)))
		}
	} else {
		// The event's own facts: some of its theme's, the first leading,
		// general ones and details no other story has.
		for _, i := range g.rng.Perm(len(th.facts))[:3] {
			s.facts = append(s.facts, g.fill(s, th.facts[i]))
		}
		for _, i := range g.rng.Perm(len(general))[:4] {
			s.facts = append(s.facts, g.fill(s, general[i]))
		}
		for _, i := range g.rng.Perm(len(details))[:3] {
			s.facts = append(s.facts, g.fill(s, details[i]))
		}
		for _, i := range g.rng.Perm(len(th.quotes))[:2] {
			s.quotes = append(s.quotes, g.fill(s, th.quotes[i]))
		}
		for _, i := range g.rng.Perm(len(remarks))[:2] {
			s.quotes = append(s.quotes, g.fill(s, remarks[i]))
		}
		s.titles = append(append(s.titles, th.titles...), headlines[g.rng.IntN(len(headlines))], headlines[g.rng.IntN(len(headlines))])
	}
	// Duration log-uniform from two hours to two weeks, longer for big
	// stories; the first article comes at the start.
	lo, hi := math.Log(2), math.Log(14*24)
	hours := math.Exp(lo+g.rng.Float64()*(hi-lo)) * (1 + 0.3*math.Log(float64(size)))
	hours = min(hours, 42*24)
	s.times = make([]time.Time, size)
	for i := range s.times {
		s.times[i] = start
		if i > 0 {
			s.times[i] = start.Add(time.Duration(g.rng.Float64() * hours * float64(time.Hour)))
		}
	}
	slices.SortFunc(s.times, time.Time.Compare)
	return s
}

// report writes an independent report of s in an outlet's own words.
func (g *gen) report(s *story, t time.Time) (Record, Truth) {
	oi := g.rng.IntN(len(g.outlets))
	if g.rng.Float64() < 0.2 {
		oi = g.rng.IntN(8) // a wire agency
	}
	o := g.outlets[oi]
	var sentences []string
	if s.oneOff {
		sentences = append(sentences, s.facts...)
	} else {
		lead := g.reword(s.facts[0], 0.6)
		if o.wire {
			lead = strings.ToUpper(s.place) + ", " + s.day.Format("January 2") + " (" + o.name + ") — " + lead
		}
		sentences = append(sentences, lead)
		rest := append([]string(nil), s.facts[1:]...)
		g.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
		// An independent report tells some of the facts, in its own words,
		// with asides and background of its own.
		for _, f := range rest[:min(len(rest), 2+g.rng.IntN(5))] {
			f = g.reword(f, 0.6)
			if g.rng.Float64() < 0.2 {
				f = g.fill(s, pick(g.rng, asides)) + strings.ToLower(f[:1]) + f[1:]
			}
			sentences = append(sentences, f)
		}
		remarks := g.rng.Perm(len(s.quotes))
		for _, qi := range remarks[:1+g.rng.IntN(2)] {
			sentences = insert(g.rng, sentences, g.quote(s, s.quotes[qi]))
		}
		for range 1 + g.rng.IntN(2) {
			sentences = append(sentences, g.fill(s, pick(g.rng, topical)))
		}
		for range 1 + g.rng.IntN(3) {
			sentences = insert(g.rng, sentences, g.fill(s, pick(g.rng, background)))
		}
	}
	var paras []string
	for i := 0; i < len(sentences); {
		k := min(len(sentences)-i, 1+g.rng.IntN(2))
		paras = append(paras, strings.Join(sentences[i:i+k], " "))
		i += k
	}
	var title string
	if s.oneOff {
		title = capital(g.fill(s, "{a} {n} and {T}: notes from {PLACE}"))
	} else {
		title = g.fill(s, pick(g.rng, s.titles))
	}
	rec, tr := g.article(s, o, t, title, paras)
	if !s.oneOff {
		s.reports = append(s.reports, report{url: rec.URL, title: title, paras: paras, outlet: oi})
		if len(s.reports) > 4 {
			s.reports = s.reports[1:]
		}
	}
	return rec, tr
}

// copyOf republishes one of s's reports the way syndication does: another
// masthead, often retitled or cut short, with a dateline or byline, a
// local paragraph, or small edits.
func (g *gen) copyOf(s *story, t time.Time) (Record, Truth) {
	orig := s.reports[g.rng.IntN(len(s.reports))]
	oi := g.rng.IntN(len(g.outlets))
	if oi == orig.outlet {
		oi = (oi + 1) % len(g.outlets)
	}
	o := g.outlets[oi]
	paras := append([]string(nil), orig.paras...)
	if g.rng.Float64() < 0.4 && len(paras) > 3 {
		paras = paras[:2+g.rng.IntN(len(paras)-3)]
	}
	if g.rng.Float64() < 0.5 {
		for i := range paras {
			paras[i] = g.reword(paras[i], 0.15)
		}
	}
	if g.rng.Float64() < 0.3 {
		for i := range paras {
			paras[i] = curly(paras[i])
		}
	}
	if g.rng.Float64() < 0.4 && !strings.Contains(paras[0], " — ") {
		paras[0] = strings.ToUpper(s.place) + " — " + paras[0]
	}
	if g.rng.Float64() < 0.3 {
		paras = append([]string{"By " + pick(g.rng, firstNames) + " " + g.surname()}, paras...)
	}
	if g.rng.Float64() < 0.2 {
		paras = append(paras, g.fill(s, pick(g.rng, locals)))
	}
	title := orig.title
	switch r := g.rng.Float64(); {
	case r < 0.4:
		title = g.fill(s, pick(g.rng, s.titles))
	case r < 0.55:
		title = "UPDATE: " + title
	}
	rec, tr := g.article(s, o, t, title, paras)
	tr.CopyOf = orig.url
	g.stats.Copies++
	return rec, tr
}

func (g *gen) article(s *story, o outlet, t time.Time, title string, paras []string) (Record, Truth) {
	g.seq++
	g.stats.Articles++
	s.articles++
	slug := strings.ToLower(strings.Join(strings.Fields(title)[:min(5, len(strings.Fields(title)))], "-"))
	slug = strings.Map(func(r rune) rune {
		if r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, slug)
	local := t.In(o.zone)
	rec := Record{
		URL:    fmt.Sprintf("https://%s/%s/%s-%d", o.host, local.Format("2006/01/02"), slug, g.seq),
		Title:  title,
		Text:   strings.Join(paras, "\n\n"),
		Outlet: o.name,
	}
	if g.rng.Float64() < undatedShare {
		g.stats.Undated++
	} else {
		p := local.Format(o.shape)
		rec.Published = &p
	}
	if !o.wire && g.rng.Float64() < 0.6 {
		rec.Authors = []string{pick(g.rng, firstNames) + " " + g.surname()}
	}
	if g.rng.Float64() < 0.1 {
		// No title field: the text's first line is the headline.
		rec.Text = title + "\n\n" + rec.Text
		rec.Title = ""
	}
	return rec, Truth{URL: rec.URL, Story: s.id, Topic: s.topic.id}
}

// quote attributes one of the story's remarks in one of the usual shapes.
func (g *gen) quote(s *story, q string) string {
	p := s.people[g.rng.IntN(2)]
	switch g.rng.IntN(3) {
	case 0:
		return fmt.Sprintf("\"%s,\" said %s, the %s.", q, p.full(), p.role)
	case 1:
		return fmt.Sprintf("\"%s,\" %s said.", q, p.last)
	}
	return fmt.Sprintf("%s, the %s, said: \"%s.\"", p.full(), p.role, q)
}

// fill replaces a template's slots with the story's values.
func (g *gen) fill(s *story, tpl string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		b.WriteString(g.slot(s, tpl[i+1:i+j]))
		tpl = tpl[i+j+1:]
	}
}

func (g *gen) slot(s *story, name string) string {
	switch name {
	case "P1":
		return s.people[0].full()
	case "P2":
		return s.people[1].full()
	case "S1":
		return s.people[0].last
	case "S2":
		return s.people[1].last
	case "R1":
		return s.people[0].role
	case "R2":
		return s.people[1].role
	case "PLACE":
		return s.place
	case "PLACE2":
		return s.place2
	case "W1":
		return s.words[0]
	case "W2":
		return s.words[1]
	case "ORG":
		return s.org
	case "N1":
		return number(s.nums[0])
	case "N2":
		return number(s.nums[1])
	case "N3":
		return number(s.nums[2])
	case "DAY":
		return weekdays[s.day.Weekday()]
	case "DATE":
		return s.day.AddDate(0, 0, 3+int(s.nums[2]%9)).Format("January 2")
	case "T":
		return s.topic.words[g.rng.IntN(len(s.topic.words))]
	case "T2":
		return s.topic.words[g.rng.IntN(len(s.topic.words))]
	case "n":
		return g.word()
	case "a":
		return adjectives[g.rng.IntN(len(adjectives))]
	}
	return name
}

// word draws from the Zipf vocabulary.
func (g *gen) word() string { return g.vocab[g.zipf.Uint64()] }

func (g *gen) surname() string {
	return capital(syllables(g.rng, 1+g.rng.IntN(2))) + pick(g.rng, surnameTo)
}

// reword swaps interchangeable phrasings, each with probability p.
func (g *gen) reword(s string, p float64) string {
	for _, alts := range rewordings {
		for _, a := range alts {
			if g.rng.Float64() >= p {
				continue
			}
			if i := wordIndex(s, a); i >= 0 {
				s = s[:i] + pick(g.rng, alts) + s[i+len(a):]
			}
		}
	}
	return s
}

// wordIndex finds w in s as a whole word, remarks included: outlets
// paraphrase those too.
func wordIndex(s, w string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(w)
		if (i == 0 || !isLetter(s[i-1])) && (end == len(s) || !isLetter(s[end])) {
			return i
		}
		off = end
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func curly(s string) string {
	open := true
	return strings.Map(func(r rune) rune {
		if r != '"' {
			return r
		}
		open = !open
		if !open {
			return '“'
		}
		return '”'
	}, s)
}

func number(n int) string {
	if n < 10000 {
		return strconv.Itoa(n)
	}
	s := strconv.Itoa(n)
	return s[:len(s)-3] + "," + s[len(s)-3:]
}

func syllables(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pick(r, onsets))
		b.WriteString(pick(r, vowels))
		b.WriteString(pick(r, codas))
	}
	return b.String()
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func insert(r *rand.Rand, xs []string, x string) []string {
	i := 1 + r.IntN(len(xs))
	return append(xs[:i], append([]string{x}, xs[i:]...)...)
}

// storyHeap orders running stories by their next article's time.
type storyHeap []*story

func (h storyHeap) Len() int { return len(h) }
func (h storyHeap) Less(i, j int) bool {
	if !h[i].times[0].Equal(h[j].times[0]) {
		return h[i].times[0].Before(h[j].times[0])
	}
	return h[i].id < h[j].id
}
func (h storyHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *storyHeap) Push(x any) {
	s := x.(*story)
	s.index = len(*h)
	*h = append(*h, s)
}
func (h *storyHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	*h = old[:len(old)-1]
	return s
}
