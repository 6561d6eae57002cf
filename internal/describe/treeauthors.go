package describe

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

var (
	// Classes and ids that mark an element as the byline or its author, in
	// the languages sites are built in.
	authorClasses = []string{"author", "byline", "autor", "auteur", "autore", "verfasser", "writer", "reporter"}
	// Paths of author pages: a link there names one of the article's people.
	reAuthorPath = regexp.MustCompile(`(?i)/(?:authors?|autor(?:en|in)?|auteurs?|autore|redakteur(?:in)?|journalists?|reporters?|staff|people|profiles?|team|newsteam|mitarbeiter)/[^/?#]+/?(?:[?#].*)?$`)
	// Page parts whose people are not the article's: comments, teasers.
	notArticleClasses = []string{"comment", "kommentar", "related", "teaser", "sidebar", "footer", "recommend", "newsletter"}
)

// maxTreeByline bounds the text of a byline element, in words.
const maxTreeByline = 12

// treeAuthors finds the people the page's markup credits: rel=author and
// author-page links, itemprop=author, and short elements whose class names
// an author or byline, outside comments and teasers. Each is read as a
// byline, so that desks and agencies drop out as they do there. The first
// element that names someone is in the article's byline, and so are its
// siblings; elsewhere the page credits other stories.
func treeAuthors(doc *html.Node) []string {
	var out []string
	var byline *html.Node // the parent of the first element that names someone
	add := func(e *html.Node, s string) {
		s = normSpace(s)
		if s == "" || len(strings.Fields(s)) > maxTreeByline || byline != nil && e.Parent != byline {
			return
		}
		n, _, _ := splitPeople(s, false)
		if len(n) > 0 && byline == nil {
			byline = e.Parent
		}
		out = append(out, n...)
	}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 400 || n.Type == html.ElementNode && skipForAuthors(n) {
			return
		}
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "a" && (strings.Contains(strings.ToLower(attr(n, "rel")), "author") || reAuthorPath.MatchString(attr(n, "href"))):
				add(n, nodeText(n))
				return
			case strings.EqualFold(attr(n, "itemprop"), "author"):
				add(n, firstNonEmpty(itemName(n), nodeText(n)))
				return
			case classHas(attr(n, "class")+" "+attr(n, "id"), authorClasses) && n.Data != "img" && n.Data != "body" && n.Data != "html":
				if t := nodeText(n); len(strings.Fields(t)) <= maxTreeByline {
					add(n, t)
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return dedupe(out)
}

// skipForAuthors is true for elements whose people are not the article's.
func skipForAuthors(n *html.Node) bool {
	switch n.Data {
	case "script", "style", "noscript", "template", "footer", "aside", "nav", "head":
		return true
	}
	return classHas(attr(n, "class")+" "+attr(n, "id"), notArticleClasses)
}

// itemName is the itemprop=name inside an author item, "" when none.
func itemName(n *html.Node) string {
	var found string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && strings.EqualFold(attr(n, "itemprop"), "name") {
			found = firstNonEmpty(attr(n, "content"), nodeText(n))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return found
}
