package crawl

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Kinds of pages that are no articles, the keys of Counts.NotArticles.
const (
	KindFront   = "front page"
	KindSection = "section page"
	KindTag     = "tag page"
	KindAuthor  = "author page"
	KindGallery = "gallery"
	KindVideo   = "video page"
	KindAudio   = "audio page"
	KindSearch  = "search page"
)

// listingSegments are path words that, followed by at most a name (and a
// page number), address a listing rather than an article. The words are
// the ones publishing systems use, in English and a few other languages.
var listingSegments = map[string]string{
	"tag": KindTag, "tags": KindTag, "topic": KindTag, "topics": KindTag, "thema": KindTag, "themen": KindTag,
	"schlagwort": KindTag, "etiqueta": KindTag, "etiquetas": KindTag, "mot-cle": KindTag, "keyword": KindTag, "keywords": KindTag,
	"category": KindSection, "categories": KindSection, "section": KindSection, "sections": KindSection, "rubrik": KindSection,
	"rubrique": KindSection, "categoria": KindSection, "ressort": KindSection,
	"author": KindAuthor, "authors": KindAuthor, "autor": KindAuthor, "autoren": KindAuthor, "auteur": KindAuthor,
	"profile": KindAuthor, "profiles": KindAuthor, "byline": KindAuthor, "contributor": KindAuthor, "contributors": KindAuthor,
	"search": KindSearch, "suche": KindSearch, "recherche": KindSearch, "buscar": KindSearch,
}

// mediaSegments address galleries, videos and audio at any depth.
var mediaSegments = map[string]string{
	"gallery": KindGallery, "galleries": KindGallery, "photos": KindGallery, "photo-gallery": KindGallery,
	"slideshow": KindGallery, "slideshows": KindGallery, "bildergalerie": KindGallery, "fotos": KindGallery,
	"video": KindVideo, "videos": KindVideo,
	"podcast": KindAudio, "podcasts": KindAudio, "audio": KindAudio,
}

// ListingKind names the kind of non-article a URL addresses by its path
// alone, or "" when the path may be an article's.
func ListingKind(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	var segs []string
	for _, s := range strings.Split(u.Path, "/") {
		if s != "" {
			segs = append(segs, strings.ToLower(s))
		}
	}
	// A trailing page number ("/page/3", "/3") belongs to a listing's pages.
	if n := len(segs); n >= 2 && segs[n-2] == "page" && digits(segs[n-1]) {
		segs = segs[:n-2]
	}
	if len(segs) == 0 {
		if u.RawQuery == "" || strings.Contains(u.RawQuery, "page=") {
			return KindFront
		}
		return ""
	}
	if len(segs) == 1 && (strings.HasPrefix(segs[0], "index.") || segs[0] == "home") &&
		(u.RawQuery == "" || strings.Contains(u.RawQuery, "page=")) {
		// "index.php?id=30" is a script's article, not the front.
		return KindFront
	}
	for i, s := range segs {
		if k, ok := mediaSegments[s]; ok && i < len(segs)-1 || ok && len(segs) == 1 {
			return k
		}
		// "/tag/harbour", "/author/jane-doe": the word and at most a name.
		if k, ok := listingSegments[s]; ok && len(segs)-i <= 2 {
			return k
		}
	}
	return ""
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// articleTypes are the schema.org types of an article.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "reviewnewsarticle": true, "backgroundnewsarticle": true, "blogposting": true,
	"liveblogposting": true, "report": true, "scholarlyarticle": true, "techarticle": true,
}

// pageTypes are the schema.org types of pages that are no article.
var pageTypes = map[string]string{
	"collectionpage": KindSection, "profilepage": KindAuthor, "imagegallery": KindGallery,
	"mediagallery": KindGallery, "videogallery": KindVideo, "videoobject": KindVideo,
	"searchresultspage": KindSearch, "podcastepisode": KindAudio, "audioobject": KindAudio,
}

// PageKind names the kind of non-article a page says it is, in its
// og:type or its JSON-LD, or "" when it says it is an article or nothing.
func PageKind(page []byte) string {
	head := headOf(page)
	var kinds []string
	article := false
	if og := strings.ToLower(head.ogType); og != "" {
		switch {
		case og == "article" || strings.HasPrefix(og, "article:"):
			article = true
		case strings.HasPrefix(og, "video"):
			kinds = append(kinds, KindVideo)
		case strings.HasPrefix(og, "music"):
			kinds = append(kinds, KindAudio)
		case og == "profile":
			kinds = append(kinds, KindAuthor)
		}
	}
	for _, ld := range head.jsonLD {
		for _, t := range ldTypes(ld) {
			t = strings.ToLower(t)
			if articleTypes[t] {
				article = true
			} else if k, ok := pageTypes[t]; ok {
				kinds = append(kinds, k)
			}
		}
	}
	if article || len(kinds) == 0 {
		return ""
	}
	return kinds[0]
}

// ldTypes returns the top-level @types of a JSON-LD block (and of its
// @graph's members): the types of what the page is, not of what it mentions.
func ldTypes(data []byte) []string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil
	}
	var out []string
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e, depth)
			}
		case map[string]any:
			switch t := x["@type"].(type) {
			case string:
				out = append(out, t)
			case []any:
				for _, e := range t {
					if s, ok := e.(string); ok {
						out = append(out, s)
					}
				}
			}
			if g, ok := x["@graph"]; ok && depth == 0 {
				walk(g, depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}

type head struct {
	canonical, ogType string
	jsonLD            [][]byte
}

// headOf reads the few head elements classification and identity need,
// stopping at the body's first text-bearing element.
func headOf(page []byte) head {
	var h head
	z := html.NewTokenizer(bytes.NewReader(page))
	inLD := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return h
		case html.TextToken:
			if inLD {
				h.jsonLD = append(h.jsonLD, bytes.Clone(z.Text()))
			}
		case html.EndTagToken:
			inLD = false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a == atom.P || a == atom.Article || a == atom.H1 {
				// JSON-LD may sit in the body too, but is looked for
				// only before the text: the page is read whole later.
				return h
			}
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			switch a {
			case atom.Link:
				if strings.EqualFold(strings.TrimSpace(attrs["rel"]), "canonical") && h.canonical == "" {
					h.canonical = strings.TrimSpace(attrs["href"])
				}
			case atom.Meta:
				if p := strings.ToLower(attrs["property"]); p == "og:type" && h.ogType == "" {
					h.ogType = strings.TrimSpace(attrs["content"])
				}
			case atom.Script:
				inLD = strings.EqualFold(strings.TrimSpace(attrs["type"]), "application/ld+json")
			}
		}
	}
}

// canonicalLink is the page's <link rel=canonical>, or "".
func canonicalLink(page []byte) string { return headOf(page).canonical }

func openArchive(path string) (*os.File, error) { return os.Open(path) }
