package dedup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestRemove(t *testing.T) {
	cfg := DefaultConfig()
	orig := cfg.Sign(fixture(t, "original.txt"))
	cut := cfg.Sign(fixture(t, "copy_cut.txt"))
	swapped := cfg.Sign(fixture(t, "copy_swapped.txt"))
	type op struct {
		add bool
		id  string
		sig Signature
	}
	add := func(id string, sig Signature) op { return op{true, id, sig} }
	rm := func(id string) op { return op{false, id, nil} }
	tests := []struct {
		name    string
		ops     []op
		query   Signature
		wantID  string // "" for no match
		wantLen int
	}{
		{"removed original no longer matches", []op{add("o", orig), rm("o")}, swapped, "", 0},
		{"the other copy still matches", []op{add("o", orig), add("c", cut), rm("o")}, swapped, "c", 1},
		{"unknown id is a no-op", []op{add("o", orig), rm("nobody"), rm("")}, swapped, "o", 1},
		{"removing twice is a no-op", []op{add("o", orig), add("c", cut), rm("c"), rm("c")}, swapped, "o", 1},
		{"re-added after removal", []op{add("o", orig), rm("o"), add("o", orig)}, swapped, "o", 1},
		{"adding again replaces", []op{add("o", orig), add("c", orig), add("o", cfg.Sign("unrelated words about a garden fair"))}, swapped, "c", 2},
		{"an unusable signature removes the id", []op{add("o", orig), add("o", cfg.Sign(""))}, swapped, "", 0},
		// Ties go to the earliest added; a replaced id ranks as the latest.
		{"replaced id loses ties", []op{add("a", orig), add("b", orig), add("a", orig)}, orig, "b", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex(cfg)
			for _, o := range tt.ops {
				if o.add {
					ix.Add(o.id, o.sig)
				} else {
					ix.Remove(o.id)
				}
			}
			id, _, ok := ix.Match(tt.query)
			if ok != (tt.wantID != "") || id != tt.wantID {
				t.Errorf("Match = %q, %v; want %q", id, ok, tt.wantID)
			}
			if ix.Len() != tt.wantLen {
				t.Errorf("Len = %d, want %d", ix.Len(), tt.wantLen)
			}
			checkIndex(t, ix)
		})
	}
}

// TestAddRemoveAddEqualsAdd expects removal to leave no trace in Match:
// same ids, same similarities.
func TestAddRemoveAddEqualsAdd(t *testing.T) {
	cfg := DefaultConfig()
	names := []string{"original.txt", "copy_cut.txt", "independent.txt"}
	probes := []string{"original.txt", "copy_cut.txt", "copy_swapped.txt", "respaced.txt", "independent.txt"}
	for _, removed := range names {
		t.Run(removed, func(t *testing.T) {
			once, twice := NewIndex(cfg), NewIndex(cfg)
			for _, n := range names {
				once.Add(n, cfg.Sign(fixture(t, n)))
				twice.Add(n, cfg.Sign(fixture(t, n)))
			}
			twice.Remove(removed)
			twice.Add(removed, cfg.Sign(fixture(t, removed)))
			// The re-added one ranks last in both.
			once.Remove(removed)
			once.Add(removed, cfg.Sign(fixture(t, removed)))
			fresh := NewIndex(cfg)
			for _, n := range names {
				if n != removed {
					fresh.Add(n, cfg.Sign(fixture(t, n)))
				}
			}
			fresh.Add(removed, cfg.Sign(fixture(t, removed)))
			for _, p := range probes {
				sig := cfg.Sign(fixture(t, p))
				w := matchOf(fresh, sig)
				if g := matchOf(twice, sig); g != w {
					t.Errorf("probe %s: add-remove-add Match = %v, fresh %v", p, g, w)
				}
				if g := matchOf(once, sig); g != w {
					t.Errorf("probe %s: replaced Match = %v, fresh %v", p, g, w)
				}
			}
			if twice.Len() != len(names) {
				t.Errorf("Len = %d, want %d", twice.Len(), len(names))
			}
		})
	}
}

type matchResult struct {
	id  string
	sim float64
	ok  bool
}

func matchOf(ix *Index, sig Signature) matchResult {
	id, sim, ok := ix.Match(sig)
	return matchResult{id, sim, ok}
}

// checkIndex verifies the internal invariants: buckets hold live positions
// in ascending order, bands of them per live id, and pos agrees with ids.
func checkIndex(t *testing.T, ix *Index) {
	t.Helper()
	entries := 0
	for k, b := range ix.buckets {
		if len(b) == 0 {
			t.Errorf("empty bucket %x kept", k)
		}
		if !slices.IsSorted(b) {
			t.Errorf("bucket %x not sorted: %v", k, b)
		}
		for _, p := range b {
			if ix.sigs[p] == nil {
				t.Errorf("bucket %x holds removed position %d", k, p)
			}
		}
		entries += len(b)
	}
	want := 0
	for _, p := range ix.pos {
		want += len(ix.bandKeys(ix.sigs[p], nil))
	}
	if entries != want {
		t.Errorf("%d bucket entries, want %d", entries, want)
	}
	live := 0
	for p, sig := range ix.sigs {
		if sig != nil {
			live++
			if ix.pos[ix.ids[p]] != int32(p) {
				t.Errorf("pos[%q] = %d, want %d", ix.ids[p], ix.pos[ix.ids[p]], p)
			}
		}
	}
	if live != len(ix.pos) || len(ix.sigs)-live != ix.dead {
		t.Errorf("%d live and %d dead positions, pos has %d, dead %d", live, len(ix.sigs)-live, len(ix.pos), ix.dead)
	}
}

// randomTexts makes texts in families: edits of a few base texts, so that
// some pairs are copies, some near misses and most unrelated.
func randomTexts(rng *rand.Rand, n int) []string {
	vocab := make([]string, 300)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%d", i)
	}
	para := func() []string {
		ws := make([]string, 15+rng.IntN(20))
		for i := range ws {
			ws[i] = vocab[rng.IntN(len(vocab))]
		}
		return ws
	}
	var bases [][][]string
	for range 6 {
		var b [][]string
		for range 2 + rng.IntN(4) {
			b = append(b, para())
		}
		bases = append(bases, b)
	}
	out := make([]string, n)
	for i := range out {
		base := bases[rng.IntN(len(bases))]
		var paras []string
		keep := 1 + rng.IntN(len(base)) // cut copies keep the top
		for _, p := range base[:keep] {
			p = slices.Clone(p)
			for range rng.IntN(6) {
				p[rng.IntN(len(p))] = vocab[rng.IntN(len(vocab))]
			}
			paras = append(paras, strings.Join(p, " "))
		}
		if rng.IntN(3) == 0 {
			paras = append(paras, strings.Join(para(), " "))
		}
		out[i] = strings.Join(paras, "\n\n")
	}
	return out
}

// TestRemoveProperty runs random adds, replacements and removals and expects
// the index to answer every probe as one built from the survivors alone, in
// the order they were last added.
func TestRemoveProperty(t *testing.T) {
	cfg := DefaultConfig()
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			texts := randomTexts(rng, 120)
			sigs := make([]Signature, len(texts))
			for i, s := range texts {
				sigs[i] = cfg.Sign(s)
			}
			ix := NewIndex(cfg)
			var order []string // live ids, by last addition
			live := map[string]Signature{}
			compacted := false
			for range 400 {
				id := fmt.Sprint("id", rng.IntN(40))
				before := len(ix.ids)
				if rng.IntN(10) < 6 {
					sig := sigs[rng.IntN(len(sigs))]
					ix.Add(id, sig)
					order = slices.DeleteFunc(order, func(s string) bool { return s == id })
					order = append(order, id)
					live[id] = sig
				} else {
					ix.Remove(id)
					order = slices.DeleteFunc(order, func(s string) bool { return s == id })
					delete(live, id)
				}
				compacted = compacted || len(ix.ids) < before
			}
			checkIndex(t, ix)
			if !compacted {
				t.Errorf("no compaction ran; the test does not cover it")
			}
			fresh := NewIndex(cfg)
			for _, id := range order {
				fresh.Add(id, live[id])
			}
			if ix.Len() != fresh.Len() {
				t.Errorf("Len = %d, survivors %d", ix.Len(), fresh.Len())
			}
			matched := 0
			for i, sig := range append(sigs, cfg.Sign(randomTexts(rng, 1)[0])) {
				g, w := matchOf(ix, sig), matchOf(fresh, sig)
				if g != w {
					t.Errorf("probe %d: Match = %v, survivors-only %v", i, g, w)
				}
				if w.ok {
					matched++
				}
			}
			// Probes must both find copies and miss for the comparison to
			// mean anything.
			if matched < 10 || matched == len(sigs)+1 {
				t.Errorf("%d of %d probes matched", matched, len(sigs)+1)
			}
		})
	}
}
