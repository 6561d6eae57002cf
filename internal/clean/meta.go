package clean

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// pageMeta reads what a page's markup says of the article, for the pages
// go-trafilatura does not run on: the headline and a byline the markup
// marks. Describe reads the rest itself (meta tags, JSON-LD, the site's
// name, the language).
func pageMeta(doc *html.Node, pageURL string) Meta {
	r := metaReader{}
	r.walk(doc, 0, false)
	m := Meta{URL: pageURL, Sitename: cmp.Or(r.siteName, r.publisher)}
	if !r.stated {
		// The markup's byline only stands in for a stated author, which
		// describe reads itself: a byline element may be a translator's.
		m.Author = r.author
	}
	// The page's one <h1> is the headline printed above the article; the
	// social card's title and <title> often carry the site's name or a
	// shorter form.
	switch {
	case r.h1s == 1 && headlineShape(r.h1):
		m.Title = r.h1
	case r.ogTitle != "":
		m.Title = r.ogTitle
	case r.title != "":
		m.Title = r.title
	default:
		m.Title = r.h1
	}
	return m
}

// metaReader collects the page's title candidates and its first marked
// byline in one walk.
type metaReader struct {
	title, ogTitle, h1, siteName, author string
	publisher                            string // a publisher meta tag's
	h1s                                  int
	tier                                 int  // the author's, see bylineTier
	stated                               bool // a meta tag or JSON-LD names the author
}

// publisherKeys are the meta tags naming the publisher, after og:site_name.
var publisherKeys = map[string]bool{
	"article:publisher": true, "citation_journal_title": true, "dc.publisher": true, "dc:publisher": true,
	"dcterms.publisher": true, "publisher": true,
}

// maxByline bounds a marked byline: longer, the element is a box (an
// author's biography, a comment), not a name.
const maxByline = 120

func (r *metaReader) walk(n *html.Node, depth int, furniture bool) {
	if depth > maxDepth {
		return
	}
	if n.Type == html.ElementNode {
		switch n.Data {
		case "script":
			if strings.Contains(strings.ToLower(attrOf(n, "type")), "ld+json") && n.FirstChild != nil && strings.Contains(n.FirstChild.Data, `"author"`) {
				r.stated = true
			}
			return
		case "style", "noscript", "template", "svg":
			return
		case "title":
			if r.title == "" {
				r.title = nodeText(n, depth)
			}
			return
		case "meta":
			key := strings.ToLower(attrOf(n, "property") + attrOf(n, "name"))
			val := normLine(attrOf(n, "content"))
			switch {
			case val == "":
			case key == "og:title" && r.ogTitle == "":
				r.ogTitle = val
			case key == "og:site_name" && r.siteName == "":
				r.siteName = val
			case publisherKeys[key] && r.publisher == "" && !strings.Contains(val, "://"):
				r.publisher = val
			case key == "author" || key == "article:author":
				r.stated = true
			}
			return
		case "h1":
			if r.h1s++; r.h1s == 1 {
				r.h1 = nodeText(n, depth)
			}
			return
		}
		// A byline in a comment, a sidebar or a teaser is not the article's.
		switch n.Data {
		case "html", "body", "main", "article":
			// A page's classes ("has-sidebar") do not make it furniture.
		default:
			furniture = furniture || markedFurniture(n) && !bylineMarked(n) && !postFooter(n)
		}
		if tier := bylineTier(n); !furniture && tier > r.tier {
			if t := nodeText(n, depth); utf8.RuneCountInString(t) > 2 && utf8.RuneCountInString(t) < maxByline {
				r.author, r.tier = t, tier
			}
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		r.walk(ch, depth+1, furniture)
	}
}

// postFooter is true for a box only its class calls a footer: a post's
// footer line ("post-footer") is where many blogs print the byline, unlike
// the page's <footer>.
func postFooter(n *html.Node) bool {
	if n.Data == "footer" || hiddenNode(n) || attrOf(n, "role") != "" {
		return false
	}
	w := classWords(n)
	return hasWord(w, []string{"footer"}) && !hasWord(w, notFooterWords) && !hasWord(w, weakFurnitureWords)
}

// notFooterWords are the furniture words but "footer".
var notFooterWords = slices.DeleteFunc(slices.Clone(furnitureWords), func(s string) bool { return s == "footer" })

// bylineWords, in a class or id, mark an article's byline.
var bylineWords = []string{"author", "byline", "writer"}

// bylineMarked is true for an element marked as the article's author.
func bylineMarked(n *html.Node) bool { return bylineTier(n) > 0 }

// bylineTier is how plainly n is marked as the article's author: 2 for
// schema.org's author, rel=author or a class or id that is "author" alone;
// 1 for a class or id word ("byline", "post-author", "author vcard"); 0
// for none. The first of the plainest marks wins: a page's class words
// also mark translators and photographers.
func bylineTier(n *html.Node) int {
	switch n.Data {
	case "a", "address", "div", "p", "span", "strong", "h3", "h4", "author":
	default:
		return 0
	}
	if strings.Contains(attrOf(n, "itemprop"), "author") || attrOf(n, "rel") == "author" ||
		attrOf(n, "class") == "author" || attrOf(n, "id") == "author" {
		return 2
	}
	if hasWord(classWords(n), bylineWords) {
		return 1
	}
	return 0
}

// nodeText is the normalised text under n: inline elements run on, as
// in the article's lines, and blocks are apart.
func nodeText(n *html.Node, depth int) string {
	var b strings.Builder
	writeBlocks(n, &b, extractedSkip, depth)
	return normLine(strings.ReplaceAll(b.String(), "\n", " "))
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
