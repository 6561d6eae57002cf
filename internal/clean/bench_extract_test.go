package clean_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/markusmobius/go-trafilatura"

	"github.com/dossiernews/dossier/internal/charset"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/describe"
	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/quote"
)

// BenchmarkExtract runs, on the same dev pages in one run, go-trafilatura's
// extraction alone (its default mode, with fallbacks, from the bytes) and
// Dossier's whole per-page work (decode, parse, clean, describe, quotes),
// and reports the ratio of their times. Run it on one core:
//
//	go test -run XXX -bench Extract -cpu 1 -benchtime 1x ./internal/clean/
func BenchmarkExtract(b *testing.B) {
	dir := evaldata.Dir(b, "eval/trafilatura-dev/html")
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(names) == 0 {
		b.Fatalf("no pages in %s: %v", dir, err)
	}
	sort.Strings(names)
	pages := make([][]byte, len(names))
	for i, n := range names {
		if pages[i], err = os.ReadFile(n); err != nil {
			b.Fatal(err)
		}
	}
	c := clean.New(clean.WithoutMemory())
	var traf, ours time.Duration
	b.ResetTimer()
	for b.Loop() {
		for _, raw := range pages {
			start := time.Now()
			// Errors (a page too short for it) count as work done.
			_, _ = trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{EnableFallback: true})
			mid := time.Now()
			dossierPage(c, raw)
			traf += mid.Sub(start)
			ours += time.Since(mid)
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(n/traf.Seconds(), "trafilatura-pages/s")
	b.ReportMetric(n/ours.Seconds(), "dossier-pages/s")
	b.ReportMetric(traf.Seconds()/ours.Seconds(), "times-faster")
}

// dossierPage is what ingest does with one page before storing it.
func dossierPage(c *clean.Cleaner, raw []byte) {
	text, _, err := charset.HTML(raw, "")
	if err != nil {
		return
	}
	doc, err := clean.Parse(text)
	if err != nil {
		return
	}
	p, err := c.Tree(doc, "")
	if err != nil {
		return
	}
	describe.Describe(describe.Input{Page: p, HTML: []byte(text), Doc: doc})
	quote.Find(p.Text())
}
