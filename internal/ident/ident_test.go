package ident

import (
	"net/url"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://News.Example.COM/a/b", "https://news.example.com/a/b"},
		{"http://example.com:80/x", "http://example.com/x"},
		{"https://example.com:443", "https://example.com/"},
		{"https://example.com:8443/x", "https://example.com:8443/x"},
		{"https://example.com/x#comments", "https://example.com/x"},
		{"https://example.com/x?utm_source=rss&utm_medium=feed&id=7&fbclid=abc", "https://example.com/x?id=7"},
		{"https://example.com/x?b=2&a=1&a=0", "https://example.com/x?a=0&a=1&b=2"},
		{"https://user:pw@example.com/x", "https://example.com/x"},
		{"  https://example.com/x  ", "https://example.com/x"},
		{"https://example.com./x", "https://example.com/x"},
		{"https://[2001:db8::1]:443/x", "https://[2001:db8::1]/x"},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "example.com/x", "ftp://example.com/x", "mailto:a@example.com", "/relative/path", "http://"} {
		if got, err := NormalizeURL(bad); err == nil {
			t.Errorf("NormalizeURL(%q) = %q; want an error", bad, got)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		name, page, canonical, want string
		ok                          bool
	}{
		{"declared, no page URL", "", "https://news.example/2025/story", "https://news.example/2025/story", true},
		{"relative, resolved", "https://news.example/a?utm_source=x", "/2025/story", "https://news.example/2025/story", true},
		{"front page not trusted", "https://news.example/2025/story", "https://news.example/", "https://news.example/2025/story", true},
		{"index page not trusted", "https://news.example/2025/story", "https://www.news.example/index.html", "https://news.example/2025/story", true},
		{"other site not trusted", "https://news.example/2025/story", "https://elsewhere.example/story", "https://news.example/2025/story", true},
		{"same site, other host", "https://www.news.example/story", "https://amp.news.example/story", "https://amp.news.example/story", true},
		{"language front page not trusted", "https://news.example/en/story", "https://news.example/en/", "https://news.example/en/story", true},
		{"nothing usable", "", "not a url", "", false},
		{"front page only", "", "https://news.example/", "", false},
	}
	for _, tt := range tests {
		got, ok := Canonical(tt.page, tt.canonical)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: Canonical(%q, %q) = %q, %v; want %q, %v", tt.name, tt.page, tt.canonical, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIDs(t *testing.T) {
	a := ArticleID(URLKey("https://news.example/x"))
	s := StoryID(a)
	if !strings.HasPrefix(a, ArticlePrefix) || !strings.HasPrefix(s, StoryPrefix) || len(a) != 17 || len(s) != 17 {
		t.Fatalf("ids %q %q: want a kind letter and 16 hex digits", a, s)
	}
	if a[1:] == s[1:] || strings.HasPrefix(s[1:], a[1:Short]) {
		t.Errorf("story id %q repeats its founder's digits %q", s, a)
	}
	if ArticleID(PathKey("/x")) == ArticleID(URLKey("/x")) {
		t.Error("keys of different kinds collide")
	}
	if LineKey("/f.jsonl", []byte("x")) == LineKey("/f.jsonl", []byte("y")) {
		t.Error("lines with different content share a key")
	}
	if got := ShortID(a); len(got) != Short || !strings.HasPrefix(a, got) {
		t.Errorf("ShortID(%q) = %q", a, got)
	}
}

func TestKeyPath(t *testing.T) {
	tests := []struct{ key, want string }{
		{PathKey("/data/a.txt"), "/data/a.txt"},
		{LineKey("/data/feed#1.jsonl", []byte("x")), "/data/feed#1.jsonl"},
		{URLKey("https://example.org/a"), ""},
		{StdinKey([]byte("x")), ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := KeyPath(tt.key); got != tt.want {
			t.Errorf("KeyPath(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// FuzzNormalizeURL: normalising never panics and is idempotent.
func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://Example.com:443/a?utm_x=1&b=2#f", "http://[::1]:80", "https://example.com/%zz", "https://a.example/?q=%20&q="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := NormalizeURL(raw)
		if err != nil {
			return
		}
		again, err := NormalizeURL(u)
		if err != nil || again != u {
			t.Errorf("NormalizeURL not idempotent: %q → %q → %q (%v)", raw, u, again, err)
		}
	})
}

func TestWebLink(t *testing.T) {
	base, _ := url.Parse("https://tidewater.example/news/feed.xml")
	tests := []struct {
		base *url.URL
		link string
		want string
	}{
		{base, "/local/ferry", "https://tidewater.example/local/ferry"},
		{base, "item/2", "https://tidewater.example/news/item/2"},
		{base, "https://other.example/a", "https://other.example/a"},
		{base, "javascript:alert(1)", ""},
		{base, "mailto:desk@tidewater.example", ""},
		{nil, "/relative/without/base", ""},
		{nil, "http://ok.example/x", "http://ok.example/x"},
		{base, "", ""},
		{base, "http://%zz", ""},
	}
	for _, tt := range tests {
		if got := WebLink(tt.base, tt.link); got != tt.want {
			t.Errorf("WebLink(%v, %q) = %q, want %q", tt.base, tt.link, got, tt.want)
		}
	}
}
