package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--quiet", "testdata/corpus"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
		lacks    []string
	}{
		{"words", []string{"search", "bridge", "Redesigned"}, 0,
			[]string{"ARTICLE    PUBLISHED   OUTLET   TITLE", "Felden tram line opens a year late and over budget\n    ", "river bridge"},
			[]string{"glassworks", "\x1b["}},
		{"phrase and filter", []string{"search", `"final bill"`, "from:2024-03-01", "to:2024-03-02"}, 0,
			[]string{"2024-03-02", "Felden tram"}, nil},
		{"date filter leaves it out", []string{"search", `"final bill"`, "to:2024-03-01"}, 0, []string{"no matches\n"}, []string{"Felden"}},
		{"copies are marked", []string{"search", "harvest", "festival"}, 0, []string{" (copy)", "Harvest festival returns"}, nil},
		{"quotes by a speaker", []string{"search", "--quotes", "speaker:demerval"}, 0,
			[]string{"SPEAKER", "Ruth Demerval", "“People have waited long enough, and today they can finally leave the car at home”"}, []string{"Oskar Renholm"}},
		{"what did X say about Y", []string{"search", "--quotes", "speaker:renholm", "letter"}, 0,
			[]string{"Oskar Renholm", "hardest letter"}, []string{"ways to make the numbers work"}},
		{"no match", []string{"search", "submarine"}, 0, []string{"no matches\n"}, nil},
		{"stray syntax is text", []string{"search", "tram*", ":", "-", "*", `"`}, 0, []string{"Felden tram"}, nil},
		{"no query", []string{"search"}, 2, []string{"search takes a QUERY"}, nil},
		{"bad limit", []string{"search", "--limit", "0", "tram"}, 2, []string{"--limit 0"}, nil},
		{"bad cursor", []string{"search", "--after", "zz", "tram"}, 2, []string{`--after "zz": not a cursor`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, db, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			for _, s := range tc.contains {
				if !strings.Contains(out+errOut, s) {
					t.Errorf("output lacks %q:\n%s%s", s, out, errOut)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(out+errOut, s) {
					t.Errorf("output has %q:\n%s%s", s, out, errOut)
				}
			}
		})
	}

	t.Run("paging", func(t *testing.T) {
		_, all, _ := runCLI(t, db, "search", "the")
		n := strings.Count(all, "\n    ")
		if n < 2 {
			t.Fatalf("want several hits for 'the':\n%s", all)
		}
		_, first, _ := runCLI(t, db, "search", "--limit", "1", "the")
		m := regexp.MustCompile(`more with --after (\w+)`).FindStringSubmatch(first)
		if m == nil {
			t.Fatalf("no cursor in:\n%s", first)
		}
		_, second, _ := runCLI(t, db, "search", "--limit", "1", "--after", m[1], "the")
		// The IDs: the widths of the columns vary with the rows shown.
		id := func(s string) string { return strings.Fields(s)[0] }
		line := func(s string) string { return id(strings.Split(s, "\n")[1]) }
		if lines := strings.Split(all, "\n"); line(first) != id(lines[1]) || line(second) != id(lines[3]) {
			t.Errorf("pages of one: %q then %q; want %q then %q", line(first), line(second), lines[1], lines[3])
		}
	})

	t.Run("json", func(t *testing.T) {
		code, out, errOut := runCLI(t, db, "search", "--json", "glassworks")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		// The API's shape (web.SearchList), so that a script reads both.
		var got struct {
			Hits []struct {
				ID, Title string
				Snippet   struct {
					Text  string
					Marks [][2]int
				}
				Published string
				Rank      *float64
			}
			Next *string
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if len(got.Hits) != 1 || got.Hits[0].Title != "Brennmoor glassworks to close after ninety years" ||
			got.Hits[0].Published != "2024-02-11T08:30:00+01:00" || got.Next == nil || *got.Next != "" ||
			len(got.Hits[0].Snippet.Marks) == 0 || got.Hits[0].ID == "" || got.Hits[0].Rank == nil || *got.Hits[0].Rank == 0 {
			t.Fatalf("json %+v", got)
		}
		h := got.Hits[0]
		for _, m := range h.Snippet.Marks {
			if w := strings.ToLower(h.Snippet.Text[m[0]:m[1]]); w != "glassworks" {
				t.Errorf("marked %q, want glassworks", w)
			}
		}
	})

	t.Run("bold on a terminal", func(t *testing.T) {
		var out, errOut bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, width: 200, prog: "dossier",
			getenv: func(k string) string {
				if k == "DOSSIER_DB" {
					return db
				}
				return ""
			}}
		if code := run(context.Background(), e, []string{"search", "furnaces"}); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		if !strings.Contains(out.String(), "\x1b[1mfurnaces\x1b[0m") {
			t.Errorf("no bold match in:\n%q", out.String())
		}
	})
}
