package cluster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeBacking holds applied deltas in maps, with the sqlite store's
// semantics: counts at zero or below go, StoriesWithKeys lists the most
// recently keyed first and maps a key of more than limit stories to nil.
type fakeBacking struct {
	docs    int64
	terms   map[string]int64
	states  map[string][]byte
	keys    map[string][]string        // story -> its keys
	byKey   map[string]map[string]bool // key -> stories
	changed map[string]int64           // story -> when its keys were set
	seq     int64
	reads   int // reads of the state
	ops     int // reads of anything
	failAt  int // fail the op with this number (1 = the first), 0 never
	// failFeatures fails every StoryFeatures.
	failFeatures bool

	// What a store learns from the articles it is given, as ingest
	// writes them: each original's story and features, in first order.
	members map[string][]string // story -> its originals
	storyOf map[string]string
	feats   map[string][]byte
	first   map[string]int
}

func newFake() *fakeBacking {
	return &fakeBacking{terms: map[string]int64{}, states: map[string][]byte{}, keys: map[string][]string{},
		byKey: map[string]map[string]bool{}, changed: map[string]int64{},
		members: map[string][]string{}, storyOf: map[string]string{}, feats: map[string][]byte{}, first: map[string]int{}}
}

// record stores an assigned article's story and features, then the
// merges and splits its assignment caused, as ingest does after Assign.
func (f *fakeBacking) record(c *Clusterer, id, storyID string, feat Features) {
	if _, ok := f.first[id]; !ok {
		f.first[id] = len(f.first)
	}
	f.feats[id] = feat.Marshal()
	f.move(id, storyID)
	for _, m := range c.TakeMerges() {
		for _, a := range slices.Clone(f.members[m.From]) {
			f.move(a, m.Into)
		}
	}
	for _, sp := range c.TakeSplits() {
		for _, a := range sp.Articles {
			f.move(a, sp.Into)
		}
	}
}

func (f *fakeBacking) move(id, storyID string) {
	if old, ok := f.storyOf[id]; ok {
		f.members[old] = slices.DeleteFunc(f.members[old], func(a string) bool { return a == id })
		if len(f.members[old]) == 0 {
			delete(f.members, old)
		}
	}
	f.storyOf[id] = storyID
	ms := append(f.members[storyID], id)
	slices.SortFunc(ms, func(a, b string) int { return cmp.Compare(f.first[a], f.first[b]) })
	f.members[storyID] = ms
}

func (f *fakeBacking) StoryFeatures(_ context.Context, storyID string, limit int) ([]string, [][]byte, error) {
	if err := f.op(); err != nil {
		return nil, nil, err
	}
	if f.failFeatures {
		return nil, nil, errFake
	}
	ids := f.members[storyID]
	ids = ids[:min(len(ids), limit)]
	feats := make([][]byte, len(ids))
	for i, id := range ids {
		feats[i] = f.feats[id]
	}
	return slices.Clone(ids), feats, nil
}

var errFake = errors.New("fake backing failed")

func (f *fakeBacking) read() error {
	f.reads++
	return f.op()
}

func (f *fakeBacking) op() error {
	f.ops++
	if f.ops == f.failAt {
		return errFake
	}
	return nil
}

func (f *fakeBacking) apply(d Delta) {
	f.docs += d.Docs
	for t, n := range d.Terms {
		if f.terms[t] += n; f.terms[t] <= 0 {
			delete(f.terms, t)
		}
	}
	for id, b := range d.Stories {
		if b == nil {
			delete(f.states, id)
		} else {
			f.states[id] = slices.Clone(b)
		}
	}
	if len(d.StoryKeys) > 0 {
		f.seq++
	}
	for id, keys := range d.StoryKeys {
		for _, k := range f.keys[id] {
			delete(f.byKey[k], id)
		}
		delete(f.keys, id)
		delete(f.changed, id)
		if len(keys) == 0 {
			continue
		}
		keys = slices.Compact(slices.Sorted(slices.Values(keys)))
		f.keys[id], f.changed[id] = keys, f.seq
		for _, k := range keys {
			if f.byKey[k] == nil {
				f.byKey[k] = map[string]bool{}
			}
			f.byKey[k][id] = true
		}
	}
}

func (f *fakeBacking) TermCounts(_ context.Context, terms []string) (int64, map[string]int64, error) {
	if err := f.read(); err != nil {
		return 0, nil, err
	}
	out := map[string]int64{}
	for _, t := range terms {
		if n, ok := f.terms[t]; ok {
			out[t] = n
		}
	}
	return f.docs, out, nil
}

func (f *fakeBacking) StoriesWithKeys(_ context.Context, keys []string, limit int) (map[string][]string, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("limit %d", limit)
	}
	if err := f.read(); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, k := range keys {
		ids := slices.Collect(maps.Keys(f.byKey[k]))
		switch {
		case len(ids) == 0:
		case len(ids) > limit:
			out[k] = nil
		default:
			slices.SortFunc(ids, func(a, b string) int {
				if c := cmp.Compare(f.changed[b], f.changed[a]); c != 0 {
					return c
				}
				return strings.Compare(b, a)
			})
			out[k] = ids
		}
	}
	return out, nil
}

func (f *fakeBacking) StoryStates(_ context.Context, ids []string) (map[string][]byte, error) {
	if err := f.read(); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, id := range ids {
		if b, ok := f.states[id]; ok {
			out[id] = b
		}
	}
	return out, nil
}

// stream is articles to assign in order.
type stream struct {
	ids   []string
	feats []Features
}

func fixtureStream(t *testing.T) stream {
	fx, feats := fixtureFeatures(t, true)
	var s stream
	for i, f := range fx {
		s.ids = append(s.ids, f.ID)
		s.feats = append(s.feats, feats[i])
	}
	// The fixtures again under new IDs, undated, and a headline over
	// another body, so that stories grow, merge and evict.
	for i, f := range fx {
		s.ids = append(s.ids, "u"+f.ID)
		s.feats = append(s.feats, Extract(f.Title, f.Text, "en", time.Time{}))
		o := fx[(i+1)%len(fx)]
		s.ids = append(s.ids, "x"+f.ID)
		s.feats = append(s.feats, Extract(f.Title, o.Text, "en", f.Published))
	}
	return s
}

func devStream(t *testing.T, name string) stream {
	d := loadDev(t, name)
	var s stream
	for _, doc := range d.docs {
		s.ids = append(s.ids, strconv.Itoa(doc.line))
		s.feats = append(s.feats, Extract(doc.title, doc.text, "en", doc.published))
	}
	return s
}

func oneRun(cfg Config, s stream) []string {
	c := New(cfg)
	out := make([]string, len(s.ids))
	for i, id := range s.ids {
		out[i] = c.Assign(id, s.feats[i])
	}
	return out
}

// twoRuns assigns the first k articles with one backed Clusterer, the
// rest with a new one over the same backing, taking and applying the delta
// after every article or every few.
func twoRuns(t *testing.T, cfg Config, s stream, k int, restore []string, every int) ([]string, *fakeBacking) {
	t.Helper()
	ctx := context.Background()
	fb := newFake()
	out := make([]string, len(s.ids))
	c := NewBacked(cfg, fb)
	for i, id := range s.ids {
		if i == k {
			fb.apply(c.TakeDelta())
			c = NewBacked(cfg, fb)
		}
		var err error
		if restore != nil && i < k {
			out[i] = restore[i]
			err = c.RestoreContext(ctx, id, restore[i], s.feats[i])
		} else {
			out[i], err = c.AssignContext(ctx, id, s.feats[i])
		}
		if err != nil {
			t.Fatalf("article %d: %v", i, err)
		}
		fb.record(c, id, out[i], s.feats[i])
		if len(c.stories) > max(cfg.MaxStories, 0)+maxCandidates+1 && cfg.MaxStories > 0 {
			t.Fatalf("article %d: %d stories in memory, bound %d", i, len(c.stories), cfg.MaxStories)
		}
		if (i+1)%every == 0 {
			fb.apply(c.TakeDelta())
		}
	}
	return out, fb
}

// diff describes where two assignments part.
func diff(got, want []string) string {
	for i := range want {
		if got[i] != want[i] {
			return fmt.Sprintf("article %d: %s, want %s", i, got[i], want[i])
		}
	}
	return ""
}

// TestTwoRunsEqualOne: a backed Clusterer that starts over half way, on
// what the first one's deltas left, decides as one in-memory run does.
func TestTwoRunsEqualOne(t *testing.T) {
	type tcase struct {
		name  string
		s     stream
		cfg   Config
		every int
	}
	small := DefaultConfig()
	small.MaxStories, small.MaxTerms = 3, 40 // evicts all the time
	heal := healConfig()
	hids, hfeats := healStream()
	cases := []tcase{
		{"fixtures", fixtureStream(t), DefaultConfig(), 1},
		{"fixtures, deltas every 4", fixtureStream(t), DefaultConfig(), 4},
		{"fixtures, tiny memory", fixtureStream(t), small, 1},
		{"fixtures, tiny memory, deltas every 3", fixtureStream(t), small, 3},
		{"merging stream", stream{hids, hfeats}, heal, 1},
		{"merging stream, deltas every 5", stream{hids, hfeats}, heal, 5},
	}
	if !testing.Short() {
		for _, name := range []string{"allsides-dev", "ecbplus-dev"} {
			s := devStream(t, name)
			cases = append(cases, tcase{name, s, DefaultConfig(), 1}, tcase{name + ", deltas every 10", s, DefaultConfig(), 10})
			tiny := DefaultConfig()
			tiny.MaxStories, tiny.MaxTerms = 50, 30000
			cases = append(cases, tcase{name + ", small memory, deltas every 3", s, tiny, 3})
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := oneRun(tc.cfg, tc.s)
			if n := len(slices.Compact(slices.Sorted(slices.Values(want)))); n < 3 {
				t.Fatalf("one run gives %d stories: the stream proves nothing", n)
			}
			n := len(tc.s.ids)
			for _, k := range []int{0, 1, n / 3, n / 2, n - 1} {
				got, _ := twoRuns(t, tc.cfg, tc.s, k, nil, tc.every)
				if d := diff(got, want); d != "" {
					t.Errorf("split at %d: %s", k, d)
				}
			}
		})
	}
}

// TestBackedRestore fills a backing by restoring a run's assignments (as
// a store written before the state tables would be) and assigns the rest.
func TestBackedRestore(t *testing.T) {
	s := fixtureStream(t)
	want := oneRun(DefaultConfig(), s)
	for _, k := range []int{1, 9, len(s.ids) - 2} {
		got, _ := twoRuns(t, DefaultConfig(), s, k, want, 2)
		if d := diff(got, want); d != "" {
			t.Errorf("restored %d: %s", k, d)
		}
	}
}

// TestBackedMerge: a merge deletes the merged-away story from the backing
// and rewrites the one it went into; Resolve knows it in this process.
func TestBackedMerge(t *testing.T) {
	ids, feats := healStream()
	fb := newFake()
	c := NewBacked(healConfig(), fb)
	ctx := context.Background()
	got := map[string]string{}
	var merges []Merge
	for i, id := range ids {
		sid, err := c.AssignContext(ctx, id, feats[i])
		if err != nil {
			t.Fatal(err)
		}
		got[id] = sid
		ms := c.TakeMerges()
		d := c.TakeDelta()
		for _, m := range ms {
			if b, ok := d.Stories[m.From]; !ok || b != nil {
				t.Errorf("merge %+v: delta state of From = %v (present %v), want deleted", m, b, ok)
			}
			if k, ok := d.StoryKeys[m.From]; !ok || k != nil {
				t.Errorf("merge %+v: delta keys of From = %v, want deleted", m, k)
			}
			if d.Stories[m.Into] == nil || len(d.StoryKeys[m.Into]) == 0 {
				t.Errorf("merge %+v: Into not rewritten", m)
			}
		}
		merges = append(merges, ms...)
		fb.apply(d)
	}
	if len(merges) != 1 {
		t.Fatalf("merges %v, want one", merges)
	}
	m := merges[0]
	if _, ok := fb.states[m.From]; ok {
		t.Errorf("merged-away %s still in the backing", m.From)
	}
	if c.Resolve(got["b1"]) != m.Into {
		t.Errorf("Resolve(%s) = %s, want %s", got["b1"], c.Resolve(got["b1"]), m.Into)
	}
	s, err := unmarshalStory(m.Into, fb.states[m.Into])
	if err != nil {
		t.Fatal(err)
	}
	if s.size != 14 {
		t.Errorf("stored merged story of size %d, want 14", s.size)
	}
}

// TestBackedRemove removes through a new process: the story comes from the
// backing and the counts go back to what they were before the article.
func TestBackedRemove(t *testing.T) {
	s := fixtureStream(t)
	ctx := context.Background()
	n := 9
	fb := newFake()
	c := NewBacked(DefaultConfig(), fb)
	var sid string
	for i := range n {
		var err error
		if sid, err = c.AssignContext(ctx, s.ids[i], s.feats[i]); err != nil {
			t.Fatal(err)
		}
		fb.apply(c.TakeDelta())
	}
	before := newFake()
	c0 := NewBacked(DefaultConfig(), before)
	for i := range n - 1 {
		if _, err := c0.AssignContext(ctx, s.ids[i], s.feats[i]); err != nil {
			t.Fatal(err)
		}
		before.apply(c0.TakeDelta())
	}
	c = NewBacked(DefaultConfig(), fb)
	if err := c.RemoveContext(ctx, s.ids[n-1], sid, s.feats[n-1]); err != nil {
		t.Fatal(err)
	}
	fb.apply(c.TakeDelta())
	if fb.docs != before.docs || !reflect.DeepEqual(fb.terms, before.terms) {
		t.Errorf("after removal: %d docs, %d terms; before the article: %d docs, %d terms", fb.docs, len(fb.terms), before.docs, len(before.terms))
	}
	// The founded count stays: a later story must not take a used seq.
	got, err := unmarshalStory(sid, fb.states[sid])
	want, err2 := unmarshalStory(sid, before.states[sid])
	if err != nil || err2 != nil {
		t.Fatalf("states: %v, %v", err, err2)
	}
	if !reflect.DeepEqual(got.centroid, want.centroid) || got.size != want.size || !slices.Equal(memberIDs(got), memberIDs(want)) {
		t.Errorf("story after removal: size %d members %v, want size %d members %v", got.size, memberIDs(got), want.size, memberIDs(want))
	}
	if err := c.RemoveContext(ctx, "nobody", "s-none", s.feats[0]); err != nil {
		t.Errorf("removal from an unknown story: %v", err)
	}
}

func memberIDs(s *story) []string {
	var ids []string
	for _, m := range s.members {
		ids = append(ids, m.id)
	}
	return ids
}

// TestBackedErrorChangesNothing fails each read of an assignment in turn:
// the error comes back, and a retry decides as if nothing had failed.
func TestBackedErrorChangesNothing(t *testing.T) {
	s := fixtureStream(t)
	want := oneRun(DefaultConfig(), s)
	ctx := context.Background()
	for _, at := range []int{10, 11} { // the article whose reads fail
		for fail := 1; ; fail++ {
			fb := newFake()
			c := NewBacked(DefaultConfig(), fb)
			got := make([]string, len(s.ids))
			for i := range at {
				got[i], _ = c.AssignContext(ctx, s.ids[i], s.feats[i])
				fb.record(c, s.ids[i], got[i], s.feats[i])
				fb.apply(c.TakeDelta())
			}
			// A new process: one that began on an empty backing holds
			// all there is and reads nothing.
			c = NewBacked(DefaultConfig(), fb)
			fb.failAt = fb.ops + fail
			_, err := c.AssignContext(ctx, s.ids[at], s.feats[at])
			if err == nil {
				if fail == 1 {
					t.Fatalf("article %d reads nothing", at)
				}
				break // past its last read
			}
			if !errors.Is(err, errFake) {
				t.Errorf("read %d: error %v, want the backing's", fail, err)
			}
			if d := c.TakeDelta(); d.Docs != 0 || len(d.Terms) != 0 || len(d.Stories) != 0 {
				t.Errorf("read %d failed, but the delta holds %d docs, %d terms, %d stories", fail, d.Docs, len(d.Terms), len(d.Stories))
			}
			for i := at; i < len(s.ids); i++ {
				var err error
				if got[i], err = c.AssignContext(ctx, s.ids[i], s.feats[i]); err != nil {
					t.Fatal(err)
				}
				fb.record(c, s.ids[i], got[i], s.feats[i])
				fb.apply(c.TakeDelta())
			}
			if d := diff(got, want); d != "" {
				t.Errorf("article %d, read %d failed: %s", at, fail, d)
			}
		}
	}
}

// TestCompleteReadsNothing: a Clusterer that began on an empty backing
// reads nothing from it while memory holds everything, and starts reading
// once memory has dropped something.
func TestCompleteReadsNothing(t *testing.T) {
	s := fixtureStream(t)
	ctx := context.Background()
	fb := newFake()
	c := NewBacked(DefaultConfig(), fb)
	for i := range s.ids {
		if _, err := c.AssignContext(ctx, s.ids[i], s.feats[i]); err != nil {
			t.Fatal(err)
		}
		fb.apply(c.TakeDelta())
	}
	if fb.reads != 1 {
		t.Errorf("%d reads from an empty backing, want 1 (the first, finding it empty)", fb.reads)
	}
	small := DefaultConfig()
	small.MaxStories, small.MaxTerms = 3, 40
	fb = newFake()
	c = NewBacked(small, fb)
	for i := range s.ids {
		if _, err := c.AssignContext(ctx, s.ids[i], s.feats[i]); err != nil {
			t.Fatal(err)
		}
		fb.apply(c.TakeDelta())
	}
	if fb.reads < 2 {
		t.Errorf("%d reads with memory too small for the stream, want more", fb.reads)
	}
}

func TestTakeDeltaWithoutBacking(t *testing.T) {
	c := New(DefaultConfig())
	c.Assign("a", terms("harbour", "crane", "strike"))
	if d := c.TakeDelta(); d.Docs != 0 || len(d.Terms)+len(d.Stories)+len(d.StoryKeys) != 0 {
		t.Errorf("in-memory delta %+v, want empty", d)
	}
}

// synthStream is BenchmarkAssign's stream: 10k articles of 2k events over a
// shared vocabulary.
func synthStream() stream {
	const n, events = 10000, 2000
	rng := rand.New(rand.NewPCG(1, 2))
	common := make([]string, 3000)
	for i := range common {
		common[i] = fmt.Sprintf("word%d", i)
	}
	var s stream
	for i := range n {
		ev := rng.IntN(events)
		var sb strings.Builder
		for range 150 {
			sb.WriteString(common[rng.IntN(len(common))])
			sb.WriteByte(' ')
		}
		for k := range 8 {
			fmt.Fprintf(&sb, "Event%dname%d ", ev, k)
		}
		s.ids = append(s.ids, strconv.Itoa(i))
		s.feats = append(s.feats, Extract(fmt.Sprintf("headline event%d", ev), sb.String(), "en", time.Time{}))
	}
	return s
}

// BenchmarkAssignModes assigns the same stream in memory and backed by the
// map-based fake, each delta applied, to show what the backing costs.
func BenchmarkAssignModes(b *testing.B) {
	s := synthStream()
	ctx := context.Background()
	b.Run("memory", func(b *testing.B) {
		for range b.N {
			c := New(DefaultConfig())
			for i, id := range s.ids {
				c.Assign(id, s.feats[i])
			}
		}
		b.ReportMetric(float64(len(s.ids)*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
	b.Run("backed", func(b *testing.B) {
		for range b.N {
			fb := newFake()
			c := NewBacked(DefaultConfig(), fb)
			for i, id := range s.ids {
				if _, err := c.AssignContext(ctx, id, s.feats[i]); err != nil {
					b.Fatal(err)
				}
				fb.apply(c.TakeDelta())
			}
		}
		b.ReportMetric(float64(len(s.ids)*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
}
