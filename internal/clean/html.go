package clean

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	htmldate "github.com/markusmobius/go-htmldate"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/dossiernews/dossier/internal/charset"
)

// HTML decodes, parses and cleans a web page in raw bytes. pageURL may be
// "". A pipeline that has the page's text already decodes it once and
// calls Parse and Tree, handing the tree on to describe.
func (c *Cleaner) HTML(raw []byte, pageURL string) (Page, error) {
	text, _, err := charset.HTML(raw, "")
	if err != nil {
		return Page{}, pageErr("decode", pageURL, err)
	}
	doc, err := Parse(text)
	if err != nil {
		return Page{}, pageErr("parse", pageURL, err)
	}
	return c.Tree(doc, pageURL)
}

// Parse parses a page's text (UTF-8, see package charset) once for every
// stage. A page nested too deep for the parser is parsed flattened.
func Parse(text string) (*html.Node, error) {
	doc, _, err := parsePage(text)
	if err != nil {
		return nil, fmt.Errorf("clean: parse page: %w", err)
	}
	return doc, nil
}

// Tree extracts and cleans the main text of a parsed page, leaving the tree
// as it was. pageURL may be "".
func (c *Cleaner) Tree(doc *html.Node, pageURL string) (Page, error) {
	if doc == nil {
		return Page{}, pageErr("extract", pageURL, fmt.Errorf("no page"))
	}
	captions := figcaptions(doc)
	own := extract(doc)
	// Ours is cleaned once, whichever path takes it; only its metadata
	// differs (titled).
	ours := c.fromContent(own.text, Meta{URL: pageURL}, captions)
	if len(ours.Paragraphs) > 0 && !own.unsure(letterCount(ours.Text())) {
		// Ours is sure of the article: go-trafilatura, the most of a
		// page's time, is not run; the markup's headline and byline are
		// read here, the rest of the metadata by describe.
		return ours.titled(pageMeta(doc, pageURL)), nil
	}
	res, err := trafilatura.ExtractDocument(doc, trafOptions(pageURL))
	if err != nil || res == nil {
		// Too little for go-trafilatura (a short page, odd markup): ours,
		// else the text-dump classifier on the visible text.
		if p := ours.titled(pageMeta(doc, pageURL)); len(p.Paragraphs) > 0 {
			return p, nil
		}
		p, ferr := c.visibleText(doc, pageURL)
		if ferr != nil {
			if err == nil {
				err = ferr
			}
			return Page{}, pageErr("extract", pageURL, err)
		}
		return p, nil
	}
	meta := trafMeta(res.Metadata, pageURL)
	// ContentText is flattened to one line on some paths (the baseline
	// rescue); the content tree always has the blocks.
	var content strings.Builder
	if res.ContentNode != nil {
		writeBlocks(res.ContentNode, &content, extractedSkip, 0)
	} else {
		content.WriteString(res.ContentText)
	}
	// Ours stands in for go-trafilatura's fallbacks (readability and
	// DOM Distiller, twice its own time): when its text is a small part of
	// ours, it missed the article; when it is one block where ours has
	// several of as much text, it fell back to the page's bare text.
	tc, oc := letterCount(content.String()), letterCount(own.text)
	if tc*missedShare < oc || blocks(content.String()) == 1 && blocks(own.text) > 1 && oc*5 >= tc*4 {
		return ours.titled(meta), nil
	}
	return c.fromContent(content.String(), meta, captions), nil
}

// titled gives a page made without a title its metadata and headline; the
// first paragraph, when it is the headline printed above the body, is
// set aside as fromContent would have.
func (p Page) titled(meta Meta) Page {
	p.Meta, p.Title = meta, pageHeadline(meta.Title)
	if p.Title == "" || len(p.Paragraphs) == 0 || p.Paragraphs[0] != p.Title {
		return p
	}
	// The first paragraph's line is the first one not set aside.
	i := 0
	for _, r := range p.Removed {
		if r.Index == i {
			i++
		}
	}
	p.Removed = append(slices.Clone(p.Removed), Line{Text: p.Title, Kind: Title, Index: i})
	slices.SortStableFunc(p.Removed, func(a, b Line) int { return a.Index - b.Index })
	p.Paragraphs = p.Paragraphs[1:]
	return p
}

// blocks counts the lines of s with text, up to two.
func blocks(s string) int {
	n := 0
	for l := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(l) != "" {
			if n++; n == 2 {
				break
			}
		}
	}
	return n
}

// missedShare: go-trafilatura's text under 1/missedShare of ours missed
// the article.
const missedShare = 3

// trafOptions run go-trafilatura in its fast mode, without fallbacks.
func trafOptions(pageURL string) trafilatura.Options {
	opts := trafilatura.Options{
		ExcludeComments: true,
		// Describe finds the page's date, once: htmldate is not run here.
		HtmlDateOverride: &htmldate.Result{},
	}
	if u, err := url.Parse(pageURL); err == nil && pageURL != "" {
		opts.OriginalURL = u
	}
	return opts
}

// trafMeta is what go-trafilatura read of the page's metadata.
func trafMeta(m trafilatura.Metadata, pageURL string) Meta {
	meta := Meta{
		Title: normLine(m.Title), Author: normLine(m.Author), Sitename: normLine(m.Sitename),
		URL: m.URL, Language: m.Language, Description: normLine(m.Description),
	}
	if meta.URL == "" {
		meta.URL = pageURL
	}
	return meta
}

// fromContent makes a page of extracted content, one block a line: the
// line rules take out what extraction left of furniture, bylines, captions
// and repeats.
func (c *Cleaner) fromContent(content string, meta Meta, captions []string) Page {
	p := Page{Title: pageHeadline(meta.Title), Meta: meta}
	capSet := map[string]bool{}
	for _, cp := range captions {
		if !capSet[cp] {
			capSet[cp] = true
			p.Captions = append(p.Captions, cp)
		}
	}
	seen := map[string]bool{}
	lines := splitLines(content)
	for i, l := range lines {
		next := ""
		if i+1 < len(lines) {
			next = lines[i+1]
		}
		f := lineFeatures(l)
		k, ruled := ruleKind(f, next)
		classify(&f, c.params(), false, false)
		widget := f.cls == bad && (f.nav > 0 || f.crumb)
		switch {
		case !hasLetterOrDigit(l):
			p.Removed = append(p.Removed, Line{Text: l, Kind: Furniture, Index: i})
		case len(p.Paragraphs) == 0 && p.Title != "" && l == p.Title:
			// The headline printed above the body is the title, not body.
			p.Removed = append(p.Removed, Line{Text: l, Kind: Title, Index: i})
		case capSet[l]:
			p.Removed = append(p.Removed, Line{Text: l, Kind: Caption, Index: i})
		case ruled && htmlLineFilter:
			p.Removed = append(p.Removed, Line{Text: l, Kind: k, Index: i})
			if k == Caption && !capSet[l] {
				capSet[l] = true
				p.Captions = append(p.Captions, l)
			}
		case widget && htmlLineFilter:
			p.Removed = append(p.Removed, Line{Text: l, Kind: Furniture, Index: i})
		case seen[l] && len(strings.Fields(l)) >= 3:
			p.Removed = append(p.Removed, Line{Text: l, Kind: Repeat, Index: i})
		default:
			seen[l] = true
			p.Paragraphs = append(p.Paragraphs, l)
		}
	}
	return p
}

// blockTags break lines in the visible text of a page.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "tr": true, "td": true, "th": true, "table": true, "section": true, "article": true,
	"header": true, "footer": true, "nav": true, "aside": true, "main": true, "blockquote": true, "pre": true,
	"figure": true, "figcaption": true, "form": true, "dd": true, "dt": true, "dl": true, "hr": true, "address": true,
	"option": true, "button": true, "label": true,
}

// skipTags hold no visible text.
var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true, "head": true, "select": true, "iframe": true}

// visibleText cleans the page as a text dump: title first, then every
// visible block on its own line.
func (c *Cleaner) visibleText(doc *html.Node, pageURL string) (Page, error) {
	title := pageTitle(doc)
	var b strings.Builder
	writeBlocks(doc, &b, skipTags, 0)
	p := c.Text(b.String(), title)
	p.Meta = Meta{Title: title, URL: pageURL}
	return p, nil
}

// pageErr is the one message for a failure on a page: the package and the
// step once, then the page's URL when it is known.
func pageErr(step, pageURL string, err error) error {
	if pageURL == "" {
		return fmt.Errorf("clean: %s page: %w", step, err)
	}
	return fmt.Errorf("clean: %s page %s: %w", step, strconv.Quote(pageURL), err)
}

// pageHeadline is the page's stated title when it is shaped like a
// headline, capped; a date or a URL in <title> is no headline.
func pageHeadline(t string) string {
	if t = normLine(t); !headlineShape(t) {
		return ""
	}
	return shortTitle(t)
}

func hasLetterOrDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// pageTitle is the text of the page's <title>.
func pageTitle(doc *html.Node) string {
	var find func(n *html.Node, depth int) string
	find = func(n *html.Node, depth int) string {
		if depth > 512 {
			return ""
		}
		if n.Type == html.ElementNode && n.Data == "title" {
			var tb strings.Builder
			textOf(n, &tb, depth)
			return normLine(tb.String())
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if t := find(ch, depth+1); t != "" {
				return t
			}
		}
		return ""
	}
	return find(doc, 0)
}

// extractedBlockTags are the block elements of trafilatura's output, which
// also uses its own names (head for headings, lb for line breaks, list/item).
var extractedBlockTags = map[string]bool{"head": true, "lb": true, "list": true, "item": true, "quote": true, "row": true, "cell": true}

// writeBlocks writes the text under n with every block element on its own
// line, so that paragraphs stay paragraphs whatever path extraction took.
func writeBlocks(n *html.Node, b *strings.Builder, skip map[string]bool, depth int) {
	if depth > 512 {
		return
	}
	block := false
	switch n.Type {
	case html.ElementNode:
		if skip[n.Data] {
			return
		}
		block = blockTags[n.Data] || extractedBlockTags[n.Data]
		if block {
			b.WriteByte('\n')
		}
	case html.TextNode:
		b.WriteString(strings.ReplaceAll(n.Data, "\n", " "))
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		writeBlocks(ch, b, skip, depth+1)
	}
	if block {
		b.WriteByte('\n')
	}
}

// extractedSkip holds what never is text in extracted content.
var extractedSkip = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true}

// figcaptions returns the normalised text of the page's figure captions.
func figcaptions(doc *html.Node) []string {
	var out []string
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return // pathological nesting: stop rather than exhaust the stack
		}
		if n.Type == html.ElementNode && n.Data == "figcaption" {
			var b strings.Builder
			textOf(n, &b, depth)
			if t := normLine(b.String()); t != "" {
				out = append(out, t)
			}
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, depth+1)
		}
	}
	walk(doc, 0)
	return out
}

func textOf(n *html.Node, b *strings.Builder, depth int) {
	if depth > 512 {
		return
	}
	if n.Type == html.TextNode {
		b.WriteString(n.Data)
		b.WriteByte(' ')
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		textOf(ch, b, depth+1)
	}
}

// htmlLineFilter passes extracted HTML text through the text line rules.
const htmlLineFilter = true
