package clean

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "extract", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExtract checks what Dossier's own extractor keeps of an article and
// what it drops, and that it leaves the tree as it was.
func TestExtract(t *testing.T) {
	doc, err := Parse(readFixture(t, "article.html"))
	if err != nil {
		t.Fatal(err)
	}
	var before bytes.Buffer
	if err := html.Render(&before, doc); err != nil {
		t.Fatal(err)
	}
	ex := extract(doc)
	var lines []string
	for _, l := range strings.Split(ex.text, "\n") {
		if l = normLine(l); l != "" {
			lines = append(lines, l)
		}
	}
	text := strings.Join(lines, "\n")
	cases := []struct {
		what, text string
		kept       bool
	}{
		{"first paragraph", "Councillors in Millbrook voted on Tuesday evening", true},
		{"subheading", "\nWhere the money comes from\n", true},
		{"list item", "\nThe growers will pay a quarter, since many of their seasonal pickers use the bus.\n", true},
		{"quote", "said the council leader, Oskar Lindqvist.", true},
		{"last paragraph", "the operator said it would keep the same drivers on the route.", true},
		{"menu", "Weather", false},
		{"share bar", "Share on Facebook", false},
		{"consent notice", "We use cookies", false},
		{"newsletter box", "Sign up for our free morning newsletter", false},
		{"related links", "record cherry harvest", false},
		{"comments", "late shifts in the packing halls", false},
		{"sidebar", "Storm damage closes the river path", false},
		{"footer", "All rights reserved", false},
		{"caption", "The last bus of the evening", false},
	}
	for _, tc := range cases {
		if got := strings.Contains(text, tc.text); got != tc.kept {
			t.Errorf("%s: kept %v, want %v (%q)", tc.what, got, tc.kept, tc.text)
		}
	}
	if len(ex.captions) != 1 || !strings.HasPrefix(ex.captions[0], "The last bus of the evening") {
		t.Errorf("captions %q", ex.captions)
	}
	var after bytes.Buffer
	if err := html.Render(&after, doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Error("extraction changed the tree")
	}
	// Tree, which reads the headline from the markup and may run
	// go-trafilatura, leaves it as it was too.
	if _, err := New().Tree(doc, ""); err != nil {
		t.Fatal(err)
	}
	after.Reset()
	if err := html.Render(&after, doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Error("Tree changed the tree")
	}
}

// TestFurnitureClass checks how class words mark furniture: whole words or
// a word at a class's start or end, not a layout class with one inside.
func TestFurnitureClass(t *testing.T) {
	cases := []struct {
		class string
		want  bool
	}{
		{"share-bar", true},
		{"post_comments", true},
		{"relatedposts", true},
		{"nav", true},
		{"one-sidebar-second", false},
		{"navy-theme", false},
		{"hidden-xs", false},
		{"related-links", true},
		{"entry-content", false},
		{"comments content", false},
	}
	for _, tc := range cases {
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: tc.class}}}
		if got := classFurniture(n); got != tc.want {
			t.Errorf("%q: furniture %v, want %v", tc.class, got, tc.want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(readFixture(f, "article.html"))
	f.Add(`<div class="a"><p>One, two, three.</p></div><div class="b"><p>Four, five.</p></div>`)
	f.Add(`<body><nav><p>x</p></nav><article><p></p></article>`)
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := Parse(page)
		if err != nil {
			return
		}
		ex := extract(doc)
		for _, c := range ex.captions {
			if strings.TrimSpace(c) == "" {
				t.Error("empty caption")
			}
		}
	})
}

// paras returns n paragraphs of made-up prose with commas.
func paras(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("<p>The council met on Tuesday, and after a long debate, which ran late into the evening, it voted on item ")
		b.WriteString(strings.Repeat("x", i+1))
		b.WriteString(" of the budget.</p>\n")
	}
	return b.String()
}

// TestExtractUnsure checks when Dossier's own extraction asks for a
// second opinion: not for an article beside furniture, but when its text is
// a small part of the page or its container the whole page.
func TestExtractUnsure(t *testing.T) {
	links := strings.Repeat(`<li><a href="/x">Another section of the site with a long name</a></li>`, 60)
	cases := []struct {
		what, page string
		unsure     bool
	}{
		{"article beside a menu", `<body><nav><ul>` + links[:len(links)/6] + `</ul></nav><article>` + paras(8) + `</article><footer>All rights reserved</footer></body>`, false},
		{"a paragraph beside a long menu", `<body><div class="menu-wrap"><ul>` + links + `</ul></div><div>` + paras(1) + `</div></body>`, true},
		{"the page's one box", `<body><div id="page">` + paras(8) + `</div></body>`, true},
		{"the page's one article", `<body><article>` + paras(8) + `</article></body>`, false},
		{"no text", `<body><img src="x.png"></body>`, true},
	}
	c := New()
	for _, tc := range cases {
		doc, err := Parse(tc.page)
		if err != nil {
			t.Fatal(err)
		}
		ex := extract(doc)
		kept := letterCount(c.fromContent(ex.text, Meta{}, nil).Text())
		if got := ex.unsure(kept); got != tc.unsure {
			t.Errorf("%s: unsure %v, want %v (share %.2f, kept %d of %d)", tc.what, got, tc.unsure, ex.share, kept, ex.total)
		}
	}
}

// TestExtractWrappedBody checks that a furniture box closed around the
// article's schema.org body (a share bar's div left open) is no furniture.
func TestExtractWrappedBody(t *testing.T) {
	side := `<aside>` + strings.Repeat(`<p>A teaser for another story on the site, one of many here.</p>`, 30) + `</aside>`
	page := `<body><main><div class="social-share"><div itemprop="articleBody">` + paras(6) + `</div></div>` + side + `</main></body>`
	doc, err := Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	if ex := extract(doc); !strings.Contains(ex.text, "of the budget.") {
		t.Errorf("article body lost: %q", ex.text)
	}
}

// TestExtractOrphanHeading checks that the heading of a box of links left
// out goes with it, while a section's heading and a subtitle over a
// picture's credit stay.
func TestExtractOrphanHeading(t *testing.T) {
	links := strings.Repeat(`<li><a href="/x">Another story from the archive</a></li>`, 5)
	page := `<body><article><h2>How the vote went</h2>` + paras(6) +
		`<h3>More on this topic</h3><ul>` + links + `</ul>` +
		`<h2>A subtitle above the picture</h2><div class="credit">Photo agency</div></article></body>`
	doc, err := Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	text := extract(doc).text
	for _, c := range []struct {
		line string
		kept bool
	}{{"How the vote went", true}, {"More on this topic", false}, {"A subtitle above the picture", true}} {
		if got := strings.Contains(text, c.line); got != c.kept {
			t.Errorf("%q: kept %v, want %v", c.line, got, c.kept)
		}
	}
}
