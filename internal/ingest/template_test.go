package ingest_test

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// The lines of testdata/templates that matter: the courier's menu and
// footer, which every one of its pages carries, and a background
// paragraph that only the pages of its lighthouse story repeat.
const (
	courierMenu   = "Harbour news, county sport, the tide tables and our letters page are on the front page every day."
	courierFooter = "The Gullhaven Courier is printed in Gullhaven and delivered along the northern coast each morning."
	lighthouseBG  = "The lighthouse at Skarvik Point was built of granite in 1871 and has stood unlit since the keepers left in 1968."
	courier       = "Gullhaven Courier"
)

var templateNow = time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)

func templateConfig(workers int) ingest.Config {
	cfg := ingest.DefaultConfig()
	cfg.Workers = workers
	cfg.Now = func() time.Time { return templateNow }
	return cfg
}

func runWith(t *testing.T, st store.Store, cfg ingest.Config, paths ...string) ingest.Summary {
	t.Helper()
	ctx := context.Background()
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, problems := source.List(paths)
	if len(problems) > 0 {
		t.Fatalf("list: %v", problems)
	}
	sum, err := in.Run(ctx, files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestTemplateThroughIngest: an outlet's menu and footer, on its pages of
// five stories, become its template; its stored pages lose them with a
// trace, a later page comes in without them, a story's own background
// paragraph stays, and another outlet's page keeps its lines.
func TestTemplateThroughIngest(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	sum := runWith(t, st, templateConfig(2), "testdata/templates/courier.jsonl")
	if sum.New != 12 || sum.Recleaned != 11 {
		t.Errorf("summary %+v: want 12 new, 11 cleaned again", sum)
	}
	ts, err := st.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantLines := []string{courierMenu, courierFooter}
	slices.Sort(wantLines)
	if len(ts) != 1 || ts[0].Outlet != courier || !slices.Equal(ts[0].Lines, wantLines) || ts[0].Pages != 11 ||
		!ts[0].LearnedAt.Equal(templateNow) || ts[0].Version == "" {
		t.Fatalf("templates %+v: want the courier's, of its menu and footer, from 11 pages", ts)
	}
	version := ts[0].Version

	checkCourier := func(t *testing.T, a dossier.Article, recleans int) {
		t.Helper()
		if strings.Contains(a.Text, courierMenu) || strings.Contains(a.Text, courierFooter) {
			t.Errorf("%s still holds the furniture:\n%s", a.URL, a.Text)
		}
		if strings.Contains(a.URL, "/lighthouse/") != strings.Contains(a.Text, lighthouseBG) {
			t.Errorf("%s: the lighthouse background must stay on the lighthouse pages only:\n%s", a.URL, a.Text)
		}
		for _, q := range a.Quotes {
			if a.Text[q.Start:q.End] != q.Text {
				t.Errorf("%s: quote offsets %d:%d do not hold %q", a.URL, q.Start, q.End, q.Text)
			}
		}
		sv, _, err := st.Saved(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := len(strings.Split(a.Text, "\n\n"))
		want := store.Furniture{Version: version, Removed: []store.RemovedParagraph{{Index: n, Text: courierMenu}, {Index: n + 1, Text: courierFooter}}}
		if !reflect.DeepEqual(sv.Furniture, want) {
			t.Errorf("%s: furniture %+v, want %+v", a.URL, sv.Furniture, want)
		}
		rs, err := st.Recleans(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wantRs []store.Reclean
		if recleans > 0 {
			wantRs = []store.Reclean{{Article: a.ID, At: templateNow, Version: version, Removed: 2}}
		}
		if !reflect.DeepEqual(rs, wantRs) {
			t.Errorf("%s: traces %+v, want %+v", a.URL, rs, wantRs)
		}
	}
	lighthouse := map[string]bool{}
	for _, a := range collectArticles(t, st) {
		switch a.Outlet {
		case courier:
			checkCourier(t, a, 1)
			if strings.Contains(a.URL, "/lighthouse/") {
				lighthouse[a.StoryID] = true
			}
		default:
			if !strings.Contains(a.Text, courierFooter) {
				t.Errorf("%s of another outlet lost a line it has once:\n%s", a.URL, a.Text)
			}
		}
	}
	if len(lighthouse) != 1 {
		t.Errorf("the lighthouse pages are in %d stories, want one", len(lighthouse))
	}

	// A later page is cleaned with the stored template as it comes in;
	// one page more is too few to learn again from.
	sum = runWith(t, st, templateConfig(1), "testdata/templates/later.jsonl")
	if sum.New != 1 || sum.Recleaned != 0 {
		t.Errorf("later page: summary %+v, want 1 new, none cleaned again", sum)
	}
	ts[0].Fresh = 1
	if got, err := st.Templates(ctx); err != nil || !reflect.DeepEqual(got, ts) {
		t.Errorf("templates after the later page: %+v, %v; want %+v", got, err, ts)
	}
	for _, a := range collectArticles(t, st) {
		if strings.Contains(a.URL, "/dredging/") {
			checkCourier(t, a, 0)
		}
	}

	// The same inputs again change nothing.
	before := exported(t, st)
	sum = runWith(t, st, templateConfig(3), "testdata/templates/courier.jsonl", "testdata/templates/later.jsonl")
	if sum.Unchanged != 13 || sum.New+sum.Updated+sum.Recleaned != 0 {
		t.Errorf("again: summary %+v, want 13 unchanged", sum)
	}
	after := exported(t, st)
	for name := range before {
		if !bytes.Equal(before[name], after[name]) {
			t.Errorf("%s changed when the same inputs came again", name)
		}
	}
	if again, err := st.Templates(ctx); err != nil || !reflect.DeepEqual(again, ts) {
		t.Errorf("templates after the same inputs: %+v, %v; want %+v", again, err, ts)
	}
}

func collectArticles(t *testing.T, st store.Store) []dossier.Article {
	t.Helper()
	var out []dossier.Article
	if err := st.Articles(context.Background(), func(a dossier.Article) error {
		out = append(out, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTemplateWorkers: the same input with one worker, with eight, and
// prepared apart and applied in batches, stores the same.
func TestTemplateWorkers(t *testing.T) {
	ctx := context.Background()
	paths := []string{"testdata/templates/courier.jsonl", "testdata/templates/later.jsonl"}
	one := openStore(t)
	runWith(t, one, templateConfig(1), paths...)
	want := exported(t, one)
	wantTs, err := one.Templates(ctx)
	if err != nil || len(wantTs) != 1 {
		t.Fatalf("templates %+v, %v: want one", wantTs, err)
	}
	check := func(t *testing.T, st store.Store) {
		t.Helper()
		got := exported(t, st)
		for name := range want {
			if !bytes.Equal(got[name], want[name]) {
				t.Errorf("%s differs from one worker's:\n%s\nwant:\n%s", name, got[name], want[name])
			}
		}
		if ts, err := st.Templates(ctx); err != nil || !reflect.DeepEqual(ts, wantTs) {
			t.Errorf("templates %+v, %v; want %+v", ts, err, wantTs)
		}
	}
	t.Run("eight workers", func(t *testing.T) {
		st := openStore(t)
		runWith(t, st, templateConfig(8), paths...)
		check(t, st)
	})
	for _, batch := range []int{1, 5} {
		t.Run("applied in batches", func(t *testing.T) {
			st := openStore(t)
			prep, err := ingest.NewPreparer(st, templateConfig(1))
			if err != nil {
				t.Fatal(err)
			}
			in, err := ingest.New(ctx, st, templateConfig(1))
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			docs := queued(t, paths...)
			for i := 0; i < len(docs); i += batch {
				var results [][]byte
				for _, d := range docs[i:min(i+batch, len(docs))] {
					r, err := prep.Prepare(ctx, d)
					if err != nil {
						t.Fatal(err)
					}
					results = append(results, r)
				}
				if _, err := in.Apply(ctx, results, nil); err != nil {
					t.Fatal(err)
				}
				// A round of comparing inside the stream changes nothing.
				if _, err := in.Compare(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := in.Settle(ctx); err != nil {
				t.Fatal(err)
			}
			check(t, st)
		})
	}
}

// TestTemplateAfterRestart: articles applied by a process that stopped
// before its round are learned from by the next process's round, and the
// store ends as one run's.
func TestTemplateAfterRestart(t *testing.T) {
	ctx := context.Background()
	paths := []string{"testdata/templates/courier.jsonl"}
	one := openStore(t)
	runWith(t, one, templateConfig(1), paths...)
	want := exported(t, one)

	st := openStore(t)
	prep, err := ingest.NewPreparer(st, templateConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	first, err := ingest.New(ctx, st, templateConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	var results [][]byte
	for _, d := range queued(t, paths...) {
		r, err := prep.Prepare(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	if _, err := first.Apply(ctx, results, nil); err != nil {
		t.Fatal(err)
	}
	first.Close() // stopped: no round
	if ts, err := st.Templates(ctx); err != nil || len(ts) != 0 {
		t.Fatalf("templates before any round: %+v, %v", ts, err)
	}
	next, err := ingest.New(ctx, st, templateConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	sum, err := next.Settle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Recleaned != 11 {
		t.Errorf("the next process cleaned %d pages again, want 11", sum.Recleaned)
	}
	got := exported(t, st)
	for name := range want {
		if !bytes.Equal(got[name], want[name]) {
			t.Errorf("%s differs from one run's", name)
		}
	}
}
