package postgres

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// halves writes the first and second half of a JSONL stream's lines to
// two files.
func halves(t *testing.T, path string) (string, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "first.jsonl"), filepath.Join(dir, "second.jsonl")
	for _, p := range []struct {
		path  string
		lines [][]byte
	}{{a, lines[:len(lines)/2]}, {b, lines[len(lines)/2:]}} {
		if err := os.WriteFile(p.path, append(bytes.Join(p.lines, []byte("\n")), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}

// TestImportSQLite moves a store made from half a dev stream to
// PostgreSQL, wants the same export, history and state, then ingests the
// second half into both and wants the same export again: the streaming
// state came across whole.
func TestImportSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a dev stream twice")
	}
	server(t)
	ctx := context.Background()
	first, second := halves(t, filepath.Join(evaldata.Dir(t, "eval/ecbplus-dev"), "stream.jsonl"))
	path := filepath.Join(t.TempDir(), "dossier.db")
	lite, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	ingestAt(t, lite, first)
	if err := lite.Alias(ctx, store.KindStory, "s0ld", firstStory(t, lite)); err != nil {
		t.Fatal(err)
	}
	subs := []store.Subscription{
		{URL: "https://quay-post.example/feed.xml", Added: time.Unix(1700000000, 0), Status: "ok", New: 3, ETag: `"q7"`,
			Items: map[string]string{"https://quay-post.example/a/1": "g1|"}},
		{URL: "https://quay-post.example/sitemap.xml", Added: time.Unix(1700000100, 0)},
	}
	for _, sub := range subs {
		if err := lite.PutSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}

	// A template and a trace, so that the copy of both is checked even
	// when the stream teaches none.
	if err := lite.PutTemplate(ctx, store.Template{Outlet: "Quay Post", Lines: []string{"Quay Post menu"}, Version: "v-quay",
		LearnedAt: time.Unix(1700000200, 0).UTC(), Pages: 12}); err != nil {
		t.Fatal(err)
	}
	if err := lite.AddReclean(ctx, store.Reclean{Article: firstArticle(t, lite), At: time.Unix(1700000300, 0).UTC(),
		Version: "v-quay", Removed: 2, Restored: 1}); err != nil {
		t.Fatal(err)
	}

	pg := openTemp(t)
	defer pg.Close()
	sum, err := pg.ImportSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %+v", sum)
	compareStores(t, "after the import", lite, pg, true)
	if got, err := pg.Subscriptions(ctx); err != nil || len(got) != 2 || got[0].URL != subs[0].URL || got[0].ETag != subs[0].ETag ||
		!got[0].Added.Equal(subs[0].Added) || !reflect.DeepEqual(got[0].Items, subs[0].Items) || got[1].URL != subs[1].URL {
		t.Errorf("subscriptions after the import: %+v, %v", got, err)
	}
	if _, err := pg.ImportSQLite(ctx, path); err == nil {
		t.Error("a second import into a store no longer empty succeeded")
	}

	ingestAt(t, lite, second)
	ingestAt(t, pg, second)
	compareStores(t, "after the second half", lite, pg, false)
}

func firstArticle(t *testing.T, st store.Store) string {
	t.Helper()
	page, err := st.ArticlesPage(context.Background(), store.ArticleQuery{Limit: 1})
	if err != nil || len(page.Articles) == 0 {
		t.Fatalf("ArticlesPage: %+v, %v", page, err)
	}
	return page.Articles[0].ID
}

func firstStory(t *testing.T, st store.Store) string {
	t.Helper()
	page, err := st.StoriesPage(context.Background(), store.StoryQuery{Limit: 1})
	if err != nil || len(page.Stories) == 0 {
		t.Fatalf("StoriesPage: %+v, %v", page, err)
	}
	return page.Stories[0].ID
}

// compareStores wants the same exports, moves, aliases, uncompared
// stories and term counts from both stores.
func compareStores(t *testing.T, when string, lite, pg store.Store, sameTimes bool) {
	t.Helper()
	ctx := context.Background()
	want, got := exportFiles(t, lite), exportFiles(t, pg)
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s: %s differs (%d vs %d bytes) at byte %d", when, name, len(got[name]), len(b), firstDiff(got[name], b))
		}
	}
	stories, err := lite.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, s := range stories {
		wm, err1 := lite.Moves(ctx, s.ID)
		gm, err2 := pg.Moves(ctx, s.ID)
		if !sameTimes {
			// A move's time is the clock's when it was made: two
			// ingests made them at two times.
			for _, ms := range [][]store.Move{wm, gm} {
				for i := range ms {
					ms[i].At = time.Time{}
				}
			}
		}
		if err1 != nil || err2 != nil || !reflect.DeepEqual(wm, gm) {
			t.Errorf("%s: moves of %s differ: %v, %v", when, s.ID, err1, err2)
		}
		if len(s.Speakers) > 0 {
			terms = append(terms, s.Speakers[0].Name)
		}
		terms = append(terms, s.Title)
	}
	wt, err1 := lite.Templates(ctx)
	gt, err2 := pg.Templates(ctx)
	if !sameTimes {
		for _, ts := range [][]store.Template{wt, gt} {
			for i := range ts {
				ts[i].LearnedAt = time.Time{}
			}
		}
	}
	if err1 != nil || err2 != nil || !reflect.DeepEqual(wt, gt) {
		t.Errorf("%s: templates differ: %+v, %+v (%v, %v)", when, gt, wt, err1, err2)
	}
	// Each article's furniture and traces.
	err = lite.Articles(ctx, func(a dossier.Article) error {
		ws, _, err1 := lite.Saved(ctx, a.ID)
		gs, _, err2 := pg.Saved(ctx, a.ID)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(ws.Furniture, gs.Furniture) {
			t.Errorf("%s: furniture of %s differs: %+v, %+v (%v, %v)", when, a.ID, gs.Furniture, ws.Furniture, err1, err2)
		}
		wr, err1 := lite.Recleans(ctx, a.ID)
		gr, err2 := pg.Recleans(ctx, a.ID)
		if !sameTimes {
			for _, rs := range [][]store.Reclean{wr, gr} {
				for i := range rs {
					rs[i].At = time.Time{}
				}
			}
		}
		if err1 != nil || err2 != nil || !reflect.DeepEqual(wr, gr) {
			t.Errorf("%s: traces of %s differ: %+v, %+v (%v, %v)", when, a.ID, gr, wr, err1, err2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := resolveOrErr(lite), resolveOrErr(pg); a != b {
		t.Errorf("%s: the alias resolves to %q on SQLite, %q on PostgreSQL", when, a, b)
	}
	wu, _ := lite.Uncompared(ctx)
	gu, _ := pg.Uncompared(ctx)
	if !slices.Equal(wu, gu) {
		t.Errorf("%s: uncompared %v, want %v", when, gu, wu)
	}
	wd, wc, err1 := lite.TermCounts(ctx, terms)
	gd, gc, err2 := pg.TermCounts(ctx, terms)
	if err1 != nil || err2 != nil || wd != gd || !reflect.DeepEqual(wc, gc) {
		t.Errorf("%s: term counts differ: docs %d vs %d (%v, %v)", when, gd, wd, err1, err2)
	}
}

// resolveOrErr is what the alias the test made names, or "error".
func resolveOrErr(st store.Store) string {
	id, err := st.Resolve(context.Background(), store.KindStory, "s0ld")
	if err != nil {
		return "error"
	}
	return id
}
