package evaltest

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
)

// TestDeterministicExports ingests real pages nobody here wrote with one
// worker and with four, twice each, and wants the same export byte for
// byte: nothing may depend on timing or map order.
func TestDeterministicExports(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the dev pages four times")
	}
	pages := evaldata.Dir(t, "eval/htmldate-dev/html")
	var first map[string][]byte
	for _, workers := range []int{1, 4, 1, 4} {
		got := exportWith(t, workers, pages, "../../examples")
		if first == nil {
			first = got
			continue
		}
		for name, b := range got {
			if !bytes.Equal(b, first[name]) {
				t.Errorf("%d workers: %s differs from the first run's (%d vs %d bytes) at byte %d", workers, name, len(b), len(first[name]), firstDiff(b, first[name]))
			}
		}
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

func exportWith(t *testing.T, workers int, paths ...string) map[string][]byte {
	t.Helper()
	st := openSQLite(t, filepath.Join(t.TempDir(), "dossier.db"))
	ingestAt(t, st, workers, paths...)
	return exportFiles(t, st)
}

// ingestAt runs one ingest of paths into st with a fixed clock, so that
// exports can be compared byte for byte; workers 0 means the default.
func ingestAt(t *testing.T, st store.Store, workers int, paths ...string) {
	t.Helper()
	ctx := context.Background()
	cfg := ingest.DefaultConfig()
	cfg.Workers = workers
	cfg.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, _ := source.List(paths)
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
