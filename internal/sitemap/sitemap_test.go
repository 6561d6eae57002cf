package sitemap

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func TestParse(t *testing.T) {
	cet := time.FixedZone("", 3600)
	news := Sitemap{Entries: []Entry{
		{Loc: "https://harbour-ledger.example/news/2026/03/ferry-timetable", LastMod: time.Date(2026, 3, 2, 10, 0, 0, 0, cet),
			News: &News{Publication: "The Harbour Ledger", Language: "en", Title: "Ferry timetable changes after pier repairs",
				Published: time.Date(2026, 3, 2, 9, 30, 0, 0, cet), Keywords: []string{"ferry", "pier", "transport"}}},
		{Loc: "https://harbour-ledger.example/news/2026/03/market-hall", LastMod: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)},
	}}
	index := Sitemap{Index: true, Entries: []Entry{
		{Loc: "https://harbour-ledger.example/sitemaps/news.xml", LastMod: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)},
		{Loc: "https://harbour-ledger.example/sitemaps/2026-02.xml.gz"},
	}}
	tests := []struct {
		name string
		data []byte
		want Sitemap
	}{
		{"news", read(t, "news.xml"), news},
		{"news gzipped", gz(read(t, "news.xml")), news},
		{"index", read(t, "index.xml"), index},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.data, "https://harbour-ledger.example/sitemap.xml")
			if err != nil {
				t.Fatal(err)
			}
			if !Is(tt.data) && tt.data[0] == '<' {
				t.Error("Is = false")
			}
			if len(got.Entries) != len(tt.want.Entries) || got.Index != tt.want.Index {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got.Entries {
				g, w := got.Entries[i], tt.want.Entries[i]
				if !g.LastMod.Equal(w.LastMod) {
					t.Errorf("entry %d lastmod = %v, want %v", i, g.LastMod, w.LastMod)
				}
				if (g.News == nil) != (w.News == nil) {
					t.Fatalf("entry %d news = %+v, want %+v", i, g.News, w.News)
				}
				if g.News != nil {
					if !g.News.Published.Equal(w.News.Published) {
						t.Errorf("entry %d published = %v, want %v", i, g.News.Published, w.News.Published)
					}
					gn, wn := *g.News, *w.News
					gn.Published, wn.Published = time.Time{}, time.Time{}
					if !reflect.DeepEqual(gn, wn) {
						t.Errorf("entry %d news = %+v, want %+v", i, gn, wn)
					}
				}
				if g.Loc != w.Loc {
					t.Errorf("entry %d loc = %q, want %q", i, g.Loc, w.Loc)
				}
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"rss", `<rss version="2.0"><channel></channel></rss>`},
		{"html", `<html><body>hi</body></html>`},
		{"empty", ``},
		{"bad gzip", "\x1f\x8b\x08garbage"},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.data), ""); err == nil {
			t.Errorf("%s: got no error", tt.name)
		}
	}
	// A cut sitemap reports the cut and keeps what came before it.
	cut := read(t, "news.xml")
	cut = cut[:bytes.Index(cut, []byte("<url>\n    <loc>/news"))+30]
	sm, err := Parse(cut, "https://harbour-ledger.example/")
	if err == nil || len(sm.Entries) != 1 {
		t.Errorf("cut sitemap: %d entries, err %v; want 1 entry and an error", len(sm.Entries), err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(read(f, "news.xml"))
	f.Add(read(f, "index.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, _ := Parse(data, "https://sitemaps.example/")
		for _, e := range sm.Entries {
			if e.Loc == "" {
				t.Fatal("entry without a location")
			}
		}
	})
}
