package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// stored returns the articles and stories of a store, read directly.
func stored(t *testing.T, db string) ([]dossier.Article, []dossier.Story) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var articles []dossier.Article
	if err := st.Articles(ctx, func(a dossier.Article) error {
		articles = append(articles, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return articles, stories
}

// uniquePrefix is the shortest prefix of a that b does not share.
func uniquePrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:n+1]
}

// TestIDPrefixes: whole IDs, unique prefixes and ambiguous ones, with
// two articles in two stories.
func TestIDPrefixes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--quiet", "testdata/corpus/glassworks.txt", "testdata/corpus/tram.txt"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	articles, stories := stored(t, db)
	if len(articles) != 2 || len(stories) != 2 {
		t.Fatalf("%d articles, %d stories; want 2 and 2", len(articles), len(stories))
	}
	a0, a1 := articles[0], articles[1]
	s0, s1 := stories[0], stories[1]
	ambiguous := func(kind string, ids, titles [2]string) string {
		if ids[1] < ids[0] {
			ids[0], ids[1] = ids[1], ids[0]
			titles[0], titles[1] = titles[1], titles[0]
		}
		width := distinctPrefix([]candidate{{id: ids[0]}, {id: ids[1]}})
		return fmt.Sprintf("dossier %s: %s %s is ambiguous: 2 %s IDs begin so; type more of the one you mean:\n  %s  %s\n  %s  %s\n",
			kind, kind, kind[:1], kind, ids[0][:width], titles[0], ids[1][:width], titles[1])
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // its first line
		stderr string // exactly
	}{
		{"whole article ID", []string{"article", a0.ID}, 0, a0.Title, ""},
		{"unique article prefix", []string{"article", uniquePrefix(a0.ID, a1.ID)}, 0, a0.Title, ""},
		{"the other's prefix", []string{"article", uniquePrefix(a1.ID, a0.ID)}, 0, a1.Title, ""},
		{"short article ID", []string{"article", a1.ID[:9]}, 0, a1.Title, ""},
		{"ambiguous article prefix", []string{"article", "a"}, 1, "",
			ambiguous("article", [2]string{a0.ID, a1.ID}, [2]string{a0.Title, a1.Title})},
		{"unknown article", []string{"article", "azzz"}, 1, "", "dossier article: article azzz: not found\n"},
		{"a story ID is no article", []string{"article", s0.ID}, 1, "", "dossier article: article " + s0.ID + ": not found (a story's ID? dossier story " + s0.ID + ")\n"},
		{"an article ID is no story", []string{"story", a0.ID[:9]}, 1, "", "dossier story: story " + a0.ID[:9] + ": not found (an article's ID? dossier article " + a0.ID[:9] + ")\n"},
		{"unique story prefix", []string{"story", uniquePrefix(s1.ID, s0.ID)}, 0, s1.Title, ""},
		{"ambiguous story prefix", []string{"story", "s"}, 1, "",
			ambiguous("story", [2]string{s0.ID, s1.ID}, [2]string{s0.Title, s1.Title})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, db, tt.args...)
			first, _, _ := strings.Cut(out, "\n")
			if code != tt.code || first != tt.stdout || errOut != tt.stderr {
				t.Errorf("exit %d, first line %q, stderr %q\nwant %d, %q, %q", code, first, errOut, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestDistinctPrefix(t *testing.T) {
	tests := []struct {
		ids  []string
		want int
	}{
		{[]string{"a0123456789abcdef"}, 9},
		{[]string{"a0123456789abcdef", "a1123456789abcdef"}, 9},
		{[]string{"a0123456789abcdef", "a0123456799abcdef", "a0123456889abcdef"}, 10},
		{[]string{"a0123456789abcdef", "a0123456789abcdff"}, 16},
	}
	for _, tt := range tests {
		var cands []candidate
		for _, id := range tt.ids {
			cands = append(cands, candidate{id: id})
		}
		if got := distinctPrefix(cands); got != tt.want {
			t.Errorf("distinctPrefix(%v) = %d, want %d", tt.ids, got, tt.want)
		}
	}
}

// copyTree copies a fixture folder, so that tests may delete its files.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}
