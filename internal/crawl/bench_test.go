package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store/sqlite"
	"github.com/dossiernews/dossier/internal/warc"
)

// benchPages are the dev extraction benchmark's pages, read at run time
// (never copied into the repository).
func benchPages(b *testing.B) [][]byte {
	dir := filepath.Join(evaldata.Dir(b, "eval/trafilatura-dev"), "html")
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(names) == 0 {
		b.Skipf("no pages in %s: %v", dir, err)
	}
	slices.Sort(names)
	var pages [][]byte
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, data)
	}
	return pages
}

// benchArchive writes a gzipped WARC of at least n HTML responses (the
// pages again under other addresses when they are fewer), each with the
// request record a crawler writes beside it.
func benchArchive(b *testing.B, pages [][]byte, n int) string {
	path := filepath.Join(b.TempDir(), "bench.warc.gz")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := warc.NewWriter(f, true)
	captured := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	for i := range n {
		uri := fmt.Sprintf("https://archive-bench.example/news/page-%04d", i)
		if err := w.WriteRecord("request", uri, captured, "application/http; msgtype=request", []byte("GET / HTTP/1.1\r\n\r\n")); err != nil {
			b.Fatal(err)
		}
		if err := w.WriteResponse(uri, captured, 200, html, pages[i%len(pages)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchIngest(b *testing.B, files []source.File) ingest.Summary {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	in, err := ingest.New(ctx, st, ingest.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	sum, err := in.Run(ctx, files, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	return sum
}

// BenchmarkSources ingests a local WARC of 1,000 pages and a local feed
// server's pages, in articles a second, against reading the WARC alone in
// the same run. Run it once: go test -run '^$' -bench Sources -benchtime 1x ./internal/crawl/
func BenchmarkSources(b *testing.B) {
	if testing.Short() {
		b.Skip("heavy: the dev pages ingested end to end")
	}
	pages := benchPages(b)
	const n = 1000
	path := benchArchive(b, pages, n)
	b.Run("warc-read", func(b *testing.B) {
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			got := 0
			if _, err := warc.Read(context.Background(), f, warc.DefaultOptions(), func(warc.Page) error { got++; return nil }); err != nil {
				b.Fatal(err)
			}
			f.Close()
			if got != n {
				b.Fatalf("read %d pages, want %d", got, n)
			}
			b.ReportMetric(float64(got)/time.Since(start).Seconds(), "pages/s")
		}
	})
	b.Run("warc-ingest", func(b *testing.B) {
		for b.Loop() {
			c := New(DefaultOptions())
			start := time.Now()
			sum := benchIngest(b, []source.File{c.WARC(path)})
			b.ReportMetric(float64(sum.Read)/time.Since(start).Seconds(), "articles/s")
			b.ReportMetric(float64(sum.Read), "read")
			b.ReportMetric(float64(sum.Failed), "failed")
		}
	})
	b.Run("feed-ingest", func(b *testing.B) {
		var feed strings.Builder
		feed.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>`)
		for i := range pages {
			fmt.Fprintf(&feed, "<item><title>Item %d</title><link>/news/page-%04d</link></item>", i, i)
		}
		feed.WriteString("</channel></rss>")
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var i int
			switch {
			case r.URL.Path == "/feed.xml":
				w.Write([]byte(feed.String()))
			case strings.HasPrefix(r.URL.Path, "/news/page-"):
				if _, err := fmt.Sscanf(r.URL.Path, "/news/page-%04d", &i); err != nil || i >= len(pages) {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(pages[i])
			default:
				http.NotFound(w, r)
			}
		}))
		defer srv.Close()
		for b.Loop() {
			o := DefaultOptions()
			o.Fetch.AllowPrivate = true // the feed server is on loopback
			o.Fetch.Rate, o.Fetch.Burst, o.Fetch.PerHost = 1e6, 1000, 8
			c := New(o)
			start := time.Now()
			sum := benchIngest(b, []source.File{c.URL(srv.URL + "/feed.xml")})
			b.ReportMetric(float64(sum.Read)/time.Since(start).Seconds(), "articles/s")
			b.ReportMetric(float64(sum.Read), "read")
			c.Close()
		}
	})
}
