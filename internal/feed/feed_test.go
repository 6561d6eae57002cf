package feed

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		file, base string
		wantType   string
		wantTitle  string
		want       []Item
	}{
		{
			file: "rss.xml", base: "https://harbour-ledger.example/feeds/all.xml", wantType: "rss", wantTitle: "The Harbour Ledger",
			want: []Item{
				{Link: "https://harbour-ledger.example/news/2026/03/ferry-timetable", GUID: "hl-4411", Title: "Ferry timetable changes after pier repairs",
					Published: time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC), Authors: []string{"Oona Velt"}, Categories: []string{"Transport", "Local"}},
				{Link: "https://harbour-ledger.example/news/2026/03/market-hall", Title: "Relative link item", Published: time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC)},
				{Link: "https://harbour-ledger.example/news/2026/03/lighthouse", GUID: "https://harbour-ledger.example/news/2026/03/lighthouse", Title: "Guid as permalink"},
				{Link: "https://harbour-ledger.example/audio/episode-12", Title: "Harbour podcast, episode 12", Media: []string{"audio/mpeg"}},
			},
		},
		{
			file: "atom.xml", wantType: "atom", wantTitle: "Valley Courier",
			want: []Item{{Link: "https://valley-courier.example/stories/reservoir-levels", GUID: "urn:uuid:vc-0091", Title: "Reservoir levels rise after a wet week",
				Published: time.Date(2026, 3, 4, 6, 15, 0, 0, time.UTC), Updated: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC),
				Authors: []string{"Bram Oakes", "Ilse Marrow"}, Categories: []string{"Weather"}}},
		},
		{
			file: "feed.json", wantType: "json", wantTitle: "Northpoint Daily",
			want: []Item{{Link: "https://northpoint-daily.example/a/bridge-vote", GUID: "np-77", Title: "Council votes on the new footbridge",
				Published: time.Date(2026, 3, 5, 23, 0, 0, 0, time.UTC), Authors: []string{"Cass Whitlow"}, Categories: []string{"Council", "Bridges"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(data, tt.base)
			if err != nil {
				t.Fatal(err)
			}
			if f.Type != tt.wantType || f.Title != tt.wantTitle {
				t.Errorf("type, title = %q, %q; want %q, %q", f.Type, f.Title, tt.wantType, tt.wantTitle)
			}
			if len(f.Items) != len(tt.want) {
				t.Fatalf("got %d items, want %d: %+v", len(f.Items), len(tt.want), f.Items)
			}
			for i := range f.Items {
				got, want := f.Items[i], tt.want[i]
				if !got.Published.Equal(want.Published) || !got.Updated.Equal(want.Updated) {
					t.Errorf("item %d: published, updated = %v, %v; want %v, %v", i, got.Published, got.Updated, want.Published, want.Updated)
				}
				got.Published, got.Updated, want.Published, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("item %d:\n got %+v\nwant %+v", i, got, want)
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
		{"html", "<!doctype html><html><body>not a feed</body></html>"},
		{"empty", ""},
		{"text", "just words"},
		{"broken rss", "<rss version=\"2.0\"><channel><item><title>cut"},
		{"a JSONL record", `{"title": "Kelp farm expands", "text": "The farm will double in size."}`},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.data), ""); err == nil {
			t.Errorf("%s: got no error", tt.name)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"rss.xml", "atom.xml", "feed.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(data, "https://feeds.example/x")
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if it.Link == "" {
				t.Fatalf("item without a link: %+v", it)
			}
		}
	})
}
