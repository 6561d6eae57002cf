// Package sitemap reads XML sitemaps and sitemap indexes (sitemaps.org),
// with the Google News extension's publication, title and date.
package sitemap

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/dossiernews/dossier/internal/ident"
)

// Sitemap is a list of pages (a urlset) or of other sitemaps (an index).
type Sitemap struct {
	Index   bool
	Entries []Entry
}

// Entry is one <url> or, in an index, one <sitemap>.
type Entry struct {
	Loc     string
	LastMod time.Time // zero when not stated
	// News is set for a Google News entry.
	News *News
}

// News is a Google News sitemap entry's news:news element.
type News struct {
	Publication string
	Language    string
	Title       string
	Published   time.Time // zero when not stated or unreadable
	Keywords    []string
}

// ErrNotSitemap is returned for XML that is no urlset or sitemapindex.
var ErrNotSitemap = errors.New("not a sitemap")

// maxEntries is the sitemaps.org limit on entries in one file.
const maxEntries = 50000

// maxUnzipped is the sitemaps.org limit on a file's size, uncompressed.
const maxUnzipped = 50 << 20

// Is reports whether data looks like a sitemap or sitemap index.
func Is(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	return bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}

// Parse reads a sitemap (gzipped or not); base resolves relative locations.
func Parse(data []byte, base string) (Sitemap, error) {
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return Sitemap{}, fmt.Errorf("gunzip sitemap: %w", err)
		}
		data, err = io.ReadAll(io.LimitReader(zr, maxUnzipped+1))
		if err != nil {
			return Sitemap{}, fmt.Errorf("gunzip sitemap: %w", err)
		}
		if len(data) > maxUnzipped {
			return Sitemap{}, fmt.Errorf("sitemap over %d MiB unzipped", maxUnzipped>>20)
		}
	}
	var baseURL *url.URL
	if base != "" {
		baseURL, _ = url.Parse(base)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		// Sitemaps must be UTF-8; a mislabelled one is read as it is.
		return r, nil
	}
	var sm Sitemap
	root := false
	var cur *Entry
	var path []string
	var text strings.Builder
	newsSpace := "" // the news extension's namespace, once met
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if root && len(sm.Entries) > 0 {
				// A cut sitemap still lists what it got to.
				return sm, fmt.Errorf("sitemap cut short after %d entries: %w", len(sm.Entries), err)
			}
			return Sitemap{}, fmt.Errorf("parse sitemap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if !root {
				switch name {
				case "urlset":
				case "sitemapindex":
					sm.Index = true
				default:
					return Sitemap{}, ErrNotSitemap
				}
				root = true
				continue
			}
			path = append(path, name)
			text.Reset()
			switch {
			case len(path) == 1 && (name == "url" || name == "sitemap"):
				cur = &Entry{}
			case cur != nil && name == "news" && t.Name.Space != "" && !strings.Contains(t.Name.Space, "sitemaps.org"):
				cur.News = &News{}
				newsSpace = t.Name.Space
			}
		case xml.CharData:
			if text.Len() < 64<<10 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				continue
			}
			name := path[len(path)-1]
			path = path[:len(path)-1]
			value := strings.TrimSpace(text.String())
			text.Reset()
			if cur == nil {
				continue
			}
			// Only the news extension's own elements fill News, not an
			// image or video extension's title.
			news := cur.News != nil && t.Name.Space == newsSpace
			switch {
			case len(path) == 0:
				if loc := ident.WebLink(baseURL, cur.Loc); loc != "" {
					cur.Loc = loc
					if len(sm.Entries) >= maxEntries {
						return sm, fmt.Errorf("sitemap lists more than %d entries; the rest is left", maxEntries)
					}
					sm.Entries = append(sm.Entries, *cur)
				}
				cur = nil
			case len(path) == 1 && name == "loc":
				cur.Loc = value
			case len(path) == 1 && name == "lastmod":
				cur.LastMod = parseDate(value)
			case news && name == "name":
				cur.News.Publication = value
			case news && name == "language":
				cur.News.Language = value
			case news && name == "title":
				cur.News.Title = strings.Join(strings.Fields(value), " ")
			case news && name == "publication_date":
				cur.News.Published = parseDate(value)
			case news && name == "keywords":
				for _, k := range strings.Split(value, ",") {
					if k = strings.TrimSpace(k); k != "" {
						cur.News.Keywords = append(cur.News.Keywords, k)
					}
				}
			}
		}
	}
	if !root {
		return Sitemap{}, ErrNotSitemap
	}
	return sm, nil
}

// parseDate reads W3C datetimes, the sitemap's format, and a plain date.
func parseDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
