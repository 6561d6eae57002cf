package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/fetch"
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/warc"
)

func site(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "site", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// newSite serves the fixture site.
func newSite(t testing.TB) *httptest.Server {
	routes := map[string]string{
		"/feed.xml":                 "feed.xml",
		"/sitemap.xml":              "index.xml",
		"/sitemaps/news.xml":        "news.xml",
		"/news/2026/03/lock-gates":  "article.html",
		"/news/2026/03/towpath":     "second.html",
		"/clips/lock-gates":         "video.html",
		"/canals-hub":               "collection.html",
		"/old/lock-gates-reopening": "redirect",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := routes[r.URL.Path]
		switch {
		case !ok:
			http.NotFound(w, r)
			return
		case name == "redirect":
			http.Redirect(w, r, "/news/2026/03/lock-gates", http.StatusMovedPermanently)
			return
		}
		data := site(t, name)
		etag := fmt.Sprintf(`"%x"`, len(data))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if strings.HasSuffix(name, ".html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "application/xml")
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func testOptions() Options {
	o := DefaultOptions()
	o.Fetch.AllowPrivate = true // the test site is on loopback
	o.Fetch.Rate, o.Fetch.Burst, o.Fetch.PerHost = 1000, 100, 4
	o.Fetch.Backoff = time.Millisecond
	o.Fetch.Retries = 0
	return o
}

// collect reads inputs and returns their documents and problems.
func collect(t *testing.T, files ...source.File) ([]source.Document, []source.Problem) {
	t.Helper()
	var docs []source.Document
	var problems []source.Problem
	for _, f := range files {
		err := source.Read(context.Background(), f, nil, func(d source.Document) error {
			docs = append(docs, d)
			return nil
		}, func(p source.Problem) { problems = append(problems, p) })
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs, problems
}

// brief is what a test states of a document.
type brief struct {
	Source, Key, Title, Published, Outlet, Language string
	Authors, Categories                             []string
	Via                                             string
	Captured                                        time.Time
}

func briefs(docs []source.Document, base string) []brief {
	var out []brief
	for _, d := range docs {
		out = append(out, brief{
			Source: strings.TrimPrefix(d.Source, base), Key: strings.TrimPrefix(d.Key, "url:"+base),
			Title: d.Record.Title, Published: d.Record.Published, Outlet: d.Record.Outlet, Language: d.Record.Language,
			Authors: d.Record.Authors, Categories: d.Hints.Categories, Via: strings.TrimPrefix(d.Hints.Via, base), Captured: d.Hints.Captured,
		})
	}
	return out
}

func TestFeedAndSitemap(t *testing.T) {
	srv := newSite(t)
	base := srv.URL
	lock := brief{Source: "/news/2026/03/lock-gates?utm_source=rss", Key: "/news/2026/03/lock-gates", Title: "Lock gates at Fenwick reopen after a month",
		Published: "2026-03-09T11:00:00Z", Authors: []string{"Tamsin Reed"}, Categories: []string{"Canals"}, Via: "/feed.xml"}
	towFeed := brief{Source: "/news/2026/03/towpath", Key: "/news/2026/03/towpath", Title: "Towpath cycle lane plan goes to consultation",
		Published: "2026-03-10T08:00:00Z", Via: "/feed.xml"}
	towMap := brief{Source: "/news/2026/03/towpath", Key: "/news/2026/03/towpath", Title: "Towpath cycle lane plan goes to consultation",
		Published: "2026-03-10T08:00:00Z", Outlet: "Marsh Gazette", Language: "en", Via: "/sitemaps/news.xml"}
	tests := []struct {
		name         string
		inputs       []string
		want         []brief
		wantProblems []string
		wantCounts   Counts
	}{
		{
			name: "feed", inputs: []string{"/feed.xml"},
			want:         []brief{lock, towFeed},
			wantProblems: []string{"/news/2026/03/withdrawn: HTTP 404 Not Found"},
			wantCounts:   Counts{NotArticles: map[string]int{KindTag: 1, KindVideo: 1, KindSection: 1}, ArchiveSkipped: map[string]int{}, Fetched: 4},
		},
		{
			name: "sitemap index", inputs: []string{"/sitemap.xml"},
			want:       []brief{towMap},
			wantCounts: Counts{NotArticles: map[string]int{KindAuthor: 1}, ArchiveSkipped: map[string]int{}, Fetched: 1},
		},
		{
			name: "the same item from a feed and a sitemap is fetched once", inputs: []string{"/feed.xml", "/sitemap.xml"},
			want:         []brief{lock, towFeed},
			wantProblems: []string{"/news/2026/03/withdrawn: HTTP 404 Not Found"},
			wantCounts:   Counts{NotArticles: map[string]int{KindTag: 1, KindVideo: 1, KindSection: 1, KindAuthor: 1}, ArchiveSkipped: map[string]int{}, Fetched: 4, Repeated: 1},
		},
		{
			name: "a page URL, redirected", inputs: []string{"/old/lock-gates-reopening"},
			want:       []brief{{Source: "/old/lock-gates-reopening", Key: "/news/2026/03/lock-gates", Title: ""}},
			wantCounts: Counts{NotArticles: map[string]int{}, ArchiveSkipped: map[string]int{}, Fetched: 1},
		},
		{
			name: "a missing URL", inputs: []string{"/nowhere"},
			wantProblems: []string{"/nowhere: HTTP 404 Not Found"},
			wantCounts:   Counts{NotArticles: map[string]int{}, ArchiveSkipped: map[string]int{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(testOptions())
			defer c.Close()
			var files []source.File
			for _, in := range tt.inputs {
				files = append(files, c.URL(base+in))
			}
			docs, problems := collect(t, files...)
			got := briefs(docs, base)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("documents:\n got %+v\nwant %+v", got, tt.want)
			}
			var ps []string
			for _, p := range problems {
				ps = append(ps, strings.TrimPrefix(p.Error(), base))
			}
			if !slices.Equal(ps, tt.wantProblems) {
				t.Errorf("problems = %q, want %q", ps, tt.wantProblems)
			}
			if counts := c.Counts(); !reflect.DeepEqual(counts, tt.wantCounts) {
				t.Errorf("counts = %+v, want %+v", counts, tt.wantCounts)
			}
			for _, d := range docs {
				if d.Format != source.Record || !strings.Contains(d.Record.HTML, "<article>") || d.Digest == "" {
					t.Errorf("%s: not a record with its page and a digest", d.Source)
				}
			}
		})
	}
}

func TestConditionalPoll(t *testing.T) {
	srv := newSite(t)
	c := New(testOptions())
	defer c.Close()
	docs, _ := collect(t, c.URL(srv.URL+"/feed.xml"))
	if len(docs) != 2 {
		t.Fatalf("first poll: %d documents, want 2", len(docs))
	}
	docs, problems := collect(t, c.URL(srv.URL+"/feed.xml"))
	if len(docs) != 0 || len(problems) != 0 || c.Counts().NotModified != 1 {
		t.Errorf("second poll: %d documents, %v, counts %+v; want nothing and one not modified", len(docs), problems, c.Counts())
	}
}

func TestFeedFile(t *testing.T) {
	srv := newSite(t)
	dir := t.TempDir()
	// A saved feed with absolute links to the test site.
	data := bytes.ReplaceAll(site(t, "feed.xml"), []byte("<link>/"), []byte("<link>"+srv.URL+"/"))
	path := filepath.Join(dir, "saved.rss")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c := New(testOptions())
	defer c.Close()
	files, problems := source.List([]string{dir})
	if len(problems) != 0 || len(files) != 1 || files[0].Format != source.Feed {
		t.Fatalf("List = %+v, %v; want the feed file", files, problems)
	}
	docs, _ := collect(t, c.Attach(files)...)
	if got := briefs(docs, srv.URL); len(got) != 2 || got[0].Via != path || got[0].Key != "/news/2026/03/lock-gates" {
		t.Errorf("documents = %+v, want the feed's two articles via %s", got, path)
	}
}

func TestGuardRefusesLoopback(t *testing.T) {
	srv := newSite(t)
	o := testOptions()
	o.Fetch.AllowPrivate = false
	c := New(o)
	defer c.Close()
	docs, problems := collect(t, c.URL(srv.URL+"/feed.xml"))
	if len(docs) != 0 || len(problems) != 1 || !errors.Is(problems[0].Err, fetch.ErrForbiddenAddress) {
		t.Errorf("got %d documents and %v; want the feed refused", len(docs), problems)
	}
}

func TestWARC(t *testing.T) {
	captured := time.Date(2026, 3, 11, 2, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	w := warc.NewWriter(&b, true)
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteRecord("warcinfo", "", captured, "application/warc-fields", []byte("software: test\r\n")))
	must(w.WriteResponse("https://marsh-gazette.example/news/2026/03/lock-gates", captured, 200, html, site(t, "article.html")))
	must(w.WriteResponse("https://marsh-gazette.example/clips/lock-gates", captured, 200, html, site(t, "video.html")))
	must(w.WriteResponse("https://marsh-gazette.example/tag/canals", captured, 200, html, site(t, "collection.html")))
	must(w.WriteResponse("https://marsh-gazette.example/style.css", captured, 200, http.Header{"Content-Type": {"text/css"}}, []byte("p{}")))
	must(w.WriteRecord("resource", "file:///home/crawler/saved.html", captured, "text/html", site(t, "second.html")))
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	must(os.WriteFile(path, b.Bytes(), 0o644))

	c := New(testOptions())
	defer c.Close()
	files, problems := source.List([]string{path})
	if len(problems) != 0 || len(files) != 1 || files[0].Format != source.WARC {
		t.Fatalf("List = %+v, %v; want the archive", files, problems)
	}
	docs, problems := collect(t, c.Attach(files)...)
	want := []brief{{Key: "https://marsh-gazette.example/news/2026/03/lock-gates", Via: path, Captured: captured},
		{Key: "line:" + path + "#" + ident.ContentHash(site(t, "second.html")), Via: path, Captured: captured}}
	got := briefs(docs, "")
	for i := range got {
		got[i].Source = ""
	}
	if !reflect.DeepEqual(got, want) || len(problems) != 0 {
		t.Errorf("documents = %+v, problems %v; want %+v", got, problems, want)
	}
	if len(docs) > 0 && docs[0].Record.Published != "" {
		t.Errorf("published = %q: the capture date is no publication date", docs[0].Record.Published)
	}
	wantCounts := Counts{NotArticles: map[string]int{KindVideo: 1, KindTag: 1}, ArchiveSkipped: map[string]int{warc.SkipType: 1, warc.SkipMIME: 1}, ArchivePages: 4}
	if counts := c.Counts(); !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("counts = %+v, want %+v", counts, wantCounts)
	}
	// A cut archive keeps what came before the cut and names the file.
	cut := filepath.Join(t.TempDir(), "cut.warc.gz")
	must(os.WriteFile(cut, b.Bytes()[:b.Len()-40], 0o644))
	docs, problems = collect(t, New(testOptions()).WARC(cut))
	if len(docs) != 1 || len(problems) != 1 || problems[0].Source != cut {
		t.Errorf("cut archive: %d documents, problems %v; want 1 and the file named", len(docs), problems)
	}
}

func TestListingKind(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"https://a.example/", KindFront},
		{"https://a.example", KindFront},
		{"https://a.example/index.html", KindFront},
		{"https://a.example/?page=2", KindFront},
		{"https://a.example/?p=123", ""},
		{"https://a.example/index.php?id=30&item=477", ""},
		{"https://a.example/tag/harbour", KindTag},
		{"https://a.example/tags/harbour/page/2", KindTag},
		{"https://a.example/news/topics/weather", KindTag},
		{"https://a.example/author/jane-doe", KindAuthor},
		{"https://a.example/section/sport", KindSection},
		{"https://a.example/gallery/2026/03/floods", KindGallery},
		{"https://a.example/video/2026/03/floods-clip", KindVideo},
		{"https://a.example/podcasts/episode-4", KindAudio},
		{"https://a.example/search?q=ferry", KindSearch},
		{"https://a.example/news/2026/03/video-shows-flood", ""},
		{"https://a.example/news/2026/03/tag-day-raises-funds", ""},
		{"https://a.example/news/author-wins-prize", ""},
		{"https://a.example/news/video", ""},
		{"https://a.example/tag/harbour/2026/03/long-article-slug", ""},
	}
	for _, tt := range tests {
		if got := ListingKind(tt.url); got != tt.want {
			t.Errorf("ListingKind(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestPageKind(t *testing.T) {
	tests := []struct {
		name, page, want string
	}{
		{"article", string(site(t, "article.html")), ""},
		{"video og:type", string(site(t, "video.html")), KindVideo},
		{"collection", string(site(t, "collection.html")), KindSection},
		{"profile", `<head><meta property="og:type" content="profile"></head>`, KindAuthor},
		{"gallery in a graph", `<head><script type="application/ld+json">{"@graph":[{"@type":"WebSite"},{"@type":"ImageGallery"}]}</script></head>`, KindGallery},
		{"article with a video wins", `<head><script type="application/ld+json">[{"@type":"NewsArticle"},{"@type":"VideoObject"}]</script></head>`, ""},
		{"nothing said", `<html><body><p>text</p></body></html>`, ""},
		{"broken JSON-LD", `<head><script type="application/ld+json">{"@type":</script></head>`, ""},
	}
	for _, tt := range tests {
		if got := PageKind([]byte(tt.page)); got != tt.want {
			t.Errorf("%s: PageKind = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPolls: a later poll fetches a feed item again only when its guid or
// times changed, and pages listed by no feed item each time.
func TestPolls(t *testing.T) {
	srv := newSite(t)
	c := New(testOptions())
	defer c.Close()
	if docs, _ := collect(t, c.URL(srv.URL+"/feed.xml")); len(docs) != 2 {
		t.Fatalf("first poll: %d documents, want 2", len(docs))
	}
	c.NewPoll()
	// Forget the feed's validators so that it is read again in full.
	c.SetValidators(srv.URL+"/feed.xml", Validators{})
	docs, _ := collect(t, c.URL(srv.URL+"/feed.xml"))
	n := c.Counts()
	// The two items with a guid and a date are passed over unfetched.
	if len(docs) != 0 || n.ItemsUnchanged != 2 {
		t.Errorf("second poll: %d documents, counts %+v; want none and 2 items unchanged", len(docs), n)
	}
	c.NewPoll()
	if docs, _ := collect(t, c.URL(srv.URL+"/old/lock-gates-reopening")); len(docs) != 1 {
		t.Errorf("a page URL in a new poll: %d documents, want 1", len(docs))
	}
}

func FuzzPageKind(f *testing.F) {
	for _, name := range []string{"article.html", "video.html", "collection.html"} {
		f.Add(site(f, name))
	}
	f.Add([]byte(`<script type="application/ld+json">[[[{"@graph":{"@type":["ImageGallery",3]}}]]]</script>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		k := PageKind(page)
		switch k {
		case "", KindSection, KindAuthor, KindGallery, KindVideo, KindAudio, KindSearch:
		default:
			t.Fatalf("PageKind = %q, no kind of page", k)
		}
		_ = canonicalLink(page)
	})
}

func FuzzListingKind(f *testing.F) {
	f.Add("https://a.example/tag/harbour/page/2")
	f.Add("https://a.example/news/2026/03/lock-gates?utm_source=rss")
	f.Add("http://[::1]:80/%zz")
	f.Fuzz(func(t *testing.T, u string) {
		// A listing's address stays one when a query is added to it.
		if k := ListingKind(u); k != "" && k != KindFront && !strings.Contains(u, "?") && !strings.Contains(u, "#") {
			if got := ListingKind(u + "?ref=x"); got != k {
				t.Fatalf("ListingKind(%q) = %q but with a query %q", u, k, got)
			}
		}
	})
}
