package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/dossiernews/dossier/internal/crawl"
	"github.com/dossiernews/dossier/internal/source"
)

// webSettings are ingest's flags for the web: URLs, feeds and archives.
type webSettings struct {
	urls         string
	allowPrivate bool
	ignoreRobots bool
	userAgent    string
	rate         float64
	perHost      int
	workers      int
	timeout      time.Duration
	maxSize      int64
	retries      int
}

// webFlags registers the fetcher's flags, and --urls when urls.
func webFlags(fs *flag.FlagSet, urls bool) *webSettings {
	d := crawl.DefaultOptions()
	w := &webSettings{}
	if urls {
		fs.StringVar(&w.urls, "urls", "", "read URLs to ingest from `FILE`, one a line (blank lines and # comments passed over)")
	}
	fs.BoolVar(&w.allowPrivate, "allow-private", false, "let fetches reach loopback, private and other non-public addresses")
	fs.BoolVar(&w.ignoreRobots, "ignore-robots", false, "fetch what robots.txt disallows (only for sites that are yours)")
	fs.StringVar(&w.userAgent, "user-agent", d.Fetch.UserAgent, "the User-Agent sent; its first word is matched against robots.txt")
	fs.Float64Var(&w.rate, "rate", d.Fetch.Rate, "requests per second to one host")
	fs.IntVar(&w.perHost, "per-host", d.Fetch.PerHost, "requests in flight to one host at most")
	fs.IntVar(&w.workers, "fetch-workers", d.Workers, "pages fetched at once over all hosts")
	fs.DurationVar(&w.timeout, "timeout", d.Fetch.Timeout, "time allowed for one request, connection to last byte")
	fs.Int64Var(&w.maxSize, "max-size", d.Fetch.MaxBytes, "largest page or archived page taken, in bytes after decompression")
	fs.IntVar(&w.retries, "retries", d.Fetch.Retries, "times a 429, a 5xx or a network error is tried again, with backoff")
	return w
}

func (w *webSettings) validate() error {
	switch {
	case w.rate <= 0:
		return usagef("--rate must be above 0")
	case w.perHost < 1:
		return usagef("--per-host must be at least 1")
	case w.workers < 1:
		return usagef("--fetch-workers must be at least 1")
	case w.timeout <= 0:
		return usagef("--timeout must be above 0")
	case w.maxSize < 1:
		return usagef("--max-size must be at least 1")
	case w.retries < 0:
		return usagef("--retries must not be negative")
	case strings.TrimSpace(w.userAgent) == "":
		return usagef("--user-agent must not be empty")
	}
	return nil
}

// crawler builds the crawler the settings describe; nil settings give the
// defaults (the demo, which reads no URL).
func (w *webSettings) crawler(log *slog.Logger) *crawl.Crawler {
	o := crawl.DefaultOptions()
	o.Logger = log
	if w != nil {
		o.Fetch.AllowPrivate = w.allowPrivate
		o.Fetch.IgnoreRobots = w.ignoreRobots
		o.Fetch.UserAgent = w.userAgent
		o.Fetch.Rate = w.rate
		o.Fetch.Burst = max(1, int(w.rate))
		o.Fetch.PerHost = w.perHost
		o.Fetch.Timeout = w.timeout
		o.Fetch.MaxBytes = w.maxSize
		o.Fetch.Retries = w.retries
		o.WARC.MaxBody = w.maxSize
		o.Workers = w.workers
	}
	return crawl.New(o)
}

// readURLList reads a --urls file: one URL a line, blank lines and
// # comments passed over.
func readURLList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--urls: %w", err)
	}
	defer f.Close()
	var urls []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !crawl.IsURL(line) {
			return nil, usagef("--urls %s line %d: %q is no http or https URL", path, n, line)
		}
		urls = append(urls, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--urls %s: %w", path, err)
	}
	return urls, nil
}

// listInputs expands the arguments in order: URLs become fetched inputs,
// paths are listed, and archives and feeds among them get their readers.
func listInputs(c *crawl.Crawler, args []string) ([]source.File, []source.Problem) {
	var files []source.File
	var problems []source.Problem
	for _, a := range args {
		if crawl.IsURL(a) {
			files = append(files, c.URL(a))
			continue
		}
		fs, ps := source.List([]string{a})
		// A file named outright whose name says nothing may be a feed or
		// a sitemap saved as .xml.
		for i, f := range fs {
			if f.Path == a && f.Format != source.WARC && f.Format != source.Feed && isListingFile(a) {
				fs[i] = c.FeedFile(a)
			}
		}
		files = append(files, c.Attach(fs)...)
		problems = append(problems, ps...)
	}
	return files, problems
}

func isListingFile(path string) bool {
	l := strings.ToLower(path)
	if !strings.HasSuffix(l, ".xml") && !strings.HasSuffix(l, ".xml.gz") && !strings.HasSuffix(l, ".json") {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := f.Read(head)
	head = head[:n]
	return strings.HasSuffix(l, ".gz") || crawl.Listing(head)
}

// webSummary is the line on what the web inputs passed over, "" when none.
func webSummary(n crawl.Counts) string {
	var parts []string
	if n.Fetched > 0 {
		parts = append(parts, fmt.Sprintf("fetched %d", n.Fetched))
	}
	if n.ArchivePages > 0 || len(n.ArchiveSkipped) > 0 {
		parts = append(parts, fmt.Sprintf("archived pages %d", n.ArchivePages))
	}
	if s := counted(n.NotArticles); s != "" {
		parts = append(parts, "not articles "+s)
	}
	if s := counted(n.ArchiveSkipped); s != "" {
		parts = append(parts, "archive records skipped "+s)
	}
	if n.Repeated > 0 {
		parts = append(parts, fmt.Sprintf("listed twice %d", n.Repeated))
	}
	if n.NotModified > 0 {
		parts = append(parts, fmt.Sprintf("feeds unchanged %d", n.NotModified))
	}
	if n.ItemsUnchanged > 0 {
		parts = append(parts, fmt.Sprintf("items unchanged %d", n.ItemsUnchanged))
	}
	return strings.Join(parts, ", ")
}

// counted words a count by kind: "5 (tag page 3, gallery 2)".
func counted(m map[string]int) string {
	total := 0
	for _, v := range m {
		total += v
	}
	if total == 0 {
		return ""
	}
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
	var kinds []string
	for _, k := range keys {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, m[k]))
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(kinds, ", "))
}
