package cluster

import (
	"fmt"
	"reflect"
	"testing"
)

// terms builds features from term names, each counted once.
func terms(names ...string) Features {
	f := Features{Terms: map[string]float32{}}
	for _, n := range names {
		f.Terms[n]++
	}
	return f
}

func seq(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

// healConfig merges more readily than the default, so that a small stream
// shows a merge.
func healConfig() Config {
	cfg := DefaultConfig()
	cfg.MergeAt = 0.3
	return cfg
}

// healStream founds two stories with nothing in common, grows both with
// reports that share a common core, and then sends articles of the core
// alone, which fit both: the two are one event.
func healStream() (ids []string, feats []Features) {
	core := seq("core", 10)
	add := func(id string, parts ...[]string) {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		ids = append(ids, id)
		feats = append(feats, terms(all...))
	}
	add("a1", seq("alpha", 8))
	add("b1", seq("beta", 8))
	for i := range 3 {
		add(fmt.Sprintf("a%d", i+2), seq("alpha", 8), core)
		add(fmt.Sprintf("b%d", i+2), seq("beta", 8), core)
	}
	// Unrelated reports keep the core's terms rare.
	for i := range 12 {
		add(fmt.Sprintf("n%d", i), seq(fmt.Sprintf("noise%d-", i), 10))
	}
	// Later reports of each side lean on the core, until one fits both
	// stories and their centroids agree.
	for i := range 3 {
		add(fmt.Sprintf("a%d", i+5), seq("alpha", 2), core)
		add(fmt.Sprintf("b%d", i+5), seq("beta", 2), core)
	}
	return ids, feats
}

func TestHealMergesStories(t *testing.T) {
	ids, feats := healStream()
	run := func() (map[string]string, []Merge, *Clusterer) {
		c := New(healConfig())
		got := map[string]string{}
		var merges []Merge
		for i, id := range ids {
			got[id] = c.Assign(id, feats[i])
			merges = append(merges, c.TakeMerges()...)
			checkClusterer(t, c)
		}
		return got, merges, c
	}
	got, merges, c := run()
	if len(merges) != 1 {
		t.Fatalf("merges = %v, want one", merges)
	}
	m := merges[0]
	if m.Into != got["a1"] || m.From != got["b1"] {
		t.Errorf("merge = %+v, want %s into %s (the story founded first keeps its ID)", m, got["b1"], got["a1"])
	}
	// Every article of both stories now resolves to one story.
	for _, id := range []string{"a1", "a2", "a7", "b1", "b3", "b5", "b7"} {
		if s := c.Resolve(got[id]); s != m.Into {
			t.Errorf("%s: story %s resolves to %s, want %s", id, got[id], s, m.Into)
		}
	}
	if s := c.Resolve(got["n0"]); s == m.Into {
		t.Errorf("an unrelated report resolves to the merged story")
	}
	if len(c.TakeMerges()) != 0 {
		t.Errorf("TakeMerges returned the merges twice")
	}
	into := c.stories[m.Into]
	if into.size != 14 {
		t.Errorf("merged story size %d, want 14", into.size)
	}
	if _, ok := c.stories[m.From]; ok {
		t.Errorf("the merged-away story %s is still a story", m.From)
	}

	// The same input in the same order gives the same stories and merges.
	got2, merges2, _ := run()
	if !reflect.DeepEqual(got, got2) || !reflect.DeepEqual(merges, merges2) {
		t.Errorf("second run differs: %v %v vs %v %v", got, merges, got2, merges2)
	}
}

// TestRemoveAfterMerge removes members of a merged-away story by their old
// story ID: each comes off the story it went into, exactly, until nothing
// of the pair is left.
func TestRemoveAfterMerge(t *testing.T) {
	ids, feats := healStream()
	c := New(healConfig())
	got := map[string]string{}
	for i, id := range ids {
		got[id] = c.Assign(id, feats[i])
	}
	merges := c.TakeMerges()
	if len(merges) != 1 {
		t.Fatalf("merges = %v, want one", merges)
	}
	m := merges[0]
	// Removing and re-adding a member that joined before the merge leaves
	// the state as it was.
	before := stateOf(c)
	c.Remove("b2", got["b2"], feats[3])
	checkClusterer(t, c)
	c.Restore("b2", got["b2"], feats[3])
	after := stateOf(c)
	// Restore appends b2 as a member again only if there is room; members
	// aside, sums, sizes, dates and postings must match.
	for id, s := range after.Stories {
		s.Members = before.Stories[id].Members
		after.Stories[id] = s
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("remove then restore through a merged ID changed the state")
	}
	for i, id := range ids {
		if c.Resolve(got[id]) == m.Into {
			c.Remove(id, got[id], feats[i])
			checkClusterer(t, c)
		}
	}
	if _, ok := c.stories[m.Into]; ok {
		t.Errorf("story %s kept after all its members left", m.Into)
	}
	for tm := range feats[len(feats)-1].Terms { // a core term
		if n := c.dfOf(tm); n != 0 {
			t.Errorf("df of %q = %d after every holder left", tm, n)
		}
	}
}

// TestNoMergeOfDistinctStories checks that fitting two stories is not
// enough: their centroids must agree.
func TestNoMergeOfDistinctStories(t *testing.T) {
	fx, feats := fixtureFeatures(t, false)
	c := New(DefaultConfig())
	for i, f := range fx {
		c.Assign(f.ID, feats[i])
	}
	if m := c.TakeMerges(); len(m) != 0 {
		t.Errorf("merges among distinct fixture events: %v", m)
	}
}

// TestHealFoldsTheLastStory: an article fitting several stories, its own
// the newest, folds them all into the first, each once (folding into the
// newest once read past the end of a list: a panic a 10,000-article
// benchmark found).
func TestHealFoldsTheLastStory(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MergeAt = 1e-9 // every fitting pair merges
	c := New(cfg)
	shared := seq("shared", 4)
	var ids []string
	for i := range 4 {
		ids = append(ids, c.Assign(fmt.Sprintf("s%d", i), terms(append(seq(fmt.Sprintf("own%d-", i), 30), shared...)...)))
	}
	if len(c.TakeMerges()) != 0 || len(c.stories) != 4 {
		t.Fatalf("setup: %d stories, want 4 apart", len(c.stories))
	}
	got := c.heal(c.stories[ids[3]], []*story{c.stories[ids[0]], c.stories[ids[2]], c.stories[ids[3]]})
	if got != ids[0] {
		t.Errorf("healed into %s, want the first story %s", got, ids[0])
	}
	if n := len(c.TakeMerges()); n != 2 {
		t.Errorf("%d merges, want 2", n)
	}
	checkClusterer(t, c)
}
