package source

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func readAll(t *testing.T, paths []string, stdin string) (docs []Document, problems []Problem) {
	t.Helper()
	files, listProblems := List(paths)
	problems = append(problems, listProblems...)
	for _, f := range files {
		err := Read(context.Background(), f, strings.NewReader(stdin), func(d Document) error {
			docs = append(docs, d)
			return nil
		}, func(p Problem) { problems = append(problems, p) }, nil)
		if err != nil {
			t.Fatalf("Read(%s): %v", f.Path, err)
		}
	}
	return docs, problems
}

func TestReadFolder(t *testing.T) {
	docs, problems := readAll(t, []string{"testdata/batch"}, "")
	var got []string
	for _, d := range docs {
		got = append(got, filepath.ToSlash(d.Source)+" "+d.Format.String())
	}
	want := []string{
		"testdata/batch/latin1.txt text",
		"testdata/batch/nested/feed.jsonl#1 record",
		"testdata/batch/nested/feed.jsonl#4 record",
		"testdata/batch/page.html html",
		"testdata/batch/river.txt text",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("documents:\n got %q\nwant %q", got, want)
	}
	var bad []string
	for _, p := range problems {
		bad = append(bad, filepath.ToSlash(p.Source))
	}
	sort.Strings(bad)
	wantBad := []string{"testdata/batch/nested/feed.jsonl#2", "testdata/batch/nested/feed.jsonl#5", "testdata/batch/nested/garbled.html"}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("problems:\n got %q\nwant %q (%v)", bad, wantBad, problems)
	}
}

func TestRecordFields(t *testing.T) {
	docs, _ := readAll(t, []string{"testdata/batch/nested/feed.jsonl"}, "")
	if len(docs) != 2 {
		t.Fatalf("got %d documents, want 2", len(docs))
	}
	first := docs[0].Record
	want := Fields{URL: "https://a.example/1", Title: "One", Text: "First body.", Published: "2025-01-02T03:04:05+09:00", Outlet: "A Daily", Authors: Authors{"Ann Lee"}}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("record 1: got %+v, want %+v", first, want)
	}
	if got := docs[1].Record.Authors; !reflect.DeepEqual(got, Authors{"Bo Chan"}) {
		t.Errorf("a single-string author: got %q", got)
	}
	if docs[1].Record.Published != "" {
		t.Errorf("null published: got %q, want empty", docs[1].Record.Published)
	}
	abs, _ := filepath.Abs("testdata/batch/nested/feed.jsonl")
	if docs[1].Key != abs+"#4" {
		t.Errorf("key: got %q, want %q", docs[1].Key, abs+"#4")
	}
}

func TestLegacyTextDecoded(t *testing.T) {
	docs, problems := readAll(t, []string{"testdata/batch/latin1.txt"}, "")
	if len(problems) != 0 || len(docs) != 1 {
		t.Fatalf("got %d docs, problems %v", len(docs), problems)
	}
	if got := string(docs[0].Data); !strings.Contains(got, "café on the square") {
		t.Errorf("windows-1252 text not decoded to UTF-8: %q", got)
	}
}

func TestStdinSniffed(t *testing.T) {
	tests := []struct {
		name, input string
		want        []Format
	}{
		{"jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n", []Format{Record, Record}},
		{"html", "  <html><body><p>x</p></body></html>", []Format{HTML}},
		{"text", "Title\n\nBody line.\n", []Format{Text}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, problems := readAll(t, []string{Stdin}, tt.input)
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			var got []Format
			for _, d := range docs {
				got = append(got, d.Format)
				if !strings.HasPrefix(d.Key, "stdin:") {
					t.Errorf("stdin key %q should be content-derived", d.Key)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("formats: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMissingPathReported(t *testing.T) {
	_, problems := List([]string{"testdata/no-such-file.txt"})
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "no-such-file.txt") {
		t.Errorf("problems: %v", problems)
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"url":"u","title":"t","text":"x","authors":["a"]}`))
	f.Add([]byte(`{"authors":"one","html":"<p>x</p>"}`))
	f.Add([]byte(`{"text":`))
	f.Fuzz(func(t *testing.T, line []byte) {
		doc, err := ParseRecord(line)
		if err == nil && strings.TrimSpace(doc.Record.Text) == "" && strings.TrimSpace(doc.Record.HTML) == "" {
			t.Errorf("accepted a record with no text or html: %q", line)
		}
	})
}
