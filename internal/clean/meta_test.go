package clean

import "testing"

// TestPageMeta checks the headline and byline read from a page's markup
// when go-trafilatura does not run.
func TestPageMeta(t *testing.T) {
	cases := []struct {
		what, page    string
		title, author string
	}{
		{"the one h1", `<head><title>Bus route saved | Millbrook News</title><meta property="og:title" content="Bus route saved"></head>
			<body><h1>Council saves the night bus route</h1><p>Text.</p></body>`, "Council saves the night bus route", ""},
		{"two h1s: the social card's title", `<head><title>Bus route saved | Millbrook News</title><meta property="og:title" content="Bus route saved"></head>
			<body><h1>Millbrook News</h1><h1>Council saves the night bus route</h1></body>`, "Bus route saved", ""},
		{"no h1: <title>", `<head><title>Bus route saved | Millbrook News</title></head><body><p>Text.</p></body>`, "Bus route saved | Millbrook News", ""},
		{"a class byline", `<body><h1>Headline here</h1><div class="post-byline">Mara Okafor</div></body>`, "Headline here", "Mara Okafor"},
		{"the plainest mark wins", `<body><span class="author-js">Lena Translator</span><span itemprop="author">Mara Okafor</span></body>`, "", "Mara Okafor"},
		{"a comment's author is not the article's", `<body><div class="comments"><span class="comment-author">Some Reader</span></div></body>`, "", ""},
		{"a post's footer line holds the byline", `<body><div class="post-footer"><span class="post-author">Mara Okafor</span></div></body>`, "", "Mara Okafor"},
		{"a stated author leaves the byline to describe", `<head><meta name="author" content="Mara Okafor"></head><body><span class="author">Lena Translator</span></body>`, "", ""},
		{"a biography is no byline", `<body><div class="author">` + paras(3) + `</div></body>`, "", ""},
	}
	for _, tc := range cases {
		doc, err := Parse(tc.page)
		if err != nil {
			t.Fatal(err)
		}
		m := pageMeta(doc, "https://example.org/a")
		if m.Title != tc.title || m.Author != tc.author {
			t.Errorf("%s: title %q author %q, want %q and %q", tc.what, m.Title, m.Author, tc.title, tc.author)
		}
		if m.URL != "https://example.org/a" {
			t.Errorf("%s: URL %q", tc.what, m.URL)
		}
	}
}
