package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runCLI runs the CLI in-process and returns its exit status and output.
func runCLI(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{
		stdin:  strings.NewReader(""),
		stdout: &out,
		stderr: &errOut,
		getenv: func(k string) string {
			if k == "DOSSIER_DB" {
				return db
			}
			return ""
		},
	}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	tests := []struct {
		name     string
		args     []string
		code     int
		golden   string // of stdout+stderr
		contains string
	}{
		{"no command", nil, 2, "usage.txt", ""},
		{"help", []string{"--help"}, 0, "usage.txt", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"ingest help", []string{"ingest", "--help"}, 0, "ingest-help.txt", ""},
		{"ingest without paths", []string{"ingest"}, 2, "", "name at least one file"},
		{"bad flag", []string{"stories", "--nope"}, 2, "", "flag provided but not defined"},
		{"story without id", []string{"story"}, 2, "", "one story ID"},
		{"unknown article", []string{"article", "--db", db, "a0000"}, 1, "", "not found"},
		{"export without out", []string{"export"}, 2, "", "--out DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// No $DOSSIER_DB, so help shows the everyday default.
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			if tt.golden != "" {
				golden(t, tt.golden, out+errOut)
			}
			if !strings.Contains(out+errOut, tt.contains) {
				t.Errorf("output lacks %q:\n%s%s", tt.contains, out, errOut)
			}
		})
	}
}

var summaryLine = regexp.MustCompile(`read (\d+), new (\d+), updated (\d+), unchanged (\d+), duplicates (\d+), failed (\d+), stories touched (\d+) \((\d+) new\)`)

func TestIngestThenRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, out, errOut := runCLI(t, db, "ingest", "../../examples", "--quiet=false")
	if code != 3 {
		t.Fatalf("ingest of a corpus with a corrupt file: exit %d, want 3\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "skipped ") || !strings.Contains(errOut, "broken") {
		t.Errorf("the corrupt file is not reported with its path:\n%s", errOut)
	}
	m := summaryLine.FindStringSubmatch(out)
	if m == nil || m[2] == "0" {
		t.Fatalf("no summary line with new articles:\n%s", out)
	}

	code, out, _ = runCLI(t, db, "ingest", "../../examples")
	if m2 := summaryLine.FindStringSubmatch(out); code != 3 || m2 == nil || m2[2] != "0" || m2[4] != m[2] {
		t.Errorf("second ingest (exit %d) should change nothing: %s", code, out)
	}

	code, out, _ = runCLI(t, db, "stories")
	ids := regexp.MustCompile(`(?m)^(s\S+)  `).FindAllStringSubmatch(out, -1)
	if code != 0 || len(ids) < 4 {
		t.Fatalf("stories (exit %d): want at least 4 stories:\n%s", code, out)
	}
	code, out, _ = runCLI(t, db, "story", ids[0][1])
	if code != 0 || !strings.Contains(out, "Articles") || !strings.Contains(out, "Quotes") {
		t.Fatalf("story (exit %d):\n%s", code, out)
	}
	articleID := regexp.MustCompile(`(?m)^  (a[0-9a-f]+)  `).FindStringSubmatch(out)
	if articleID == nil {
		t.Fatalf("story lists no article IDs:\n%s", out)
	}
	code, out, _ = runCLI(t, db, "article", articleID[1])
	if code != 0 || !strings.Contains(out, "id:") || !strings.Contains(out, "story:") {
		t.Errorf("article (exit %d):\n%s", code, out)
	}

	dir := filepath.Join(t.TempDir(), "export")
	code, out, errOut = runCLI(t, db, "export", "--out", dir)
	if code != 0 {
		t.Fatalf("export: exit %d %s%s", code, out, errOut)
	}
	for file, fields := range map[string][]string{
		"articles.jsonl": {"id", "source", "url", "outlet", "title", "authors", "published", "language", "text", "duplicate_of", "story", "quotes"},
		"stories.jsonl":  {"id", "title", "articles", "outlets", "first_published", "last_published", "speakers"},
	} {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 16<<20)
		lines := 0
		for sc.Scan() {
			lines++
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
				t.Fatalf("%s line %d: %v", file, lines, err)
			}
			for _, k := range fields {
				if _, ok := obj[k]; !ok {
					t.Errorf("%s line %d lacks %q", file, lines, k)
				}
			}
		}
		f.Close()
		if lines == 0 {
			t.Errorf("%s is empty", file)
		}
	}
}

func TestDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	for range 2 { // the second run starts from a fresh store again
		code, out, errOut := runCLI(t, "", "demo", "--db", db)
		if code != 0 {
			t.Fatalf("demo: exit %d\n%s%s", code, out, errOut)
		}
		m := summaryLine.FindStringSubmatch(out)
		if m == nil || m[2] == "0" || m[4] != "0" {
			t.Errorf("demo should ingest into a fresh store:\n%s", out)
		}
		if !strings.Contains(out, "Look closer: dossier story") {
			t.Errorf("demo shows no stories:\n%s", out)
		}
	}
}
