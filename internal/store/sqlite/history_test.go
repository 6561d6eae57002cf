package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

// store0001 is a store as Dossier wrote it before migration 0002: two
// articles (one a copy) in one story, with a gap in seq as removals and
// failed writes leave.
const store0001 = `
INSERT INTO outlets(id, name) VALUES (1, 'Valley Gazette');
INSERT INTO speakers(id, name) VALUES (1, 'Tomas Reel');
INSERT INTO stories(id, title, created) VALUES ('s-bridge', 'Bridge reopens after repairs', 1);
INSERT INTO articles(id, seq, source, url, outlet_id, title, published, language, text,
	fingerprint, duplicate_of, similarity, story_id, signature, features) VALUES
	('bridge-1', 1, 'notes/bridge.txt', 'https://gazette.example/bridge', 1, 'Bridge reopens after repairs',
	 '2025-06-03T08:15:00+02:00', 'en', 'The bridge reopened on Tuesday, said Tomas Reel.',
	 'fp-bridge', '', 0, 's-bridge', x'0102', x'0304'),
	('bridge-2', 7, 'notes/bridge-copy.txt', '', 1, 'Bridge reopens after repairs',
	 NULL, 'en', 'The bridge reopened on Tuesday, said Tomas Reel.',
	 'fp-bridge', 'bridge-1', 1, 's-bridge', NULL, NULL);
INSERT INTO quotes(article_id, ordinal, text, speaker_id, start, "end", cue, partial)
	VALUES ('bridge-1', 0, 'reopened', 1, 11, 19, 'said', 1);
`

// TestMigrateFrom0001: a store made before 0002 opens, keeps its data and
// IDs, and every new method works on it.
func TestMigrateFrom0001(t *testing.T) {
	ctx := context.Background()
	st := openFrom(t, 1, store0001)
	if v, err := st.SchemaVersion(ctx); err != nil || v != latestVersion(t) {
		t.Errorf("schema version %d, %v; want %d", v, err, latestVersion(t))
	}
	a, err := st.Article(ctx, "bridge-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Bridge reopens after repairs" || a.Outlet != "Valley Gazette" || len(a.Quotes) != 1 ||
		a.Quotes[0].Speaker != "Tomas Reel" || !a.Quotes[0].Partial || a.Published.Format("15:04Z07:00") != "08:15+02:00" {
		t.Errorf("bridge-1 after migrating: %+v", a)
	}
	s, err := st.Story(ctx, "s-bridge")
	if err != nil || !reflect.DeepEqual(s.Articles, []string{"bridge-1", "bridge-2"}) ||
		!reflect.DeepEqual(s.Outlets, []string{"Valley Gazette"}) ||
		s.FirstPublished.Format(time.RFC3339) != "2025-06-03T08:15:00+02:00" || !s.LastPublished.Equal(s.FirstPublished) {
		t.Errorf("Story(s-bridge) after migrating: %+v, %v", s, err)
	}
	page, err := st.StoriesPage(ctx, store.StoryQuery{Outlet: "Valley Gazette", From: time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(page.Stories) != 1 || page.Stories[0].Articles != 2 || page.Next != "" {
		t.Errorf("StoriesPage after migrating = %+v, %v; want s-bridge of 2 articles", page, err)
	}
	if copy2, err := st.Article(ctx, "bridge-2"); err != nil || !copy2.Published.IsZero() || !copy2.IngestedAt.IsZero() {
		t.Errorf("bridge-2 after migrating: published %v, ingested %v, %v; want both unknown", copy2.Published, copy2.IngestedAt, err)
	}
	sv, found, err := st.Saved(ctx, "bridge-1")
	want := store.Saved{ID: "bridge-1", StoryID: "s-bridge", State: store.State{Signature: []byte{1, 2}, Features: []byte{3, 4}}}
	if err != nil || !found || sv.ID != want.ID || sv.StoryID != want.StoryID || sv.DuplicateOf != "" ||
		!bytes.Equal(sv.Signature, want.Signature) || !bytes.Equal(sv.Features, want.Features) || sv.SourceKey != "" || sv.Digest != "" {
		t.Errorf("Saved(bridge-1) = %+v, %v, %v; want %+v", sv, found, err, want)
	}
	if c, err := st.Copies(ctx, "bridge-1"); err != nil || !reflect.DeepEqual(c, []string{"bridge-2"}) {
		t.Errorf("Copies(bridge-1) = %v, %v", c, err)
	}
	if id, err := st.Resolve(ctx, store.KindStory, "s-br"); err != nil || id != "s-bridge" {
		t.Errorf("Resolve(story, s-br) = %q, %v", id, err)
	}

	// Numbering goes on after the highest seq stored, gap included.
	b := article("bridge-3")
	b.StoryID = "s-bridge"
	if err := st.Put(ctx, b, store.State{SourceKey: "path:/notes/bridge-3.txt", Digest: "dg-3"}); err != nil {
		t.Fatal(err)
	}
	if seq := seqOf(t, st, "bridge-3"); seq != 8 {
		t.Errorf("first article after migrating has seq %d, want 8", seq)
	}
	if id, found, err := st.Seen(ctx, "path:/notes/bridge-3.txt", "dg-3"); err != nil || !found || id != "bridge-3" {
		t.Errorf("Seen after migrating = %q, %v, %v", id, found, err)
	}
	if err := st.Remove(ctx, "bridge-2", "test"); err != nil {
		t.Fatal(err)
	}
	if m, err := st.Moves(ctx, "s-bridge"); err != nil || len(m) != 1 || m[0].Article != "bridge-2" {
		t.Errorf("Moves(s-bridge) = %+v, %v", m, err)
	}
}

func seqOf(t *testing.T, st *Store, id string) int64 {
	t.Helper()
	var seq int64
	if err := st.r.QueryRowContext(context.Background(), `SELECT seq FROM articles WHERE id = ?`, id).Scan(&seq); err != nil {
		t.Fatalf("seq of %s: %v", id, err)
	}
	return seq
}

// TestSeqNeverReused: removing the newest article does not hand its seq on,
// so ingest order means the same in every backend.
func TestSeqNeverReused(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	steps := []struct {
		put, remove string
		seq         int64
	}{
		{put: "one", seq: 1},
		{put: "two", seq: 2},
		{remove: "two"},
		{put: "three", seq: 3},
		{remove: "three"},
		{remove: "one"},
		{put: "four", seq: 4},
		{put: "one", seq: 5}, // back after its removal: a new place
	}
	for _, s := range steps {
		if s.remove != "" {
			if err := st.Remove(ctx, s.remove, "test"); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := st.Put(ctx, article(s.put), store.State{}); err != nil {
			t.Fatal(err)
		}
		if got := seqOf(t, st, s.put); got != s.seq {
			t.Errorf("%s stored with seq %d, want %d", s.put, got, s.seq)
		}
	}
}

// TestRemoveLeavesNoRows: the quotes and source rows of a removed article
// go with it (no interface method shows them).
func TestRemoveLeavesNoRows(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	for _, id := range []string{"kept", "gone"} {
		if err := st.Put(ctx, article(id), store.State{SourceKey: "path:/" + id, Digest: "dg"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Remove(ctx, "gone", "test"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		query string
		want  int
	}{
		{`SELECT COUNT(*) FROM quotes WHERE article_id = 'gone'`, 0},
		{`SELECT COUNT(*) FROM sources WHERE article_id = 'gone'`, 0},
		{`SELECT COUNT(*) FROM stories WHERE id = 'story-gone'`, 0},
		{`SELECT COUNT(*) FROM quotes WHERE article_id = 'kept'`, 1},
		{`SELECT COUNT(*) FROM sources WHERE article_id = 'kept'`, 1},
	} {
		var n int
		if err := st.r.QueryRowContext(ctx, q.query).Scan(&n); err != nil || n != q.want {
			t.Errorf("%s = %d, %v; want %d", q.query, n, err, q.want)
		}
	}
}

// TestErrorsSayOnce: each error names the backend once, with the operation
// and what it was on.
func TestErrorsSayOnce(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	defer st.Close()
	for _, id := range []string{"a1234000000000001", "a1234000000000002"} {
		if err := st.Put(ctx, article(id), store.State{}); err != nil {
			t.Fatal(err)
		}
	}
	other, err := Open(ctx, st.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release, err := st.Lock(ctx, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	closed := openTemp(t)
	closed.Close()

	errOf := func(_ any, err error) error { return err }
	errOf3 := func(_, _ any, err error) error { return err }
	tests := []struct {
		name string
		err  error
		want string // the start of the message
	}{
		{"remove absent", st.Remove(ctx, "nope", "test"), "sqlite: remove nope: not found"},
		{"resolve ambiguous", errOf(st.Resolve(ctx, store.KindArticle, "a1234")), `sqlite: resolve article "a1234": ambiguous: a1234000000000001, a1234000000000002`},
		{"resolve absent", errOf(st.Resolve(ctx, store.KindStory, "s99")), `sqlite: resolve story "s99": not found`},
		{"alias empty", st.Alias(ctx, store.KindArticle, "", "x"), `sqlite: alias article "": empty name`},
		{"put empty id", st.Put(ctx, article(""), store.State{}), "sqlite: put article : empty id"},
		{"story absent", errOf(st.Story(ctx, "nope")), "sqlite: story nope: not found"},
		{"locked", errOf(other.Lock(ctx, "second", nil)), "sqlite: lock " + st.path + ".lock: store is locked by pid"},
		{"closed saved", errOf3(closed.Saved(ctx, "x")), "sqlite: saved x: "},
		{"closed copies", errOf(closed.Copies(ctx, "x")), "sqlite: copies of x: "},
		{"closed seen", errOf3(closed.Seen(ctx, "k", "d")), `sqlite: seen "k": `},
		{"closed moves", errOf(closed.Moves(ctx, "s")), "sqlite: moves of s: "},
		{"closed remove", closed.Remove(ctx, "x", "test"), "sqlite: remove x: "},
		{"closed alias", closed.Alias(ctx, store.KindStory, "x", "y"), `sqlite: alias story "x": `},
		{"closed resolve", errOf(closed.Resolve(ctx, store.KindStory, "x")), `sqlite: resolve story "x": `},
	}
	for _, tc := range tests {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if msg := tc.err.Error(); !strings.HasPrefix(msg, tc.want) || strings.Count(msg, "sqlite:") != 1 {
			t.Errorf("%s: error %q, want it to start %q and say sqlite: once", tc.name, msg, tc.want)
		}
	}
}

// FuzzResolve: whatever is typed, Resolve returns a stored ID or an error,
// and prefixEnd bounds exactly the strings starting with the prefix.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"", "a", "a3f0", "3F0", "s", "%", "a_", "\xff", "a\xff\xff", " a3 ", "é"} {
		f.Add(s, "a3f0")
	}
	st := openTemp(f)
	defer st.Close()
	ctx := context.Background()
	stored := map[string]bool{}
	for _, id := range []string{"a3f0000000000000a", "a3f0100000000000b", "a\xffz", "aé1"} {
		if err := st.Put(ctx, article(id), store.State{}); err != nil {
			f.Fatal(err)
		}
		stored[id] = true
	}
	if err := st.Alias(ctx, store.KindArticle, "a77", "a3f0000000000000a"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ref, other string) {
		id, err := st.Resolve(ctx, store.KindArticle, ref)
		switch {
		case err == nil && !stored[id]:
			t.Fatalf("Resolve(%q) = %q, which is not stored", ref, id)
		case err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrAmbiguous):
			t.Fatalf("Resolve(%q): %v", ref, err)
		}
		end, ok := store.PrefixEnd(ref)
		if !ok {
			if strings.Trim(ref, "\xff") != "" {
				t.Fatalf("prefixEnd(%q) found no bound", ref)
			}
			return
		}
		if in := strings.HasPrefix(other, ref); in != (other >= ref && other < end) {
			t.Fatalf("prefixEnd(%q) = %q: %q has prefix %v, in range %v", ref, end, other, in, !in)
		}
	})
}

// openFrom opens a store made by the first n migrations and then the SQL
// given (rows as an older Dossier wrote them), migrating it to the newest.
func openFrom(t *testing.T, n int, rows string) *Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := loadMigrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db, ms[:n]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open a store at version %d: %v", n, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
