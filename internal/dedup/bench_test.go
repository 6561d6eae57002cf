package dedup

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// synthCorpus makes n articles in stories of ten: each story has a pool of
// sentences that its articles draw on, as reports of one event share facts,
// and every article adds sentences of its own. Words come from a small
// vocabulary so that unrelated articles share words too.
func synthCorpus(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 2))
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", rng.Uint32()%0xfffff)
	}
	sentence := func() string {
		words := make([]string, 12+rng.IntN(14))
		for i := range words {
			words[i] = vocab[rng.IntN(len(vocab))]
		}
		return strings.Join(words, " ") + "."
	}
	var out []string
	for len(out) < n {
		pool := make([]string, 12)
		for i := range pool {
			pool[i] = sentence()
		}
		for a := 0; a < 10 && len(out) < n; a++ {
			var paras []string
			for p := 0; p < 6+rng.IntN(8); p++ {
				var para []string
				for s := 0; s < 2; s++ {
					if rng.IntN(3) == 0 {
						para = append(para, pool[rng.IntN(len(pool))])
					} else {
						para = append(para, sentence())
					}
				}
				paras = append(paras, strings.Join(para, " "))
			}
			out = append(out, strings.Join(paras, "\n\n"))
		}
	}
	return out
}

func BenchmarkSign(b *testing.B) {
	cfg := DefaultConfig()
	texts := []string{fixture(b, "original.txt"), fixture(b, "copy_swapped.txt"), fixture(b, "independent.txt")}
	texts = append(texts, synthCorpus(7, 1)...)
	words := 0
	for _, t := range texts {
		words += len(strings.Fields(t))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		cfg.Sign(texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(words)/float64(len(texts)), "words/article")
}

func BenchmarkFingerprint(b *testing.B) {
	text := fixture(b, "original.txt")
	for b.Loop() {
		Fingerprint(text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkMatch(b *testing.B) {
	cfg := DefaultConfig()
	corpus := synthCorpus(10_000, 1)
	ix := NewIndex(cfg)
	for i, t := range corpus {
		ix.Add(fmt.Sprint(i), cfg.Sign(t))
	}
	// Queries: new same-story articles (no copy in the index) and copies
	// cut short of indexed ones.
	var queries []Signature
	for i, t := range synthCorpus(200, 3) {
		queries = append(queries, cfg.Sign(t+" extra"))
		paras := strings.Split(corpus[i*37], "\n\n")
		queries = append(queries, cfg.Sign(strings.Join(paras[:len(paras)/2+1], "\n\n")))
	}
	matched := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, _, ok := ix.Match(queries[i%len(queries)]); ok {
			matched++
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(matched)/float64(b.N), "matched/op")
}
