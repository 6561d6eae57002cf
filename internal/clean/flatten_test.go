package clean

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// deepArticle is the article the deep pages wrap: its title and paragraphs
// must come out whatever surrounds them.
const deepArticle = `<article><h1>Night ferry returns to the northern islands</h1>
<p>The overnight ferry to the northern islands sailed again on Monday after a winter in dry dock, carrying forty passengers and a lorry of building supplies.</p>
<p>Islanders had campaigned for two years to keep the service, which the operator had threatened to cut because of rising fuel costs.</p>
<p>The harbour master said the crossing took just under six hours in calm seas, close to the timetable promised by the company.</p>
</article>`

var deepParagraphs = []string{
	"The overnight ferry to the northern islands sailed again on Monday after a winter in dry dock, carrying forty passengers and a lorry of building supplies.",
	"Islanders had campaigned for two years to keep the service, which the operator had threatened to cut because of rising fuel costs.",
	"The harbour master said the crossing took just under six hours in calm seas, close to the timetable promised by the company.",
}

// deepPages are pages the parser refuses as they are (more than 512 open
// elements), in the shapes old forum and CMS markup takes.
func deepPages() []struct{ name, raw string } {
	page := func(before, after string) string {
		return `<!DOCTYPE html><html><head><title>Night ferry returns to the northern islands</title></head><body>` +
			before + deepArticle + after + `</body></html>`
	}
	var reopened strings.Builder
	for i := range 600 {
		// An unclosed <b> with its own class: the parser reopens every one
		// of them in each following block.
		fmt.Fprintf(&reopened, `<div><b class="c%d"></div>`, i)
	}
	return []struct{ name, raw string }{
		{"520 nested divs", page(strings.Repeat("<div>", 520), strings.Repeat("</div>", 520))},
		{"600 unclosed font tags", page(strings.Repeat(`<font face="Verdana" size="2">`, 600), "")},
		{"600 reopened bold tags", page(reopened.String(), "")},
		{"200 nested table cells", page(strings.Repeat("<table><tr><td>", 200), strings.Repeat("</td></tr></table>", 200))},
		{"700 nested spans", page(strings.Repeat("<span>", 700), strings.Repeat("</span>", 700))},
		{"900 divs never closed", page(strings.Repeat(`<div class="post">`, 900), "")},
	}
}

func TestDeepPagesExtract(t *testing.T) {
	for _, tc := range deepPages() {
		raw := tc.raw
		t.Run(tc.name, func(t *testing.T) {
			if _, err := html.Parse(strings.NewReader(raw)); err == nil {
				t.Fatalf("fixture parses as it is: it tests nothing")
			}
			p, err := New().HTML([]byte(raw), "https://example.org/ferry")
			if err != nil {
				t.Fatalf("HTML: %v", err)
			}
			if !slices.Equal(p.Paragraphs, deepParagraphs) {
				t.Errorf("paragraphs:\n got %q\nwant %q", p.Paragraphs, deepParagraphs)
			}
			if p.Title != "Night ferry returns to the northern islands" {
				t.Errorf("title %q", p.Title)
			}
		})
	}
}

func TestFlatten(t *testing.T) {
	narrow := flattening{wrap: 1, content: 2}
	bare := flattening{noFormat: true}
	tests := []struct {
		name, in string
		lv       flattening
		want     string
	}{
		{"wrappers beyond the budget leave a break", "<div><div><p>a</p></div></div>", narrow, "<div><br><p>a</p><br></div>"},
		{"text keeps its order", "<div><div><div>a</div>b</div>c</div>", narrow, "<div><br>a<br>b<br>c</div>"},
		{"inline tags go silently", "<b>x<i>y</b>z</i>", narrow, "<b>xy</b>z"},
		{"a paragraph closes the one before", "<div><p>q<p>r", narrow, "<div><p>q<p>r"},
		{"text is re-escaped", "x<<b>y", bare, "x&lt;y"},
		{"raw text stays raw", "<script>a<b>c</script><div>d</div>", bare, "<script>a<b>c</script><br>d<br>"},
		{"self-closing in svg", "<svg><path/><path/></svg><div>t</div>", flattening{wrap: 4, content: 4}, "<svg><path/><path/></svg><div>t</div>"},
		{"void and root tags stay", "<html><body><img src=a><br>x</body></html>", bare, "<html><body><img src=a><br>x</body></html>"},
		{"stray end tags go", "a</p></div>b", narrow, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := flatten(tt.in, tt.lv); got != tt.want {
				t.Errorf("flatten(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPageErrors(t *testing.T) {
	cause := errors.New("html: open stack of elements exceeds 512 nodes")
	tests := []struct {
		step, url, want string
	}{
		{"parse", "", "clean: parse page: html: open stack of elements exceeds 512 nodes"},
		{"parse", "https://example.org/a", `clean: parse page "https://example.org/a": html: open stack of elements exceeds 512 nodes`},
		{"decode", "", "clean: decode page: html: open stack of elements exceeds 512 nodes"},
	}
	for _, tt := range tests {
		err := pageErr(tt.step, tt.url, cause)
		if err.Error() != tt.want {
			t.Errorf("pageErr(%q, %q) = %q, want %q", tt.step, tt.url, err, tt.want)
		}
		if !errors.Is(err, cause) {
			t.Errorf("pageErr does not wrap its cause")
		}
	}
}

// tokenText is the text of s as the tokenizer sees it, markup left out.
func tokenText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt == html.TextToken {
			b.Write(z.Text())
		}
	}
	return b.String()
}

// FuzzFlatten checks that flattening never panics, keeps the text as it
// was, in order, and that the last level always parses.
func FuzzFlatten(f *testing.F) {
	for _, tc := range deepPages() {
		f.Add(tc.raw)
	}
	f.Add("<div><p>a<b>b</div>c<script>x<y</script><svg><g/></svg><title>t</title>")
	f.Add("x<<b>y&amp;lt;<textarea>&lt;</textarea><plaintext><a>")
	f.Fuzz(func(t *testing.T, raw string) {
		want := tokenText(raw)
		for i, lv := range flattenLevels {
			out := flatten(raw, lv)
			if got := tokenText(out); got != want {
				t.Fatalf("level %d changed the text:\n got %q\nwant %q\n out %q", i, got, want, out)
			}
		}
		if _, err := html.Parse(strings.NewReader(flatten(raw, flattenLevels[len(flattenLevels)-1]))); err != nil {
			t.Fatalf("last level does not parse: %v", err)
		}
		if _, _, err := parsePage(raw); err != nil {
			t.Fatalf("parsePage: %v", err)
		}
	})
}
