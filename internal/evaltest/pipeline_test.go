package evaltest

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/dossiernews/dossier/internal/export"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// run ingests paths into a fresh SQLite store and exports it, as
// `dossier ingest PATH... && dossier export --out DIR` would.
func run(t *testing.T, paths ...string) (*sqlite.Store, string, ingest.Summary) {
	t.Helper()
	return runInto(t, openSQLite(t, filepath.Join(t.TempDir(), "dossier.db")), paths...)
}

// runInto ingests paths into st and exports the whole store.
func runInto(t *testing.T, st *sqlite.Store, paths ...string) (*sqlite.Store, string, ingest.Summary) {
	t.Helper()
	sum := ingestFiles(t, st, paths...)
	out := filepath.Join(t.TempDir(), "export")
	if _, err := export.Write(context.Background(), st, out); err != nil {
		t.Fatalf("export: %v", err)
	}
	return st, out, sum
}

func openSQLite(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// ingestFiles ingests paths into st with the default configuration.
func ingestFiles(t *testing.T, st *sqlite.Store, paths ...string) ingest.Summary {
	t.Helper()
	ctx := context.Background()
	in, err := ingest.New(ctx, st, ingest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, problems := source.List(paths)
	if len(problems) > 0 {
		t.Fatalf("list %v: %v", paths, problems)
	}
	sum, err := in.Run(ctx, files, nil, nil)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return sum
}

// score runs one of ../shared/eval's scorers on an export and returns its output.
func score(t *testing.T, evalDir, script string, args ...string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to run the scorers (.ci/run installs it): %v", err)
	}
	cmd := exec.Command(py, append([]string{filepath.Join(evalDir, script)}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return string(out)
}

// figure reads the number that pattern's one group captures in a scorer's output.
func figure(t *testing.T, output, pattern string) float64 {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(output)
	if m == nil {
		t.Fatalf("no %q in scorer output:\n%s", pattern, output)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
