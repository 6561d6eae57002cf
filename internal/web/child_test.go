//go:build unix

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/benchgen"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/postgres"
	"github.com/dossiernews/dossier/internal/store/postgres/pgtest"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// fakeIngester is a shell stand-in for the child: for each job it reads
// the path, then acts on the file's first line: "ok" answers a summary
// whose read count is the child's PID (so a test can tell one child
// from another), "fail" answers an error, "crash" writes to stderr and
// exits, "hang" waits for an interrupt.
const fakeIngester = `trap 'kill $! 2>/dev/null; echo "{\"error\":\"interrupted\"}"; exit 130' INT
while read -r job; do
	path=$(printf '%s' "$job" | sed 's/.*"path":"\([^"]*\)".*/\1/')
	case $(head -n 1 "$path") in
	ok) echo "{\"summary\":{\"read\":$$,\"new\":1,\"problems\":[{\"source\":\"-#2\",\"error\":\"$DOSSIER_DB: no text\"}]}}" ;;
	fail) echo '{"error":"ingest: the store is read-only"}' ;;
	crash) echo 'out of memory' >&2; exit 2 ;;
	hang) sleep 30 & wait ;;
	esac
done`

func TestChildIngester(t *testing.T) {
	dir := t.TempDir()
	job := func(first string) string {
		path := filepath.Join(dir, first)
		if err := os.WriteFile(path, []byte(first+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var log bytes.Buffer
	c := &ChildIngester{Exe: "/bin/sh", Args: []string{"-c", fakeIngester}, Env: []string{"DOSSIER_DB=/tmp/x.db"}, Log: &log}
	defer c.Close()
	ctx := context.Background()

	first, err := c.Run(ctx, job("ok"))
	if err != nil {
		t.Fatal(err)
	}
	if first.New != 1 || len(first.Problems) != 1 || first.Problems[0].Err.Error() != "/tmp/x.db: no text" {
		t.Errorf("summary %+v", first)
	}
	if _, err := c.Run(ctx, job("fail")); err == nil || err.Error() != "ingest: the store is read-only" {
		t.Errorf("a failed ingest: %v", err)
	}
	if again, err := c.Run(ctx, job("ok")); err != nil || again.Read != first.Read {
		t.Errorf("the next ingest ran in child %d (%v), want the same child %d", again.Read, err, first.Read)
	}
	if _, err := c.Run(ctx, job("crash")); err == nil || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("a crash: %v, want the child's last words", err)
	}
	if !strings.Contains(log.String(), "out of memory") {
		t.Errorf("the child's stderr is not in the log: %q", log.String())
	}
	after, err := c.Run(ctx, job("ok"))
	if err != nil || after.Read == first.Read {
		t.Errorf("after a crash: child %d (%v), want a new one", after.Read, err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Run(short, job("hang")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an ingest past its context: %v", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("an interrupted ingest took %v to give up", waited)
	}
	if _, err := c.Run(ctx, job("ok")); err != nil {
		t.Errorf("after an interrupt: %v", err)
	}
}

// TestServeIngester runs the child's side on a real store: each job's
// file is ingested as standard input, answered in order, and a bad job
// is answered with an error while the next goes on.
func TestServeIngester(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	upload := filepath.Join(dir, "up.jsonl")
	body := `{"url":"https://pier.example/a","title":"Pier lamps","text":"The harbour office will replace the pier lamps on Monday, it said."}` + "\n" + `{"url":"https://pier.example/b"}` + "\n"
	if err := os.WriteFile(upload, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	jobs := fmt.Sprintf("{\"path\":%q}\nnot json\n{\"path\":%q}\n", upload, upload)
	var out bytes.Buffer
	if err := ServeIngester(ctx, st, ingest.DefaultConfig(), strings.NewReader(jobs), &out); err != nil {
		t.Fatal(err)
	}
	var replies []ingesterReply
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r ingesterReply
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		replies = append(replies, r)
	}
	if len(replies) != 3 {
		t.Fatalf("%d answers to 3 jobs: %+v", len(replies), replies)
	}
	if s := replies[0].Summary; s == nil || s.New != 1 || s.Failed != 1 || len(s.Problems) != 1 {
		t.Errorf("first job: %+v", replies[0])
	}
	if replies[1].Error == "" || replies[1].Summary != nil {
		t.Errorf("a bad job: %+v", replies[1])
	}
	if s := replies[2].Summary; s == nil || s.New != 0 || s.Unchanged != 1 {
		t.Errorf("the same file again: %+v", replies[2])
	}
}

// TestServeIngesterDocuments: a poll's documents, spooled as
// RunDocuments spools them, are ingested by the child as the watch's own
// Ingester would, and a second poll of the same pages changes nothing.
func TestServeIngesterDocuments(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const via = "https://pier.example/feed.xml"
	page := func(path, title, body string) source.Document {
		u := "https://pier.example" + path
		html := "<html><head><title>" + title + "</title></head><body><article><h1>" + title + "</h1><p>" + body + "</p></article></body></html>"
		// As the crawler makes a fetched page.
		return source.Document{Source: u, Key: u, Digest: path, Format: source.Record,
			Record: source.Fields{URL: u, HTML: html}, Hints: source.Hints{Via: via, FinalURL: u}}
	}
	docs := []source.Document{
		page("/lamps", "Pier lamps to be replaced", "The harbour office will replace the pier lamps on Monday, it said, after a winter of storms broke most of them."),
		page("/ferry", "Ferry timetable changes", "The island ferry will leave half an hour earlier from next week, the operator said, to meet the first train."),
	}
	path, err := spoolDocuments(via, docs)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	line, _ := json.Marshal(ingesterJob{Path: path, Via: via})
	var out bytes.Buffer
	if err := ServeIngester(ctx, st, ingest.DefaultConfig(), strings.NewReader(string(line)+"\n"+string(line)+"\n"), &out); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	var first, again ingesterReply
	if err := errors.Join(dec.Decode(&first), dec.Decode(&again)); err != nil {
		t.Fatal(err)
	}
	if s := first.Summary; s == nil || s.New != 2 || s.Failed != 0 {
		t.Fatalf("first poll: %+v", first)
	}
	if s := again.Summary; s == nil || s.New != 0 || s.Unchanged != 2 {
		t.Errorf("the same pages again: %+v", again)
	}
	byURL := map[string]dossier.Article{}
	if err := st.Articles(ctx, func(a dossier.Article) error {
		byURL[a.URL] = a
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if a, ok := byURL[d.Source]; !ok || a.StoryID == "" || !strings.Contains(a.Text, "said") {
			t.Errorf("%s stored as %+v", d.Source, a)
		}
	}
}

// TestServeIngesterKeepsState runs three spooled batches as the child
// does, with another writer's ingest between the second and the third: the stories and
// copies come out as one process ingesting the three in that order gives,
// whether the ingester kept its state (after the first) or had to read
// it anew (after the other writer).
func TestServeIngesterKeepsState(t *testing.T) {
	backends := []struct {
		name string
		// open opens the store a handle at a time (served, a second
		// writer's), and the one ingested alone.
		open func(t *testing.T) (served func() store.Store, alone store.Store)
	}{
		{"sqlite", func(t *testing.T) (func() store.Store, store.Store) {
			dir := t.TempDir()
			return func() store.Store { return openSQLite(t, filepath.Join(dir, "served.db")) }, openSQLite(t, filepath.Join(dir, "alone.db"))
		}},
		{"postgres", func(t *testing.T) (func() store.Store, store.Store) {
			served := pgtest.Schema(t)
			return func() store.Store { return openPostgres(t, served) }, openPostgres(t, pgtest.Schema(t))
		}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			served, alone := b.open(t)
			keepsState(t, served, alone)
		})
	}
}

// keepsState sends four jobs to a warm ingester, the third written by
// another handle in between, and wants the first Ingester kept for the
// second, a new one after the other writer, and the stories of one run.
func keepsState(t *testing.T, open func() store.Store, alone store.Store) {
	ctx := context.Background()
	dir := t.TempDir()
	var corpus strings.Builder
	if _, err := benchgen.Generate(ctx, benchgen.Config{N: 240, Seed: 3}, &corpus, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(corpus.String(), "\n")
	batch := func(name string, from, to int) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Join(lines[from:to], "")), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	a, b, other, c := batch("a", 0, 60), batch("b", 60, 120), batch("other", 120, 180), batch("c", 180, 240)

	st := open()
	var warm *warmIngester
	var kept []*ingest.Ingester
	send := func(path string) {
		t.Helper()
		var sum ingest.Summary
		var err error
		if warm, sum, err = warm.ingest(ctx, st, ingest.DefaultConfig(), ingesterJob{Path: path}); err != nil || sum.New != 60 || warm == nil {
			t.Fatalf("job %s: %+v %v", path, sum, err)
		}
		kept = append(kept, warm.in)
	}
	send(a)
	send(b)
	// Another process's ingest, on its own handle, while the ingester
	// waits between jobs without the lock.
	if _, err := IngestFile(ctx, open(), ingest.DefaultConfig(), other); err != nil {
		t.Fatal(err)
	}
	send(c)
	warm.in.Close()
	if kept[0] != kept[1] || kept[1] == kept[2] {
		t.Errorf("Ingesters of the three jobs %p %p %p: want the first kept for the second, a new one after the other writer", kept[0], kept[1], kept[2])
	}

	for _, path := range []string{a, b, other, c} {
		if _, err := IngestFile(ctx, alone, ingest.DefaultConfig(), path); err != nil {
			t.Fatal(err)
		}
	}
	got, want := placements(t, st), placements(t, alone)
	if len(want) != 240 {
		t.Fatalf("%d articles stored, want 240", len(want))
	}
	for id, w := range want {
		if g := got[id]; g != w {
			t.Errorf("article %s: served %q, alone %q", id, g, w)
		}
	}
}

// openSQLite opens the SQLite store at path, closed at the end.
func openSQLite(t *testing.T, path string) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openPostgres opens the PostgreSQL store at dsn, closed at the end.
func openPostgres(t *testing.T, dsn string) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// placements maps each stored article to its story and original.
func placements(t *testing.T, st store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err := st.Articles(context.Background(), func(a dossier.Article) error {
		out[a.ID] = a.StoryID + " " + a.DuplicateOf
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
