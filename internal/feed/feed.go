// Package feed reads RSS, Atom and JSON Feed documents (with gofeed) into
// the items Dossier fetches and the metadata it passes on as hints.
package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/dossiernews/dossier/internal/ident"
)

// Feed is a feed's title and items, in the feed's order.
type Feed struct {
	Title string
	Type  string // "rss", "atom" or "json"
	Items []Item
}

// Item is one entry: where its page is and what the feed says of it.
type Item struct {
	Link  string // absolute, resolved against the feed's address
	GUID  string
	Title string
	// Published and Updated are zero when the feed does not state them.
	Published, Updated time.Time
	Authors            []string
	Categories         []string
	// Media are the enclosures' MIME types (audio/mpeg, video/mp4, …).
	Media []string
}

// ErrNotFeed is returned for bytes that are no RSS, Atom or JSON feed.
var ErrNotFeed = errors.New("not an RSS, Atom or JSON feed")

// Detect reports which kind of feed data holds: "rss", "atom", "json", or "".
func Detect(data []byte) string {
	switch gofeed.DetectFeedType(bytes.NewReader(data)) {
	case gofeed.FeedTypeRSS:
		return "rss"
	case gofeed.FeedTypeAtom:
		return "atom"
	case gofeed.FeedTypeJSON:
		// Any JSON object passes gofeed's test: a JSON Feed names its
		// version (a JSONL record does not).
		if bytes.Contains(data, []byte("jsonfeed.org/version")) {
			return "json"
		}
	}
	return ""
}

// Parse reads a feed; base (may be "") is where it was read from, against
// which relative links are resolved. Items without a web link are dropped.
func Parse(data []byte, base string) (Feed, error) {
	kind := Detect(data)
	if kind == "" {
		return Feed{}, ErrNotFeed
	}
	parsed, err := parse(data)
	if err != nil {
		return Feed{}, fmt.Errorf("parse %s feed: %w", kind, err)
	}
	var baseURL *url.URL
	if base != "" {
		baseURL, _ = url.Parse(base)
	}
	if l := strings.TrimSpace(parsed.FeedLink); l != "" && baseURL == nil {
		baseURL, _ = url.Parse(l)
	}
	f := Feed{Title: clean(parsed.Title), Type: kind}
	for _, it := range parsed.Items {
		if it == nil {
			continue
		}
		link := ident.WebLink(baseURL, firstLink(it))
		if link == "" {
			continue
		}
		item := Item{Link: link, GUID: strings.TrimSpace(it.GUID), Title: clean(it.Title), Categories: cleanAll(it.Categories)}
		if it.PublishedParsed != nil {
			item.Published = *it.PublishedParsed
		}
		if it.UpdatedParsed != nil {
			item.Updated = *it.UpdatedParsed
		}
		for _, p := range it.Authors {
			if p != nil {
				if n := clean(p.Name); n != "" {
					item.Authors = append(item.Authors, n)
				}
			}
		}
		if len(item.Authors) == 0 && it.DublinCoreExt != nil {
			item.Authors = cleanAll(it.DublinCoreExt.Creator)
		}
		for _, e := range it.Enclosures {
			if e != nil && e.Type != "" {
				item.Media = append(item.Media, strings.ToLower(strings.TrimSpace(e.Type)))
			}
		}
		f.Items = append(f.Items, item)
	}
	return f, nil
}

// parse runs gofeed, which may panic on some malformed input in its
// translators: bad input must be an error, never a crash.
func parse(data []byte) (f *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("malformed feed: %v", r)
		}
	}()
	return gofeed.NewParser().Parse(bytes.NewReader(data))
}

func firstLink(it *gofeed.Item) string {
	if l := strings.TrimSpace(it.Link); l != "" {
		return l
	}
	for _, l := range it.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	// An RSS guid marked as a permalink is the page's address.
	if g := strings.TrimSpace(it.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		return g
	}
	return ""
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func cleanAll(list []string) []string {
	var out []string
	for _, s := range list {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
