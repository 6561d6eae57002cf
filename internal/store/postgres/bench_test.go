package postgres

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// benchArticle is an invented article of some 400 words with three
// quotes, in a story of ten.
func benchArticle(i int) *dossier.Article {
	var b strings.Builder
	for w := range 400 {
		fmt.Fprintf(&b, "word%d ", (i*7+w*13)%5000)
	}
	text := b.String() + `"We will rebuild the pier," said Mara Quist. "It takes a year," said Ivo Brandt. "Funds are set," said Mara Quist.`
	a := &dossier.Article{ID: fmt.Sprintf("a%08x", i), StoryID: fmt.Sprintf("s%07x", i/10), Outlet: fmt.Sprintf("Outlet %d", i%40),
		Title: fmt.Sprintf("Pier works, part %d", i), Text: text, Language: "en", Fingerprint: fmt.Sprintf("fp%d", i),
		Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)}
	for _, q := range []struct{ text, who string }{{"We will rebuild the pier,", "Mara Quist"}, {"It takes a year,", "Ivo Brandt"}, {"Funds are set,", "Mara Quist"}} {
		at := strings.Index(text, q.text)
		a.Quotes = append(a.Quotes, dossier.Quote{Text: q.text, Speaker: q.who, Start: at, End: at + len(q.text), Cue: "said"})
	}
	return a
}

// BenchmarkPut is the store's side of the committer's ceiling: articles
// written 64 a batch, as ingest writes them, with a state delta each, on
// SQLite and on PostgreSQL.
func BenchmarkPut(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			var st store.Store
			if backend == "sqlite" {
				s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				st = s
			} else {
				st = openTemp(b)
			}
			defer st.Close()
			ctx := context.Background()
			arts := make([]*dossier.Article, b.N)
			for i := range arts {
				arts[i] = benchArticle(i)
			}
			b.ResetTimer()
			for start := 0; start < b.N; start += 64 {
				err := st.Batch(ctx, func(ctx context.Context) error {
					for i := start; i < min(start+64, b.N); i++ {
						if err := st.Put(ctx, arts[i], store.State{Signature: []byte("sig"), Features: []byte("features")}); err != nil {
							return err
						}
						d := store.StateDelta{Docs: 1, Terms: map[string]int64{fmt.Sprintf("word%d", i%5000): 1, "pier": 1},
							Bands: map[string][]uint64{arts[i].ID: {uint64(i), uint64(i * 31)}}}
						if err := st.ApplyState(ctx, d); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
