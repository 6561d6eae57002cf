package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossiernews/dossier/internal/export"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// queued reads paths into encoded documents, as `ingest --queue` does.
func queued(t *testing.T, paths ...string) [][]byte {
	t.Helper()
	files, problems := source.List(paths)
	if len(problems) > 0 {
		t.Fatalf("list: %v", problems)
	}
	var docs [][]byte
	for _, f := range files {
		err := source.Read(context.Background(), f, nil, func(d source.Document) error {
			b, err := ingest.EncodeDocument(d)
			docs = append(docs, b)
			return err
		}, func(source.Problem) {}) // a bad record is never queued, as in Run it is never stored
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

func exported(t *testing.T, st store.Store) map[string][]byte {
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

// TestApplyMatchesRun: documents encoded, prepared apart and applied in
// batches of any size store exactly what one Run stores.
func TestApplyMatchesRun(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		paths []string
		batch int
	}{
		{"one at a time", []string{"testdata/run"}, 1},
		{"in threes", []string{"testdata/run"}, 3},
		{"all at once", []string{"testdata/run"}, 64},
		{"twice over, in twos", []string{"testdata/run", "testdata/run"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := openStore(t)
			if _, err := ingestPaths(t, ctx, want, tt.paths...); err != nil {
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
			docs := queued(t, tt.paths...)
			acks, stored := 0, 0
			for i := 0; i < len(docs); i += tt.batch {
				var results [][]byte
				for _, d := range docs[i:min(i+tt.batch, len(docs))] {
					r, err := prep.Prepare(ctx, d)
					if err != nil {
						t.Fatal(err)
					}
					results = append(results, r)
				}
				sum, err := in.Apply(ctx, results, func(context.Context) error { acks++; return nil })
				if err != nil {
					t.Fatal(err)
				}
				stored += sum.New + sum.Updated
			}
			if _, err := in.Settle(ctx); err != nil {
				t.Fatal(err)
			}
			if wantAcks := (len(docs) + tt.batch - 1) / tt.batch; acks != wantAcks {
				t.Errorf("%d acks, want one a batch: %d", acks, wantAcks)
			}
			if stored == 0 {
				t.Error("nothing stored")
			}
			w, g := exported(t, want), exported(t, st)
			for name := range w {
				if !bytes.Equal(g[name], w[name]) {
					t.Errorf("%s differs from Run's:\n%s\nwant:\n%s", name, g[name], w[name])
				}
			}
		})
	}
}

// TestApplyAckFails: an ack that fails rolls the batch back, and a result
// that cannot be read is a problem, not a failure.
func TestApplyAckFails(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	prep, err := ingest.NewPreparer(st, ingest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var results [][]byte
	for _, d := range queued(t, "testdata/run") {
		r, err := prep.Prepare(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	in, err := ingest.New(ctx, st, ingest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	gone := errors.New("another writer applied these")
	if _, err := in.Apply(ctx, results, func(context.Context) error { return gone }); !errors.Is(err, gone) {
		t.Fatalf("Apply with a failing ack = %v, want %v", err, gone)
	}
	if got := articles(t, st); len(got) != 0 {
		t.Errorf("after a rolled-back Apply: %d articles, want none", len(got))
	}
	sum, err := in.Apply(ctx, [][]byte{[]byte("not a result"), []byte(`{"V":99}`)}, nil)
	if err != nil || sum.Read != 2 || sum.Failed != 2 || sum.New != 0 {
		t.Errorf("Apply of unreadable results = %+v, %v; want 2 read, 2 failed", sum, err)
	}
}

// FuzzPrepare: any bytes taken off the queue make a result that Apply
// can read, never a panic or an error.
func FuzzPrepare(f *testing.F) {
	f.Add([]byte(`{"V":1,"Doc":{"Source":"a.txt","Key":"k","Format":0,"Data":"SGFyYm91ciBzaHV0cyBmb3IgcmVwYWlycwoKVGhlIHF1YXkgY2xvc2VzIG9uIE1vbmRheS4="}}`))
	f.Add([]byte(`{"V":1,"Doc":{"Source":"b.jsonl#1","Format":2,"Record":{"title":"Ferry late","text":"The ferry was late again."}}}`))
	f.Add([]byte(`{"V":2}`))
	f.Add([]byte(`nonsense`))
	ctx := context.Background()
	prep, err := ingest.NewPreparer(nil, ingest.DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, derr := ingest.DecodeDocument(b)
		if derr == nil && doc.Key != "" && doc.Digest != "" {
			return // would ask the store whether it is stored already
		}
		r, err := prep.Prepare(ctx, b)
		if err != nil || len(r) == 0 {
			t.Fatalf("Prepare = %q, %v", r, err)
		}
	})
}
