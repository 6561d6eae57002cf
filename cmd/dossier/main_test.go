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
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/dossiernews/dossier/internal/ingest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runCLI runs the CLI in-process and returns its exit status and output.
func runCLI(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCtx(t, context.Background(), db, args...)
}

func runCtx(t *testing.T, ctx context.Context, db string, args ...string) (code int, stdout, stderr string) {
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
		prog: "dossier",
	}
	code = run(ctx, e, args)
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
		golden   string // of stdout, when set
		stderr   string // exactly, when golden is set; else contained in stdout+stderr
		contains string
	}{
		{name: "no command", code: 2, contains: "Usage: dossier COMMAND"},
		{name: "--help", args: []string{"--help"}, golden: "usage.txt"},
		{name: "-h", args: []string{"-h"}, golden: "usage.txt"},
		{name: "help", args: []string{"help"}, golden: "usage.txt"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, contains: `unknown command "frobnicate"`},
		{name: "flag before the command", args: []string{"--db", "x.db", "stories"}, code: 2, contains: "flags go after the command"},
		{name: "help for an unknown command", args: []string{"help", "frobnicate"}, code: 2, contains: `no command "frobnicate"`},
		{name: "ingest without paths", args: []string{"ingest"}, code: 2, contains: "name at least one file"},
		{name: "story without id", args: []string{"story"}, code: 2, contains: "story takes one story ID"},
		{name: "rm without what", args: []string{"rm", "--db", db}, code: 2, contains: "article IDs, --source PATH or --missing"},
		{name: "export without out", args: []string{"export"}, code: 2, contains: "--out DIR"},
		{name: "export in an unknown format", args: []string{"export", "--out", "x", "--format", "xlsx"}, code: 2, contains: `jsonl, csv or parquet, not "xlsx"`},
		{name: "missing store", args: []string{"stories", "--db", db}, code: 1, contains: "dossier stories: no store at " + db + ": make one with dossier ingest --db " + db + " PATH...\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// No $DOSSIER_DB, so help shows the everyday default.
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			if tt.golden != "" {
				golden(t, tt.golden, out)
				if errOut != tt.stderr {
					t.Errorf("stderr %q, want %q", errOut, tt.stderr)
				}
			}
			if !strings.Contains(out+errOut, tt.contains) {
				t.Errorf("output lacks %q:\n%s%s", tt.contains, out, errOut)
			}
		})
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a command that reads made the store %s", db)
	}
}

// TestCommandHelp checks every command's help three ways: it goes to
// stdout, exit 0, and is the same however it is asked for.
func TestCommandHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			var first string
			for i, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
				code, out, errOut := runCLI(t, "", args...)
				if code != 0 || errOut != "" {
					t.Errorf("%v: exit %d, stderr %q; want 0 and nothing", args, code, errOut)
				}
				if i == 0 {
					first = out
					golden(t, c.name+"-help.txt", out)
				} else if out != first {
					t.Errorf("%v prints other help than %s --help:\n%s", args, c.name, out)
				}
			}
		})
	}
}

// TestBadFlag: the mistake is reported once, with a hint, and no usage.
func TestBadFlag(t *testing.T) {
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"ingest", "-x"}, "dossier ingest: flag provided but not defined: -x\nRun 'dossier ingest --help' for usage.\n"},
		{[]string{"stories", "--nope", "1"}, "dossier stories: flag provided but not defined: -nope\nRun 'dossier stories --help' for usage.\n"},
		{[]string{"ingest", "--story-threshold", "high", "x"}, "dossier ingest: invalid value \"high\" for flag -story-threshold: parse error\nRun 'dossier ingest --help' for usage.\n"},
		{[]string{"rm", "--source"}, "dossier rm: flag needs an argument: -source\nRun 'dossier rm --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != 2 || out != "" || errOut != tt.stderr {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing and %q", code, out, errOut, tt.stderr)
			}
		})
	}
}

func TestFlagValidation(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	input := filepath.Join("testdata", "corpus", "tram.txt")
	tests := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"--story-threshold", "nan"}, 2, "--story-threshold NaN: want a number in [0, 1]"},
		{[]string{"--story-threshold", "-5"}, 2, "--story-threshold -5: want a number in [0, 1]"},
		{[]string{"--story-threshold", "1.5"}, 2, "--story-threshold 1.5: want a number in [0, 1]"},
		{[]string{"--dup-threshold", "0"}, 2, "--dup-threshold 0: want a number in (0, 1]"},
		{[]string{"--dup-threshold", "2"}, 2, "--dup-threshold 2: want a number in (0, 1]"},
		{[]string{"--dup-threshold", "inf"}, 2, "--dup-threshold +Inf: want a number in (0, 1]"},
		{[]string{"--story-window", "-1h"}, 2, "--story-window -1h0m0s: want 0 (no limit) or more"},
		{[]string{"--story-decay", "-2h"}, 2, "--story-decay -2h0m0s: want 0 (off) or more"},
		{[]string{"--dup-threshold", "0", "--story-threshold", "-1"}, 2, "--dup-threshold 0: want a number in (0, 1]; --story-threshold -1: want a number in [0, 1]"},
		{[]string{"--story-threshold", "1", "--dup-threshold", "1", "--story-window", "48h"}, 0, ""},
		{[]string{"--story-threshold", "0"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string{"ingest", "--quiet", "--db", db}, tt.args...)
			code, out, errOut := runCLI(t, "", append(args, input)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q (stdout %q)", code, errOut, tt.code, tt.want, out)
			}
		})
	}
	code, _, errOut := runCLI(t, db, "stories", "--limit", "-1")
	if code != 2 || !strings.Contains(errOut, "--limit -1: want 0 (all) or more") {
		t.Errorf("stories --limit -1: exit %d, %q", code, errOut)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errOut := runCLI(t, "", args...)
		// Test binaries carry no module version: "devel".
		if code != 0 || out != "dossier devel\n" || errOut != "" {
			t.Errorf("%v: exit %d, %q %q; want 0 and %q", args, code, out, errOut, "dossier devel\n")
		}
	}
}

var summaryLine = regexp.MustCompile(`read (\d+), new (\d+), updated (\d+), unchanged (\d+), duplicates (\d+), failed (\d+), stories touched (\d+) \((\d+) new\)`)

func TestIngestThenRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, out, errOut := runCLI(t, db, "ingest", "../../examples", "--quiet=false")
	if code != 3 {
		t.Fatalf("ingest of a corpus with a corrupt file: exit %d, want 3\n%s%s", code, out, errOut)
	}
	if want := "skipped ../../examples/broken/garbled.html: "; !strings.Contains(errOut, want) {
		t.Errorf("the corrupt file is not reported with its path %q:\n%s", want, errOut)
	}
	if want := "dossier ingest: not every input could be read: 1 input skipped, the rest is stored\n"; !strings.HasSuffix(errOut, want) {
		t.Errorf("stderr does not end with %q:\n%s", want, errOut)
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
	ids := regexp.MustCompile(`(?m)^(s[0-9a-f]{8})  `).FindAllStringSubmatch(out, -1)
	if code != 0 || len(ids) < 4 {
		t.Fatalf("stories (exit %d): want at least 4 stories with short IDs:\n%s", code, out)
	}
	code, out, errOut = runCLI(t, db, "story", ids[0][1])
	if code != 0 || !strings.Contains(out, "Articles") || !strings.Contains(out, "Quotes") && !strings.Contains(out, "Remarks") {
		t.Fatalf("story (exit %d):\n%s%s", code, out, errOut)
	}
	articleID := regexp.MustCompile(`(?m)^  (a[0-9a-f]{8})  `).FindStringSubmatch(out)
	if articleID == nil {
		t.Fatalf("story lists no short article IDs:\n%s", out)
	}
	code, out, errOut = runCLI(t, db, "article", articleID[1])
	if code != 0 || !strings.Contains(out, "id:          "+articleID[1]+"\n") || !strings.Contains(out, "story:       "+ids[0][1]+"\n") {
		t.Errorf("article (exit %d):\n%s%s", code, out, errOut)
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

func TestExportFileMode(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--quiet", "testdata/corpus"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	dir := filepath.Join(tmp, "export")
	code, out, errOut := runCLI(t, db, "export", "--out", dir)
	if want := "exported 4 articles and 3 stories to " + dir + "\n"; code != 0 || out != want {
		t.Fatalf("export: exit %d, %q, want %q\n%s", code, out, want, errOut)
	}
	for _, name := range []string{"articles.jsonl", "stories.jsonl"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o644 {
			t.Errorf("%s has mode %v, want -rw-r--r--", name, mode)
		}
	}
}

func TestExportTables(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--quiet", "testdata/corpus"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	for _, format := range []string{"csv", "parquet"} {
		dir := filepath.Join(tmp, format)
		code, out, errOut := runCLI(t, db, "export", "--out", dir, "--format", format)
		if code != 0 || !strings.HasPrefix(out, "exported "+format+" tables to "+dir+": articles 4, quotes ") {
			t.Fatalf("export: exit %d, %q\n%s", code, out, errOut)
		}
		for _, table := range []string{"articles", "quotes", "stories", "speakers", "remarks", "remark_quotes", "unique", "conflicts"} {
			if _, err := os.Stat(filepath.Join(dir, table+"."+format)); err != nil {
				t.Error(err)
			}
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
		// Not from the repository root, the corpus is an unpacked copy,
		// reported by its place in the repository all the same.
		if want := "skipped examples/broken/garbled.html: "; !strings.Contains(errOut, want) {
			t.Errorf("the broken example is not reported as %q:\n%s", want, errOut)
		}
		hint := regexp.MustCompile(`(?m)^Look closer: dossier story --db (\S+) (s[0-9a-f]{8})$`).FindStringSubmatch(out)
		if hint == nil || hint[1] != db {
			t.Fatalf("demo names no command to look closer:\n%s", out)
		}
		if code, out, errOut := runCLI(t, "", "story", "--db", hint[1], hint[2]); code != 0 {
			t.Errorf("the demo's hint fails: exit %d\n%s%s", code, out, errOut)
		}
	}
}

func TestProgName(t *testing.T) {
	tests := []struct{ arg0, want string }{
		{"/tmp/go-build1234/b001/exe/dossier", "go run ./cmd/dossier"},
		{"dossier", "dossier"},
		{"./dossier", "./dossier"},
		{"/usr/local/bin/dossier", "/usr/local/bin/dossier"},
	}
	for _, tt := range tests {
		if got := progName(tt.arg0); got != tt.want {
			t.Errorf("progName(%q) = %q, want %q", tt.arg0, got, tt.want)
		}
	}
}

func TestInterruptedAfter(t *testing.T) {
	tests := []struct {
		done, total int
		known       bool
		want        string
	}{
		{3, 10, true, "interrupted after 3 of 10 documents; run again to go on"},
		{0, 1, true, "interrupted after 0 of 1 document; run again to go on"},
		{1, 0, false, "interrupted after 1 document; run again to go on"},
		{7, 4, false, "interrupted after 7 documents; run again to go on"},
	}
	for _, tt := range tests {
		if got := interruptedAfter(tt.done, tt.total, tt.known); got != tt.want {
			t.Errorf("interruptedAfter(%d, %d, %v) = %q, want %q", tt.done, tt.total, tt.known, got, tt.want)
		}
	}
}

// TestInterruptedStatus: a command whose context ends says so once and
// exits 128 plus the signal's number (130 without one).
func TestInterruptedStatus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "--quiet", "testdata/corpus/tram.txt"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	tests := []struct {
		name  string
		cause error
		args  []string
		code  int
		want  string
	}{
		{"stories, no signal", nil, []string{"stories"}, 130, "dossier stories: interrupted\n"},
		{"stories, SIGINT", signalCause{syscall.SIGINT}, []string{"stories"}, 130, "dossier stories: interrupted\n"},
		{"export, SIGTERM", signalCause{syscall.SIGTERM}, []string{"export", "--out", t.TempDir()}, 130, "dossier export: interrupted\n"},
		{"ingest, SIGINT", signalCause{syscall.SIGINT}, []string{"ingest", "testdata/corpus"}, 130, "dossier ingest: interrupted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			cancel(tt.cause)
			code, out, errOut := runCtx(t, ctx, db, tt.args...)
			if code != tt.code || !strings.HasPrefix(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want %d and one line %q (stdout %q)", code, errOut, tt.code, tt.want, out)
			}
		})
	}
}

// TestSameFiles: the demo reads the repository's examples folder only
// when it holds the bundled corpus, byte for byte.
func TestSameFiles(t *testing.T) {
	unpacked := filepath.Join(t.TempDir(), "examples")
	copyTree(t, "../../examples", unpacked)
	if !sameFiles(unpacked, "../../examples") {
		t.Fatal("a copy of the examples differs from them")
	}
	edited := filepath.Join(unpacked, "feeds", "wire.jsonl")
	b, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, append(b, '\n', '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if sameFiles(unpacked, "../../examples") {
		t.Error("an edited file goes unnoticed")
	}
	if err := os.WriteFile(edited, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(unpacked, "txt", "extra.txt"), []byte("An extra article.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if sameFiles(unpacked, "../../examples") {
		t.Error("an added input goes unnoticed")
	}
}

// TestOutletsAndCopies: the bundled wire story is shown as first run by the
// agency and re-run by the paper that copied it, in the story and in the
// outlets' tally.
func TestOutletsAndCopies(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "ingest", "../../examples"); code != 3 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, db, "outlets")
	if code != 0 {
		t.Fatalf("outlets: exit %d\n%s%s", code, out, errOut)
	}
	row := func(outlet string) []string {
		m := regexp.MustCompile(`(?m)^` + outlet + ` +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no row for %s:\n%s", outlet, out)
		}
		return m[1:]
	}
	// ARTICLES STORIES SHARED FIRST RE-RAN RE-RUN-BY
	if got, want := row("Meridian Press Agency"), []string{"1", "1", "1", "0", "0", "1"}; !slices.Equal(got, want) {
		t.Errorf("the agency: %v, want %v", got, want)
	}
	if got, want := row("Lakeside Courier"), []string{"1", "1", "1", "0", "1", "0"}; !slices.Equal(got, want) {
		t.Errorf("the paper that re-ran it: %v, want %v", got, want)
	}

	_, list, _ := runCLI(t, db, "stories")
	id := regexp.MustCompile(`(?m)^(s[0-9a-f]{8}) .*port strike`).FindStringSubmatch(list)
	if id == nil {
		t.Fatalf("no port strike story:\n%s", list)
	}
	_, story, _ := runCLI(t, db, "story", id[1])
	if !regexp.MustCompile(`(?m)^Copies\n  ORIGINAL +FIRST RUN BY +RE-RUN BY\n  a[0-9a-f]{8}  Meridian Press Agency +Lakeside Courier a[0-9a-f]{8}$`).MatchString(story) {
		t.Errorf("the story does not show who ran the wire copy:\n%s", story)
	}
}

// TestIngestJSON reads ingest --json's summary as a program would: the
// counts of a text summary, with the skipped input and its reason.
func TestIngestJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, text, _ := runCLI(t, db, "ingest", "../../examples")
	m := summaryLine.FindStringSubmatch(text)
	if code != 3 || m == nil {
		t.Fatalf("ingest: exit %d: %s", code, text)
	}
	db = filepath.Join(t.TempDir(), "d.db")
	code, out, errOut := runCLI(t, db, "ingest", "--json", "../../examples")
	if code != 3 {
		t.Fatalf("ingest --json: exit %d, want 3:\n%s%s", code, out, errOut)
	}
	var sum ingest.Summary
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&sum); err != nil || dec.More() {
		t.Fatalf("stdout is not one JSON object (%v):\n%s", err, out)
	}
	got := []int{sum.Read, sum.New, sum.Updated, sum.Unchanged, sum.Duplicates, sum.Failed, sum.StoriesTouched, sum.NewStories}
	for i, v := range got {
		if want, _ := strconv.Atoi(m[i+1]); v != want {
			t.Errorf("count %d of the JSON summary is %d; the text summary says %d", i+1, v, want)
		}
	}
	if len(sum.Problems) != 1 || sum.Problems[0].Source != "../../examples/broken/garbled.html" || sum.Problems[0].Err == nil || sum.Problems[0].Err.Error() == "" {
		t.Errorf("problems: %+v", sum.Problems)
	}
}
