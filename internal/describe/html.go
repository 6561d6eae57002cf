package describe

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	htmldate "github.com/markusmobius/go-htmldate"
	"golang.org/x/net/html"

	"github.com/dossiernews/dossier/internal/charset"
	"github.com/dossiernews/dossier/internal/clean"
)

// pageInfo is what a web page says about itself in its head and JSON-LD.
type pageInfo struct {
	title, ogTitle, siteName, publisher string
	appName, handle                     string // application-name, twitter:site
	canonical, ogURL, lang              string
	authors                             []string
	// ldAuthor is true when a JSON-LD object has an author; ldPeople are
	// the names of the JSON-LD people anywhere else, in no order.
	ldAuthor bool
	ldPeople []string
	// ld holds each JSON-LD script's objects, parsed once for every
	// reader of the page (metadata here, dates in collectDates).
	ld map[*html.Node][]map[string]any
}

// maxHTML bounds the bytes read, so a huge page cannot stall the stage.
const maxHTML = 8 << 20

// pageTree is the page's parsed tree: the one the pipeline handed over,
// else the raw page decoded and parsed here (callers that have only bytes).
func pageTree(in Input) *html.Node {
	if in.Doc != nil || len(in.HTML) == 0 {
		return in.Doc
	}
	raw := in.HTML
	if len(raw) > maxHTML {
		raw = raw[:maxHTML]
	}
	text, _, err := charset.HTML(raw, "")
	if err != nil {
		return nil
	}
	doc, err := clean.Parse(text)
	if err != nil {
		return nil
	}
	return doc
}

// readPage reads a parsed page's metadata; doc may be nil.
func readPage(doc *html.Node) pageInfo {
	var pi pageInfo
	if doc == nil {
		return pi
	}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 400 {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				pi.lang = attr(n, "lang")
			case "title":
				if pi.title == "" && n.FirstChild != nil {
					pi.title = n.FirstChild.Data
				}
			case "link":
				if strings.EqualFold(attr(n, "rel"), "canonical") && pi.canonical == "" {
					pi.canonical = attr(n, "href")
				}
			case "meta":
				key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
				val := strings.TrimSpace(attr(n, "content"))
				if val == "" {
					break
				}
				switch key {
				case "og:title":
					pi.ogTitle = val
				case "og:site_name":
					if pi.siteName == "" {
						pi.siteName = val
					}
				case "application-name":
					if pi.appName == "" {
						pi.appName = val
					}
				case "twitter:site":
					if pi.handle == "" {
						pi.handle = val
					}
				case "og:url":
					pi.ogURL = val
				case "author", "article:author", "dc.creator", "sailthru.author", "parsely-author":
					if !strings.Contains(val, "://") {
						pi.authors = append(pi.authors, val)
					}
				case "og:locale", "content-language", "language", "dc.language":
					if pi.lang == "" {
						pi.lang = val
					}
				}
			case "script":
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					objs := ldObjects(n.FirstChild.Data)
					if pi.ld == nil {
						pi.ld = map[*html.Node][]map[string]any{}
					}
					pi.ld[n] = objs
					readJSONLD(objs, &pi)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return pi
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// ldObjects parses a JSON-LD block into the page's own objects: the
// top-level ones, in lists, @graph and mainEntity, not the items they list.
// A block that does not parse has none.
func ldObjects(src string) []map[string]any {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return nil
	}
	var out []map[string]any
	var visit func(v any, depth int)
	visit = func(v any, depth int) {
		if depth > 20 {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				visit(e, depth+1)
			}
		case map[string]any:
			out = append(out, x)
			for _, k := range []string{"@graph", "mainEntity"} {
				if g, ok := x[k]; ok {
					visit(g, depth+1)
				}
			}
		}
	}
	visit(v, 0)
	return out
}

// readJSONLD takes the publisher and the author names from JSON-LD objects.
func readJSONLD(objs []map[string]any, pi *pageInfo) {
	// A graph names its people once and refers to them by @id elsewhere
	// (Yoast's "author": {"@id": ...}).
	byID := map[string]map[string]any{}
	for _, x := range objs {
		if id, ok := x["@id"].(string); ok && id != "" {
			if _, dup := byID[id]; !dup {
				byID[id] = x
			}
		}
	}
	person := func(m map[string]any) (string, bool) {
		if _, named := m["name"]; !named {
			if id, ok := m["@id"].(string); ok && byID[id] != nil {
				m = byID[id]
			}
		}
		s, ok := m["name"].(string)
		return s, ok && personType(m)
	}
	for _, x := range objs {
		if pi.publisher == "" {
			pi.publisher = publisherName(x["publisher"])
		}
		if _, ok := x["author"]; ok {
			pi.ldAuthor = true
		}
		ldPeople(x, pi, 0)
		switch a := x["author"].(type) {
		case map[string]any:
			if s, ok := person(a); ok {
				pi.authors = append(pi.authors, s)
			}
		case []any:
			for _, e := range a {
				if m, ok := e.(map[string]any); ok {
					if s, ok := person(m); ok {
						pi.authors = append(pi.authors, s)
					}
				}
			}
		case string:
			pi.authors = append(pi.authors, a)
		}
	}
}

// ldPeople adds the names of the objects typed Person under v.
func ldPeople(v any, pi *pageInfo, depth int) {
	if depth > 20 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			ldPeople(e, pi, depth+1)
		}
	case map[string]any:
		if _, typed := x["@type"]; typed && personType(x) {
			if s, ok := x["name"].(string); ok && s != "" && !slices.Contains(pi.ldPeople, s) {
				pi.ldPeople = append(pi.ldPeople, s)
			}
		}
		// In key order, not the map's, which differs from run to run: of
		// two spellings of one name, the first kept must be the same.
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if k != "@graph" && k != "mainEntity" { // ldObjects lists those itself
				ldPeople(x[k], pi, depth+1)
			}
		}
	}
}

// publisherName reads a JSON-LD publisher: an object, a list of them (the
// first named one) or a plain name.
func publisherName(v any) string {
	switch p := v.(type) {
	case string:
		return p
	case map[string]any:
		s, _ := p["name"].(string)
		return s
	case []any:
		for _, e := range p {
			if m, ok := e.(map[string]any); ok {
				if s, _ := m["name"].(string); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

// personType is false for author objects typed as organisations.
func personType(m map[string]any) bool {
	switch t := m["@type"].(type) {
	case nil:
		return true
	case string:
		return t == "" || strings.EqualFold(t, "Person")
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && strings.EqualFold(s, "Person") {
				return true
			}
		}
	}
	return false
}

func sameDay(a, b time.Time) bool {
	return a.Format("2006-01-02") == b.Format("2006-01-02")
}

// htmlDateOf runs go-htmldate in extensive mode, asking for the original
// publication date with its time; a panic inside the library is an error.
func htmlDateOf(doc *html.Node, pageURL string) (res htmldate.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("htmldate panicked: %v", r)
		}
	}()
	return htmldate.FromDocument(doc, htmldate.Options{
		ExtractTime:     true,
		UseOriginalDate: true,
		URL:             pageURL,
	})
}

// plausible rejects stated dates outside the era of web news or in the future.
func plausible(st stamp) bool {
	t := time.Date(st.year, time.Month(st.month), st.day, 0, 0, 0, 0, time.UTC)
	return st.year >= 1995 && t.Before(time.Now().Add(48*time.Hour))
}

// toLocal shows a UTC instant in loc; other offsets were chosen by the page.
func toLocal(t time.Time, loc *time.Location) time.Time {
	if _, off := t.Zone(); off == 0 && loc != nil {
		return t.In(loc)
	}
	return t
}

// reURLDay finds a year/month/day path in a URL, which htmldate reads.
var reURLDay = regexp.MustCompile(`/(?:19|20)\d\d[/-]?\d\d[/-]?\d\d`)

// rePublishWord introduces a first-publication date, in a few languages.
var rePublishWord = regexp.MustCompile(`(?i)(first published|originally published|published|erschienen|veröffentlicht|publié le|publicado|pubblicato)`)

// publishKeywordAt returns where a publication keyword starts in s, or -1.
func publishKeywordAt(s string) int {
	if m := rePublishWord.FindStringIndex(s); m != nil {
		return m[0]
	}
	return -1
}

func sameYMD(st stamp, t time.Time) bool {
	return st.year == t.Year() && st.month == int(t.Month()) && st.day == t.Day()
}
