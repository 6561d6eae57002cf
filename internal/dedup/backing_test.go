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

func (f *fakeBacking) InBands(ctx context.Context, keys []uint64) (map[uint64][]string, error) {
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
