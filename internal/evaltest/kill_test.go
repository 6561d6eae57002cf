package evaltest

import (
	"bytes"
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/evaldata"
)

// TestKilledIngestLosesNothing kills `dossier ingest` with SIGKILL at
// random points, several times, then lets a run finish, and wants the very
// export an uninterrupted run gives and a store that passes SQLite's
// integrity check.
func TestKilledIngestLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and ingests a benchmark stream several times")
	}
	stream := filepath.Join(evaldata.Dir(t, "eval/ecbplus-dev"), "stream.jsonl")
	bin := buildDossier(t)
	dir := t.TempDir()

	clean := filepath.Join(dir, "clean.db")
	start := time.Now()
	runDossier(t, bin, clean, "ingest", "--quiet", stream)
	full := time.Since(start)

	seed := time.Now().UnixNano()
	t.Logf("kill points drawn with seed %d over %v", seed, full)
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	killed := filepath.Join(dir, "killed.db")
	for i := range 5 {
		cmd := exec.Command(bin, "ingest", "--quiet", "--db", killed, stream)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(full))))
		_ = cmd.Process.Kill()
		err := cmd.Wait()
		t.Logf("kill %d: %v", i+1, err)
	}
	runDossier(t, bin, killed, "ingest", "--quiet", stream)

	if got := integrity(t, killed); got != "ok" {
		t.Errorf("integrity check after kills: %s", got)
	}
	want, got := exportOf(t, bin, clean), exportOf(t, bin, killed)
	for name := range want {
		if !bytes.Equal(want[name], got[name]) {
			t.Errorf("%s after kills differs from an uninterrupted run's (%d vs %d bytes)", name, len(got[name]), len(want[name]))
		}
	}
}

// buildDossier builds the binary once for the test.
func buildDossier(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dossier")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/dossiernews/dossier/cmd/dossier")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runDossier runs the binary on db and fails the test unless it succeeds.
func runDossier(t *testing.T, bin, db string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a hang guard
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--db", db)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("dossier %v: %v\n%s", args, err, out)
	}
	return out
}

func exportOf(t *testing.T, bin, db string) map[string][]byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export")
	runDossier(t, bin, db, "export", "--out", out)
	files := map[string][]byte{}
	for _, name := range []string{"articles.jsonl", "stories.jsonl"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	return files
}

func integrity(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil {
		t.Fatal(err)
	}
	return res
}
