package describe

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/examples"
	"github.com/dossiernews/dossier/internal/clean"
)

// exampleInput builds the describe input for one source of the bundled
// example corpus the way the pipeline does: text and HTML through clean,
// JSONL records through clean with their fields as hints.
func exampleInput(t *testing.T, corpus fs.FS, source string) Input {
	t.Helper()
	path, line, isRecord := strings.Cut(source, "#")
	raw, err := fs.ReadFile(corpus, path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	c := clean.New()
	switch {
	case isRecord:
		n, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("record number in %q: %v", source, err)
		}
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
		for i := 1; sc.Scan(); i++ {
			if i != n {
				continue
			}
			var rec struct {
				URL, Title, Text, Published, Outlet, Language string
				Authors                                       []string
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("record %s: %v", source, err)
			}
			return Input{Source: source, Page: c.Text(rec.Text, rec.Title), Hints: Hints{
				URL: rec.URL, Title: rec.Title, Outlet: rec.Outlet, Published: rec.Published,
				Language: rec.Language, Authors: rec.Authors,
			}}
		}
		t.Fatalf("no record %s", source)
	case strings.HasSuffix(path, ".html"):
		p, err := c.HTML(raw, "")
		if err != nil {
			t.Fatalf("clean %s: %v", path, err)
		}
		return Input{Source: source, Page: p, HTML: raw}
	}
	return Input{Source: source, Page: c.Text(string(raw), "")}
}

// TestExamples checks the metadata examples/EXPECTED.json states for every
// source of the bundled corpus.
func TestExamples(t *testing.T) {
	corpus := examples.Corpus()
	raw, err := fs.ReadFile(corpus, "EXPECTED.json")
	if err != nil {
		t.Fatalf("read EXPECTED.json: %v", err)
	}
	var exp struct {
		Metadata []struct {
			Source, Title, Outlet string
			Authors               []string
			Published             *string
		}
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatalf("parse EXPECTED.json: %v", err)
	}
	if len(exp.Metadata) == 0 {
		t.Fatal("EXPECTED.json lists no metadata")
	}
	for _, want := range exp.Metadata {
		t.Run(want.Source, func(t *testing.T) {
			m := Describe(exampleInput(t, corpus, want.Source))
			if m.Title != want.Title {
				t.Errorf("title %q, want %q", m.Title, want.Title)
			}
			if m.Outlet != want.Outlet {
				t.Errorf("outlet %q, want %q", m.Outlet, want.Outlet)
			}
			if !slices.Equal(m.Authors, want.Authors) {
				t.Errorf("authors %q, want %q", m.Authors, want.Authors)
			}
			switch {
			case want.Published == nil && !m.Published.IsZero():
				t.Errorf("published %s, want unknown", m.Published.Format(time.RFC3339))
			case want.Published != nil:
				w, err := time.Parse(time.RFC3339, *want.Published)
				if err != nil {
					t.Fatalf("expected time %q: %v", *want.Published, err)
				}
				if !m.Published.Equal(w) || m.Published.Format(time.RFC3339) != w.Format(time.RFC3339) {
					t.Errorf("published %s, want %s", m.Published.Format(time.RFC3339), *want.Published)
				}
			}
		})
	}
}
