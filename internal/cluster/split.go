package cluster

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Split records that the articles Articles (originals, in the order they
// joined) left story From for the new story Into, as the story had grown
// into two events.
type Split struct {
	From, Into string
	Articles   []string
}

// TakeSplits returns the splits decided since the last call, in order.
func (c *Clusterer) TakeSplits() []Split {
	s := c.splits
	c.splits = nil
	return s
}

// Splitting is checked when a story reaches one of these sizes, so that a
// story of n members costs O(log n) checks. Past the last, a story is
// not split: its members would cost too much to read and compare, and a
// story that large that still holds together is one event.
var splitChecks = [...]int{4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64}

const maxSplitMembers = 64

func splitCheckAt(size int) bool {
	_, found := slices.BinarySearch(splitChecks[:], size)
	return found
}

// memberOf is one original of a story with the features it joined with.
type memberOf struct {
	id  string
	f   Features
	ord int64 // place in join order, without a backing
}

// membersOf returns the originals of story s in the order they joined,
// with the article being assigned last (taking the place of an earlier
// version of it), or nil when there are too many to compare.
func (c *Clusterer) membersOf(ctx context.Context, s *story, articleID string, f Features) ([]memberOf, error) {
	var all []memberOf
	if c.b == nil {
		all = slices.Clone(c.mem[s.id])
	} else {
		ids, feats, err := c.b.StoryFeatures(ctx, s.id, maxSplitMembers+1)
		if err != nil {
			return nil, fmt.Errorf("members of story %s: %w", s.id, err)
		}
		for i, id := range ids {
			mf, err := UnmarshalFeatures(feats[i])
			if err != nil {
				return nil, fmt.Errorf("members of story %s: %s: %w", s.id, id, err)
			}
			all = append(all, memberOf{id: id, f: mf})
		}
		// Weighing the members needs their terms' counts.
		var terms []string
		for _, m := range all {
			for t := range m.f.Terms {
				terms = append(terms, t)
			}
		}
		if err := c.need(ctx, terms); err != nil {
			return nil, err
		}
	}
	all = slices.DeleteFunc(all, func(m memberOf) bool { return m.id == articleID })
	// Without a backing, the place add is about to give it.
	all = append(all, memberOf{id: articleID, f: f, ord: c.joined + 1})
	if len(all) > maxSplitMembers {
		return nil, nil
	}
	return all, nil
}

// decideSplit bisects a story's members by average link over their
// TF-IDF cosines, weighted by time as a match is, and splits when the two
// halves, each of two members or more, match each other on average less
// than cfg.SplitBelow while their centroids stay apart (below MergeAt, so
// that no later article merges them straight back). It returns the
// members that leave: the half without the story's first member.
func (c *Clusterer) decideSplit(members []memberOf) []memberOf {
	n := len(members)
	if c.cfg.SplitBelow <= 0 || n < 4 {
		return nil
	}
	vecs := make([]sparse, n)
	for i, m := range members {
		vecs[i] = c.sparseOf(m.f.Terms)
	}
	sim := make([][]float64, n)
	for i := range sim {
		sim[i] = make([]float64, n)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := vecs[i].dot(vecs[j]) * c.pairTimeWeight(members[i].f.Published, members[j].f.Published)
			sim[i][j], sim[j][i] = v, v
		}
	}
	a, b, cross := bisect(sim)
	if len(a) < 2 || len(b) < 2 || cross >= c.cfg.SplitBelow {
		return nil
	}
	if c.cfg.MergeAt > 0 && groupCosine(vecs, a, b) >= c.cfg.MergeAt {
		return nil
	}
	leave := b
	if slices.Contains(b, 0) {
		leave = a
	}
	out := make([]memberOf, len(leave))
	for i, k := range leave {
		out[i] = members[k]
	}
	return out
}

// bisect merges groups by average link, in index order on ties, until two
// are left; it returns both (each in ascending order) and their average
// link.
func bisect(sim [][]float64) (a, b []int, link float64) {
	groups := make([][]int, len(sim))
	for i := range groups {
		groups[i] = []int{i}
	}
	avg := func(x, y []int) float64 {
		var s float64
		for _, i := range x {
			for _, j := range y {
				s += sim[i][j]
			}
		}
		return s / float64(len(x)*len(y))
	}
	for len(groups) > 2 {
		bi, bj, best := 0, 1, math.Inf(-1)
		for i := range groups {
			for j := i + 1; j < len(groups); j++ {
				if s := avg(groups[i], groups[j]); s > best {
					bi, bj, best = i, j, s
				}
			}
		}
		groups[bi] = append(groups[bi], groups[bj]...)
		sort.Ints(groups[bi])
		groups = slices.Delete(groups, bj, bj+1)
	}
	return groups[0], groups[1], avg(groups[0], groups[1])
}

// groupCosine is the cosine of the sums of two groups' unit vectors.
func groupCosine(vecs []sparse, a, b []int) float64 {
	sum := func(g []int) sparse {
		m := map[string]float64{}
		for _, i := range g {
			for k, t := range vecs[i].terms {
				m[t] += vecs[i].w[k]
			}
		}
		return newSparse(m)
	}
	return sum(a).dot(sum(b))
}

// sparse is a unit vector with its terms sorted.
type sparse struct {
	terms []string
	w     []float64
}

func newSparse(m map[string]float64) sparse {
	var s sparse
	var ss float64
	for _, t := range sortedKeys(m) {
		if v := m[t]; v > 0 {
			s.terms = append(s.terms, t)
			s.w = append(s.w, v)
			ss += v * v
		}
	}
	if ss > 0 {
		inv := 1 / math.Sqrt(ss)
		for i := range s.w {
			s.w[i] *= inv
		}
	}
	return s
}

func (a sparse) dot(b sparse) float64 {
	var d float64
	for i, j := 0, 0; i < len(a.terms) && j < len(b.terms); {
		switch {
		case a.terms[i] < b.terms[j]:
			i++
		case a.terms[i] > b.terms[j]:
			j++
		default:
			d += a.w[i] * b.w[j]
			i++
			j++
		}
	}
	return d
}

// sparseOf weighs an article's terms by TF-IDF as scoring does.
func (c *Clusterer) sparseOf(terms map[string]float32) sparse {
	m := make(map[string]float64, len(terms))
	for t, v := range terms {
		if st := c.df[t]; st != nil && st.n > 0 {
			m[t] = tf(v) * c.idf(st)
		}
	}
	return newSparse(m)
}

// pairTimeWeight is timeWeight between two articles.
func (c *Clusterer) pairTimeWeight(a, b time.Time) float64 {
	if c.cfg.Decay <= 0 || a.IsZero() || b.IsZero() {
		return 1
	}
	return c.fade(a.Sub(b).Abs())
}

// split moves the members that leave story s into a new story named
// into, rebuilding both from their members' features so that the sums
// stay exact; it returns the story the article now being assigned is in.
func (c *Clusterer) split(s *story, members, leave []memberOf, into, articleID string) string {
	gone := make(map[string]bool, len(leave))
	for _, m := range leave {
		gone[m.id] = true
	}
	var keep []memberOf
	for _, m := range members {
		if !gone[m.id] {
			keep = append(keep, m)
		}
	}
	t := &story{id: into, seq: c.founded}
	c.founded++
	if c.b != nil {
		c.pendFounded++
	}
	c.stories[into] = t
	c.rebuild(s, keep)
	c.rebuild(t, leave)
	ids := make([]string, len(leave))
	for i, m := range leave {
		ids[i] = m.id
	}
	c.splits = append(c.splits, Split{From: s.id, Into: into, Articles: ids})
	c.changed(s)
	c.changed(t)
	if gone[articleID] {
		return into
	}
	return s.id
}

// rebuild sets a story's sums, size, dates, stated periods and first
// members to those of members, as adding them in order to an empty story
// gives.
func (c *Clusterer) rebuild(s *story, members []memberOf) {
	s.centroid = make(map[string]int64)
	s.size, s.members, s.dates, s.stated = 0, nil, nil, nil
	s.stale = true
	for _, m := range members {
		c.fill(s, m.id, m.f)
	}
	if c.b == nil {
		c.mem[s.id] = slices.Clone(members)
	}
}
