package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dossiernews/dossier/internal/store"
)

// termsPerArticle is about how many distinct terms a news article has.
const termsPerArticle = 400

// zipfArticles makes n articles' term sets over a Zipf-distributed
// vocabulary, as news text has: a few terms in most articles, most in few.
func zipfArticles(n int) [][]string {
	r := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(r, 1.1, 1, 500_000)
	out := make([][]string, n)
	for i := range out {
		seen := map[uint64]bool{}
		for len(seen) < termsPerArticle {
			seen[z.Uint64()] = true
		}
		for t := range seen {
			out[i] = append(out[i], fmt.Sprintf("t%d", t))
		}
	}
	return out
}

// BenchmarkApplyStateTermCounts is one article's term-statistics round
// trip as a streaming clusterer makes it: read the document frequencies of
// its terms, then add them, in one batch, on a store already holding
// warm articles' terms.
func BenchmarkApplyStateTermCounts(b *testing.B) {
	// merged: a batch's deltas summed into one ApplyState, as a caller
	// that flushes its counts every so often would.
	for _, tc := range []struct {
		batch  int
		merged bool
	}{{1, false}, {100, false}, {100, true}} {
		batch := tc.batch
		b.Run(fmt.Sprintf("batch=%d/merged=%v", batch, tc.merged), func(b *testing.B) {
			st := openTemp(b)
			defer st.Close()
			ctx := context.Background()
			const warm, pool = 2000, 1000
			arts := zipfArticles(warm + pool)
			apply := func(ctx context.Context, terms []string) error {
				if _, _, err := st.TermCounts(ctx, terms); err != nil {
					return err
				}
				d := store.StateDelta{Docs: 1, Terms: make(map[string]int64, len(terms))}
				for _, t := range terms {
					d.Terms[t] = 1
				}
				return st.ApplyState(ctx, d)
			}
			for i := 0; i < warm; i += 100 {
				err := st.Batch(ctx, func(ctx context.Context) error {
					for _, terms := range arts[i : i+100] {
						if err := apply(ctx, terms); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			n := 0
			for b.Loop() {
				err := st.Batch(ctx, func(ctx context.Context) error {
					if tc.merged {
						d := store.StateDelta{Terms: map[string]int64{}}
						for range batch {
							terms := arts[warm+n%pool]
							if _, _, err := st.TermCounts(ctx, terms); err != nil {
								return err
							}
							for _, t := range terms {
								d.Terms[t]++
							}
							d.Docs++
							n++
						}
						return st.ApplyState(ctx, d)
					}
					for range batch {
						if err := apply(ctx, arts[warm+n%pool]); err != nil {
							return err
						}
						n++
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// BenchmarkApplyStateBands is the band rows of a batch of 64 originals, 67
// random keys each as the dedup index files them, written into a store
// already holding warm articles' bands; reported per article.
func BenchmarkApplyStateBands(b *testing.B) {
	const perArticle, batch = 67, 64
	for _, warm := range []int{1000, 20000} {
		b.Run(fmt.Sprintf("warm=%d", warm), func(b *testing.B) {
			st := openTemp(b)
			defer st.Close()
			ctx := context.Background()
			r := rand.New(rand.NewPCG(3, 4))
			next := 0
			write := func() error {
				d := store.StateDelta{Bands: make(map[string][]uint64, batch)}
				for range batch {
					bands := make([]uint64, perArticle)
					for i := range bands {
						bands[i] = r.Uint64()
					}
					d.Bands[fmt.Sprintf("a%08d", next)] = bands
					next++
				}
				return st.Batch(ctx, func(ctx context.Context) error { return st.ApplyState(ctx, d) })
			}
			for next < warm {
				if err := write(); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				if err := write(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "µs/article")
		})
	}
}

// BenchmarkStoriesWithKeys is a clusterer's candidate lookup on a store of
// 8,000 stories with 64 keys each from a Zipf-distributed vocabulary: 40
// keys asked, those of up to 310 stories listed, as the clusterer asks.
func BenchmarkStoriesWithKeys(b *testing.B) {
	st := openTemp(b)
	defer st.Close()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	z := rand.NewZipf(r, 1.1, 1, 20_000)
	keysOf := func() []string {
		seen := map[uint64]bool{}
		for len(seen) < 64 {
			seen[z.Uint64()] = true
		}
		var ks []string
		for k := range seen {
			ks = append(ks, fmt.Sprintf("k%d", k))
		}
		slices.Sort(ks)
		return ks
	}
	const stories = 8000
	for i := 0; i < stories; i += 500 {
		d := store.StateDelta{StoryKeys: map[string][]string{}}
		for j := i; j < i+500; j++ {
			d.StoryKeys[fmt.Sprintf("s%016x", j)] = keysOf()
		}
		if err := st.ApplyState(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
	probes := make([][]string, 200)
	for i := range probes {
		probes[i] = keysOf()[:40]
	}
	b.ResetTimer()
	listed := 0
	for i := range b.N {
		m, err := st.StoriesWithKeys(ctx, probes[i%len(probes)], 310)
		if err != nil {
			b.Fatal(err)
		}
		for _, ids := range m {
			listed += len(ids)
		}
	}
	b.ReportMetric(float64(listed)/float64(b.N), "stories/op")
}
