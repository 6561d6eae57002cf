package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/export"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// TestTemplateShrinks: a template that takes more than furniture (here a
// story's background paragraph, as a wider template once learned might)
// takes it out of the stored pages; when the template learned next no
// longer holds it, it comes back, each time with a trace, and the texts
// are again what they were.
func TestTemplateShrinks(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dossier.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 6, 21, 8, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	cfg.Now = func() time.Time { return now }
	in, err := New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, problems := source.List([]string{"testdata/templates/courier.jsonl"})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if _, err := in.Run(ctx, files, nil, nil); err != nil {
		t.Fatal(err)
	}
	const outlet = "Gullhaven Courier"
	const background = "The lighthouse at Skarvik Point was built of granite in 1871 and has stood unlit since the keepers left in 1968."
	learned := in.templates[outlet]
	if learned == nil || len(learned.Lines) != 2 || slices.Contains(learned.Lines, background) {
		t.Fatalf("learned template %+v: want the menu and footer", learned)
	}
	texts := func() map[string]string {
		out := map[string]string{}
		if err := st.Articles(ctx, func(a dossier.Article) error {
			out[a.ID] = a.Text
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := texts()

	wide := clean.LoadTemplate(append(slices.Clone(learned.Lines), background))
	in.templates[outlet] = &wide
	row := in.learned[outlet]
	row.Lines, row.Version = wide.Lines, wide.Version
	in.learned[outlet] = row
	var sum Summary
	if err := in.atomically(ctx, func(ctx context.Context) error {
		return in.reclean(ctx, outlet, &wide, &sum, map[string]bool{})
	}); err != nil {
		t.Fatal(err)
	}
	if sum.Recleaned != 3 {
		t.Errorf("the wide template cleaned %d pages again, want the 3 lighthouse pages", sum.Recleaned)
	}
	for id, text := range texts() {
		if strings.Contains(text, background) {
			t.Errorf("%s keeps the paragraph of the wide template", id)
		}
	}

	// The next round, once enough pages came to learn again, learns the
	// template of furniture alone.
	in.teach[outlet] += 2
	s, err := in.Settle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Recleaned != 3 {
		t.Errorf("the shrunk template cleaned %d pages again, want 3", s.Recleaned)
	}
	if got := in.templates[outlet]; got.Version != learned.Version {
		t.Errorf("template %q after the round, want %q", got.Lines, learned.Lines)
	}
	if after := texts(); !reflect.DeepEqual(after, before) {
		t.Errorf("texts differ from before the wide template")
	}
	lighthouse := 0
	ids, err := st.OutletArticles(ctx, outlet, 0)
	if err != nil || len(ids) != 11 {
		t.Fatalf("the courier's articles: %v, %v; want 11", ids, err)
	}
	for _, id := range ids {
		text := before[id]
		rs, err := st.Recleans(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, background) {
			if len(rs) != 1 {
				t.Errorf("%s: %d traces, want the first round's", id, len(rs))
			}
			continue
		}
		lighthouse++
		want := []store.Reclean{
			{Article: id, At: now, Version: learned.Version, Removed: 2},
			{Article: id, At: now, Version: wide.Version, Removed: 1},
			{Article: id, At: now, Version: learned.Version, Restored: 1},
		}
		if !reflect.DeepEqual(rs, want) {
			t.Errorf("%s: traces %+v, want %+v", id, rs, want)
		}
	}
	if lighthouse != 3 {
		t.Errorf("%d lighthouse pages, want 3", lighthouse)
	}
}

// TestRestore: paragraphs go back at their places, whatever order they
// are kept in, and out of range ones at the end.
func TestRestore(t *testing.T) {
	tests := []struct {
		text    string
		removed []store.RemovedParagraph
		want    []string
	}{
		{"b\n\nd", []store.RemovedParagraph{{Index: 2, Text: "c"}, {Index: 0, Text: "a"}}, []string{"a", "b", "c", "d"}},
		{"a\n\nb", nil, []string{"a", "b"}},
		{"a", []store.RemovedParagraph{{Index: 1, Text: "b"}, {Index: 2, Text: "c"}}, []string{"a", "b", "c"}},
		{"a", []store.RemovedParagraph{{Index: 7, Text: "z"}}, []string{"a", "z"}},
	}
	for _, tc := range tests {
		if got := restore(tc.text, store.Furniture{Removed: tc.removed}); !slices.Equal(got, tc.want) {
			t.Errorf("restore(%q, %v) = %q, want %q", tc.text, tc.removed, got, tc.want)
		}
	}
	// strip and restore are inverse, and strip never leaves nothing.
	tmpl := clean.LoadTemplate([]string{"menu", "footer"})
	paras := []string{"menu", "body one", "footer", "body two"}
	kept, removed := strip(&tmpl, paras)
	if !slices.Equal(kept, []string{"body one", "body two"}) {
		t.Errorf("kept %q", kept)
	}
	if got := restore(strings.Join(kept, "\n\n"), store.Furniture{Removed: removed}); !slices.Equal(got, paras) {
		t.Errorf("restored %q, want %q", got, paras)
	}
	if kept, removed := strip(&tmpl, []string{"menu", "footer"}); len(removed) != 0 || len(kept) != 2 {
		t.Errorf("a page of furniture alone lost %v", removed)
	}
}

// TestTemplateRoundsInStream: rounds of learning inside a stream fall at
// the same articles with one worker, with several, and applied in
// batches of another size, so the stores agree.
func TestTemplateRoundsInStream(t *testing.T) {
	ctx := context.Background()
	paths := []string{"testdata/templates/courier.jsonl", "testdata/templates/later.jsonl"}
	open := func(t *testing.T, workers int) (*sqlite.Store, *Ingester) {
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dossier.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		cfg := DefaultConfig()
		cfg.Workers = workers
		cfg.Now = func() time.Time { return time.Date(2026, 6, 22, 8, 0, 0, 0, time.UTC) }
		in, err := New(ctx, st, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { in.Close() })
		in.roundEvery = 4
		return st, in
	}
	files, problems := source.List(paths)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var want map[string][]byte
	for _, workers := range []int{1, 6} {
		st, in := open(t, workers)
		sum, err := in.Run(ctx, files, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Recleaned == 0 {
			t.Fatalf("%d workers: no page cleaned again: %+v", workers, sum)
		}
		got := exportOf(t, st)
		if want == nil {
			want = got
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("%d workers store another export than one", workers)
		}
	}
	st, in := open(t, 1)
	prep, err := NewPreparer(st, in.cfg)
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]byte
	for _, f := range files {
		if err := source.Read(ctx, f, nil, func(d source.Document) error {
			b, err := EncodeDocument(d)
			docs = append(docs, b)
			return err
		}, func(source.Problem) {}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < len(docs); i += 3 {
		var results [][]byte
		for _, d := range docs[i:min(i+3, len(docs))] {
			r, err := prep.Prepare(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, r)
		}
		if _, err := in.Apply(ctx, results, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := in.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if got := exportOf(t, st); !reflect.DeepEqual(got, want) {
		t.Errorf("applied in batches of 3: another export than Run's")
	}
}

func exportOf(t *testing.T, st store.Store) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if _, err := export.Write(context.Background(), st, dir); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, name := range []string{"articles.jsonl", "stories.jsonl"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// FuzzRestore: restore never fails on what a store gives back, keeps
// every paragraph, and undoes strip.
func FuzzRestore(f *testing.F) {
	f.Add("menu\n\nbody\n\nfooter", "menu", "footer", 3, "x")
	f.Fuzz(func(t *testing.T, text, l1, l2 string, index int, removed string) {
		paras := strings.Split(text, "\n\n")
		tmpl := clean.LoadTemplate([]string{l1, l2})
		kept, rm := strip(&tmpl, paras)
		if got := restore(strings.Join(kept, "\n\n"), store.Furniture{Removed: rm}); len(rm) > 0 && !slices.Equal(got, paras) {
			t.Fatalf("restore(strip(%q)) = %q", paras, got)
		}
		got := restore(text, store.Furniture{Removed: []store.RemovedParagraph{{Index: index, Text: removed}}})
		if len(got) != len(paras)+1 || !slices.Contains(got, removed) {
			t.Fatalf("restore lost a paragraph: %q", got)
		}
	})
}

// TestTemplateRelearn: an outlet's template is learned again only once it
// got a tenth as many articles as it was learned from; until then the
// round counts them.
func TestTemplateRelearn(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dossier.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 6, 23, 8, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	cfg.Now = func() time.Time { return now }
	in, err := New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, _ := source.List([]string{"testdata/templates/courier.jsonl"})
	if _, err := in.Run(ctx, files, nil, nil); err != nil {
		t.Fatal(err)
	}
	const outlet = "Gullhaven Courier"
	learnedAt := now
	tests := []struct {
		teach           int
		fresh           int
		learnedAgainNow bool
	}{
		{teach: 1, fresh: 1},                        // 10 < 11 pages
		{teach: 1, fresh: 0, learnedAgainNow: true}, // 20 >= 11
		{teach: 0, fresh: 0},                        // no articles: not even counted
	}
	for i, tc := range tests {
		now = now.Add(time.Hour)
		if tc.teach > 0 {
			in.teach[outlet] += tc.teach
		}
		if _, err := in.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if tc.learnedAgainNow {
			learnedAt = now
		}
		ts, err := st.Templates(ctx)
		if err != nil || len(ts) != 1 || ts[0].Fresh != tc.fresh || !ts[0].LearnedAt.Equal(learnedAt) || ts[0].Pages != 11 {
			t.Errorf("round %d: templates %+v, %v; want fresh %d, learned at %v", i+1, ts, err, tc.fresh, learnedAt)
		}
	}
}
