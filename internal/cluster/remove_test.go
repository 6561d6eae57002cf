package cluster

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/ident"
)

type storyState struct {
	Centroid map[string]int64
	Members  []string
	Size     int
	Dates    []int64
	Stated   []periodCount
	Keys     []string
}

// state is what a Clusterer holds, keyed by story ID.
type state struct {
	Docs     int
	DF       map[string]int
	IDF      map[string]float64 // through the cache
	Stories  map[string]storyState
	Postings map[string][]string // story IDs, sorted
}

func stateOf(c *Clusterer) state {
	st := state{Docs: c.docs, DF: map[string]int{}, IDF: map[string]float64{}, Stories: map[string]storyState{}, Postings: map[string][]string{}}
	for t, ts := range c.df {
		st.DF[t] = ts.n
		st.IDF[t] = c.idf(ts)
	}
	for _, s := range c.stories {
		ss := storyState{Centroid: s.centroid, Size: s.size, Keys: s.keys, Stated: s.stated}
		for _, m := range s.members {
			ss.Members = append(ss.Members, m.id)
		}
		for _, d := range s.dates {
			ss.Dates = append(ss.Dates, d.UnixNano())
		}
		st.Stories[s.id] = ss
	}
	for t, p := range c.postings {
		var ids []string
		for _, s := range p {
			ids = append(ids, s.id)
		}
		slices.Sort(ids)
		st.Postings[t] = ids
	}
	return st
}

// rekey gives every story the keys of the current frequencies, which a
// story otherwise takes at its last change.
func rekey(c *Clusterer) {
	for _, s := range c.stories {
		c.repost(s, c.storyKeys(s))
	}
}

// firstStory is the story founded first of those left.
func firstStory(c *Clusterer) *story {
	var first *story
	for _, s := range c.stories {
		if first == nil || s.seq < first.seq {
			first = s
		}
	}
	return first
}

// checkClusterer verifies the invariants Remove relies on.
func checkClusterer(t *testing.T, c *Clusterer) {
	t.Helper()
	live := map[*termStat]bool{}
	for _, ts := range c.df {
		if ts.n <= 0 {
			t.Errorf("df entry with count %d kept", ts.n)
		}
		live[ts] = true
	}
	posted := map[string]map[*story]int{}
	for tm, p := range c.postings {
		if len(p) == 0 {
			t.Errorf("empty postings for %q kept", tm)
		}
		posted[tm] = map[*story]int{}
		for _, s := range p {
			if c.stories[s.id] != s {
				t.Fatalf("postings of %q name deleted story %q", tm, s.id)
			}
			posted[tm][s]++
		}
	}
	seqs := map[int64]string{}
	for id, s := range c.stories {
		if s.id != id {
			t.Errorf("stories[%q] holds %q", id, s.id)
		}
		if o, dup := seqs[s.seq]; dup {
			t.Errorf("stories %q and %q share seq %d", o, id, s.seq)
		}
		seqs[s.seq] = id
		if s.seq >= c.founded {
			t.Errorf("story %q: seq %d of %d founded", id, s.seq, c.founded)
		}
		if s.size <= 0 || len(s.members) > min(s.size, keepMembers) {
			t.Errorf("story %q: size %d with %d members", s.id, s.size, len(s.members))
		}
		if !slices.IsSortedFunc(s.dates, time.Time.Compare) {
			t.Errorf("story %q: dates not sorted", s.id)
		}
		for tm, v := range s.centroid {
			if v <= 0 {
				t.Errorf("story %q: centroid %q = %d", s.id, tm, v)
			}
		}
		// Keys follow the idf of the story's last change: check their form.
		if !s.posted || len(s.keys) != min(len(s.centroid), keyTerms) || !slices.IsSorted(s.keys) {
			t.Errorf("story %q: %d keys (posted %v, sorted %v) of %d terms", s.id, len(s.keys), s.posted, slices.IsSorted(s.keys), len(s.centroid))
		}
		for _, k := range s.keys {
			if _, ok := s.centroid[k]; !ok {
				t.Errorf("story %q: key %q not in the centroid", s.id, k)
			}
		}
		n := 0
		for _, tm := range s.keys {
			if posted[tm][s] != 1 {
				t.Errorf("story %q: key %q posted %d times, want 1", s.id, tm, posted[tm][s])
			}
		}
		for _, p := range posted {
			n += p[s]
		}
		if n != len(s.keys) {
			t.Errorf("story %q: %d postings for %d keys", s.id, n, len(s.keys))
		}
		for _, e := range c.centroidOf(s) {
			if !live[e.st] {
				t.Fatalf("story %q: centroid entry of a forgotten term", s.id)
			}
		}
		for _, m := range s.members {
			for _, e := range m.terms {
				if !live[e.st] {
					t.Fatalf("story %q: member %q has a forgotten term", s.id, m.id)
				}
			}
		}
	}
}

func fixtureFeatures(t *testing.T, dated bool) ([]fixture, []Features) {
	t.Helper()
	fx := loadFixtures(t)
	feats := make([]Features, len(fx))
	for i, f := range fx {
		pub := f.Published
		if !dated {
			pub = time.Time{}
		}
		feats[i] = Extract(f.Title, f.Text, "en", pub)
	}
	return fx, feats
}

// TestRemoveUndoesAdd adds each article after every prefix of the stream and
// removes it at once: the state must be exactly the one before.
func TestRemoveUndoesAdd(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dated   bool
		restore bool
	}{
		{"assigned, dated", true, false},
		{"assigned, undated", false, false},
		{"restored into the first story", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx, feats := fixtureFeatures(t, tc.dated)
			for k := range fx {
				c := New(DefaultConfig())
				for i := range k {
					c.Assign(fx[i].ID, feats[i])
				}
				before := stateOf(c)
				var sid string
				if tc.restore && k > 0 {
					sid = firstStory(c).id
					c.Restore(fx[k].ID, sid, feats[k])
				} else {
					sid = c.Assign(fx[k].ID, feats[k])
				}
				c.Remove(fx[k].ID, sid, feats[k])
				checkClusterer(t, c)
				if got := stateOf(c); !reflect.DeepEqual(got, before) {
					t.Errorf("after %d articles, adding and removing %s changed the state:\n got %+v\nwant %+v", k, fx[k].ID, got, before)
				}
			}
		})
	}
}

// probes are articles to assign after a removal: the fixtures under new IDs,
// and headlines of one event over the body of another.
func probes(fx []fixture, dated bool) []Features {
	var out []Features
	for i, f := range fx {
		pub := f.Published
		if !dated {
			pub = time.Time{}
		}
		out = append(out, Extract(f.Title, f.Text, "en", pub))
		o := fx[(i+1)%len(fx)]
		out = append(out, Extract(f.Title, o.Text, "en", pub), Extract(f.Title, "", "en", pub))
	}
	return out
}

// TestRemoveLastMatchesFresh assigns a stream, removes its last article and
// expects the next decisions of a clusterer that never saw it.
func TestRemoveLastMatchesFresh(t *testing.T) {
	fx, feats := fixtureFeatures(t, true)
	at := map[string]int{}
	for i, f := range fx {
		at[f.ID] = i
	}
	tests := []struct {
		name string
		upTo string // the removed article, last of the prefix
	}{
		{"removed one founded its story", "a6"},
		{"removed one joined a story", "a4"},
		{"removed one joined the largest story", "a8"},
		{"whole stream", "a9"},
		{"only article", "a1"},
	}
	probe := probes(fx, true)
	differ := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := at[tc.upTo]
			build := func(upTo int, remove bool) *Clusterer {
				c := New(DefaultConfig())
				var sid string
				for i := range upTo {
					sid = c.Assign(fx[i].ID, feats[i])
				}
				if remove {
					c.Remove(fx[upTo-1].ID, sid, feats[upTo-1])
				}
				return c
			}
			if g, w := stateOf(build(n+1, true)), stateOf(build(n, false)); !reflect.DeepEqual(g, w) {
				t.Errorf("state after removal:\n got %+v\nwant %+v", g, w)
			}
			// Each probe on its own, then all in a row.
			for i, p := range probe {
				id := fmt.Sprint("p", i)
				got, want := build(n+1, true).Assign(id, p), build(n, false).Assign(id, p)
				if got != want {
					t.Errorf("probe %d: %q after removal, %q without the article", i, got, want)
				}
				if kept := build(n+1, false).Assign(id, p); kept != want {
					differ++
				}
			}
			removed, fresh := build(n+1, true), build(n, false)
			for i, p := range probe {
				id := fmt.Sprint("q", i)
				if got, want := removed.Assign(id, p), fresh.Assign(id, p); got != want {
					t.Errorf("probe %d in a row: %q after removal, %q without the article", i, got, want)
				}
			}
			checkClusterer(t, removed)
		})
	}
	// The removed articles must matter to some probe, or the table proves
	// nothing.
	if differ == 0 {
		t.Errorf("no probe decided differently with the removed article kept")
	}
}

// TestRemoveMatchesReplay removes articles from anywhere in a stream and
// expects the state of replaying the rest into the same stories.
func TestRemoveMatchesReplay(t *testing.T) {
	tests := []struct {
		name    string
		removed []string
		stories int // stories left
	}{
		{"a member", []string{"a4"}, 4},
		{"a founder", []string{"a1"}, 4},
		{"a whole story in the middle", []string{"a2", "a5", "a8"}, 3},
		{"the story at the end", []string{"a6"}, 3},
		{"two stories, the last one included", []string{"a6", "a3", "a7"}, 2},
		{"everything", []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"}, 0},
	}
	for _, dated := range []bool{true, false} {
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s dated=%v", tc.name, dated), func(t *testing.T) {
				fx, feats := fixtureFeatures(t, dated)
				c := New(DefaultConfig())
				sid := map[string]string{}
				for i, f := range fx {
					sid[f.ID] = c.Assign(f.ID, feats[i])
				}
				for _, id := range tc.removed {
					i := slices.IndexFunc(fx, func(f fixture) bool { return f.ID == id })
					c.Remove(id, sid[id], feats[i])
					checkClusterer(t, c)
				}
				replay := New(DefaultConfig())
				for i, f := range fx {
					if !slices.Contains(tc.removed, f.ID) {
						replay.Restore(f.ID, sid[f.ID], feats[i])
					}
				}
				rekey(c)
				rekey(replay)
				got, want := stateOf(c), stateOf(replay)
				if len(got.Stories) != tc.stories {
					t.Errorf("%d stories, want %d", len(got.Stories), tc.stories)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("state:\n got %+v\nwant %+v", got, want)
				}
			})
		}
	}
}

func TestRemoveDeletesEmptyStory(t *testing.T) {
	fx, feats := fixtureFeatures(t, true)
	other := slices.IndexFunc(fx, func(f fixture) bool { return f.Event == "other" })
	tests := []struct {
		name    string
		againID string // assigned the removed article's features after removal
		wantID  string
	}{
		{"another article founds its own story", "p1", ident.StoryID("p1")},
		{"the same founder comes back", fx[other].ID, ident.StoryID(fx[other].ID)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(DefaultConfig())
			var sid string
			for i, f := range fx {
				if s := c.Assign(f.ID, feats[i]); i == other {
					sid = s
				}
			}
			n := len(c.stories)
			c.Remove(fx[other].ID, sid, feats[other])
			checkClusterer(t, c)
			if _, ok := c.stories[sid]; ok || len(c.stories) != n-1 {
				t.Fatalf("story %q kept after its only member left (%d stories)", sid, len(c.stories))
			}
			if got := c.Assign(tc.againID, feats[other]); got != tc.wantID {
				t.Errorf("Assign = %q, want %q", got, tc.wantID)
			}
			checkClusterer(t, c)
		})
	}
}

func TestRemoveIgnoresUnknownStory(t *testing.T) {
	fx, feats := fixtureFeatures(t, true)
	c := New(DefaultConfig())
	for i, f := range fx {
		c.Assign(f.ID, feats[i])
	}
	before := stateOf(c)
	for _, sid := range []string{"", "s-none", ident.StoryID("nobody")} {
		c.Remove(fx[0].ID, sid, feats[0])
	}
	if got := stateOf(c); !reflect.DeepEqual(got, before) {
		t.Errorf("removal from unknown stories changed the state")
	}
}

// TestRefoundedStoryGetsNewID updates a founder whose story others still
// hold: if its new text matches nothing it founds a story of its own.
func TestRefoundedStoryGetsNewID(t *testing.T) {
	fx, feats := fixtureFeatures(t, true)
	c := New(DefaultConfig())
	bridge := c.Assign(fx[0].ID, feats[0])
	if got := c.Assign(fx[3].ID, feats[3]); got != bridge {
		t.Fatalf("second bridge report in %q, want %q", got, bridge)
	}
	c.Remove(fx[0].ID, bridge, feats[0])
	got := c.Assign(fx[0].ID, feats[5]) // now about something else
	if got == bridge || got == "" {
		t.Errorf("updated founder joined %q, want a new story", got)
	}
	if s := c.stories[bridge]; s.size != 1 || s.members[0].id != fx[3].ID {
		t.Errorf("old story has size %d, want the other report alone", s.size)
	}
	if again := c.Assign("p", feats[5]); again != got {
		t.Errorf("same text again went to %q, want %q", again, got)
	}
	checkClusterer(t, c)
}

// TestRemovePruned fills one story past the centroid cap and empties it
// again: nothing may be left behind.
func TestRemovePruned(t *testing.T) {
	const n = 6
	feats := make([]Features, n)
	for i := range feats {
		terms := map[string]float32{"shared": 3, "common": 2}
		for k := range 220 {
			terms[fmt.Sprintf("t%d_%d", i, k)] = float32(1 + k%4)
		}
		feats[i] = Features{Terms: terms, Published: time.Date(2024, 3, 1+i, 0, 0, 0, 0, time.UTC)}
	}
	c := New(DefaultConfig())
	for i, f := range feats {
		c.Restore(fmt.Sprint("x", i), "s-big", f)
	}
	if s := c.stories["s-big"]; len(s.centroid) > 2*centroidCap || len(s.centroid) >= len(c.df) {
		t.Fatalf("centroid of %d terms (%d in all) was not pruned", len(s.centroid), len(c.df))
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}} {
		c := New(DefaultConfig())
		for i, f := range feats {
			c.Restore(fmt.Sprint("x", i), "s-big", f)
		}
		for k, i := range order {
			c.Remove(fmt.Sprint("x", i), "s-big", feats[i])
			checkClusterer(t, c)
			if k < n-1 && c.stories["s-big"].size != n-1-k {
				t.Errorf("size %d after %d removals", c.stories["s-big"].size, k+1)
			}
		}
		if len(c.stories) != 0 || len(c.postings) != 0 || len(c.df) != 0 || c.docs != 0 {
			t.Errorf("order %v: left %d stories, %d postings, %d terms, %d docs", order, len(c.stories), len(c.postings), len(c.df), c.docs)
		}
	}
}
