// Package clean turns raw pages and text dumps into an article body: main text
// out of HTML, boilerplate lines out of text, repeated blocks collapsed,
// captions moved aside. Nothing of the article itself is dropped.
package clean

import (
	"strings"
	"sync"
)

// Kind says why a line was taken out of the body.
type Kind int

const (
	Furniture Kind = iota // navigation, prompts, share/login/comment widgets, footers
	Title                 // the headline, or a repeat of it
	Byline                // author, agency, date lines: metadata for describe
	Caption               // image captions and photo credits
	Repeat                // a repeat of a block already in the body
)

// String names the kind, for logs and tests.
func (k Kind) String() string {
	switch k {
	case Furniture:
		return "furniture"
	case Title:
		return "title"
	case Byline:
		return "byline"
	case Caption:
		return "caption"
	case Repeat:
		return "repeat"
	}
	return "unknown"
}

// Line is a line taken out of the body, kept so that describe can mine it
// (bylines, outlet names in footers).
type Line struct {
	Text  string
	Kind  Kind
	Index int // position among the input's non-empty lines
}

// Meta is what the HTML page says about itself (empty for text input).
type Meta struct {
	Title, Author, Sitename, Date, URL, Language, Description string
}

// Page is a cleaned article.
type Page struct {
	Title      string
	Paragraphs []string
	Captions   []string
	Removed    []Line
	Meta       Meta
}

// Text returns the paragraphs joined with one blank line between them.
func (p Page) Text() string {
	return strings.Join(p.Paragraphs, "\n\n")
}

// Cleaner cleans documents. It may remember lines across the documents it has
// seen (repeated furniture of one outlet); it is safe for concurrent use.
type Cleaner struct {
	mu sync.Mutex
	// seen counts, per short line, how many documents contained it. Only
	// short lines are recorded: long sentences may recur in syndicated copies.
	seen map[string]int
	docs int
	// p is fixed at New; tests vary it to tune.
	p *params
	// forgetful turns the memory off, see WithoutMemory.
	forgetful bool
}

// Option configures a Cleaner.
type Option func(*Cleaner)

// WithoutMemory cleans every document on its own. The memory of lines seen
// across documents depends on the order they arrive in; a pipeline that
// cleans in parallel and must give the same result on every run needs
// each document's cleaning to depend on that document alone.
func WithoutMemory() Option { return func(c *Cleaner) { c.forgetful = true } }

func (c *Cleaner) params() params {
	if c == nil || c.p == nil {
		return defaultParams()
	}
	return *c.p
}

// New returns a Cleaner.
func New(opts ...Option) *Cleaner {
	c := &Cleaner{seen: make(map[string]int)}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Memory bounds: furniture is found well before this many distinct lines.
const (
	maxSeen       = 200000
	seenMaxWords  = 8
	seenMinDocs   = 5
	seenMinShare  = 0.3
	seenWarmupDoc = 10
)

// remember records the document's short lines and returns, for each line,
// whether it is furniture seen across many documents.
func (c *Cleaner) remember(lines []string, words []int) []bool {
	if c == nil || c.forgetful {
		return make([]bool, len(lines))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = make(map[string]int)
	}
	out := make([]bool, len(lines))
	uniq := make(map[string]bool)
	for i, l := range lines {
		if words[i] > seenMaxWords {
			continue
		}
		n := c.seen[l]
		if c.docs >= seenWarmupDoc && n >= seenMinDocs && float64(n) >= seenMinShare*float64(c.docs) {
			out[i] = true
		}
		uniq[l] = true
	}
	c.docs++
	for l := range uniq {
		if _, ok := c.seen[l]; ok || len(c.seen) < maxSeen {
			c.seen[l]++
		}
	}
	return out
}
