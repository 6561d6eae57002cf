// Package crawl turns web inputs into documents for ingest: page URLs,
// feeds and sitemaps (fetched, or saved as files) and web archives. Each
// becomes a source.File whose documents carry what the feed, sitemap or
// archive said of them as hints; pages that are no articles are counted
// and left out.
package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"mime"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/dossiernews/dossier/internal/feed"
	"github.com/dossiernews/dossier/internal/fetch"
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/sitemap"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/warc"
)

// Options set a Crawler.
type Options struct {
	Fetch fetch.Config
	WARC  warc.Options
	// Workers is how many pages are fetched at once, over all hosts (each
	// host also has the fetcher's own limit).
	Workers int
	// MaxSitemaps bounds the sitemaps an index leads to, all levels together.
	MaxSitemaps int
	Logger      *slog.Logger
}

// DefaultOptions returns the defaults.
func DefaultOptions() Options {
	return Options{Fetch: fetch.DefaultConfig(), WARC: warc.DefaultOptions(), Workers: 8, MaxSitemaps: 1000}
}

// Counts are what a Crawler passed over; none of it is a failure.
type Counts struct {
	// NotArticles counts pages recognised as no article, by kind.
	NotArticles map[string]int
	// ArchiveSkipped counts the WARC records that held no HTML page, by reason.
	ArchiveSkipped map[string]int
	// ArchivePages counts the HTML pages read from archives.
	ArchivePages int
	// Fetched counts pages fetched; Repeated, items already fetched in
	// this run through another feed or sitemap; NotModified, feeds and
	// sitemaps a conditional request found unchanged.
	Fetched, Repeated, NotModified int
	// ItemsUnchanged counts feed items passed over because an earlier poll
	// by this Crawler fetched them with the same guid and times.
	ItemsUnchanged int
}

// Validators are what a conditional request sends again.
type Validators struct {
	ETag, LastModified string
}

// Crawler makes inputs of URLs, feeds, sitemaps and archives. Safe for
// concurrent use; it remembers, for its lifetime, the pages it fetched and
// the validators of the feeds and sitemaps it read.
type Crawler struct {
	opt     Options
	fetcher *fetch.Fetcher
	log     *slog.Logger

	mu         sync.Mutex
	counts     Counts
	seen       map[string]bool
	validators map[string]Validators
	// items maps a feed item's link to its guid and times when fetched;
	// listed, a feed's address to the links it listed in this poll.
	items  map[string]string
	listed map[string][]string
}

// New returns a Crawler.
func New(opt Options) *Crawler {
	def := DefaultOptions()
	if opt.Workers <= 0 {
		opt.Workers = def.Workers
	}
	if opt.MaxSitemaps <= 0 {
		opt.MaxSitemaps = def.MaxSitemaps
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt.Fetch.Logger = log
	return &Crawler{
		opt: opt, fetcher: fetch.New(opt.Fetch), log: log,
		counts:     Counts{NotArticles: map[string]int{}, ArchiveSkipped: map[string]int{}},
		seen:       map[string]bool{},
		validators: map[string]Validators{},
		items:      map[string]string{},
		listed:     map[string][]string{},
	}
}

// SetItems tells the crawler what a feed's items were when last fetched
// (from Items after an earlier poll, perhaps by another process), so that
// items as they were are not fetched again.
func (c *Crawler) SetItems(feed string, items map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for link, sig := range items {
		if _, ok := c.items[link]; !ok {
			c.items[link] = sig
		}
	}
}

// Items returns, of the items the feed listed in this poll, those fetched
// now or before as they are now: what SetItems takes at the next poll.
// Items the feed no longer lists are left out, so the memory stays the
// feed's size.
func (c *Crawler) Items(feed string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]string{}
	for _, link := range c.listed[feed] {
		if sig, ok := c.items[link]; ok {
			out[link] = sig
		}
	}
	return out
}

// Close releases the fetcher's connections.
func (c *Crawler) Close() { c.fetcher.Close() }

// Counts returns what was passed over so far.
func (c *Crawler) Counts() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.counts
	out.NotArticles = maps.Clone(c.counts.NotArticles)
	out.ArchiveSkipped = maps.Clone(c.counts.ArchiveSkipped)
	return out
}

// SetValidators and Validators carry a feed's validators across runs.
func (c *Crawler) SetValidators(url string, v Validators) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.validators[url] = v
}

// Validators returns what the last read of url sent back.
func (c *Crawler) Validators(url string) Validators {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.validators[url]
}

// NewPoll starts another poll: pages already fetched may be fetched again,
// except feed items whose guid and times are as they were, and the counts
// start from nothing.
func (c *Crawler) NewPoll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = map[string]bool{}
	c.listed = map[string][]string{}
	c.counts = Counts{NotArticles: map[string]int{}, ArchiveSkipped: map[string]int{}}
}

func (c *Crawler) count(f func(*Counts)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.counts)
}

// IsURL reports whether an argument names a web address rather than a path.
func IsURL(arg string) bool {
	l := strings.ToLower(arg)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// URL is an input for a web address: a page, a feed or a sitemap, told
// apart by what comes back.
func (c *Crawler) URL(raw string) source.File {
	return source.Produced(raw, source.HTML, func(ctx context.Context, fn func(source.Document) error, bad func(source.Problem)) error {
		return c.readURL(ctx, raw, fn, bad)
	})
}

// Attach gives the archive and feed files among files their readers.
func (c *Crawler) Attach(files []source.File) []source.File {
	out := make([]source.File, len(files))
	for i, f := range files {
		switch f.Format {
		case source.WARC:
			f = c.WARC(f.Path)
		case source.Feed:
			f = c.FeedFile(f.Path)
		}
		out[i] = f
	}
	return out
}

// WARC is an input for a web archive file (.warc or .warc.gz).
func (c *Crawler) WARC(path string) source.File {
	return source.Produced(path, source.WARC, func(ctx context.Context, fn func(source.Document) error, bad func(source.Problem)) error {
		return c.readWARC(ctx, path, fn, bad)
	})
}

// FeedFile is an input for a feed or sitemap saved as a file: its items'
// pages are fetched.
func (c *Crawler) FeedFile(path string) source.File {
	return source.Produced(path, source.Feed, func(ctx context.Context, fn func(source.Document) error, bad func(source.Problem)) error {
		data, err := os.ReadFile(path)
		if err != nil {
			bad(source.Problem{Source: path, Err: err})
			return nil
		}
		return c.expand(ctx, path, "", data, fn, bad, 0)
	})
}

// Listing reports whether data is a feed or a sitemap.
func Listing(data []byte) bool { return feed.Detect(data) != "" || sitemap.Is(data) }

const acceptAny = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,*/*;q=0.8"

func (c *Crawler) readURL(ctx context.Context, raw string, fn func(source.Document) error, bad func(source.Problem)) error {
	v := c.Validators(raw)
	resp, err := c.fetcher.Get(ctx, fetch.Request{URL: raw, Accept: acceptAny, ETag: v.ETag, LastModified: v.LastModified})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		bad(source.Problem{Source: raw, Err: err})
		return nil
	}
	if resp.NotModified {
		c.count(func(n *Counts) { n.NotModified++ })
		return nil
	}
	if Listing(resp.Body) {
		c.SetValidators(raw, Validators{resp.ETag(), resp.LastModified()})
		return c.expand(ctx, raw, resp.FinalURL, resp.Body, fn, bad, 0)
	}
	c.mark(raw, resp.FinalURL)
	c.count(func(n *Counts) { n.Fetched++ })
	doc, skip, err := c.page(raw, resp, hint{})
	switch {
	case err != nil:
		bad(source.Problem{Source: raw, Err: err})
		return nil
	case skip != "":
		c.count(func(n *Counts) { n.NotArticles[skip]++ })
		return nil
	}
	return fn(doc)
}

// hint is what a listing says of one page.
type hint struct {
	via, title, outlet, language string
	published                    time.Time
	authors, categories          []string
	captured                     time.Time
	// sig is a feed item's guid and times, "" when it has none.
	sig string
}

// item is one page a listing leads to.
type item struct {
	url string
	h   hint
}

// expand reads a feed or sitemap (from name, fetched at base when base is
// not "") and ingests the pages it lists.
func (c *Crawler) expand(ctx context.Context, name, base string, data []byte, fn func(source.Document) error, bad func(source.Problem), depth int) error {
	var items []item
	if kind := feed.Detect(data); kind != "" {
		f, err := feed.Parse(data, base)
		if err != nil {
			bad(source.Problem{Source: name, Err: err})
			return nil
		}
		for _, it := range f.Items {
			sig := ""
			if it.GUID != "" || !it.Published.IsZero() || !it.Updated.IsZero() {
				sig = it.GUID + "|" + it.Published.String() + "|" + it.Updated.String()
			}
			items = append(items, item{url: it.Link, h: hint{via: name, title: it.Title, published: it.Published, authors: it.Authors, categories: it.Categories, sig: sig}})
			if sig != "" {
				c.mu.Lock()
				c.listed[name] = append(c.listed[name], it.Link)
				c.mu.Unlock()
			}
		}
	} else {
		sm, err := sitemap.Parse(data, base)
		if err != nil {
			bad(source.Problem{Source: name, Err: err})
			if len(sm.Entries) == 0 {
				return nil
			}
		}
		if sm.Index {
			return c.expandIndex(ctx, name, sm, fn, bad, depth)
		}
		for _, e := range sm.Entries {
			h := hint{via: name}
			if e.News != nil {
				h.title, h.outlet, h.language, h.published = e.News.Title, e.News.Publication, e.News.Language, e.News.Published
			}
			items = append(items, item{url: e.Loc, h: h})
		}
	}
	return c.fetchAll(ctx, items, fn, bad)
}

// expandIndex reads the sitemaps an index lists, up to MaxSitemaps and
// three levels deep.
func (c *Crawler) expandIndex(ctx context.Context, name string, sm sitemap.Sitemap, fn func(source.Document) error, bad func(source.Problem), depth int) error {
	if depth >= 3 {
		bad(source.Problem{Source: name, Err: errors.New("sitemap indexes nested more than 3 deep")})
		return nil
	}
	for i, e := range sm.Entries {
		if i >= c.opt.MaxSitemaps {
			bad(source.Problem{Source: name, Err: fmt.Errorf("index lists more than %d sitemaps; the rest is left", c.opt.MaxSitemaps)})
			return nil
		}
		v := c.Validators(e.Loc)
		resp, err := c.fetcher.Get(ctx, fetch.Request{URL: e.Loc, Accept: "application/xml,text/xml;q=0.9,*/*;q=0.8", ETag: v.ETag, LastModified: v.LastModified})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			bad(source.Problem{Source: e.Loc, Err: err})
			continue
		}
		if resp.NotModified {
			c.count(func(n *Counts) { n.NotModified++ })
			continue
		}
		c.SetValidators(e.Loc, Validators{resp.ETag(), resp.LastModified()})
		if err := c.expand(ctx, e.Loc, resp.FinalURL, resp.Body, fn, bad, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// mark records that a page was fetched in this run, under the address
// asked for and the one it ended at; it reports whether it was new.
func (c *Crawler) mark(urls ...string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := true
	for _, u := range urls {
		n, err := ident.NormalizeURL(u)
		if err != nil {
			continue
		}
		if c.seen[n] {
			fresh = false
		}
		c.seen[n] = true
	}
	return fresh
}

func (c *Crawler) fetched(u string) bool {
	n, err := ident.NormalizeURL(u)
	if err != nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[n]
}

// fetchAll fetches the items' pages, Workers at a time, and hands their
// documents to fn in the listing's order.
func (c *Crawler) fetchAll(ctx context.Context, items []item, fn func(source.Document) error, bad func(source.Problem)) error {
	type result struct {
		doc  source.Document
		ok   bool
		done chan struct{}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan *result, c.opt.Workers)
	go func() {
		defer close(results)
		sem := make(chan struct{}, c.opt.Workers)
		for _, it := range items {
			r := &result{done: make(chan struct{})}
			select {
			case results <- r:
			case <-ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				close(r.done)
				return
			}
			go func() {
				defer func() { <-sem; close(r.done) }()
				r.doc, r.ok = c.fetchItem(ctx, it, bad)
			}()
		}
	}()
	for r := range results {
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !r.ok {
			continue
		}
		if err := fn(r.doc); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func (c *Crawler) fetchItem(ctx context.Context, it item, bad func(source.Problem)) (source.Document, bool) {
	if kind := ListingKind(it.url); kind != "" {
		// Known from its address alone: not worth a request.
		c.count(func(n *Counts) { n.NotArticles[kind]++ })
		return source.Document{}, false
	}
	if c.fetched(it.url) {
		c.count(func(n *Counts) { n.Repeated++ })
		return source.Document{}, false
	}
	if it.h.sig != "" && c.itemSig(it.url) == it.h.sig {
		c.count(func(n *Counts) { n.ItemsUnchanged++ })
		return source.Document{}, false
	}
	resp, err := c.fetcher.Get(ctx, fetch.Request{URL: it.url})
	if err != nil {
		if ctx.Err() == nil {
			bad(source.Problem{Source: it.url, Err: err})
		}
		return source.Document{}, false
	}
	if !c.mark(it.url, resp.FinalURL) && !sameURL(it.url, resp.FinalURL) {
		// Another item was redirected to the same page.
		c.count(func(n *Counts) { n.Repeated++ })
		return source.Document{}, false
	}
	c.count(func(n *Counts) { n.Fetched++ })
	if it.h.sig != "" {
		c.mu.Lock()
		c.items[it.url] = it.h.sig
		c.mu.Unlock()
	}
	doc, skip, err := c.page(it.url, resp, it.h)
	switch {
	case err != nil:
		bad(source.Problem{Source: it.url, Err: err})
		return source.Document{}, false
	case skip != "":
		c.count(func(n *Counts) { n.NotArticles[skip]++ })
		return source.Document{}, false
	}
	return doc, true
}

func (c *Crawler) itemSig(link string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items[link]
}

func sameURL(a, b string) bool {
	na, ea := ident.NormalizeURL(a)
	nb, eb := ident.NormalizeURL(b)
	return ea == nil && eb == nil && na == nb
}

// page makes a fetched page a document, or names the kind of non-article
// it is.
func (c *Crawler) page(asked string, resp *fetch.Response, h hint) (source.Document, string, error) {
	if ct := resp.Header.Get("Content-Type"); ct != "" && !htmlType(ct) {
		return source.Document{}, "", fmt.Errorf("not a web page (%s)", ct)
	}
	if kind := ListingKind(resp.FinalURL); kind != "" {
		return source.Document{}, kind, nil
	}
	body := toUTF8(resp.Body, resp.Header.Get("Content-Type"))
	if kind := PageKind(body); kind != "" {
		return source.Document{}, kind, nil
	}
	return document(asked, resp.FinalURL, body, h), "", nil
}

func htmlType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return true // a garbled header: let the bytes decide
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// toUTF8 decodes a page by the charset of its Content-Type when the page
// itself declares none (else the cleaner reads the page's own).
func toUTF8(body []byte, ct string) []byte {
	if utf8.Valid(body) {
		return body
	}
	_, params, err := mime.ParseMediaType(ct)
	cs := params["charset"]
	if err != nil || cs == "" {
		return body
	}
	head := body
	if len(head) > 2048 {
		head = head[:2048]
	}
	if bytes.Contains(bytes.ToLower(head), []byte("charset")) {
		return body
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return body
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

// document builds the record for a page: known by its canonical address
// when the page declares one that can be trusted, else where it was got.
func document(asked, final string, body []byte, h hint) source.Document {
	if final == "" {
		final = asked
	}
	id, ok := ident.Canonical(final, canonicalLink(body))
	key := ident.URLKey(id)
	if !ok {
		// No web address (an archive's odd target URI): known by the
		// listing and the page's bytes.
		id, key = "", ident.LineKey(h.via, body)
	}
	f := source.Fields{URL: id, Title: h.title, HTML: string(body), Outlet: h.outlet, Language: h.language, Authors: h.authors}
	if !h.published.IsZero() {
		f.Published = h.published.Format(time.RFC3339)
	}
	hints := source.Hints{Via: h.via, FinalURL: final, Captured: h.captured, Categories: h.categories}
	meta, _ := json.Marshal(struct {
		F source.Fields
		H source.Hints
	}{source.Fields{URL: f.URL, Title: f.Title, Outlet: f.Outlet, Language: f.Language, Authors: f.Authors, Published: f.Published}, hints})
	return source.Document{
		Source: asked,
		Key:    key,
		Digest: ident.ContentHash(slices.Concat(meta, []byte{0}, body)),
		Format: source.Record,
		Record: f,
		Hints:  hints,
	}
}

func (c *Crawler) readWARC(ctx context.Context, path string, fn func(source.Document) error, bad func(source.Problem)) error {
	r, err := openArchive(path)
	if err != nil {
		bad(source.Problem{Source: path, Err: err})
		return nil
	}
	defer r.Close()
	st, err := warc.Read(ctx, r, c.opt.WARC, func(p warc.Page) error {
		src := fmt.Sprintf("%s#%d", path, p.Offset)
		if kind := ListingKind(p.TargetURI); kind != "" {
			c.count(func(n *Counts) { n.NotArticles[kind]++ })
			return nil
		}
		body := toUTF8(p.Body, p.Header.Get("Content-Type"))
		if kind := PageKind(body); kind != "" {
			c.count(func(n *Counts) { n.NotArticles[kind]++ })
			return nil
		}
		doc := document(p.TargetURI, p.TargetURI, body, hint{via: path, captured: p.Captured})
		doc.Source = src
		if err := fn(doc); err != nil {
			return stopError{err}
		}
		return nil
	})
	c.count(func(n *Counts) {
		n.ArchivePages += st.Pages
		for k, v := range st.Skipped {
			n.ArchiveSkipped[k] += v
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var stop stopError
		if errors.As(err, &stop) {
			return stop.err
		}
		bad(source.Problem{Source: path, Err: err})
	}
	return nil
}

type stopError struct{ err error }

func (e stopError) Error() string { return e.err.Error() }
