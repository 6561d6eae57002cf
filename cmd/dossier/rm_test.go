package main

import (
	dossier "github.com/dossiernews/dossier"

	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRm removes by ID prefix, by folder and by missing file, step by step
// on one store.
func TestRm(t *testing.T) {
	tmp := t.TempDir()
	corpus := filepath.Join(tmp, "corpus")
	copyTree(t, "testdata/corpus", corpus)
	db := filepath.Join(tmp, "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--quiet", corpus); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	articles, _ := stored(t, db)
	id := map[string]string{} // file name → article ID
	for _, a := range articles {
		id[filepath.Base(a.Source)] = a.ID
	}
	if a := articles[slices.IndexFunc(articles, func(a dossier.Article) bool { return a.ID == id["reprint.txt"] })]; a.DuplicateOf != id["orchard.txt"] {
		t.Fatalf("the fixture's reprint should copy orchard.txt: duplicate_of %q", a.DuplicateOf)
	}

	steps := []struct {
		name   string
		args   []string
		before func() // e.g. delete a file
		code   int
		stdout string
		stderr string // contained
		left   []string
	}{
		{name: "unknown ID", args: []string{"azzz"}, code: 1, stderr: "dossier rm: article azzz: not found\n",
			left: []string{"glassworks.txt", "orchard.txt", "reprint.txt", "tram.txt"}},
		{name: "by a prefix", args: []string{id["glassworks.txt"][:7]},
			stdout: "removed 1 article, relinked 0 copies, stories touched 1\n",
			left:   []string{"orchard.txt", "reprint.txt", "tram.txt"}},
		// The copy leaves the story the original founded for one of its own.
		{name: "an original: its copy is matched again", args: []string{id["orchard.txt"]},
			stdout: "removed 1 article, relinked 1 copy, stories touched 2\n",
			left:   []string{"reprint.txt", "tram.txt"}},
		{name: "a source matching nothing", args: []string{"--source", filepath.Join(tmp, "elsewhere")}, code: 1,
			stderr: "no stored article was read from " + filepath.Join(tmp, "elsewhere"),
			left:   []string{"reprint.txt", "tram.txt"}},
		{name: "by folder", args: []string{"--source", filepath.Join(corpus, "sub")},
			stdout: "removed 1 article, relinked 0 copies, stories touched 1\n",
			left:   []string{"tram.txt"}},
		{name: "nothing missing", args: []string{"--missing"},
			stdout: "removed 0 articles, relinked 0 copies, stories touched 0\n",
			left:   []string{"tram.txt"}},
		{name: "a file gone", args: []string{"--missing"},
			before: func() {
				if err := os.Remove(filepath.Join(corpus, "tram.txt")); err != nil {
					t.Fatal(err)
				}
			},
			stdout: "removed 1 article, relinked 0 copies, stories touched 1\n"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.before != nil {
				s.before()
			}
			code, out, errOut := runCLI(t, db, append([]string{"rm"}, s.args...)...)
			if code != s.code || out != s.stdout || !strings.Contains(errOut, s.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant %d, %q, %q", code, out, errOut, s.code, s.stdout, s.stderr)
			}
			articles, stories := stored(t, db)
			var left []string
			for _, a := range articles {
				left = append(left, filepath.Base(a.Source))
			}
			slices.Sort(left)
			if !slices.Equal(left, s.left) {
				t.Errorf("left %v, want %v", left, s.left)
			}
			for _, a := range articles {
				if a.DuplicateOf != "" && !slices.ContainsFunc(articles, func(b dossier.Article) bool { return b.ID == a.DuplicateOf }) {
					t.Errorf("%s copies %s, which is gone", a.ID, a.DuplicateOf)
				}
			}
			if len(stories) > len(articles) {
				t.Errorf("%d stories for %d articles: an empty story stayed", len(stories), len(articles))
			}
		})
	}
}

// TestRmRelativeSource: sources given relative at ingest are found by a
// relative --source from the same folder. The copy in sub/ goes before its
// original, so nothing is matched again.
func TestRmRelativeSource(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--quiet", "testdata/corpus"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, db, "rm", "--source", "testdata/corpus/sub/", "--source", "testdata/corpus/tram.txt")
	if want := "removed 3 articles, relinked 0 copies, stories touched 2\n"; code != 0 || out != want {
		t.Errorf("exit %d, %q, want 0 and %q\n%s", code, out, want, errOut)
	}
	articles, _ := stored(t, db)
	var left []string
	for _, a := range articles {
		left = append(left, a.Source)
	}
	if want := []string{"testdata/corpus/glassworks.txt"}; !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
}

func TestFromSource(t *testing.T) {
	found := []articleFile{
		{id: "a1", path: "/data/news/a.txt"},
		{id: "a2", path: "/data/news/feed.jsonl", line: "#2"},
		{id: "a3", path: "/data/news/feed.jsonl", line: "#3"},
		{id: "a4", path: "/data/newsroom/b.txt"},
		{id: "a5"}, // standard input
	}
	tests := []struct {
		src  string
		want []string
	}{
		{"/data/news", []string{"a1", "a2", "a3"}}, // not newsroom
		{"/data/news/", []string{"a1", "a2", "a3"}},
		{"/data/news/feed.jsonl", []string{"a2", "a3"}},
		{"/data/news/feed.jsonl#3", []string{"a3"}},
		{"/data/newsroom/b.txt", []string{"a4"}},
		{"/", []string{"a1", "a2", "a3", "a4"}},
		{"/data/new", nil},
	}
	for _, tt := range tests {
		got, err := fromSource(found, tt.src)
		if (err != nil) != (tt.want == nil) || !slices.Equal(got, tt.want) {
			t.Errorf("fromSource(%q) = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
}
