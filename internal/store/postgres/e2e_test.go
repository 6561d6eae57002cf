package postgres

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/export"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// devSets are the dev benchmarks' inputs under ../shared/eval.
var devSets = []string{"allsides-dev/stream.jsonl", "ecbplus-dev/stream.jsonl", "dedup-dev/stream.jsonl", "polnear-dev/text",
	"htmldate-dev/html", "trafilatura-dev/html"}

// TestExportsMatchSQLite runs the evaluation loop on both backends: each
// dev benchmark ingested into a fresh SQLite store and a fresh PostgreSQL
// one, whose exports must be identical byte for byte.
func TestExportsMatchSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests every dev benchmark twice")
	}
	server(t)
	for _, set := range devSets {
		t.Run(filepath.Dir(set), func(t *testing.T) {
			path := filepath.Join(evaldata.Dir(t, "eval"), set)
			lite, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dossier.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer lite.Close()
			pg := openTemp(t)
			defer pg.Close()
			start := time.Now()
			ingestAt(t, lite, path)
			liteTook := time.Since(start)
			start = time.Now()
			ingestAt(t, pg, path)
			t.Logf("ingest: SQLite %v, PostgreSQL %v", liteTook.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
			want, got := exportFiles(t, lite), exportFiles(t, pg)
			for name, b := range want {
				if !bytes.Equal(got[name], b) {
					t.Errorf("%s: PostgreSQL's export differs from SQLite's (%d vs %d bytes) at byte %d: %.200q",
						name, len(got[name]), len(b), firstDiff(got[name], b), got[name][min(firstDiff(got[name], b), len(got[name])):])
				}
			}
			searchAgrees(t, lite, pg)
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// ingestAt ingests paths into st with a fixed clock, as the evaluation
// tests do, so that two stores' exports compare byte for byte.
func ingestAt(t *testing.T, st store.Store, paths ...string) {
	t.Helper()
	ctx := context.Background()
	cfg := ingest.DefaultConfig()
	cfg.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, problems := source.List(paths)
	if len(problems) > 0 {
		t.Fatalf("list %v: %v", paths, problems)
	}
	if _, err := in.Run(ctx, files, nil, nil); err != nil {
		t.Fatal(err)
	}
}

// exportFiles exports st and returns the files' bytes by name.
func exportFiles(t *testing.T, st store.Store) map[string][]byte {
	t.Helper()
	out := t.TempDir()
	if _, err := export.Write(context.Background(), st, out); err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, name := range []string{"articles.jsonl", "stories.jsonl"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		got[name] = b
	}
	return got
}
