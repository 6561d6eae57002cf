package dedup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// fakeBacking is a store in memory: what ingest would keep per article.
type fakeBacking struct {
	bands map[uint64][]string
	sigs  map[string]Signature
	err   error
	calls int
}

func newFake() *fakeBacking {
	return &fakeBacking{bands: map[uint64][]string{}, sigs: map[string]Signature{}}
}

func (f *fakeBacking) put(ix *Index, id string, sig Signature) {
	f.sigs[id] = sig
	for _, k := range ix.BandKeys(sig) {
		f.bands[k] = append(f.bands[k], id)
	}
}

func (f *fakeBacking) InBands(ctx context.Context, keys []uint64, limit int) (map[uint64][]string, error) {
	f.calls++
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.err != nil {
		return nil, f.err
	}
	out := map[uint64][]string{}
	for _, k := range keys {
		if ids := f.bands[k]; len(ids) > 0 {
			if limit > 0 && len(ids) > limit {
				ids = ids[len(ids)-limit:]
			}
			out[k] = slices.Clone(ids)
		}
	}
	return out, nil
}

func (f *fakeBacking) Signatures(ctx context.Context, ids []string) (map[string]Signature, error) {
	out := map[string]Signature{}
	for _, id := range ids {
		if s, ok := f.sigs[id]; ok {
			out[id] = s
		}
	}
	return out, nil
}

func TestBacking(t *testing.T) {
	cfg := DefaultConfig()
	orig := cfg.SignArticle(bridgeTitle, fixture(t, "original.txt"))
	cut := cfg.SignArticle(bridgeTitle, fixture(t, "brief_top.txt"))
	indep := cfg.SignArticle(bridgeTitle, fixture(t, "independent.txt"))
	tests := []struct {
		name   string
		setup  func(ix *Index, f *fakeBacking)
		query  Signature
		wantID string
		rel    Relation
	}{
		{"only the backing holds the original", func(ix *Index, f *fakeBacking) {
			f.put(ix, "orig", orig)
		}, cut, "orig", InStored},
		{"memory and backing hold it alike", func(ix *Index, f *fakeBacking) {
			f.put(ix, "orig", orig)
			ix.Add("orig", orig)
		}, cut, "orig", InStored},
		{"removed in this process, still listed", func(ix *Index, f *fakeBacking) {
			f.put(ix, "orig", orig)
			ix.Add("orig", orig)
			ix.Remove("orig")
		}, cut, "", Resembles},
		{"removed, then added again", func(ix *Index, f *fakeBacking) {
			f.put(ix, "orig", orig)
			ix.Remove("orig")
			ix.Add("orig", orig)
		}, cut, "orig", InStored},
		{"listed but its signature gone", func(ix *Index, f *fakeBacking) {
			f.put(ix, "orig", orig)
			delete(f.sigs, "orig")
		}, cut, "", Resembles},
		{"a signature of another scheme is skipped", func(ix *Index, f *fakeBacking) {
			f.put(ix, "orig", orig)
			f.sigs["orig"] = slices.Clone(orig)[:headerLen+1]
		}, cut, "", Resembles},
		{"independent report in the backing", func(ix *Index, f *fakeBacking) {
			f.put(ix, "orig", orig)
		}, indep, "", Resembles},
		{"ties go to the backing's first", func(ix *Index, f *fakeBacking) {
			f.put(ix, "first", orig)
			f.put(ix, "second", orig)
			ix.Add("third", orig)
		}, orig, "first", Resembles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			ix := NewIndex(cfg).WithBacking(f, 0)
			tt.setup(ix, f)
			ms, err := ix.MatchContext(context.Background(), tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantID == "" {
				if len(ms) != 0 {
					t.Fatalf("MatchContext = %+v, want none", ms)
				}
				return
			}
			if len(ms) == 0 || ms[0].ID != tt.wantID || ms[0].Relation != tt.rel {
				t.Fatalf("MatchContext = %+v, want %s first with relation %d", ms, tt.wantID, tt.rel)
			}
			ids := map[string]bool{}
			for _, m := range ms {
				if ids[m.ID] {
					t.Errorf("%s listed twice", m.ID)
				}
				ids[m.ID] = true
			}
		})
	}
}

func TestBackingErrors(t *testing.T) {
	cfg := DefaultConfig()
	sig := cfg.Sign(fixture(t, "original.txt"))
	f := newFake()
	ix := NewIndex(cfg).WithBacking(f, 0)
	f.put(ix, "orig", sig)
	ix.Add("orig", sig)

	f.err = errors.New("disk on fire")
	if _, err := ix.MatchContext(context.Background(), sig); err == nil || !errors.Is(err, f.err) || !strings.Contains(err.Error(), "dedup") {
		t.Errorf("MatchContext error = %v, want the backing's, wrapped", err)
	}
	if ms := ix.MatchAll(sig); ms != nil {
		t.Errorf("MatchAll on a failing backing = %+v, want nil", ms)
	}
	f.err = nil
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.MatchContext(ctx, sig); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled MatchContext error = %v, want context.Canceled", err)
	}
	if keys := ix.BandKeys(cfg.Sign("")); keys != nil {
		t.Errorf("BandKeys of an empty text = %v, want none", keys)
	}
	before := f.calls
	if _, err := ix.MatchContext(context.Background(), cfg.Sign("")); err != nil || f.calls != before {
		t.Errorf("an unusable query consulted the backing (err %v)", err)
	}
}

// TestBackingBoundedMemory runs one stream through an index that holds all
// in memory and through one that keeps three articles and finds the rest
// in its backing: they must link every article alike.
func TestBackingBoundedMemory(t *testing.T) {
	cfg := DefaultConfig()
	texts := synthCorpus(120, 7)
	// Copies of every fifth article, cut to their first paragraphs.
	for i := 0; i < 120; i += 5 {
		paras := strings.Split(texts[i], "\n\n")
		texts = append(texts, strings.Join(paras[:max(2, len(paras)/2)], "\n\n"))
	}
	mem := NewIndex(cfg)
	f := newFake()
	backed := NewIndex(cfg).WithBacking(f, 3)
	links := 0
	for n, text := range texts {
		sig := cfg.Sign(text)
		id := fmt.Sprint("a", n)
		want, _, wantOK := mem.Match(sig)
		ms, err := backed.MatchContext(context.Background(), sig)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(ms) > 0; got != wantOK || (got && ms[0].ID != want) {
			t.Fatalf("article %d: backed index matched %+v, in-memory %q %v", n, ms, want, wantOK)
		}
		if wantOK {
			links++
			continue
		}
		mem.Add(id, sig)
		backed.Add(id, sig)
		f.put(backed, id, sig)
		if backed.Len() > 3 {
			t.Fatalf("backed index holds %d articles, bound 3", backed.Len())
		}
	}
	if links < 20 {
		t.Errorf("%d copies linked, want the 24 cut copies among them", links)
	}
}

// TestStartsEmptyAsksNothing: an index told its backing starts empty does
// not ask it while memory holds everything, and asks it, and still links
// alike, once memory has evicted an article.
func TestStartsEmptyAsksNothing(t *testing.T) {
	cfg := DefaultConfig()
	texts := synthCorpus(40, 3)
	for i := 0; i < 40; i += 4 {
		texts = append(texts, texts[i]+"\n\nA paragraph the republisher added.")
	}
	for _, memory := range []int{0, 5} {
		mem := NewIndex(cfg)
		f := newFake()
		ix := NewIndex(cfg).WithBacking(f, memory).StartsEmpty()
		for n, text := range texts {
			sig := cfg.Sign(text)
			want, _, wantOK := mem.Match(sig)
			ms, err := ix.MatchContext(context.Background(), sig)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(ms) > 0; got != wantOK || got && ms[0].ID != want {
				t.Fatalf("memory %d, article %d: matched %+v, in-memory %q %v", memory, n, ms, want, wantOK)
			}
			if !wantOK {
				id := fmt.Sprint("a", n)
				mem.Add(id, sig)
				ix.Add(id, sig)
				f.put(ix, id, sig)
			}
		}
		if memory == 0 && f.calls != 0 {
			t.Errorf("unbounded memory: the backing was asked %d times", f.calls)
		}
		if memory > 0 && f.calls == 0 {
			t.Errorf("memory %d: the backing was never asked after evictions", memory)
		}
	}
}

// apply files changes the way a store does: in order; replaced bands keep
// their place, taken out and set again they are the latest.
func (f *fakeBacking) apply(changes []BandChange) {
	for _, c := range changes {
		if len(c.Keys) == 0 {
			for k, ids := range f.bands {
				f.bands[k] = slices.DeleteFunc(ids, func(id string) bool { return id == c.ID })
			}
			continue
		}
		for _, k := range c.Keys {
			if !slices.Contains(f.bands[k], c.ID) {
				f.bands[k] = append(f.bands[k], c.ID)
			}
		}
	}
}

// TestPerKeyLatest: only the latest perKey articles under a key are
// candidates, whether memory or the backing holds them.
func TestPerKeyLatest(t *testing.T) {
	cfg := DefaultConfig()
	sig := cfg.Sign(fixture(t, "original.txt"))
	for _, memory := range []int{0, 3, perKey + 5} {
		f := newFake()
		ix := NewIndex(cfg)
		if memory > 0 {
			ix.WithBacking(f, memory)
		}
		for i := range perKey + 2 {
			id := fmt.Sprintf("a%02d", i)
			ix.Add(id, sig)
			f.sigs[id] = sig
		}
		f.apply(ix.TakeChanges())
		ms, err := ix.MatchContext(context.Background(), sig)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != perKey || ms[0].ID != "a02" || ms[len(ms)-1].ID != fmt.Sprintf("a%02d", perKey+1) {
			t.Errorf("memory %d: %d matches from %v to %v, want %d from a02 on", memory, len(ms), ms[0], ms[len(ms)-1], perKey)
		}
	}
}

// TestBackedMatchesMemory runs a stream with a shared top paragraph (so
// that some keys hold far more than perKey articles), removals, articles
// set again and late copies through an index that holds everything and
// one that keeps ten and applies its changes to a backing only when a
// batch ends: they must link every article alike.
func TestBackedMatchesMemory(t *testing.T) {
	cfg := DefaultConfig()
	furniture := "Readers of the Weekly Lantern can sign up for the morning letter, follow the desk on every network, and send tips to the newsroom at any hour."
	texts := synthCorpus(160, 11)
	for i := range texts {
		texts[i] = furniture + "\n\n" + texts[i]
	}
	for i := 0; i < 160; i += 4 {
		paras := strings.Split(texts[i], "\n\n")
		texts = append(texts, strings.Join(paras[:max(3, len(paras)/2)], "\n\n"))
	}
	mem := NewIndex(cfg)
	f := newFake()
	backed := NewIndex(cfg).WithBacking(f, 10).StartsEmpty()
	ctx := context.Background()
	links := 0
	for n, text := range texts {
		sig := cfg.Sign(text)
		id := fmt.Sprint("a", n)
		want := mem.MatchAll(sig)
		got, err := backed.MatchContext(ctx, sig)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) > 0 && got[0] != want[0] || !slices.Equal(matchIDs(got), matchIDs(want)) {
			t.Fatalf("article %d: backed index matched %+v, in-memory %+v", n, got, want)
		}
		switch {
		case len(want) > 0:
			links++
		case n%9 == 3:
			// Removed, and set again a little later.
			for _, ix := range []*Index{mem, backed} {
				ix.Add(id, sig)
				ix.Remove(id)
			}
		default:
			f.sigs[id] = sig
			for _, ix := range []*Index{mem, backed} {
				ix.Add(id, sig)
			}
		}
		if n%9 == 5 && n > 9 {
			again := fmt.Sprint("a", n-2)
			f.sigs[again] = cfg.Sign(texts[n-2])
			for _, ix := range []*Index{mem, backed} {
				ix.Add(again, f.sigs[again])
			}
		}
		if n%7 == 6 { // a batch ends
			f.apply(backed.TakeChanges())
		}
	}
	if links < 30 {
		t.Errorf("%d copies linked, want most of the 40 cut copies", links)
	}
	crowded := 0
	for _, ids := range f.bands {
		if len(ids) > perKey {
			crowded++
		}
	}
	if crowded == 0 {
		t.Error("no key holds more than perKey articles: the stream does not test the bound")
	}
}

func matchIDs(ms []Match) []string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestBackedBoundExact: with a key far above perKey, removals and an
// article set again not yet applied to the backing, a backed index with
// little memory has the same candidates as one that holds everything.
func TestBackedBoundExact(t *testing.T) {
	cfg := DefaultConfig()
	wire := cfg.Sign(fixture(t, "original.txt"))
	others := synthCorpus(30, 5)
	mem := NewIndex(cfg)
	f := newFake()
	backed := NewIndex(cfg).WithBacking(f, 4)
	both := func(fn func(ix *Index)) { fn(mem); fn(backed) }
	for i := range perKey + 8 {
		id := fmt.Sprintf("w%02d", i)
		f.sigs[id] = wire
		both(func(ix *Index) { ix.Add(id, wire) })
		if i < len(others) {
			o := fmt.Sprint("o", i)
			f.sigs[o] = cfg.Sign(others[i])
			both(func(ix *Index) { ix.Add(o, f.sigs[o]) })
		}
	}
	f.apply(backed.TakeChanges())
	both(func(ix *Index) {
		for _, id := range []string{"w39", "w37", "w20"} {
			ix.Remove(id)
		}
		ix.Add("w02", wire) // set again: the latest now
	})
	for _, step := range []string{"not applied", "applied", "evicted from memory since"} {
		switch step {
		case "applied":
			f.apply(backed.TakeChanges())
		case "evicted from memory since":
			for i := range 5 {
				o := fmt.Sprint("late", i)
				f.sigs[o] = cfg.Sign(others[len(others)-1-i])
				both(func(ix *Index) { ix.Add(o, f.sigs[o]) })
			}
			f.apply(backed.TakeChanges())
		}
		want, got := mem.MatchAll(wire), backed.MatchAll(wire)
		if len(want) != perKey || !slices.Contains(matchIDs(want), "w02") || !slices.Equal(matchIDs(got), matchIDs(want)) {
			t.Errorf("%s: backed matched %v, in memory %v (want %d with w02)", step, matchIDs(got), matchIDs(want), perKey)
		}
	}
}

// TestCachedSignatureReplaced: a signature read from the backing once is
// not used after its article is signed again.
func TestCachedSignatureReplaced(t *testing.T) {
	cfg := DefaultConfig()
	a := cfg.Sign(fixture(t, "original.txt"))
	b := cfg.Sign(fixture(t, "independent.txt"))
	others := synthCorpus(3, 9)
	f := newFake()
	ix := NewIndex(cfg).WithBacking(f, 1)
	add := func(id string, sig Signature) {
		f.sigs[id] = sig
		ix.Add(id, sig)
		f.apply(ix.TakeChanges())
	}
	add("x", a)
	add("o0", cfg.Sign(others[0])) // x leaves memory
	if ms := ix.MatchAll(a); len(ms) != 1 || ms[0].ID != "x" {
		t.Fatalf("before: %+v, want x from the backing", ms)
	}
	add("x", b)
	add("o1", cfg.Sign(others[1])) // x leaves memory again
	if ms := ix.MatchAll(a); len(ms) != 0 {
		t.Errorf("after x was signed again: %+v, want none", ms)
	}
	if ms := ix.MatchAll(b); len(ms) != 1 || ms[0].ID != "x" {
		t.Errorf("after x was signed again, its new text: %+v, want x", ms)
	}
}

// TestKeyFilter: every key added is had; of keys never added, few are.
func TestKeyFilter(t *testing.T) {
	f := newKeyFilter()
	for i := range uint64(100_000) {
		f.add(mix64(i))
	}
	for i := range uint64(100_000) {
		if !f.has(mix64(i)) {
			t.Fatalf("key %d added, not had", i)
		}
	}
	wrong := 0
	for i := uint64(1 << 40); i < 1<<40+100_000; i++ {
		if f.has(mix64(i)) {
			wrong++
		}
	}
	if wrong > 10 {
		t.Errorf("%d of 100,000 keys never added are had", wrong)
	}
}
