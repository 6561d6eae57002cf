package ingest_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/store"
)

// A stream that holds one page three times (the same URL, edited twice)
// stores its last version, and ingesting the stream again must leave that
// version: the third copy is found stored from its very bytes when it is
// prepared, but the first two, committed before it, replace it. Checked
// again in input order, it is committed after all.
const thrice = "testdata/thrice"

func lastText(t *testing.T, st store.Store) string {
	t.Helper()
	var texts []string
	err := st.Articles(context.Background(), func(a dossier.Article) error {
		texts = append(texts, a.Text)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 1 {
		t.Fatalf("%d articles, want 1", len(texts))
	}
	return texts[0]
}

func TestRunAgainKeepsLastVersion(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	for run := 1; run <= 3; run++ {
		if _, err := ingestPaths(t, ctx, st, thrice); err != nil {
			t.Fatal(err)
		}
		if got := lastText(t, st); !strings.Contains(got, "repairs would take a month") {
			t.Fatalf("after run %d the article is %q, want the stream's last version", run, got)
		}
	}
}

// TestApplyAgainKeepsLastVersion: the same through the queue, where every
// result is prepared before any is applied, so the third is always found
// stored when prepared.
func TestApplyAgainKeepsLastVersion(t *testing.T) {
	ctx := context.Background()
	want := openStore(t)
	if _, err := ingestPaths(t, ctx, want, thrice); err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	prep, err := ingest.NewPreparer(st, ingest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	in, err := ingest.New(ctx, st, ingest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	docs := queued(t, thrice)
	for round := 1; round <= 2; round++ {
		var results [][]byte
		for _, d := range docs {
			r, err := prep.Prepare(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, r)
		}
		sum, err := in.Apply(ctx, results, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Problems) > 0 {
			t.Fatalf("round %d: %v", round, sum.Problems)
		}
		if _, err := in.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if got := lastText(t, st); !strings.Contains(got, "repairs would take a month") {
			t.Fatalf("after round %d the article is %q, want the stream's last version", round, got)
		}
	}
	w, g := exported(t, want), exported(t, st)
	if !bytes.Equal(w["articles.jsonl"], g["articles.jsonl"]) {
		t.Errorf("applied twice:\n%s\nwant one run's:\n%s", g["articles.jsonl"], w["articles.jsonl"])
	}
}
