package warc

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var captured = time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC)

// archive writes the fixture pages and the records a crawl also holds.
func archive(t testing.TB, gz bool) []byte {
	t.Helper()
	page, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := NewWriter(&b, gz)
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(page)
	zw.Close()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteRecord("warcinfo", "", captured, "application/warc-fields", []byte("software: test\r\n")))
	must(w.WriteRecord("request", "https://tidewater-post.example/news/quay", captured, "application/http; msgtype=request", []byte("GET /news/quay HTTP/1.1\r\nHost: tidewater-post.example\r\n\r\n")))
	must(w.WriteResponse("https://tidewater-post.example/news/quay", captured, 200, html, page))
	must(w.WriteResponse("https://tidewater-post.example/old", captured, 301, http.Header{"Location": {"/news/quay"}}, nil))
	must(w.WriteResponse("https://tidewater-post.example/logo.png", captured, 200, http.Header{"Content-Type": {"image/png"}}, []byte("\x89PNG....")))
	must(w.WriteResponse("https://tidewater-post.example/news/zipped", captured.Add(time.Hour), 200,
		http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}, zipped.Bytes()))
	must(w.WriteRecord("metadata", "https://tidewater-post.example/news/quay", captured, "application/warc-fields", []byte("outlinks: none\r\n")))
	must(w.WriteRecord("resource", "https://tidewater-post.example/saved", captured, "text/html", page))
	return b.Bytes()
}

func TestRead(t *testing.T) {
	page, _ := os.ReadFile(filepath.Join("testdata", "page.html"))
	wantStats := Stats{Records: 8, Pages: 3, Skipped: map[string]int{SkipType: 3, SkipStatus: 1, SkipMIME: 1}}
	wantURIs := []string{"https://tidewater-post.example/news/quay", "https://tidewater-post.example/news/zipped", "https://tidewater-post.example/saved"}
	for _, gz := range []bool{false, true} {
		var uris []string
		st, err := Read(context.Background(), bytes.NewReader(archive(t, gz)), DefaultOptions(), func(p Page) error {
			uris = append(uris, p.TargetURI)
			if !bytes.Equal(p.Body, page) {
				t.Errorf("gzip %v: %s: body differs (%d bytes)", gz, p.TargetURI, len(p.Body))
			}
			if p.Captured.IsZero() {
				t.Errorf("%s: no capture date", p.TargetURI)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("gzip %v: %v", gz, err)
		}
		if !reflect.DeepEqual(st, wantStats) {
			t.Errorf("gzip %v: stats = %+v, want %+v", gz, st, wantStats)
		}
		if !reflect.DeepEqual(uris, wantURIs) {
			t.Errorf("gzip %v: pages = %v, want %v", gz, uris, wantURIs)
		}
	}
}

func TestReadBroken(t *testing.T) {
	whole := archive(t, false)
	cut := whole[:len(whole)-200] // inside the last record
	tests := []struct {
		name      string
		data      []byte
		wantErr   string
		wantPages int
	}{
		{"truncated", cut, "offset", 2},
		{"not a WARC", []byte("<html>just a page</html>"), "not a WARC", 0},
		{"size limit", whole, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := DefaultOptions()
			if tt.name == "size limit" {
				opt.MaxBody = 10
			}
			pages := 0
			st, err := Read(context.Background(), bytes.NewReader(tt.data), opt, func(Page) error { pages++; return nil })
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if st.Skipped[SkipTooLarge] != 3 {
					t.Errorf("skipped = %v, want 3 over the limit", st.Skipped)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
			}
			if pages != tt.wantPages {
				t.Errorf("pages = %d, want %d", pages, tt.wantPages)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add(archive(f, false))
	f.Add(archive(f, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := Options{MaxBody: 1 << 20}
		st, _ := Read(context.Background(), bytes.NewReader(data), opt, func(p Page) error {
			if int64(len(p.Body)) > opt.MaxBody {
				t.Fatalf("body of %d bytes over the limit", len(p.Body))
			}
			return nil
		})
		skipped := 0
		for _, n := range st.Skipped {
			skipped += n
		}
		if st.Pages+skipped != st.Records {
			t.Fatalf("pages %d + skipped %d != records %d", st.Pages, skipped, st.Records)
		}
	})
}
