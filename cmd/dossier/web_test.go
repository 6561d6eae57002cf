package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/warc"
)

// webSite serves the fixture outlet on loopback.
func webSite(t *testing.T) *httptest.Server {
	routes := map[string]string{
		"/feed.xml":          "feed.xml",
		"/local/night-buses": "night-buses.html",
		"/local/late-frost":  "late-frost.html",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join("testdata", "web", name))
		if err != nil {
			t.Error(err)
			return
		}
		if strings.HasSuffix(name, ".html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		} else {
			w.Header().Set("ETag", `"feed-1"`)
			if r.Header.Get("If-None-Match") == `"feed-1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestIngestWeb(t *testing.T) {
	srv := webSite(t)
	db := filepath.Join(t.TempDir(), "d.db")
	list := filepath.Join(t.TempDir(), "urls.txt")
	if err := os.WriteFile(list, []byte("# the outlet's feed\n"+srv.URL+"/feed.xml\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string
		wantStderr string
	}{
		{name: "the guard refuses loopback", args: []string{"ingest", srv.URL + "/feed.xml"}, wantCode: 3,
			wantStderr: "skipped " + srv.URL + "/feed.xml: 127.0.0.1: address is not public (use --allow-private to allow it)\n"},
		{name: "a feed", args: []string{"ingest", "--allow-private", srv.URL + "/feed.xml"},
			wantOut: []string{"read 2, new 2, ", "fetched 2, not articles 1 (section page 1)"}},
		{name: "the same feed again changes nothing", args: []string{"ingest", "--allow-private", "--urls", list},
			wantOut: []string{"read 2, new 0, updated 0, unchanged 2, "}},
		// Read without the feed's hints, the page is the same article,
		// its metadata now the page's own.
		{name: "a page already stored through the feed", args: []string{"ingest", "--allow-private", srv.URL + "/local/night-buses"},
			wantOut: []string{"read 1, new 0, updated 1, unchanged 0, "}},
		{name: "a missing page", args: []string{"ingest", "--allow-private", srv.URL + "/local/gone"}, wantCode: 3,
			wantStderr: "skipped " + srv.URL + "/local/gone: HTTP 404 Not Found\n"},
		{name: "a bad --urls line", args: []string{"ingest", "--urls", filepath.Join("testdata", "web", "feed.xml")}, wantCode: 2,
			wantStderr: "is no http or https URL"},
		{name: "a bad --rate", args: []string{"ingest", "--rate", "-1", srv.URL}, wantCode: 2, wantStderr: "--rate must be above 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Fast enough for a test; the default is one request a second.
			args := tt.args
			if tt.wantCode != 2 {
				args = append(args, "--rate", "100")
			}
			code, out, errOut := runCLI(t, db, args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.wantCode, out, errOut)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, errOut)
			}
		})
	}
	// The feed's date and author are the article's, and its URL the page's.
	db = filepath.Join(t.TempDir(), "e.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--allow-private", "--rate", "100", srv.URL+"/feed.xml"); code != 0 {
		t.Fatalf("ingest: %d %s%s", code, out, errOut)
	}
	dir := filepath.Join(t.TempDir(), "x")
	if code, out, errOut := runCLI(t, db, "export", "--out", dir); code != 0 {
		t.Fatalf("export: %d %s%s", code, out, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var a struct {
			URL, Published string
			Authors        []string
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		if a.URL == srv.URL+"/local/night-buses" {
			found = true
			if a.Published != "2026-03-11T19:00:00+00:00" || len(a.Authors) != 1 || a.Authors[0] != "Rhoda Fenn" {
				t.Errorf("published %q, authors %q; want the feed's", a.Published, a.Authors)
			}
		}
	}
	if !found {
		t.Errorf("no article with the page's URL in\n%s", data)
	}
}

func TestIngestWARC(t *testing.T) {
	var b bytes.Buffer
	w := warc.NewWriter(&b, true)
	captured := time.Date(2026, 3, 14, 3, 0, 0, 0, time.UTC)
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	for _, p := range []struct{ uri, file string }{
		{"https://brackwater-star.example/local/night-buses", "night-buses.html"},
		{"https://brackwater-star.example/local/late-frost", "late-frost.html"},
		{"https://brackwater-star.example/tag/orchards", "late-frost.html"},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "web", p.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteResponse(p.uri, captured, 200, html, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteRecord("request", "https://brackwater-star.example/local/late-frost", captured, "application/http; msgtype=request", []byte("GET / HTTP/1.1\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "crawl.warc.gz")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "d.db")
	code, out, errOut := runCLI(t, db, "ingest", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"read 2, new 2, ", "archived pages 3, not articles 1 (tag page 1), archive records skipped 1 (not a response 1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	// Read again, the archive changes nothing.
	code, out, errOut = runCLI(t, db, "ingest", dir)
	if code != 0 || !strings.Contains(out, "read 2, new 0, updated 0, unchanged 2, ") {
		t.Errorf("second ingest (exit %d) should change nothing:\n%s%s", code, out, errOut)
	}
	// Undated pages stay undated: the capture date is not taken.
	code, out, _ = runCLI(t, db, "search", "frost")
	if code != 0 || strings.Contains(out, "2026-03-14") {
		t.Errorf("search (exit %d) shows the capture date as a publication date:\n%s", code, out)
	}
}

func TestSourcesAndWatch(t *testing.T) {
	srv := webSite(t)
	db := filepath.Join(t.TempDir(), "d.db")
	feed, gone := srv.URL+"/feed.xml", srv.URL+"/gone.xml"
	fetch := []string{"--allow-private", "--rate", "100"}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // in stdout, in order
		wantErr  string   // in stderr
	}{
		{name: "list before any", args: []string{"sources", "list"}, want: []string{"no sources yet: dossier sources add URL...\n"}},
		{name: "watch without sources", args: append([]string{"watch", "--once"}, fetch...), wantCode: 1, wantErr: "no sources to watch"},
		{name: "add", args: []string{"sources", "add", feed, gone}, want: []string{"added " + feed + "\n", "added " + gone + "\n"}},
		{name: "add again", args: []string{"sources", "add", feed}, want: []string{"already watched: " + feed + "\n"}},
		{name: "add no URL", args: []string{"sources", "add", "feed.xml"}, wantCode: 2, wantErr: "is no http or https URL"},
		{name: "unknown action", args: []string{"sources", "poll"}, wantCode: 2, wantErr: "no action \"poll\""},
		{name: "first poll", args: append([]string{"watch", "--once"}, fetch...), wantCode: 3,
			want:    []string{"polled 2 sources: read 2, new 2, updated 0, unchanged 0, duplicates 0, failed 1; fetched 2, not articles 1 (section page 1)"},
			wantErr: "skipped " + gone + ": HTTP 404 Not Found\n"},
		{name: "list after a poll", args: []string{"sources", "list"},
			want: []string{"URL", "LAST POLL", feed, " ok ", "2\n", gone, " failed ", "0  HTTP 404 Not Found\n"}},
		{name: "second poll: the feed is unchanged", args: append([]string{"watch", "--once"}, fetch...), wantCode: 3,
			want: []string{"polled 2 sources: read 0, new 0, updated 0, unchanged 0, duplicates 0, failed 1; feeds unchanged 1"}},
		{name: "list shows unchanged", args: []string{"sources", "list"}, want: []string{feed, " unchanged ", "0\n"}},
		{name: "rm", args: []string{"sources", "rm", gone}, want: []string{"removed " + gone + "\n"}},
		{name: "rm again", args: []string{"sources", "rm", gone}, wantCode: 3, wantErr: "not watched: " + gone + "\n"},
		{name: "poll the rest", args: append([]string{"watch", "--once"}, fetch...), want: []string{"polled 1 source: read 0, new 0, "}},
		{name: "bad --every", args: []string{"watch", "--every", "10ms"}, wantCode: 2, wantErr: "--every must be at least 1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, db, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.wantCode, out, errOut)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stdout lacks %q (in order):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, errOut)
			}
		})
	}
}

func TestIsListingFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"record.json":  `{"title": "Kelp farm expands", "text": "The farm off Saltmere will double in size."}` + "\n",
		"feed.json":    `{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []}`,
		"sitemap.xml":  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`,
		"page.xml":     `<?xml version="1.0"?><html><body>no listing</body></html>`,
		"notes.txt":    "<rss version=\"2.0\"></rss>",
		"feed.xml":     `<rss version="2.0"><channel><title>T</title></channel></rss>`,
		"missing.json": "",
	}
	want := map[string]bool{"feed.json": true, "sitemap.xml": true, "feed.xml": true}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if name != "missing.json" {
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got := isListingFile(path); got != want[name] {
			t.Errorf("isListingFile(%s) = %v, want %v", name, got, want[name])
		}
	}
}

// TestFeedThenArchive: a page read through a feed and then from an archive
// that captured it at the same address is one article.
func TestFeedThenArchive(t *testing.T) {
	srv := webSite(t)
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--allow-private", "--rate", "100", srv.URL+"/feed.xml"); code != 0 || !strings.Contains(out, "new 2,") {
		t.Fatalf("feed: exit %d\n%s%s", code, out, errOut)
	}
	var b bytes.Buffer
	w := warc.NewWriter(&b, false)
	for _, p := range []struct{ path, file string }{{"/local/night-buses", "night-buses.html"}, {"/local/late-frost", "late-frost.html"}} {
		data, err := os.ReadFile(filepath.Join("testdata", "web", p.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteResponse(srv.URL+p.path, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), 200, http.Header{"Content-Type": {"text/html"}}, data); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "later.warc")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, db, "ingest", path)
	if m := summaryLine.FindStringSubmatch(out); code != 0 || m == nil || m[1] != "2" || m[2] != "0" {
		t.Errorf("archive after feed (exit %d): want 2 read and none new\n%s%s", code, out, errOut)
	}
}

// TestRmMissingKeepsWebPages: a page fetched from the web has no file, so
// rm --missing leaves it, and rm --source takes an archive's pages.
func TestRmMissingKeepsWebPages(t *testing.T) {
	srv := webSite(t)
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--allow-private", "--rate", "100", srv.URL+"/local/night-buses"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, db, "rm", "--missing")
	if strings.Contains(out, "removed 1") {
		t.Errorf("rm --missing removed the fetched page (exit %d):\n%s%s", code, out, errOut)
	}
	var b bytes.Buffer
	w := warc.NewWriter(&b, true)
	data, err := os.ReadFile(filepath.Join("testdata", "web", "late-frost.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteResponse("https://brackwater-star.example/local/late-frost", time.Now(), 200, http.Header{"Content-Type": {"text/html"}}, data); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "one.warc.gz")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, db, "ingest", path); code != 0 {
		t.Fatalf("ingest archive: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, db, "rm", "--source", path)
	if code != 0 || !strings.Contains(out, "removed 1 article") {
		t.Errorf("rm --source of the archive (exit %d):\n%s%s", code, out, errOut)
	}
}

// A page of a watched feed that fails makes a --once poll exit 3, as a
// bad input does for ingest; the feed's other pages are stored.
func TestWatchOncePageFailed(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "web", "night-buses.html"))
	if err != nil {
		t.Fatal(err)
	}
	var base string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Pier Notes</title>
<item><title>Buses</title><link>%[1]s/buses</link></item>
<item><title>Gone</title><link>%[1]s/gone</link></item></channel></rss>`, base)
		case "/buses":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	base = srv.URL
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "sources", "add", base+"/feed.xml"); code != 0 {
		t.Fatalf("sources add: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, db, "watch", "--once", "--allow-private", "--rate", "100")
	if code != 3 || !strings.Contains(out, "read 1, new 1,") || !strings.Contains(out, "failed 1") {
		t.Errorf("exit %d, want 3:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "skipped "+base+"/gone: HTTP 404") || !strings.Contains(errOut, "0 sources and 1 page failed") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

// TestWatchRemembersItems: the items a feed listed are remembered in the
// store, so that the next run, a fresh process, fetches only an item that
// is new or changed when the feed itself has changed; an ingest of the
// watched feed fetches none of them again.
func TestWatchRemembersItems(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "web", "night-buses.html"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	hits := map[string]int{}
	version := 1
	var base string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		hits[r.URL.Path]++
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("ETag", fmt.Sprintf(`"v%d"`, version))
			// In the second version b is updated (a new date) and c is new.
			bDate := map[int]string{1: "Wed, 11 Mar 2026 19:00:00 GMT", 2: "Thu, 12 Mar 2026 08:00:00 GMT"}[version]
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Pier Notes</title>
<item><title>One</title><link>%[1]s/a</link><guid>a</guid></item>
<item><title>Two</title><link>%[1]s/b</link><guid>b</guid><pubDate>%[2]s</pubDate></item>`, base, bDate)
			if version > 1 {
				fmt.Fprintf(w, `<item><title>Three</title><link>%[1]s/c</link><guid>c</guid></item>`, base)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case "/a", "/b", "/c":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			// Each page its own words, so that none is a copy of another.
			w.Write(bytes.Replace(page, []byte("<body>"), []byte("<body><p>Notice "+r.URL.Path+" of the pier office.</p>"), 1))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	base = srv.URL
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "sources", "add", base+"/feed.xml"); code != 0 {
		t.Fatalf("sources add: exit %d\n%s%s", code, out, errOut)
	}
	poll := func() {
		t.Helper()
		if code, out, errOut := runCLI(t, db, "watch", "--once", "--allow-private", "--rate", "100"); code != 0 {
			t.Fatalf("watch: exit %d\n%s%s", code, out, errOut)
		}
	}
	poll()
	mu.Lock()
	version = 2
	first := maps.Clone(hits)
	mu.Unlock()
	poll()
	// A one-shot ingest of the watched feed remembers as watch does.
	if code, out, errOut := runCLI(t, db, "ingest", "--allow-private", "--rate", "100", base+"/feed.xml"); code != 0 || !strings.Contains(out, "items unchanged 3") {
		t.Errorf("ingest of the watched feed: exit %d\n%s\n%s", code, out, errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	if first["/a"] != 1 || first["/b"] != 1 {
		t.Errorf("first poll fetched %v, want /a and /b once", first)
	}
	if hits["/a"] != 1 || hits["/b"] != 2 || hits["/c"] != 1 {
		t.Errorf("after the second poll %v: want /a still once, /b again (updated), /c once", hits)
	}
}
