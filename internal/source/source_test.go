package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/ident"
)

func readAll(t *testing.T, paths []string, stdin string) (docs []Document, problems []Problem) {
	t.Helper()
	files, listProblems := List(paths)
	problems = append(problems, listProblems...)
	for _, f := range files {
		err := Read(context.Background(), f, strings.NewReader(stdin), func(d Document) error {
			docs = append(docs, d)
			return nil
		}, func(p Problem) { problems = append(problems, p) })
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
	if docs[0].Key != "url:https://a.example/1" {
		t.Errorf("a record with a URL is known by it: key %q", docs[0].Key)
	}
	abs, _ := filepath.Abs("testdata/batch/nested/feed.jsonl")
	if !strings.HasPrefix(docs[1].Key, "line:"+abs+"#") || docs[1].LegacyKey != abs+"#4" {
		t.Errorf("a record without a URL: key %q legacy %q", docs[1].Key, docs[1].LegacyKey)
	}
}

// TestKeysSurviveReordering: inserting a line at the top of a JSONL file or
// reordering its lines changes no document's key.
func TestKeysSurviveReordering(t *testing.T) {
	lines := []string{
		`{"url":"https://b.example/x?utm_source=feed&id=2#top","title":"Port","text":"Dock workers stopped."}`,
		`{"title":"Bakery","text":"A bakery opened."}`,
		`{"title":"Bridge","text":"The bridge closed."}`,
	}
	keys := func(ls ...string) map[string]string {
		dir := t.TempDir()
		path := filepath.Join(dir, "feed.jsonl")
		if err := os.WriteFile(path, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		docs, problems := readAll(t, []string{path}, "")
		if len(problems) > 0 {
			t.Fatalf("problems: %v", problems)
		}
		m := map[string]string{}
		for _, d := range docs {
			m[d.Record.Title] = strings.Replace(d.Key, dir, "DIR", 1)
		}
		return m
	}
	before := keys(lines...)
	if before["Port"] != "url:https://b.example/x?id=2" {
		t.Errorf("URL key not normalised: %q", before["Port"])
	}
	after := keys(`{"title":"Fire","text":"A barn burned."}`, lines[2], lines[0], lines[1])
	for title, k := range before {
		if after[title] != k {
			t.Errorf("%s: key %q became %q after lines moved", title, k, after[title])
		}
	}
}

func TestCount(t *testing.T) {
	files, _ := List([]string{"testdata/batch"})
	n, known := Count(context.Background(), files)
	// latin1.txt, page.html, river.txt, garbled.html, and feed.jsonl's 4
	// non-blank lines (a broken one counts: it is a document that fails).
	if n != 8 || !known {
		t.Errorf("Count = %d, %v; want 8, true", n, known)
	}
	stdin, _ := List([]string{"-"})
	if _, known := Count(context.Background(), stdin); known {
		t.Error("stdin cannot be counted ahead")
	}
}

// TestInterruptedReads: a FIFO with no writer, and a reader that never
// answers, give way to a cancelled context instead of hanging the run.
func TestInterruptedReads(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.jsonl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	never, _ := io.Pipe() // a stdin that never sends a byte
	for _, tt := range []struct {
		name  string
		path  string
		stdin io.Reader
	}{
		{"fifo without writer", fifo, nil},
		{"silent stdin", Stdin, never},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files, problems := List([]string{tt.path})
			if len(problems) > 0 || len(files) != 1 {
				t.Fatalf("List: %v %v", files, problems)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- Read(ctx, files[0], tt.stdin, func(Document) error { return nil }, func(Problem) {})
			}()
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Read after cancel: %v, want context.Canceled", err)
				}
			case <-time.After(time.Minute): // a hang guard, not a stopwatch
				t.Fatal("Read did not give way to the cancelled context")
			}
		})
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

// TestLegacyHTMLDecoded: a page is decoded once, here, for every stage; its
// digest stays that of its bytes.
func TestLegacyHTMLDecoded(t *testing.T) {
	cases := []struct{ file, phrase string }{
		{"../charset/testdata/euc-kr.html", "푸른강신문"},
		{"../charset/testdata/windows-1251.html", "Ольга Миронова"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			docs, problems := readAll(t, []string{tc.file}, "")
			if len(problems) != 0 || len(docs) != 1 {
				t.Fatalf("got %d docs, problems %v", len(docs), problems)
			}
			if got := string(docs[0].Data); !strings.Contains(got, tc.phrase) {
				t.Errorf("page not decoded to UTF-8: lacks %q", tc.phrase)
			}
			raw, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if docs[0].Digest != ident.ContentHash(raw) {
				t.Error("digest is not that of the bytes read")
			}
		})
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
	// The news crawlers' records.
	crawlers, err := os.ReadFile(filepath.Join("testdata", "crawlers.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(crawlers, []byte("\n")) {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		doc, err := ParseRecord(line)
		if err == nil && strings.TrimSpace(doc.Record.Text) == "" && strings.TrimSpace(doc.Record.HTML) == "" {
			t.Errorf("accepted a record with no text or html: %q", line)
		}
	})
}
