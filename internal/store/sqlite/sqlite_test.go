package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/storetest"
)

func openTemp(tb testing.TB) *Store {
	tb.Helper()
	st, err := Open(context.Background(), filepath.Join(tb.TempDir(), "dossier.db"))
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) store.Store { return openTemp(t) },
		Again: func(t *testing.T, st store.Store) store.Store {
			other, err := Open(context.Background(), st.(*Store).path)
			if err != nil {
				t.Fatal(err)
			}
			return other
		},
	})
}

// article is a small valid article for the sqlite-only tests.
func article(id string) *dossier.Article {
	text := `The council voted, and "we are pleased," said Rhea Doyle.`
	start := strings.Index(text, "we are")
	return &dossier.Article{
		ID: id, Source: "notes/" + id + ".txt", Outlet: "Test Courier", Title: "Council vote " + id,
		Published: time.Date(2025, 11, 2, 10, 0, 0, 0, time.FixedZone("", 3600)),
		Text:      text, Fingerprint: "fp-" + id, StoryID: "story-" + id, Language: "en",
		Quotes: []dossier.Quote{{Text: "we are pleased,", Speaker: "Rhea Doyle", Start: start, End: start + len("we are pleased,"), Cue: "said"}},
	}
}

func latestVersion(t *testing.T) int {
	t.Helper()
	ms, err := loadMigrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	return ms[len(ms)-1].version
}

func TestReopenKeepsSchemaAndData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dossier.db")
	for round := 0; round < 3; round++ {
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", round, err)
		}
		if err := st.Put(ctx, article(fmt.Sprintf("a%d", round)), store.State{}); err != nil {
			t.Fatal(err)
		}
		v, err := st.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := latestVersion(t); v != want {
			t.Errorf("open #%d: schema version %d, want %d", round, v, want)
		}
		var rows int
		if err := st.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != latestVersion(t) {
			t.Errorf("open #%d: %d migration rows, want %d (each applied once)", round, rows, latestVersion(t))
		}
		n := 0
		if err := st.Articles(ctx, func(dossier.Article) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if n != round+1 {
			t.Errorf("open #%d: %d articles, want %d kept across reopening", round, n, round+1)
		}
		var mode string
		if err := st.w.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal mode %q (%v), want wal", mode, err)
		}
		var fk int
		if err := st.r.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys %d (%v), want 1", fk, err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFutureSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dossier.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	future := latestVersion(t) + 1
	if _, err := st.w.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, 'from the future', '')`, future); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(ctx, path)
	if err == nil {
		st.Close()
		t.Fatal("Open accepted a database from a newer schema")
	}
	if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), fmt.Sprint(future)) || !strings.Contains(err.Error(), path) {
		t.Errorf("Open error %q: want ErrSchemaTooNew naming the file and version %d", err, future)
	}
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{"", ":memory:", "file:x.db", filepath.Join(dir, "x.db?mode=ro"), filepath.Join(dir, "missing", "x.db")} {
		st, err := Open(context.Background(), path)
		if err == nil {
			st.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}

func TestLoadMigrations(t *testing.T) {
	sqlFile := &fstest.MapFile{Data: []byte("CREATE TABLE t(x);")}
	tests := []struct {
		name     string
		files    fstest.MapFS
		versions []int
		errPart  string
	}{
		{"ordered", fstest.MapFS{"m/0002_b.sql": sqlFile, "m/0001_a.sql": sqlFile, "m/README": sqlFile}, []int{1, 2}, ""},
		{"gap", fstest.MapFS{"m/0001_a.sql": sqlFile, "m/0003_c.sql": sqlFile}, nil, "want 2"},
		{"duplicate", fstest.MapFS{"m/0001_a.sql": sqlFile, "m/001_b.sql": sqlFile}, nil, "want 2"},
		{"bad name", fstest.MapFS{"m/init.sql": sqlFile}, nil, "NNNN_"},
		{"zero", fstest.MapFS{"m/0000_a.sql": sqlFile}, nil, "NNNN_"},
		{"empty", fstest.MapFS{"m/README": sqlFile}, nil, "no migrations"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := loadMigrations(tc.files, "m")
			if tc.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errPart) {
					t.Fatalf("err %v, want one containing %q", err, tc.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.version)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.versions) {
				t.Errorf("versions %v, want %v", got, tc.versions)
			}
		})
	}
	// The embedded set must load: a broken name would only show at Open.
	if _, err := loadMigrations(migrationFiles, "migrations"); err != nil {
		t.Errorf("embedded migrations: %v", err)
	}
}

// TestFailedMigrationRollsBack: a step that fails leaves the database at the
// previous version with none of the step's changes.
func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "m.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ms := []migration{
		{1, "0001_a.sql", `CREATE TABLE a(x);`},
		{2, "0002_b.sql", `CREATE TABLE b(x); INSERT INTO nowhere VALUES (1);`},
	}
	if err := migrate(ctx, db, ms); err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("migrate: err %v, want a failure naming 0002_b.sql", err)
	}
	if v, err := schemaVersion(ctx, db); err != nil || v != 1 {
		t.Errorf("version after failed step: %d, %v; want 1", v, err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("table b exists (%d, %v) after its migration failed", n, err)
	}
	ms[1].sql = `CREATE TABLE b(x);`
	if err := migrate(ctx, db, ms); err != nil {
		t.Fatalf("migrate after fixing step 2: %v", err)
	}
	if v, err := schemaVersion(ctx, db); err != nil || v != 2 {
		t.Errorf("version after fixed step: %d, %v; want 2", v, err)
	}
}

func TestPutRejects(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(a *dossier.Article)
	}{
		{"empty id", func(a *dossier.Article) { a.ID = "" }},
		{"NaN similarity", func(a *dossier.Article) { a.Similarity = math.NaN() }},
		{"year 12000", func(a *dossier.Article) { a.Published = time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"year 2300", func(a *dossier.Article) { a.Published = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"year 1600", func(a *dossier.Article) { a.Published = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"negative year", func(a *dossier.Article) { a.IngestedAt = time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC) }},
	}
	for _, tc := range tests {
		a := article("bad")
		tc.change(a)
		if err := st.Put(ctx, a, store.State{}); err == nil || !strings.Contains(err.Error(), "sqlite: put article") {
			t.Errorf("%s: Put err %v, want a wrapped error", tc.name, err)
		}
	}
	if err := st.Put(ctx, nil, store.State{}); err == nil {
		t.Error("Put(nil) succeeded")
	}
	if n := countArticles(t, st); n != 0 {
		t.Errorf("%d articles stored by rejected Puts", n)
	}
}

// TestCorruptRowIsAnError: data damaged outside Dossier gives an error, not
// a panic or a silently wrong article.
func TestCorruptRowIsAnError(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	for _, id := range []string{"date", "list"} {
		if err := st.Put(ctx, article(id), store.State{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.w.ExecContext(ctx, `UPDATE articles SET pub_ns = 1, pub_off = 90000 WHERE id = 'date'`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.w.ExecContext(ctx, `UPDATE stories SET tally = x'01ff' WHERE id = (SELECT story_id FROM articles WHERE id = 'date')`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.w.ExecContext(ctx, `UPDATE articles SET authors = '{"not": "a list"}' WHERE id = 'list'`); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"date", "list"} {
		if _, err := st.Article(ctx, id); err == nil || errors.Is(err, store.ErrNotFound) {
			t.Errorf("Article(%s) with a damaged row: err %v, want a decoding error", id, err)
		}
	}
	if _, err := st.Stories(ctx); err == nil {
		t.Error("Stories with a damaged tally: no error")
	}
	if _, err := st.StoriesPage(ctx, store.StoryQuery{}); err == nil {
		t.Error("StoriesPage with a damaged tally: no error")
	}
}

// TestTwoHandlesOneFile: two Stores on one file (as two processes would be)
// write at the same time; the busy timeout and IMMEDIATE transactions make
// both succeed.
func TestTwoHandlesOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dossier.db")
	var stores [2]*Store
	for i := range stores {
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		stores[i] = st
	}
	const each = 25
	var wg sync.WaitGroup
	errs := make([]error, len(stores))
	for i, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				if err := st.Put(ctx, article(fmt.Sprintf("h%d-%d", i, j)), store.State{}); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for i, st := range stores {
		if n := countArticles(t, st); n != 2*each {
			t.Errorf("store %d sees %d articles, want %d", i, n, 2*each)
		}
	}
}

// TestOthersMark: a store's own writes leave its mark, another handle's
// write on the same file moves it.
func TestOthersMark(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dossier.db")
	mine, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mark := func() int64 {
		t.Helper()
		m, err := mine.OthersMark(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := mark()
	for i := range 3 {
		if err := mine.Put(ctx, article(fmt.Sprintf("own-%d", i)), store.State{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := mine.Batch(ctx, func(ctx context.Context) error {
		return mine.Put(ctx, article("own-batch"), store.State{})
	}); err != nil {
		t.Fatal(err)
	}
	if got := mark(); got != before {
		t.Errorf("own writes moved the mark %d -> %d", before, got)
	}
	if err := other.Put(ctx, article("theirs"), store.State{}); err != nil {
		t.Fatal(err)
	}
	if got := mark(); got == before {
		t.Errorf("another handle's write left the mark at %d", got)
	}
}

// TestQueryPlans keeps the interface's lookups on indexes: a full scan here
// would make each ingested article cost time proportional to the store.
func TestQueryPlans(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	// sort: the rows sorted are a few (one story's moves, one prefix's
	// aliases), never the store.
	tests := []struct {
		query, want string
		sort        bool
	}{
		{`SELECT id FROM articles WHERE fingerprint = 'x' AND duplicate_of = '' ORDER BY seq LIMIT 1`, "INDEX articles_fingerprint", false},
		{`SELECT id FROM articles WHERE duplicate_of = '' ORDER BY seq`, "INDEX articles_canonical", false},
		{`SELECT id FROM articles a WHERE a.story_id = 'x' ORDER BY a.seq`, "INDEX articles_story", false},
		{articleQuery + ` WHERE a.id = 'x' ORDER BY q.ordinal`, "(id=?)", false},
		{`SELECT id FROM articles WHERE duplicate_of = 'x' AND duplicate_of <> '' ORDER BY seq`, "INDEX articles_copies (duplicate_of=?)", false},
		{`SELECT so.article_id FROM sources so JOIN articles a ON a.id = so.article_id WHERE so.key = 'k' AND so.digest = 'd'`, "PRIMARY KEY (key=?)", false},
		{`DELETE FROM sources WHERE article_id = 'x'`, "INDEX sources_article (article_id=?)", false},
		{`SELECT id FROM articles WHERE id >= 'a1' AND id < 'a2'
			UNION SELECT al.id FROM aliases al JOIN articles t ON t.id = al.id
			WHERE al.kind = 'article' AND al.old >= 'a1' AND al.old < 'a2' ORDER BY 1 LIMIT 6`, "(id>? AND id<?)", true},
		{`SELECT al.id FROM aliases al WHERE al.kind = 'article' AND al.old >= 'a1' AND al.old < 'a2'`, "PRIMARY KEY (kind=? AND old>? AND old<?)", false},
		{`UPDATE aliases SET id = 'y' WHERE kind = 'story' AND id = 'x'`, "INDEX aliases_target (kind=? AND id=?)", false},
		{strings.ReplaceAll(movesQuery, "?1", "'x'"), "INDEX moves_from (from_story=?); INDEX 2; SEARCH moves USING INDEX moves_to (to_story=?)", true},
		{`SELECT id FROM stories WHERE (last_ns, created, id) < (1, 2, 'x') AND last_ns >= 0 ORDER BY last_ns DESC, created DESC, id DESC LIMIT 51`, "INDEX stories_recent", false},
		{`SELECT id FROM stories ORDER BY size DESC, created`, "INDEX stories_size", false},
		{`SELECT h, n FROM terms WHERE h IN (1, 2)`, "INTEGER PRIMARY KEY (rowid=?)", false},
		{`SELECT b.band, b.ord, a.article_id FROM band_articles b JOIN article_bands a ON a.ord = b.ord WHERE b.level IN (SELECT level FROM band_levels) AND b.band IN (1, 2)`, "SEARCH b USING PRIMARY KEY (level=? AND band=?)", false},
		{`DELETE FROM band_articles WHERE level IN (SELECT level FROM band_levels) AND band = 1 AND ord = 2`, "PRIMARY KEY (level=? AND band=? AND ord=?)", false},
		{`DELETE FROM band_articles WHERE level = 1`, "PRIMARY KEY (level=?)", false},
		{`SELECT c.n, s.story_id FROM story_key_counts c LEFT JOIN story_keys s ON c.n <= 3 AND s.key = c.key WHERE c.key = 'k'`, "SEARCH c USING PRIMARY KEY (key=?); SEARCH s USING PRIMARY KEY (key=?)", false},
		{`SELECT article_id FROM article_bands WHERE article_id = 'x'`, "(article_id=?)", false},
		{`SELECT story_id, state FROM story_states WHERE story_id IN ('a', 'b')`, "(story_id=?)", false},
	}
	for _, tc := range tests {
		if p := queryPlan(t, st, tc.query); !strings.Contains(p, tc.want) || (!tc.sort && strings.Contains(p, "TEMP B-TREE FOR ORDER BY")) {
			t.Errorf("plan of %.60q: %s; want %s and no sort", tc.query, p, tc.want)
		}
	}
}

func countArticles(t *testing.T, st *Store) int {
	t.Helper()
	n := 0
	if err := st.Articles(context.Background(), func(dossier.Article) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// FuzzDecode: whatever text is found in a move's time or a list column,
// decoding returns a value or an error, and a decoded time encodes back to
// an equal one.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "2026-03-14T09:30:00+09:00", "2026-03-14T09:30:00.5Z", "[]", `["a","b"]`, "null", "{", "9999-12-31T23:59:59-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, err := decodeText(sql.NullString{String: s, Valid: true}); err == nil && !tm.IsZero() {
			enc, err := encodeText(tm)
			if err != nil {
				t.Fatalf("decoded %q to %v, which does not encode: %v", s, tm, err)
			}
			back, err := decodeText(sql.NullString{String: enc.(string), Valid: true})
			if err != nil || !back.Equal(tm) {
				t.Fatalf("%q -> %v -> %q -> %v, %v", s, tm, enc, back, err)
			}
		}
		_, _ = decodeList(sql.NullString{String: s, Valid: true})
		// A damaged packed blob inflates to bytes or fails; packing what it
		// gave and unpacking comes back the same.
		var p packer
		if out, err := p.unpack([]byte(s)); err == nil {
			packed, err := p.pack(out)
			if err != nil {
				t.Fatal(err)
			}
			if back, err := p.unpack(packed); err != nil || !bytes.Equal(back, out) {
				t.Fatalf("%q inflated to %q, which does not round-trip: %q, %v", s, out, back, err)
			}
		}
		_, _ = p.decodeComparison([]byte(s))
	})
}

// FuzzTimeRoundTrip: every time the store accepts comes back as the same
// instant in the same offset, and whatever integers a damaged row holds
// decode to a time or an error.
func FuzzTimeRoundTrip(f *testing.F) {
	f.Add(int64(1773448200), int64(0), int32(9*3600))
	f.Add(int64(0), int64(999999999), int32(-5*3600))
	f.Add(int64(-9e9), int64(5), int32(86399))
	f.Fuzz(func(t *testing.T, sec, nsec int64, off int32) {
		_, _ = decodeTime(sql.NullInt64{Int64: sec, Valid: true}, sql.NullInt64{Int64: int64(off), Valid: true})
		off %= 24 * 3600
		in := time.Unix(sec, nsec%1e9).In(time.FixedZone("", int(off)))
		ns, offset, err := encodeTime(in)
		if err != nil || ns == nil {
			return // outside the years an instant in nanoseconds holds
		}
		out, err := decodeTime(sql.NullInt64{Int64: ns.(int64), Valid: true}, sql.NullInt64{Int64: offset.(int64), Valid: true})
		if err != nil {
			t.Fatalf("%v encoded as %v %v does not decode: %v", in, ns, offset, err)
		}
		_, wantOff := in.Zone()
		if _, gotOff := out.Zone(); !out.Equal(in) || gotOff != wantOff {
			t.Fatalf("%v came back as %v", in, out)
		}
	})
}

// BenchmarkPut measures storing typical articles, one transaction each.
func BenchmarkPut(b *testing.B) {
	st := openTemp(b)
	defer st.Close()
	ctx := context.Background()
	para := strings.Repeat("Harbour officials met the crews again on Monday to discuss the roster. ", 12)
	text := strings.TrimSpace(strings.Repeat(para+"\n\n", 8))
	sig := make([]byte, 512)
	feat := make([]byte, 2048)
	for i := 0; b.Loop(); i++ {
		a := article(fmt.Sprintf("bench-%d", i))
		a.Text = text
		a.StoryID = fmt.Sprintf("story-%d", i%50)
		a.Quotes = nil
		for q := 0; q < 6; q++ {
			a.Quotes = append(a.Quotes, dossier.Quote{Text: "the roster", Speaker: fmt.Sprintf("Speaker %d", q%3), Start: 10, End: 20, Cue: "said"})
		}
		if err := st.Put(ctx, a, store.State{Signature: sig, Features: feat}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// fill stores n benchmark articles over n/20 stories.
func fill(b *testing.B, st *Store, n int) {
	b.Helper()
	for i := 0; i < n; i++ {
		a := article(fmt.Sprintf("read-%d", i))
		a.StoryID = fmt.Sprintf("story-%d", i%(n/20+1))
		a.Text = strings.Repeat(a.Text+" ", 40)
		if err := st.Put(context.Background(), a, store.State{Signature: make([]byte, 512)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArticles measures streaming the whole store, as export does.
func BenchmarkArticles(b *testing.B) {
	st := openTemp(b)
	defer st.Close()
	const n = 1000
	fill(b, st, n)
	for b.Loop() {
		count := 0
		if err := st.Articles(context.Background(), func(dossier.Article) error { count++; return nil }); err != nil || count != n {
			b.Fatalf("%d articles, %v", count, err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkStories measures aggregating every story.
func BenchmarkStories(b *testing.B) {
	st := openTemp(b)
	defer st.Close()
	fill(b, st, 1000)
	for b.Loop() {
		if _, err := st.Stories(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// queryPlan is SQLite's plan for a query, its steps joined by "; ".
func queryPlan(t *testing.T, st *Store, query string, args ...any) string {
	t.Helper()
	rows, err := st.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}
