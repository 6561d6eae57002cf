package cluster

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Merge records that every member of story From now belongs to Into.
type Merge struct{ From, Into string }

// maxAliasChain bounds how many merges resolve follows: each merge points
// to a story founded earlier, so a chain is never longer than the stories
// merged, and the bound only guards against a corrupted map.
const maxAliasChain = 1 << 16

// TakeMerges returns the merges decided since the last call, in the order
// they were made; a later merge may move an Into on again, and Assign has
// already returned the final story for the article that caused them.
func (c *Clusterer) TakeMerges() []Merge {
	m := c.merges
	c.merges = nil
	return m
}

// Resolve returns the story an ID stands for now, following merges.
func (c *Clusterer) Resolve(storyID string) string { return c.resolve(storyID) }

func (c *Clusterer) resolve(id string) string {
	for range maxAliasChain {
		into, ok := c.merged[id]
		if !ok {
			break
		}
		id = into
	}
	return id
}

// heal merges the story s that an article just joined with the other
// stories it fitted, when their centroids agree well enough to show one
// event; the story founded first keeps its ID. It returns the article's
// story. Candidates are taken in founding order, so the outcome is the
// same every run.
func (c *Clusterer) heal(s *story, fits []*story) string {
	into := s
	for _, t := range fits {
		if t == into || c.stories[t.id] != t {
			continue
		}
		sim := c.storySimilarity(into, t) * c.storiesTimeWeight(into, t)
		if sim < c.cfg.MergeAt {
			continue
		}
		from, to := t, into
		if t.seq < into.seq {
			from, to = into, t
		}
		c.fold(from, to)
		into = to
	}
	return into.id
}

// storySimilarity is the TF-IDF cosine of two story centroids.
func (c *Clusterer) storySimilarity(a, b *story) float64 {
	ca, cb := c.centroidOf(a), c.centroidOf(b)
	ta, tb := a.terms, b.terms
	var dot, sa, sb float64
	for _, e := range ca {
		v := e.x * c.idf(e.st)
		sa += v * v
	}
	for _, e := range cb {
		v := e.x * c.idf(e.st)
		sb += v * v
	}
	for i, j := 0, 0; i < len(ta) && j < len(tb); {
		switch {
		case ta[i] < tb[j]:
			i++
		case ta[i] > tb[j]:
			j++
		default:
			idf := c.idf(ca[i].st)
			dot += ca[i].x * cb[j].x * idf * idf
			i++
			j++
		}
	}
	if sa == 0 || sb == 0 {
		return 0
	}
	return dot / math.Sqrt(sa*sb)
}

// storiesTimeWeight is the lesser time weight of b's first and last dated
// members against a: 1 when either story is undated or Decay is off.
func (c *Clusterer) storiesTimeWeight(a, b *story) float64 {
	if len(b.dates) == 0 {
		return 1
	}
	return min(c.timeWeight(a, b.dates[0]), c.timeWeight(a, b.dates[len(b.dates)-1]))
}

// fold moves story f into story t: centroid sums, size, dates, stated
// periods and founding members, so that removing any member later takes
// off exactly what it added; f is deleted and its ID resolves to t's.
func (c *Clusterer) fold(f, t *story) {
	for _, term := range sortedKeys(f.centroid) {
		t.centroid[term] += f.centroid[term]
	}
	t.stale = true
	t.size += f.size
	for _, m := range f.members {
		if len(t.members) >= keepMembers {
			break
		}
		t.members = append(t.members, m)
	}
	t.dates = append(t.dates, f.dates...)
	slices.SortStableFunc(t.dates, time.Time.Compare)
	t.stated = addCounts(t.stated, f.stated)
	if len(t.centroid) > 2*centroidCap {
		prune(t.centroid, centroidCap)
	}
	if c.b == nil {
		ms := append(c.mem[t.id], c.mem[f.id]...)
		slices.SortStableFunc(ms, func(a, b memberOf) int { return cmp.Compare(a.ord, b.ord) })
		c.mem[t.id] = ms
	}
	c.merged[f.id] = t.id
	c.merges = append(c.merges, Merge{From: f.id, Into: t.id})
	c.drop(f)
	c.changed(t)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
