package ingest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// template is an example article to vary.
type template struct {
	title string
	paras []string
}

// templates reads the bundled examples' text and JSONL articles.
func templates(tb testing.TB) []template {
	tb.Helper()
	files, _ := source.List([]string{"../../examples"})
	var out []template
	for _, f := range files {
		_ = source.Read(context.Background(), f, nil, func(d source.Document) error {
			var title, body string
			switch d.Format {
			case source.Text:
				title, body, _ = strings.Cut(strings.TrimSpace(string(d.Data)), "\n")
			case source.Record:
				title, body = d.Record.Title, d.Record.Text
			default:
				return nil
			}
			var paras []string
			for _, p := range strings.Split(body, "\n") {
				if p = strings.TrimSpace(p); len(strings.Fields(p)) >= 8 {
					paras = append(paras, p)
				}
			}
			if len(paras) >= 3 {
				out = append(out, template{title, paras})
			}
			return nil
		}, func(source.Problem) {})
	}
	if len(out) == 0 {
		tb.Fatal("no example articles to build a corpus from")
	}
	return out
}

var (
	capitalised = regexp.MustCompile(`\b[A-Z][a-z]{3,}\b`)
	number      = regexp.MustCompile(`\b\d+\b`)
)

// generate writes n articles as JSONL: events of about eight articles each,
// every event a template whose names and numbers are changed, every article a
// variation (paragraphs dropped and swapped, some copies verbatim).
func generate(tb testing.TB, n int) string {
	tb.Helper()
	tpls := templates(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	path := filepath.Join(tb.TempDir(), "corpus.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	var event template
	for i := range n {
		if i%8 == 0 {
			// A new event: the template's names and numbers made its own.
			ev := i / 8
			t := tpls[ev%len(tpls)]
			rename := func(s string) string {
				s = capitalised.ReplaceAllStringFunc(s, func(w string) string { return w + strconv.FormatInt(int64(ev%997), 36) })
				return number.ReplaceAllStringFunc(s, func(d string) string { return strconv.Itoa(ev + len(d)) })
			}
			event = template{title: rename(t.title)}
			for _, p := range t.paras {
				event.paras = append(event.paras, rename(p))
			}
		}
		paras := append([]string(nil), event.paras...)
		if i%8 != 7 { // every eighth article is a verbatim copy; the rest are reports in their own words
			rng.Shuffle(len(paras), func(a, b int) { paras[a], paras[b] = paras[b], paras[a] })
			paras = paras[:max(2, len(paras)*2/3)]
			for k, p := range paras {
				paras[k] = reword(rng, p)
			}
		}
		rec := map[string]any{
			"url":       fmt.Sprintf("https://outlet%d.example/%d", i%13, i),
			"title":     event.title,
			"text":      strings.Join(paras, "\n\n"),
			"published": base.Add(time.Duration(i/8) * time.Hour).Format(time.RFC3339),
			"outlet":    fmt.Sprintf("Outlet %d", i%13),
		}
		if err := enc.Encode(rec); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// reword drops about a fifth of a paragraph's words: enough to break the
// word shingles a copy shares, while the names and terms of the event stay.
func reword(rng *rand.Rand, p string) string {
	words := strings.Fields(p)
	kept := words[:0]
	for _, w := range words {
		if rng.IntN(5) != 0 {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// BenchmarkIngest ingests a generated corpus of 10,000 articles end to end
// into a real SQLite file and reports articles/s, time per stage and peak RSS.
func BenchmarkIngest(b *testing.B) {
	const n = 10000
	corpus := generate(b, n)
	ctx := context.Background()
	var last ingest.Summary
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		in, err := ingest.New(ctx, st, ingest.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		files, _ := source.List([]string{corpus})
		b.StartTimer()
		start := time.Now()
		last, err = in.Run(ctx, files, nil, nil)
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil || last.Failed > 0 {
			b.Fatalf("ingest: %v (failed %d)", err, last.Failed)
		}
		in.Close()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "articles/s")
	// The baseline, measured in the same run: reading and decoding the corpus alone.
	start := time.Now()
	files, _ := source.List([]string{corpus})
	for _, f := range files {
		if err := source.Read(ctx, f, nil, func(source.Document) error { return nil }, func(source.Problem) {}); err != nil {
			b.Fatal(err)
		}
	}
	read := time.Since(start)
	b.ReportMetric(float64(elapsed)/float64(b.N)/float64(read), "x-read-time")
	for _, stage := range ingest.Stages {
		b.ReportMetric(float64(last.Timing[stage].Microseconds())/n, stage+"-µs/article")
	}
	b.ReportMetric(float64(last.Duplicates), "duplicates")
	b.ReportMetric(float64(last.NewStories), "stories")
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(rss, "peak-RSS-MB")
	}
}

// peakRSS reads the process's high-water resident memory (Linux).
func peakRSS() (float64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

// BenchmarkReingestUnchanged measures a second run over unchanged input
// against the fresh run before it, in the same process: documents whose
// raw bytes are stored are skipped before any stage runs.
func BenchmarkReingestUnchanged(b *testing.B) {
	const n = 2000
	corpus := generate(b, n)
	ctx := context.Background()
	files, _ := source.List([]string{corpus})
	var fresh, again time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("re%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		for run := range 2 {
			in, err := ingest.New(ctx, st, ingest.DefaultConfig())
			if err != nil {
				b.Fatal(err)
			}
			if run == 1 {
				b.StartTimer()
			}
			start := time.Now()
			sum, err := in.Run(ctx, files, nil, nil)
			took := time.Since(start)
			b.StopTimer()
			in.Close()
			if err != nil {
				b.Fatal(err)
			}
			if run == 0 {
				fresh += took
			} else {
				again += took
				if sum.Unchanged != n {
					b.Fatalf("second run: %+v, want %d unchanged", sum, n)
				}
			}
		}
		st.Close()
	}
	b.ReportMetric(float64(again)/float64(fresh), "x-fresh-run")
	b.ReportMetric(float64(n*b.N)/again.Seconds(), "unchanged-articles/s")
}
