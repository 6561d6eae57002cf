//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/store/postgres"
	"github.com/dossiernews/dossier/internal/store/postgres/pgtest"
)

// pgStore returns the URL of a fresh store in a schema of its own on the
// test server, dropped at the end; it skips (fails under CI) without one.
func pgStore(tb testing.TB) string {
	tb.Helper()
	return pgtest.Schema(tb)
}

// dossierCmd runs the binary to its end, failing on a status other than 0.
func dossierCmd(tb testing.TB, args ...string) string {
	tb.Helper()
	cmd := exec.Command(binary(tb), args...)
	cmd.Env = append(os.Environ(), "DOSSIER_DB=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		tb.Fatalf("dossier %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// queueLen counts the queue's rows: documents to do and results to apply.
func queueLen(t *testing.T, db string) int {
	t.Helper()
	c, err := pgx.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var n int
	if err := c.QueryRow(context.Background(), `SELECT COUNT(*) FROM queue`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWorkSurvivesKills queues a dev stream in PostgreSQL and works it
// off with three `dossier work` processes, one of them applying, while
// random ones are killed with SIGKILL and started again; the store must
// then hold every article once and export exactly as one `dossier ingest`
// of the stream into SQLite.
func TestWorkSurvivesKills(t *testing.T) {
	db := pgStore(t)
	stream := filepath.Join(evaldata.Dir(t, "eval"), "ecbplus-dev", "stream.jsonl")
	lite := filepath.Join(t.TempDir(), "dossier.db")
	dossierCmd(t, "ingest", "--quiet", "--db", lite, stream)
	if out := dossierCmd(t, "ingest", "--queue", "--db", db, stream); !strings.HasPrefix(out, "queued ") {
		t.Fatalf("ingest --queue said %q", out)
	}
	total := queueLen(t, db)

	workerArgs := []string{"work", "--db", db, "--workers", "1", "--lease", "600ms"}
	procs := make([]*proc, 3)
	for i := range procs {
		procs[i] = start(t, nil, workerArgs...)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 12))
	kills := 0
	deadline := time.Now().Add(5 * time.Minute)
	for left := total; left > 0; left = queueLen(t, db) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d queue rows left after %d kills", left, total, kills)
		}
		time.Sleep(time.Duration(300+rng.IntN(600)) * time.Millisecond)
		i := rng.IntN(len(procs))
		_ = procs[i].cmd.Process.Kill()
		_ = procs[i].cmd.Wait()
		kills++
		procs[i] = start(t, nil, workerArgs...)
	}
	for _, p := range procs {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
	// The last holder may have died before comparing: a run to the end
	// takes the lock over and finishes.
	dossierCmd(t, "work", "--db", db, "--until-empty")
	t.Logf("%d documents, %d kills", total, kills)
	if kills < 5 {
		t.Errorf("only %d kills: the test proved little", kills)
	}

	want, got := exportOf(t, lite), exportOf(t, db)
	ids := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(got["articles.jsonl"]), "\n") {
		_, rest, _ := strings.Cut(line, `"id":"`)
		id, _, _ := strings.Cut(rest, `"`)
		ids[id]++
	}
	for id, n := range ids {
		if n != 1 || id == "" {
			t.Errorf("article %q exported %d times", id, n)
		}
	}
	for name := range want {
		if got[name] != want[name] {
			t.Errorf("%s after killed workers differs from one ingest's (%d vs %d bytes) from byte %d",
				name, len(got[name]), len(want[name]), firstDifference(got[name], want[name]))
		}
	}
}

func firstDifference(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// BenchmarkWork measures, on one dev stream and in one run: a plain ingest
// into SQLite and into PostgreSQL, the stream worked off the queue by 1, 2
// and 4 `dossier work` processes, and the applier alone on results already
// prepared. Run with -benchtime=1x; each reports articles/s.
func BenchmarkWork(b *testing.B) {
	if os.Getenv(pgtest.ServerEnv) == "" {
		b.Skipf("%s is not set", pgtest.ServerEnv)
	}
	stream := filepath.Join(evaldata.Dir(b, "eval"), "ecbplus-dev", "stream.jsonl")
	docs := countLines(b, stream)
	binary(b) // built before any clock starts
	rate := func(b *testing.B, took time.Duration) {
		b.ReportMetric(float64(docs)*float64(b.N)/took.Seconds(), "articles/s")
	}
	b.Run("ingest-sqlite", func(b *testing.B) {
		var took time.Duration
		for range b.N {
			db := filepath.Join(b.TempDir(), "dossier.db")
			t0 := time.Now()
			dossierCmd(b, "ingest", "--quiet", "--db", db, stream)
			took += time.Since(t0)
		}
		rate(b, took)
	})
	b.Run("ingest-postgres", func(b *testing.B) {
		var took time.Duration
		for range b.N {
			db := pgStore(b)
			t0 := time.Now()
			dossierCmd(b, "ingest", "--quiet", "--db", db, stream)
			took += time.Since(t0)
		}
		rate(b, took)
	})
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("work-%d", n), func(b *testing.B) {
			var took time.Duration
			for range b.N {
				db := pgStore(b)
				dossierCmd(b, "ingest", "--queue", "--quiet", "--db", db, stream)
				t0 := time.Now()
				cmds := make([]*exec.Cmd, n)
				for i := range cmds {
					cmds[i] = exec.Command(binary(b), "work", "--db", db, "--workers", "1", "--until-empty")
					if err := cmds[i].Start(); err != nil {
						b.Fatal(err)
					}
				}
				for _, c := range cmds {
					if err := c.Wait(); err != nil {
						b.Fatal(err)
					}
				}
				took += time.Since(t0)
			}
			rate(b, took)
		})
	}
	b.Run("apply-only", func(b *testing.B) {
		var took time.Duration
		for range b.N {
			db := pgStore(b)
			dossierCmd(b, "ingest", "--queue", "--quiet", "--db", db, stream)
			dossierCmd(b, "work", "--db", db, "--no-apply", "--until-empty")
			t0 := time.Now()
			dossierCmd(b, "work", "--db", db, "--apply-only", "--until-empty")
			took += time.Since(t0)
		}
		rate(b, took)
	})
}

func countLines(tb testing.TB, path string) int {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

// TestApplierComparesAsItGoes: an applier on a queue that does not drain
// compares the stories it touched every compareEvery results, and what it
// leaves equals one ingest of the stream all the same.
func TestApplierComparesAsItGoes(t *testing.T) {
	db := pgStore(t)
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(evaldata.Dir(t, "eval"), "ecbplus-dev", "stream.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	stream := filepath.Join(dir, "part.jsonl")
	if err := os.WriteFile(stream, []byte(strings.Join(lines[:min(300, len(lines))], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	lite := filepath.Join(dir, "dossier.db")
	dossierCmd(t, "ingest", "--quiet", "--db", lite, stream)
	dossierCmd(t, "ingest", "--queue", "--db", db, stream)

	ctx := context.Background()
	pg, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var rounds atomic.Int64
	log := slog.New(countMessages{"compared", &rounds})
	cfg := ingest.DefaultConfig()
	cfg.Logger = log
	w := &worker{st: pg, cfg: cfg, log: log, lease: time.Minute, untilEmpty: true, compareEvery: 64}
	if err := w.run(ctx, 2, true); err != nil {
		t.Fatal(err)
	}
	if n := rounds.Load(); n < 2 {
		t.Errorf("%d rounds of comparing over 300 results, one every 64: want several", n)
	}
	want, got := exportOf(t, lite), exportOf(t, db)
	for name := range want {
		if got[name] != want[name] {
			t.Errorf("%s differs from one ingest's (%d vs %d bytes) from byte %d",
				name, len(got[name]), len(want[name]), firstDifference(got[name], want[name]))
		}
	}
}

// countMessages is a log handler counting the records of one message.
type countMessages struct {
	msg string
	n   *atomic.Int64
}

func (c countMessages) Enabled(context.Context, slog.Level) bool { return true }
func (c countMessages) Handle(_ context.Context, r slog.Record) error {
	if r.Message == c.msg {
		c.n.Add(1)
	}
	return nil
}
func (c countMessages) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c countMessages) WithGroup(string) slog.Handler      { return c }
