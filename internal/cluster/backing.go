package cluster

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
)

// Backing is where a Clusterer finds what it does not hold in memory: the
// state that earlier deltas (TakeDelta) wrote. store.Store satisfies it.
type Backing interface {
	// TermCounts returns the document count and the document frequency of
	// each term asked that has one.
	TermCounts(ctx context.Context, terms []string) (docs int64, counts map[string]int64, err error)
	// StoriesWithKeys maps each key asked that some story has to up to
	// limit of them; a key more than limit stories have maps to nil.
	StoriesWithKeys(ctx context.Context, keys []string, limit int) (map[string][]string, error)
	// StoryStates returns the state of the stories asked that have one.
	StoryStates(ctx context.Context, ids []string) (map[string][]byte, error)
	// StoryFeatures returns up to limit originals of a story (copies
	// left out) in ingest order, with the features they were clustered
	// with (Features.Marshal).
	StoryFeatures(ctx context.Context, storyID string, limit int) (ids []string, features [][]byte, err error)
}

// Delta is what changed since the last TakeDelta, for the store.
type Delta struct {
	// Docs is added to the document count.
	Docs int64
	// Terms are added to document frequencies; FoundedTerm among them
	// counts the stories founded.
	Terms map[string]int64
	// Stories maps a story to its state; nil means deleted.
	Stories map[string][]byte
	// StoryKeys maps a story to its lookup keys (a replacement); nil means
	// deleted.
	StoryKeys map[string][]string
}

// FoundedTerm is the term whose count in the backing is the number of
// stories founded, which orders them; no article term can take this form.
const FoundedTerm = "\x00founded"

// Defaults of a backed Clusterer's memory bounds. A story in memory costs
// some 20 to 30 KB (its centroid of up to 600 terms, its first members'
// vectors): 20,000 of them are about half a gigabyte, which keeps a run
// well under the 1.5 GiB it may take at a million articles.
const (
	DefaultMaxStories = 20_000
	DefaultMaxTerms   = 1 << 20
)

// backed is what a Clusterer needs only with a backing.
type backed struct {
	b Backing
	// base says docs and founded have been read from the backing.
	base bool
	// dirty holds the stories changed since the last TakeDelta, nil for
	// one deleted; they are never evicted.
	dirty                   map[string]*story
	pend                    map[string]int64 // df changes since TakeDelta
	pendDocs, pendFounded   int64
	maxStories, maxTermsLen int
	// complete is true while memory holds all there is: the backing was
	// empty when first read and nothing has been evicted since. The
	// backing then has nothing to add, and is not asked.
	complete bool
}

// NewBacked returns a Clusterer that reads what it does not hold from b
// and keeps at most cfg.MaxStories stories and about cfg.MaxTerms document
// frequencies in memory. It is the only writer of its state: b must hold
// every delta taken (TakeDelta) before the next call, and the changes not
// taken yet stay in memory, laid over what b has.
func NewBacked(cfg Config, b Backing) *Clusterer {
	c := New(cfg)
	c.backed = backed{
		b:           b,
		dirty:       make(map[string]*story),
		pend:        make(map[string]int64),
		maxStories:  cmp.Or(cfg.MaxStories, DefaultMaxStories),
		maxTermsLen: cmp.Or(cfg.MaxTerms, DefaultMaxTerms),
	}
	return c
}

// TakeDelta returns what changed since the last call and forgets it; the
// stories in it may then be evicted. Without a backing it is empty.
func (c *Clusterer) TakeDelta() Delta {
	d := Delta{Terms: map[string]int64{}, Stories: map[string][]byte{}, StoryKeys: map[string][]string{}}
	if c.b == nil {
		return d
	}
	d.Docs = c.pendDocs
	for t, n := range c.pend {
		if n != 0 {
			d.Terms[t] = n
		}
	}
	if c.pendFounded != 0 {
		d.Terms[FoundedTerm] = c.pendFounded
	}
	for id, s := range c.dirty {
		if s == nil {
			d.Stories[id], d.StoryKeys[id] = nil, nil
			continue
		}
		d.Stories[id] = marshalStory(s)
		d.StoryKeys[id] = slices.Clone(s.keys)
		if d.StoryKeys[id] == nil {
			d.StoryKeys[id] = []string{} // no keys, but a story
		}
		if !c.complete {
			s.posted = false
		}
	}
	// The backing now has the keys of every story; complete, memory has
	// them too and keeps its postings.
	if !c.complete {
		clear(c.postings)
	}
	clear(c.dirty)
	clear(c.pend)
	c.pendDocs, c.pendFounded = 0, 0
	return d
}

// prepare readies a backed Clusterer for an operation on an article with
// these terms: memory trimmed, then the terms' counts loaded.
func (c *Clusterer) prepare(ctx context.Context, terms map[string]float32) error {
	if c.b == nil {
		return nil
	}
	c.evict()
	return c.need(ctx, slices.Collect(maps.Keys(terms)))
}

// need loads the document frequencies of the terms not in memory, and on
// first use the document and story counts. A term the backing has no count
// for is cached as 0: the backing knows all counts but this Clusterer's
// own, which it keeps.
func (c *Clusterer) need(ctx context.Context, terms []string) error {
	var ask []string
	for _, t := range terms {
		if c.df[t] == nil && t != FoundedTerm {
			ask = append(ask, t)
		}
	}
	if c.base && (len(ask) == 0 || c.complete) {
		// Complete, every count there is was made in memory.
		for _, t := range ask {
			c.df[t] = c.newStat(t, 0)
		}
		return nil
	}
	slices.Sort(ask)
	ask = slices.Compact(ask)
	if !c.base {
		ask = append(ask, FoundedTerm)
	}
	docs, counts, err := c.b.TermCounts(ctx, ask)
	if err != nil {
		return fmt.Errorf("cluster: term counts: %w", err)
	}
	if !c.base {
		c.docs, c.founded, c.base = int(docs), counts[FoundedTerm], true
		c.complete = docs == 0 && c.founded == 0
		ask = ask[:len(ask)-1]
	}
	for _, t := range ask {
		if c.df[t] == nil {
			c.df[t] = c.newStat(t, int(counts[t]))
		}
	}
	return nil
}

// taken reports whether a story ID is in use or merged away.
func (c *Clusterer) taken(ctx context.Context, id string) (bool, error) {
	if _, ok := c.stories[id]; ok {
		return true, nil
	}
	if _, ok := c.merged[id]; ok {
		return true, nil
	}
	if c.b == nil {
		return false, nil
	}
	if s, ok := c.dirty[id]; ok {
		return s != nil, nil // deleted since the last delta
	}
	if c.complete {
		return false, nil
	}
	st, err := c.b.StoryStates(ctx, []string{id})
	if err != nil {
		return false, fmt.Errorf("cluster: story states: %w", err)
	}
	_, ok := st[id]
	return ok, nil
}

// backedCandidates is the backed half of candidates: the IDs of the stories
// having the keys, as the backing has them with this Clusterer's changes
// since the last delta laid over.
func (c *Clusterer) backedCandidates(ctx context.Context, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	if c.complete {
		hits := make(map[string]int)
		for _, t := range keys {
			if p := c.postings[t]; len(p) <= maxPostings {
				for _, s := range p {
					hits[s.id]++
				}
			}
		}
		return topHits(hits, func(id string) string { return id }), nil
	}
	// A key the backing gives more than this many stories for has more
	// than maxPostings once the changed stories are taken out.
	lists, err := c.b.StoriesWithKeys(ctx, keys, maxPostings+len(c.dirty))
	if err != nil {
		return nil, fmt.Errorf("cluster: stories with keys: %w", err)
	}
	hits := make(map[string]int)
	var ids []string
	for _, t := range keys {
		l, ok := lists[t]
		if ok && l == nil {
			continue // too common
		}
		ids = ids[:0]
		for _, id := range l {
			if _, changed := c.dirty[id]; !changed {
				ids = append(ids, id)
			}
		}
		for _, s := range c.postings[t] {
			ids = append(ids, s.id)
		}
		if len(ids) > maxPostings {
			continue
		}
		for _, id := range ids {
			hits[id]++
		}
	}
	return topHits(hits, func(id string) string { return id }), nil
}

// load brings the stories asked into memory, with the frequencies of their
// terms; an ID the backing has no state for is left out. On error nothing
// is loaded.
func (c *Clusterer) load(ctx context.Context, ids []string) error {
	if c.b == nil {
		return nil
	}
	var ask []string
	for _, id := range ids {
		if _, ok := c.stories[id]; ok {
			c.tick++
			c.stories[id].used = c.tick
			continue
		}
		if _, ok := c.dirty[id]; !ok {
			ask = append(ask, id)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	states, err := c.b.StoryStates(ctx, ask)
	if err != nil {
		return fmt.Errorf("cluster: story states: %w", err)
	}
	loaded := make([]*story, 0, len(states))
	var terms []string
	for _, id := range ask {
		b, ok := states[id]
		if !ok {
			continue
		}
		s, err := unmarshalStory(id, b)
		if err != nil {
			return fmt.Errorf("cluster: story %s: %w", id, err)
		}
		for t := range s.centroid {
			terms = append(terms, t)
		}
		for _, m := range s.members {
			terms = append(terms, m.names...)
		}
		loaded = append(loaded, s)
	}
	if err := c.need(ctx, terms); err != nil {
		return err
	}
	for _, s := range loaded {
		for i := range s.members {
			m := &s.members[i]
			for j, t := range m.names {
				m.terms[j].st = c.df[t]
			}
		}
		s.stale = true
		c.tick++
		s.used = c.tick
		c.stories[s.id] = s
	}
	return nil
}

// incomplete ends complete mode before memory first drops something: the
// postings go back to holding only the stories changed since the last
// delta, the backing holding the rest.
func (c *Clusterer) incomplete() {
	c.complete = false
	clear(c.postings)
	for _, s := range c.stories {
		s.posted = false
	}
	for _, s := range c.dirty {
		if s != nil {
			keys := s.keys
			s.keys = nil
			c.repost(s, keys)
		}
	}
}

// evict trims memory to its bounds, keeping the stories changed since the
// last delta. Past the term bound, every term not in a kept story or the
// delta goes, and with them the unchanged stories, whose entries point to
// them; past the story bound, the least recently used go down to 90%.
func (c *Clusterer) evict() {
	if c.complete && (len(c.df) > c.maxTermsLen || len(c.stories) > c.maxStories) {
		c.incomplete()
	}
	if len(c.df) > c.maxTermsLen {
		keep := make(map[string]*termStat)
		for t := range c.pend {
			keep[t] = c.df[t]
		}
		for id, s := range c.stories {
			if _, changed := c.dirty[id]; !changed {
				delete(c.stories, id)
				continue
			}
			for t := range s.centroid {
				keep[t] = c.df[t]
			}
			for _, m := range s.members {
				for _, t := range m.names {
					keep[t] = c.df[t]
				}
			}
		}
		for t, st := range keep {
			if st == nil {
				delete(keep, t)
			}
		}
		c.df = keep
	}
	if len(c.stories) <= c.maxStories {
		return
	}
	old := make([]*story, 0, len(c.stories))
	for id, s := range c.stories {
		if _, changed := c.dirty[id]; !changed {
			old = append(old, s)
		}
	}
	slices.SortFunc(old, func(a, b *story) int { return cmp.Compare(a.used, b.used) })
	for _, s := range old {
		if len(c.stories) <= c.maxStories*9/10 {
			break
		}
		delete(c.stories, s.id)
	}
}
