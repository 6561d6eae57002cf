package cluster

import (
	"context"
	"errors"
	"testing"
)

// splitStream is two events of one kind: a bridging report that names
// both pulls the second into the first's story, and as each grows the
// story splits into them.
func splitStream() (ids []string, feats []Features) {
	add := func(id string, terms map[string]float32) {
		ids = append(ids, id)
		feats = append(feats, Features{Terms: terms})
	}
	add("a1", map[string]float32{"ferry": 1, "ellery": 3, "quay": 2, "tovik": 2})
	add("a2", map[string]float32{"ferry": 1, "ellery": 3, "quay": 2, "tovik": 1, "crew": 1})
	add("x", map[string]float32{"ferry": 1, "ellery": 2, "quay": 1, "varnholm": 2, "brenna": 2})
	add("b1", map[string]float32{"ferry": 1, "varnholm": 3, "brenna": 2, "dock": 1})
	add("a3", map[string]float32{"ferry": 1, "ellery": 3, "quay": 2, "tovik": 2, "inquiry": 1})
	add("b2", map[string]float32{"varnholm": 3, "brenna": 2, "dock": 2})
	add("b3", map[string]float32{"ferry": 1, "varnholm": 3, "brenna": 1, "dock": 2, "pier": 1})
	add("b4", map[string]float32{"varnholm": 2, "brenna": 2, "pier": 2})
	// Filler articles give the idf something to go on.
	for i, w := range []string{"budget", "election", "harvest", "concert", "strike", "museum"} {
		add("n"+string(rune('0'+i)), map[string]float32{w: 3, w + "s": 1})
	}
	return ids, feats
}

func TestSplitIntoTwoEvents(t *testing.T) {
	ids, feats := splitStream()
	// Filler first, so that the event words are rare.
	ids = append(ids[8:], ids[:8]...)
	feats = append(feats[8:], feats[:8]...)
	cfg := DefaultConfig()
	c := New(cfg)
	story := map[string]string{}
	var splits []Split
	for i, id := range ids {
		story[id] = c.Assign(id, feats[i])
		for _, sp := range c.TakeSplits() {
			splits = append(splits, sp)
			for _, a := range sp.Articles {
				story[a] = sp.Into
			}
		}
		c.TakeMerges()
	}
	if len(splits) != 1 {
		t.Fatalf("%d splits, want 1: %+v; stories %v", len(splits), splits, story)
	}
	if story["a1"] != story["a2"] || story["a1"] != story["a3"] {
		t.Errorf("first event apart: %v", story)
	}
	if story["b1"] != story["b2"] || story["b1"] != story["b3"] || story["b1"] != story["b4"] {
		t.Errorf("second event apart: %v", story)
	}
	if story["a1"] == story["b1"] {
		t.Errorf("both events in story %s", story["a1"])
	}
	sp := splits[0]
	if sp.From != story["a1"] || sp.Into != story["b1"] {
		t.Errorf("split %s into %s, want %s (the first event's, kept) into %s", sp.From, sp.Into, story["a1"], story["b1"])
	}
	// The sums are rebuilt exactly: taking every member out leaves nothing.
	for i, id := range ids {
		c.Remove(id, story[id], feats[i])
	}
	if len(c.stories) != 0 || c.docs != 0 {
		t.Errorf("after removing all: %d stories, %d docs", len(c.stories), c.docs)
	}
}

// TestSplitReadFailureChangesNothing: when reading a story's members
// fails, the assignment fails whole, and a retry splits as if it had not.
func TestSplitReadFailureChangesNothing(t *testing.T) {
	ids, feats := splitStream()
	ids = append(ids[8:], ids[:8]...)
	feats = append(feats[8:], feats[:8]...)
	want := oneRun(DefaultConfig(), stream{ids, feats})
	ctx := context.Background()
	tried := false
	for at := range ids {
		fb := newFake()
		c := NewBacked(DefaultConfig(), fb)
		got := make([]string, len(ids))
		failed := false
		for i := range ids {
			var err error
			fb.failFeatures = i == at
			got[i], err = c.AssignContext(ctx, ids[i], feats[i])
			fb.failFeatures = false
			if err != nil {
				if !errors.Is(err, errFake) {
					t.Fatalf("article %d: %v", i, err)
				}
				failed = true
				if d := c.TakeDelta(); d.Docs != 0 || len(d.Stories) != 0 || len(c.TakeSplits()) != 0 {
					t.Fatalf("article %d failed but changed state", i)
				}
				if got[i], err = c.AssignContext(ctx, ids[i], feats[i]); err != nil {
					t.Fatal(err)
				}
			}
			fb.record(c, ids[i], got[i], feats[i])
			fb.apply(c.TakeDelta())
		}
		tried = tried || failed
		if d := diff(got, want); d != "" {
			t.Errorf("members' read failed at article %d: %s", at, d)
		}
	}
	if !tried {
		t.Error("no assignment read members")
	}
}
