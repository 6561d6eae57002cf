package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dossier.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func ingestPaths(t *testing.T, ctx context.Context, st store.Store, paths ...string) (ingest.Summary, error) {
	t.Helper()
	in, err := ingest.New(ctx, st, ingest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, problems := source.List(paths)
	if len(problems) > 0 {
		t.Fatalf("list: %v", problems)
	}
	return in.Run(ctx, files, nil, nil)
}

// articles returns the stored articles keyed by file name (name#N for JSONL lines).
func articles(t *testing.T, st store.Store) map[string]dossier.Article {
	t.Helper()
	out := map[string]dossier.Article{}
	err := st.Articles(context.Background(), func(a dossier.Article) error {
		out[filepath.Base(a.Source)] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRun(t *testing.T) {
	st := openStore(t)
	sum, err := ingestPaths(t, context.Background(), st, "testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 4 || sum.New != 4 || sum.Duplicates != 1 || sum.Failed != 1 {
		t.Errorf("summary %+v: want read 4, new 4, duplicates 1, failed 1", sum)
	}
	if len(sum.Problems) != 1 || !strings.HasSuffix(sum.Problems[0].Source, "wire.jsonl#2") {
		t.Errorf("problems %v: want the malformed line wire.jsonl#2", sum.Problems)
	}
	got := articles(t, st)
	orig, dup := got["tide-herald.txt"], got["tide-mirror.txt"]
	t.Run("exact copy linked", func(t *testing.T) {
		if orig.DuplicateOf != "" || dup.DuplicateOf != orig.ID {
			t.Errorf("copy: duplicate_of %q, want %q; original duplicate_of %q", dup.DuplicateOf, orig.ID, orig.DuplicateOf)
		}
		if dup.StoryID != orig.StoryID {
			t.Errorf("copy in story %s, original in %s", dup.StoryID, orig.StoryID)
		}
		if len(dup.Quotes) != 0 {
			t.Errorf("a copy is not quoted twice: %d quotes", len(dup.Quotes))
		}
		if len(orig.Quotes) == 0 {
			t.Errorf("the original has quotes; none found")
		}
	})
	t.Run("stories", func(t *testing.T) {
		wire, garden := got["wire.jsonl#1"], got["wire.jsonl#3"]
		if wire.StoryID != orig.StoryID {
			t.Errorf("two reports of the pier collapse in stories %s and %s", wire.StoryID, orig.StoryID)
		}
		if garden.StoryID == orig.StoryID {
			t.Errorf("the unrelated article joined the pier story")
		}
	})
	t.Run("record fields kept", func(t *testing.T) {
		wire := got["wire.jsonl#1"]
		if wire.Outlet != "Coast Wire" || wire.URL != "https://coastwire.example/pier" || strings.Join(wire.Authors, ",") != "Rui Tamsin" {
			t.Errorf("record fields: outlet %q url %q authors %q", wire.Outlet, wire.URL, wire.Authors)
		}
		if got := wire.Published.Format("2006-01-02T15:04:05-07:00"); got != "2025-06-02T11:30:00+01:00" {
			t.Errorf("published %s, want the stated time and offset", got)
		}
	})
	t.Run("idempotent", func(t *testing.T) {
		again, err := ingestPaths(t, context.Background(), st, "testdata/run")
		if err != nil {
			t.Fatal(err)
		}
		if again.New != 0 || again.Updated != 0 || again.Unchanged != 4 {
			t.Errorf("second run %+v: want 4 unchanged", again)
		}
		after := articles(t, st)
		for name, a := range got {
			if b := after[name]; b.ID != a.ID || b.StoryID != a.StoryID || b.DuplicateOf != a.DuplicateOf {
				t.Errorf("%s changed on re-ingest: %+v → %+v", name, a.StoryID, b.StoryID)
			}
		}
	})
}

// TestTwoRunsEqualOne checks that the streaming state is rebuilt from the store:
// a corpus ingested in two runs gives the same stories and copies as in one.
func TestTwoRunsEqualOne(t *testing.T) {
	one := openStore(t)
	if _, err := ingestPaths(t, context.Background(), one, "testdata/run"); err != nil {
		t.Fatal(err)
	}
	two := openStore(t)
	for _, p := range []string{"testdata/run/tide-herald.txt", "testdata/run/wire.jsonl", "testdata/run/tide-mirror.txt"} {
		if _, err := ingestPaths(t, context.Background(), two, p); err != nil {
			t.Fatal(err)
		}
	}
	a, b := articles(t, one), articles(t, two)
	for name, x := range a {
		y := b[name]
		if x.ID != y.ID || x.StoryID != y.StoryID || x.DuplicateOf != y.DuplicateOf {
			t.Errorf("%s: one run (story %s, copy of %q), two runs (story %s, copy of %q)", name, x.StoryID, x.DuplicateOf, y.StoryID, y.DuplicateOf)
		}
	}
}

// cancelAfterPut cancels the run once the first article is stored.
type cancelAfterPut struct {
	store.Store
	cancel context.CancelFunc
}

func (c cancelAfterPut) Put(ctx context.Context, a *dossier.Article, st store.State) error {
	err := c.Store.Put(ctx, a, st)
	c.cancel()
	return err
}

func TestInterruptedRunResumes(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := ingestPaths(t, ctx, cancelAfterPut{st, cancel}, "testdata/run")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err %v, want context.Canceled", err)
	}
	// The transaction under way when the interrupt came is finished: the
	// first article and whatever was ready to go with it (all of them, when
	// the workers were quick).
	stored := articles(t, st)
	if len(stored) == 0 {
		t.Fatal("nothing stored after an interrupt at the first article")
	}
	for _, a := range stored {
		if a.Text == "" || a.StoryID == "" {
			t.Errorf("half-written article: %+v", a)
		}
	}
	sum, err := ingestPaths(t, context.Background(), st, "testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != len(stored) || sum.New != 4-len(stored) {
		t.Errorf("resumed run %+v: want %d unchanged, %d new", sum, len(stored), 4-len(stored))
	}
}

// TestMoreWorkersThanReaders runs with many more workers than the store
// has reader connections, as on a machine with many cores: the stages that
// read the store from every worker at once must not wait on each other.
func TestMoreWorkersThanReaders(t *testing.T) {
	dir := t.TempDir()
	places := []string{"Arnholt", "Bexmoor", "Cadwell", "Dunmere", "Elstow", "Farrowby", "Glenrise", "Harlow Cove",
		"Ivybridge", "Jarrow Mills", "Kestrel Bay", "Lowfield", "Marchbank", "Northam", "Oakhurst", "Pellworth"}
	for i, p := range places {
		text := fmt.Sprintf("%s reservoir reopens\n\nEngineers in %s finished the repair of the dam on the %s river after %d weeks. "+
			"\"The water is safe to drink again,\" said %s Mayor Ada Quill%d. Residents of %s had queued for bottled water.\n",
			p, p, p, i+3, p, i, p)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%02d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st := openStore(t)
	cfg := ingest.DefaultConfig()
	cfg.Workers = 32
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, problems := source.List([]string{dir})
	if len(problems) > 0 {
		t.Fatalf("list: %v", problems)
	}
	sum, err := in.Run(ctx, files, nil, nil)
	if err != nil {
		t.Fatalf("run with 32 workers: %v", err)
	}
	if sum.New != len(places) || sum.Compared == 0 {
		t.Errorf("summary %+v: want %d new and stories compared", sum, len(places))
	}
}

// TestUnlockRelock: an unlocked Ingester leaves the writer lock to others
// and refuses to run until it takes the lock again.
func TestUnlockRelock(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	in, err := ingest.New(ctx, st, ingest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, _ := source.List([]string{"../../examples"})
	if err := in.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Run(ctx, files, nil, nil); err == nil {
		t.Error("an unlocked Ingester ran")
	}
	other, err := ingest.New(ctx, st, ingest.Config{Dedup: ingest.DefaultConfig().Dedup, Cluster: ingest.DefaultConfig().Cluster, NoWait: true})
	if err != nil {
		t.Fatalf("the lock is not free after Unlock: %v", err)
	}
	other.Close()
	if err := in.Relock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.New(ctx, st, ingest.Config{Dedup: ingest.DefaultConfig().Dedup, Cluster: ingest.DefaultConfig().Cluster, NoWait: true}); err == nil {
		t.Error("another writer got the lock after Relock")
	}
	if sum, err := in.Run(ctx, files, nil, nil); err != nil || sum.New == 0 {
		t.Errorf("after Relock: %+v %v", sum, err)
	}
}

// TestDateInTitleField: a record whose title field holds only a dateline
// is dated by it, and its headline is the text's first line.
func TestDateInTitleField(t *testing.T) {
	st := openStore(t)
	if _, err := ingestPaths(t, context.Background(), st, "testdata/datetitle"); err != nil {
		t.Fatal(err)
	}
	got := articles(t, st)
	for _, tc := range []struct {
		source, title, published string
	}{
		{"records.jsonl#1", "Harbour bridge reopens after repairs", "2020-03-04T10:15:00Z"},
		{"records.jsonl#2", "Ferry crews return to the shipyard", "2020-03-10"},
		{"records.jsonl#3", "Spring tide floods the lower quay", ""},
	} {
		a, ok := got[tc.source]
		if !ok {
			t.Errorf("%s: not stored", tc.source)
			continue
		}
		if a.Title != tc.title {
			t.Errorf("%s: title %q, want %q", tc.source, a.Title, tc.title)
		}
		var pub string
		if !a.Published.IsZero() {
			pub = a.Published.UTC().Format(time.RFC3339)
			if len(tc.published) == 10 {
				pub = a.Published.Format(time.DateOnly)
			}
		}
		if pub != tc.published {
			t.Errorf("%s: published %q, want %q", tc.source, pub, tc.published)
		}
		if strings.Contains(a.Text, "2020") {
			t.Errorf("%s: the dateline is in the text: %q", tc.source, a.Text)
		}
	}
}
