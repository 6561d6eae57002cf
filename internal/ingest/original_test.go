package ingest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/ingest"
)

// TestOriginalIsWhatCameFirst: of a set of copies, the original is the
// earliest published; without dates, the one the others were cut from;
// else the first ingested, whatever order they arrive in.
func TestOriginalIsWhatCameFirst(t *testing.T) {
	recs := records(t)
	var port map[string]any
	if err := json.Unmarshal([]byte(recs["port"]), &port); err != nil {
		t.Fatal(err)
	}
	variant := func(outlet, url, published string, paragraphs int) string {
		r := map[string]any{}
		for k, v := range port {
			r[k] = v
		}
		r["outlet"], r["url"] = outlet, url
		if published != "" {
			r["published"] = published
		}
		if paragraphs > 0 {
			r["text"] = strings.Join(strings.Split(port["text"].(string), "\n\n")[:paragraphs], "\n\n")
		}
		b, _ := json.Marshal(r)
		return string(b)
	}
	const (
		harlow   = "Port workers strike over night shifts @Harlow Post"
		riverset = "Port workers strike over night shifts @Riverside Daily"
		tarn     = "Port workers strike over night shifts @Tarn Gazette"
	)
	tests := []struct {
		name  string
		lines map[string]string
		order []string
		want  map[string]string // article → what it copies ("" original)
	}{
		{
			name: "dated: the earliest published, arriving last",
			lines: map[string]string{
				"h": variant("Harlow Post", "https://harlow-post.example/port", "2026-02-03T08:00:00Z", 0),
				"r": variant("Riverside Daily", "https://riverside-daily.example/port", "2026-02-03T12:00:00Z", 0),
				"t": variant("Tarn Gazette", "https://tarn-gazette.example/port", "2026-02-03T10:30:00+01:00", 0),
			},
			order: []string{"r", "t", "h"},
			want:  map[string]string{harlow: "", riverset: harlow, tarn: harlow},
		},
		{
			name: "undated: the one the others were cut from",
			lines: map[string]string{
				"h": variant("Harlow Post", "https://harlow-post.example/port", "", 0),
				"r": variant("Riverside Daily", "https://riverside-daily.example/port", "", 2),
			},
			order: []string{"r", "h"},
			want:  map[string]string{harlow: "", riverset: harlow},
		},
		{
			name: "undated: a paragraph added does not make the copy the original",
			lines: map[string]string{
				"h": variant("Harlow Post", "https://harlow-post.example/port", "", 0),
				"r": withParagraph(variant("Riverside Daily", "https://riverside-daily.example/port", "", 0),
					"Traders at the Riverside fish market said deliveries had already slowed by Tuesday evening."),
			},
			order: []string{"h", "r"},
			want:  map[string]string{harlow: "", riverset: harlow},
		},
		{
			name: "undated, same text: the first ingested",
			lines: map[string]string{
				"h": variant("Harlow Post", "https://harlow-post.example/port", "", 0),
				"r": variant("Riverside Daily", "https://riverside-daily.example/port", "", 0),
			},
			order: []string{"r", "h"},
			want:  map[string]string{harlow: riverset, riverset: ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st := openStore(t)
			path := writeFeed(t, dir, "feed.jsonl", tt.lines, tt.order...)
			ingestOnce(t, st, ingest.DefaultConfig(), path)
			v := viewOf(t, st)
			var story string
			for k, want := range tt.want {
				got, ok := v[k]
				if !ok {
					t.Fatalf("%q not stored: %v", k, v)
				}
				if got.copyOf != want {
					t.Errorf("%q copies %q, want %q", k, got.copyOf, want)
				}
				if story != "" && got.story != story {
					t.Errorf("%q in story [%s], the others in [%s]", k, got.story, story)
				}
				story = got.story
			}
			// The original carries the quotes; its copies are not quoted twice.
			a, err := st.Article(t.Context(), v[originalOf(tt.want)].id)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Quotes) == 0 {
				t.Errorf("the original %s has no quotes", a.Outlet)
			}
			// A second run over the same inputs changes nothing.
			again := ingestOnce(t, st, ingest.DefaultConfig(), path)
			if again.New+again.Updated+again.Relinked != 0 {
				t.Errorf("second run: %+v", again)
			}
		})
	}
}

func originalOf(want map[string]string) string {
	for k, v := range want {
		if v == "" {
			return k
		}
	}
	return ""
}

// withParagraph adds a paragraph at the end of a record's text.
func withParagraph(line, paragraph string) string {
	var r map[string]any
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		panic(err)
	}
	r["text"] = r["text"].(string) + "\n\n" + paragraph
	b, _ := json.Marshal(r)
	return string(b)
}
