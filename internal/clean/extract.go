package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Dossier's own main-text extraction: paragraphs are scored by their text
// and link density and the score flows to their ancestors (as readability
// does); the best container, with the siblings that score like it, is the
// article; its blocks are written out one a line, minus furniture known by
// its markup (navigation, share bars, related links, forms, comments).

// maxDepth bounds recursion over pathological trees.
const maxDepth = 512

// noText holds elements that never carry article text.
var noText = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true, "head": true, "select": true,
	"iframe": true, "button": true, "form": true, "input": true, "textarea": true, "object": true, "embed": true,
	"canvas": true, "video": true, "audio": true, "map": true, "dialog": true,
}

// furnitureTags are page furniture by their element alone.
var furnitureTags = map[string]bool{"nav": true, "aside": true, "footer": true, "menu": true}

// furnitureWords, in a class or id, mark furniture: menus, share bars,
// related links, newsletter and consent boxes, comments.
var furnitureWords = []string{
	"nav", "menu", "share", "sharing", "social", "related", "recommend", "newsletter", "subscribe", "signup",
	"comment", "comments", "disqus", "cookie", "consent", "gdpr", "footer", "sidebar", "breadcrumb", "popup",
	"modal", "overlay", "outbrain", "taboola", "login", "pagination", "pager", "masthead", "skip", "tagcloud",
	"author-info", "authorbox", "bio", "more-stories", "read-more", "readmore", "trending", "popular",
	"visually-hidden", "sr-only", "jump", "toc",
}

// weakFurnitureWords mark boxes that are furniture when short or made of
// links, while a section "with ads" in it may be the article's.
var weakFurnitureWords = []string{
	"promo", "advert", "ads", "banner", "sponsor", "toolbar", "rating", "tags", "teaser", "caption", "credit",
}

// contentWords, in a class or id, mark the article's container.
var contentWords = []string{"article", "content", "story", "entry", "post", "body", "text", "main", "blog", "prose", "richtext"}

// classWords splits a class or id into its lower-cased words.
func classWords(n *html.Node) []string {
	var out []string
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		out = append(out, strings.FieldsFunc(strings.ToLower(a.Val), func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n'
		})...)
	}
	return out
}

// hasWord is true when a class word is one of list, or starts or ends
// with one as a part ("share-bar", "post_comments"); a part inside
// ("one-sidebar-second", a layout) does not count.
func hasWord(words []string, list []string) bool {
	for _, cw := range words {
		for _, w := range list {
			if cw == w {
				return true
			}
			// A long word may start a class run together ("relatedposts").
			if len(cw) > len(w) && (strings.HasPrefix(cw, w) && (len(w) >= 5 || isSep(cw[len(w)])) || strings.HasSuffix(cw, w) && isSep(cw[len(cw)-len(w)-1])) {
				return true
			}
		}
	}
	return false
}

func isSep(b byte) bool { return b == '-' || b == '_' || b == ':' || b == '.' }

// isFurniture is true for an element the article never is inside. Its
// class alone does not make a wrapper of most of the page furniture (a
// body classed "has-sidebar", a Blogger "widget" holding the posts).
func (e *extractor) isFurniture(n *html.Node) bool {
	switch n.Data {
	case "html", "body", "main", "article":
		return false
	}
	if !markedFurniture(n) {
		return false
	}
	if e == nil || hiddenNode(n) {
		return true
	}
	st := e.st[n]
	if !furnitureTags[n.Data] && wrapsArticle(n, st.chars, e.st) {
		return false // a share bar's box closed around the article's body
	}
	if !furnitureTags[n.Data] && weakOnly(n) && st.chars >= 200 && e.density(n) < 0.3 {
		return false // a long box of prose, not of links
	}
	// Three fifths of the page's text is no box on its side.
	return st.chars*5 < e.total*3
}

// wrapsArticle is true when an element below n marked as the article
// (schema.org's articleBody) holds at least half of n's letters.
func wrapsArticle(n *html.Node, chars int, st map[*html.Node]stats) bool {
	var find func(c *html.Node, depth int) bool
	find = func(c *html.Node, depth int) bool {
		if depth > maxDepth || st[c].chars*2 < chars {
			return false
		}
		if articleMarked(c) {
			return true
		}
		for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && find(ch, depth+1) {
				return true
			}
		}
		return false
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && find(ch, 0) {
			return true
		}
	}
	return false
}

// articleMarked is true for an element schema.org names the article's
// body; a class word ("content") is too common inside boxes to count.
func articleMarked(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "itemprop" && (a.Val == "articleBody" || a.Val == "text") {
			return true
		}
	}
	return false
}

// articleWords, in a class or id, name the article itself, over any
// furniture word.
var articleWords = []string{"article", "content", "body", "story", "entry"}

// hiddenNode is true for an element the reader never sees.
func hiddenNode(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			v := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

// markedFurniture is true for an element marked as furniture by its tag,
// its attributes or its class.
func markedFurniture(n *html.Node) bool {
	if furnitureTags[n.Data] || hiddenNode(n) {
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			switch a.Val {
			case "navigation", "complementary", "contentinfo", "banner", "dialog", "alert", "menu", "menubar":
				return true
			}
		case "itemprop":
			if a.Val == "articleBody" || a.Val == "text" {
				return false
			}
		}
	}
	return classFurniture(n)
}

// classFurniture is true when n's class or id names furniture and not
// also the article.
func classFurniture(n *html.Node) bool {
	w := classWords(n)
	return (hasWord(w, furnitureWords) || hasWord(w, weakFurnitureWords)) && !hasWord(w, articleWords)
}

// weakOnly is true when only weak words mark n.
func weakOnly(n *html.Node) bool {
	w := classWords(n)
	return !hasWord(w, furnitureWords) && hasWord(w, weakFurnitureWords)
}

// stats are the text measures of an element.
type stats struct {
	chars, linkChars int
}

// paraTags are the elements whose text scores their ancestors.
var paraTags = map[string]bool{"p": true, "pre": true, "td": true, "blockquote": true, "li": true, "dd": true, "h2": true, "h3": true}

// extractor holds the scores of one page.
type extractor struct {
	score map[*html.Node]float64
	st    map[*html.Node]stats
	total int // letters of the whole page
}

// measure fills st for n and its descendants; scripts, forms and the like
// hold no text.
func (e *extractor) measure(n *html.Node, depth int, inLink bool) stats {
	var s stats
	if depth > maxDepth {
		return s
	}
	switch n.Type {
	case html.TextNode:
		c := letterCount(n.Data)
		s.chars = c
		if inLink {
			s.linkChars = c
		}
		return s
	case html.ElementNode:
		if noText[n.Data] {
			return s
		}
		if n.Data == "a" {
			inLink = true
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		cs := e.measure(ch, depth+1, inLink)
		s.chars += cs.chars
		s.linkChars += cs.linkChars
	}
	if n.Type == html.ElementNode {
		e.st[n] = s
	}
	return s
}

// letterCount counts the non-space runes of s.
func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func (e *extractor) density(n *html.Node) float64 {
	s := e.st[n]
	if s.chars == 0 {
		return 1
	}
	return float64(s.linkChars) / float64(s.chars)
}

// scoreParas gives each paragraph a score and passes it up three levels.
func (e *extractor) scoreParas(n *html.Node, depth int) {
	if depth > maxDepth || n.Type != html.ElementNode && n.Type != html.DocumentNode {
		return
	}
	if n.Type == html.ElementNode {
		if noText[n.Data] || e.isFurniture(n) {
			return
		}
		if paraTags[n.Data] || looseText[n.Data] && directText(n) > 40 {
			s := e.st[n]
			if s.chars >= 25 && e.density(n) < 0.5 {
				sc := 1 + float64(commas(n, 0)) + min(float64(s.chars)/100, 3)
				if n.Data == "li" {
					// A list item is a line of a list (references, a menu
					// of teasers) more often than the article's prose.
					sc /= 2
				}
				for i, a := 0, n.Parent; a != nil && i < 3; i, a = i+1, a.Parent {
					if a.Type != html.ElementNode {
						break
					}
					e.score[a] += sc / float64(i+1)
				}
			}
			if !looseText[n.Data] && n.Data != "li" && n.Data != "td" {
				return
			}
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		e.scoreParas(ch, depth+1)
	}
}

// looseText are the containers whose own text, between line breaks
// rather than in paragraphs, scores as a paragraph.
var looseText = map[string]bool{"div": true, "section": true, "article": true, "main": true}

// directText counts the letters of n's own text children.
func directText(n *html.Node) int {
	c := 0
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.TextNode {
			c += letterCount(ch.Data)
		}
	}
	return c
}

// commas counts commas of every script in the text under n.
func commas(n *html.Node, depth int) int {
	if depth > maxDepth {
		return 0
	}
	if n.Type == html.TextNode {
		return strings.Count(n.Data, ",") + strings.Count(n.Data, "，") + strings.Count(n.Data, "、") + strings.Count(n.Data, "،")
	}
	c := 0
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c += commas(ch, depth+1)
	}
	return c
}

// weight is the markup's say on a container.
func weight(n *html.Node) float64 {
	w := 0.0
	switch n.Data {
	case "article", "main":
		w += 15
	case "section":
		w += 3
	}
	for _, a := range n.Attr {
		if a.Key == "itemprop" && a.Val == "articleBody" {
			w += 40
		}
	}
	cw := classWords(n)
	if hasWord(cw, contentWords) {
		w += 20
	}
	if hasWord(cw, furnitureWords) {
		w -= 25
	} else if hasWord(cw, weakFurnitureWords) {
		w -= 10
	}
	return w
}

const (
	// altShare: a container scoring this share of the best one is part
	// of the article too, when no furniture separates them.
	altShare = 0.25
	// siblingShare: a sibling of the article scoring this share of it
	// belongs to it (readability's rule).
	siblingShare = 0.2
)

// extraction is the article found on a page.
type extraction struct {
	text     string // blocks one a line
	captions []string
	top      *html.Node // the article's container
	total    int        // letters of the page's text
	share    float64    // the container's share of them
}

// extract finds the article of a parsed page, leaving the tree as it was.
func extract(doc *html.Node) extraction {
	e := &extractor{score: map[*html.Node]float64{}, st: map[*html.Node]stats{}}
	e.total = e.measure(doc, 0, false).chars
	e.scoreParas(doc, 0)
	var top *html.Node
	best := 0.0
	for n, sc := range e.score {
		sc = (sc + weight(n)) * (1 - e.density(n))
		e.score[n] = sc
		if sc > best || sc == best && top != nil && before(n, top) {
			top, best = n, sc
		}
	}
	if top == nil {
		return extraction{}
	}
	// Several containers that score near the best one (a page builder's
	// sections, one paragraph each) are the article together: their
	// nearest common ancestor is, when it is no furniture. A list item is
	// no part of a split article but a widget or a teaser.
	var alts []*html.Node
	for n, sc := range e.score {
		if n != top && n.Data != "li" && sc >= best*altShare && !contains(n, top) && !contains(top, n) {
			alts = append(alts, n)
		}
	}
	if len(alts) > 0 {
		for a := top.Parent; a != nil && a.Type == html.ElementNode && a.Data != "body" && a.Data != "html"; a = a.Parent {
			if e.isFurniture(a) || e.density(a) > 0.4 {
				break
			}
			k := 0
			for _, n := range alts {
				if contains(a, n) {
					k++
				}
			}
			if k > 0 {
				top = a
				break
			}
		}
	}
	// A wrapper holding the best one and no other text is the article.
	for p := top.Parent; p != nil && p.Type == html.ElementNode && p.Data != "body"; p = p.Parent {
		if e.st[p].chars > e.st[top].chars || e.isFurniture(p) {
			break
		}
		top = p
	}
	w := &writer{e: e, root: e.st[top].chars}
	limit := max(10, best*siblingShare)
	if top.Parent != nil {
		for sib := top.Parent.FirstChild; sib != nil; sib = sib.NextSibling {
			switch {
			case sib == top:
				w.block(sib, 0)
			case sib.Type == html.ElementNode && !e.isFurniture(sib) && !noText[sib.Data]:
				s := e.st[sib]
				keep := e.score[sib] >= limit
				if !keep && sib.Data == "p" {
					d := e.density(sib)
					keep = s.chars > 80 && d < 0.25 || s.chars > 0 && d == 0 && endsSentence(sib)
				}
				if keep {
					w.block(sib, 0)
				}
			}
		}
	} else {
		w.block(top, 0)
	}
	return extraction{text: w.b.String(), captions: w.captions, top: top, total: e.total, share: float64(e.st[top].chars) / float64(max(e.total, 1))}
}

// before is true when a comes before b in document order (ties in score
// go to the first, so the map's order decides nothing).
func before(a, b *html.Node) bool {
	pos := func(n *html.Node) []int {
		var p []int
		for ; n.Parent != nil; n = n.Parent {
			i := 0
			for s := n.PrevSibling; s != nil; s = s.PrevSibling {
				i++
			}
			p = append(p, i)
		}
		return p
	}
	pa, pb := pos(a), pos(b)
	for i, j := len(pa)-1, len(pb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		if pa[i] != pb[j] {
			return pa[i] < pb[j]
		}
	}
	return len(pa) < len(pb)
}

func endsSentence(n *html.Node) bool {
	var b strings.Builder
	textOf(n, &b, 0)
	t := strings.TrimSpace(b.String())
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".!?。！？»\"”", r)
}

// writer writes the blocks of the article, one a line.
type writer struct {
	e        *extractor
	root     int // letters of the article's container
	b        strings.Builder
	captions []string
}

// blockLevel elements end a line.
var blockLevel = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "tr": true, "td": true, "th": true, "table": true, "section": true, "article": true,
	"header": true, "main": true, "blockquote": true, "pre": true, "figure": true, "dd": true, "dt": true, "dl": true,
	"hr": true, "address": true, "center": true, "details": true, "summary": true,
}

func (w *writer) block(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.b.WriteString(strings.ReplaceAll(n.Data, "\n", " "))
		return
	case html.ElementNode:
	default:
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			w.block(ch, depth+1)
		}
		return
	}
	if noText[n.Data] {
		return
	}
	if n.Data == "figcaption" {
		var b strings.Builder
		textOf(n, &b, depth)
		if t := normLine(b.String()); t != "" {
			w.captions = append(w.captions, t)
		}
		return
	}
	if w.dropped(n, depth) {
		return
	}
	bl := blockLevel[n.Data]
	if bl {
		w.b.WriteByte('\n')
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if headingTags[ch.Data] && ch.Type == html.ElementNode && w.orphan(ch, depth+1) {
			continue
		}
		w.block(ch, depth+1)
	}
	if bl {
		w.b.WriteByte('\n')
	}
}

// dropped is true for an element the writer leaves out whole: furniture,
// or a list or box of links (navigation, related stories, tags).
func (w *writer) dropped(n *html.Node, depth int) bool {
	s := w.e.st[n]
	if depth > 0 && w.e.isFurniture(n) && s.chars*2 < w.root {
		return true
	}
	return w.linkBox(n)
}

// linkBox is true for a list or box of links, or a paragraph of one.
func (w *writer) linkBox(n *html.Node) bool {
	s := w.e.st[n]
	switch n.Data {
	case "ul", "ol", "dl", "table", "div", "section", "header":
		return s.chars > 0 && w.e.density(n) > 0.6
	case "li", "p", "dd", "td":
		return s.chars > 0 && s.chars < 200 && w.e.density(n) > 0.7
	}
	return false
}

// headingTags are the headings over a section of the article or a box.
var headingTags = map[string]bool{"h2": true, "h3": true, "h4": true, "h5": true, "h6": true}

// orphan is true for a heading whose section, up to the next heading, is
// all left out and holds a box of links: the title of a related-links box
// whose links went. A heading over a caption or a credit left out is
// still the article's (a subtitle above the picture).
func (w *writer) orphan(h *html.Node, depth int) bool {
	gone := false
	for sib := h.NextSibling; sib != nil; sib = sib.NextSibling {
		switch {
		case sib.Type == html.TextNode:
			if strings.TrimSpace(sib.Data) != "" {
				return false
			}
		case sib.Type != html.ElementNode || noText[sib.Data]:
		case headingTags[sib.Data] || sib.Data == "h1":
			return gone
		case w.e.st[sib].chars == 0:
		case w.linkBox(sib):
			gone = true
		case w.dropped(sib, depth):
		default:
			return false
		}
	}
	return gone
}

// contains is true when n is a or below it.
func contains(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// Confidence: ours is trusted, and go-trafilatura not run, unless the
// structure says it may have missed the article (too small a part of the
// page's text, a list or a table cell for a container) or taken the whole
// page for it (nearly all of the page's text, with no <article>, <main> or
// articleBody around it to say so).
const (
	// unsureShare: extracted text under this share of the page's letters
	// may be a box beside the article.
	unsureShare = 0.15
	// wholeShare: a container holding this share of the page's letters
	// may be the page, furniture and all.
	wholeShare = 0.9
)

// unsure is true when the extraction, whose cleaned text has kept
// letters, needs a second opinion.
func (x extraction) unsure(kept int) bool {
	if x.top == nil || x.total == 0 {
		return true
	}
	switch x.top.Data {
	case "div", "article", "main", "section":
	default:
		return true // a list, a table cell, the body: no article's container
	}
	if float64(kept) < unsureShare*float64(x.total) {
		return true
	}
	return x.share > wholeShare && !inArticle(x.top)
}

// inArticle is true when n or an ancestor is marked as the article:
// <article>, <main> or schema.org's articleBody.
func inArticle(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && (n.Data == "article" || n.Data == "main" || attrOf(n, "itemprop") == "articleBody") {
			return true
		}
	}
	return false
}
