package clean

import (
	"strings"

	"golang.org/x/net/html"
)

// parsePage parses a page. The parser refuses pages nested deeper than 512
// open elements (old forum markup: hundreds of nested <div>s, or <font> tags
// never closed); for those it parses a flatter copy of the page that keeps
// every bit of text, in order. It returns the text it parsed.
func parsePage(text string) (*html.Node, string, error) {
	doc, err := html.Parse(strings.NewReader(text))
	if err == nil {
		return doc, text, nil
	}
	// Parsing a string fails only on the depth limit: flatten, more and more.
	for _, lv := range flattenLevels {
		flat := flatten(text, lv)
		if d, ferr := html.Parse(strings.NewReader(flat)); ferr == nil {
			return d, flat, nil
		}
	}
	return nil, "", err
}

// flattening says which elements a flattened copy keeps.
type flattening struct {
	// wrap and content bound the open elements kept: a wrapper (div, span,
	// font...) is kept while fewer than wrap kept elements are open, a
	// content element (p, li, article, table...) while fewer than content.
	// Wrappers nest deepest in such pages, so they go first and the
	// paragraphs under them keep their structure.
	wrap, content int
	// noFormat drops formatting elements (font, b, i...) outright: the
	// parser reopens unclosed ones in every block, deeper than any count
	// here can see.
	noFormat bool
}

// flattenLevels are tried in turn; the last keeps no element that nests,
// which always parses.
var flattenLevels = []flattening{
	{wrap: 48, content: 160},
	{wrap: 24, content: 96, noFormat: true},
	{noFormat: true},
}

var (
	voidTags = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
		"image": true, "input": true, "keygen": true, "link": true, "meta": true, "param": true, "source": true, "track": true,
		"wbr": true, "frame": true, "basefont": true, "bgsound": true}
	// rawTags hold raw text up to their end tag: always kept, or their
	// content would turn into visible text.
	rawTags = map[string]bool{"script": true, "style": true, "textarea": true, "title": true, "xmp": true, "iframe": true,
		"noembed": true, "noframes": true, "noscript": true, "plaintext": true}
	// rootTags occur once whatever the markup says: never counted.
	rootTags = map[string]bool{"html": true, "head": true, "body": true}
	// formatTags are the elements the parser reopens when left unclosed.
	formatTags = map[string]bool{"a": true, "b": true, "big": true, "code": true, "em": true, "font": true, "i": true,
		"nobr": true, "s": true, "small": true, "strike": true, "strong": true, "tt": true, "u": true}
	contentTags = map[string]bool{"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"li": true, "ul": true, "ol": true, "dl": true, "dd": true, "dt": true, "pre": true, "blockquote": true,
		"article": true, "main": true, "figure": true, "figcaption": true, "table": true, "caption": true,
		"thead": true, "tbody": true, "tfoot": true, "tr": true, "td": true, "th": true}
	// sameCloses are elements a start tag of the same name closes when it
	// is the innermost open one (<li> after <li>).
	sameCloses = map[string]bool{"li": true, "dt": true, "dd": true, "option": true, "tr": true, "td": true, "th": true}
)

type openTag struct {
	name string
	kept bool
}

// flatten rewrites text token by token, dropping the start and end tags
// that lv does not keep. A dropped block tag leaves a <br> so that lines
// stay apart; text is re-escaped so that dropping a tag cannot make a tag
// out of text around it.
func flatten(text string, lv flattening) string {
	var b strings.Builder
	b.Grow(len(text))
	z := html.NewTokenizer(strings.NewReader(text))
	var stack []openTag
	kept, foreign := 0, 0
	broke := false // the last thing written is a <br> put in for a dropped tag
	write := func(s string) {
		b.WriteString(s)
		broke = false
	}
	brk := func(name string) {
		if blockTags[name] && !broke {
			b.WriteString("<br>")
			broke = true
		}
	}
	pop := func(i int) {
		for _, o := range stack[i:] {
			if o.kept {
				kept--
				if o.name == "svg" || o.name == "math" {
					foreign--
				}
			}
		}
		stack = stack[:i]
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if n := len(stack); n > 0 && rawTags[stack[n-1].name] {
				write(string(z.Raw()))
			} else {
				write(html.EscapeString(string(z.Text())))
			}
		case html.CommentToken, html.DoctypeToken:
			write(string(z.Raw()))
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			raw := string(z.Raw())
			switch {
			case rawTags[tag]:
				// Even self-closing, the tokenizer reads raw text up to
				// the end tag, which must therefore stay.
				stack = append(stack, openTag{tag, true})
				kept++
				write(raw)
				continue
			case rootTags[tag] || voidTags[tag] || tt == html.SelfClosingTagToken && foreign > 0:
				write(raw)
				continue
			}
			if n := len(stack); n > 0 {
				top := stack[n-1].name
				if sameCloses[tag] && top == tag || top == "p" && blockTags[tag] {
					pop(n - 1)
				}
			}
			limit := lv.wrap
			if contentTags[tag] {
				limit = lv.content
			}
			keep := kept < limit && !(lv.noFormat && formatTags[tag])
			stack = append(stack, openTag{tag, keep})
			if !keep {
				brk(tag)
				continue
			}
			kept++
			if tag == "svg" || tag == "math" {
				foreign++
			}
			write(raw)
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if rootTags[tag] {
				write(string(z.Raw()))
				continue
			}
			i := len(stack) - 1
			for i >= 0 && stack[i].name != tag {
				i--
			}
			if i < 0 {
				continue // a stray end tag: the parser ignores most of them
			}
			wasKept := stack[i].kept
			pop(i)
			if wasKept {
				write(string(z.Raw()))
			} else {
				brk(tag)
			}
		}
	}
}
