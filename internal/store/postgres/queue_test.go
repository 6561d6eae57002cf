package postgres

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func docs(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = fmt.Appendf(nil, "doc-%d", i+1)
	}
	return out
}

func resultOf(doc []byte) []byte { s := sha256.Sum256(doc); return s[:] }

func seqsOf(t *testing.T, jobs []Job) []int64 {
	t.Helper()
	var out []int64
	for _, j := range jobs {
		out = append(out, j.Seq)
	}
	return out
}

func TestQueue(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	seqs, err := st.Enqueue(ctx, docs(5))
	if err != nil || fmt.Sprint(seqs) != "[1 2 3 4 5]" {
		t.Fatalf("Enqueue = %v, %v", seqs, err)
	}
	a, err := st.Claim(ctx, "w1", time.Minute, 2)
	if err != nil || fmt.Sprint(seqsOf(t, a)) != "[1 2]" || string(a[0].Doc) != "doc-1" || a[0].Attempt != 1 {
		t.Fatalf("first Claim = %+v, %v", a, err)
	}
	b, err := st.Claim(ctx, "w2", 100*time.Millisecond, 2)
	if err != nil || fmt.Sprint(seqsOf(t, b)) != "[3 4]" {
		t.Fatalf("second Claim = %v, %v; want 3 and 4", seqsOf(t, b), err)
	}
	if err := st.Complete(ctx, "w1", 2, []byte("r2")); err != nil {
		t.Fatal(err)
	}
	if r, err := st.Ready(ctx, 10); err != nil || len(r) != 0 {
		t.Errorf("Ready with 1 not done = %v, %v; want none", r, err)
	}
	if err := st.Complete(ctx, "w2", 1, []byte("r1")); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("Complete by a worker not holding the lease: %v, want ErrLeaseLost", err)
	}
	if err := st.Complete(ctx, "w1", 1, []byte("r1")); err != nil {
		t.Fatal(err)
	}
	if err := st.Complete(ctx, "w1", 1, []byte("again")); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("a second Complete: %v, want ErrLeaseLost", err)
	}
	if r, err := st.Ready(ctx, 10); err != nil || len(r) != 2 || string(r[0].Result) != "r1" || r[1].Seq != 2 {
		t.Errorf("Ready = %+v, %v; want 1 and 2", r, err)
	}

	// w2's lease runs out: w3 gets its documents, w2 may not complete them.
	time.Sleep(300 * time.Millisecond)
	c, err := st.Claim(ctx, "w3", time.Minute, 5)
	if err != nil || fmt.Sprint(seqsOf(t, c)) != "[3 4 5]" || c[0].Attempt != 2 {
		t.Fatalf("Claim after a lease ran out = %+v, %v; want 3 (again), 4 (again), 5", c, err)
	}
	if err := st.Renew(ctx, "w2", 3, time.Minute); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("Renew of a lost lease: %v, want ErrLeaseLost", err)
	}
	if err := st.Complete(ctx, "w2", 3, []byte("late")); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("Complete of a lost lease: %v, want ErrLeaseLost", err)
	}
	if err := st.Renew(ctx, "w3", 3, time.Minute); err != nil {
		t.Errorf("Renew by the holder: %v", err)
	}

	// An Ack in a batch that rolls back keeps the results.
	fail := errors.New("writer dies")
	err = st.Batch(ctx, func(ctx context.Context) error {
		if err := st.Ack(ctx, 2); err != nil {
			return err
		}
		return fail
	})
	if !errors.Is(err, fail) {
		t.Fatal(err)
	}
	if todo, ready, err := st.QueueLen(ctx); err != nil || todo != 3 || ready != 2 {
		t.Errorf("after a rolled-back Ack: %d to do, %d ready, %v; want 3 and 2", todo, ready, err)
	}
	if err := st.Batch(ctx, func(ctx context.Context) error { return st.Ack(ctx, 2) }); err != nil {
		t.Fatal(err)
	}
	if todo, ready, err := st.QueueLen(ctx); err != nil || todo != 3 || ready != 0 {
		t.Errorf("after an Ack: %d to do, %d ready, %v; want 3 and 0", todo, ready, err)
	}
}

// workerEnv makes the test binary a queue worker (TestQueueWorker) on the
// store whose URL it holds.
const workerEnv = "DOSSIER_QUEUE_WORKER"

// TestQueueWorker is a worker process for TestQueueSurvivesKills: it
// claims, works (a hash of the document) and completes until killed.
func TestQueueWorker(t *testing.T) {
	dsn := os.Getenv(workerEnv)
	if dsn == "" {
		t.Skip("run by TestQueueSurvivesKills")
	}
	ctx := context.Background()
	st, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	name := "worker-" + strconv.Itoa(os.Getpid())
	parent := os.Getppid()
	for os.Getppid() == parent { // orphaned, it stops

		jobs, err := st.Claim(ctx, name, 300*time.Millisecond, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) == 0 {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		for _, j := range jobs {
			if err := st.Complete(ctx, name, j.Seq, resultOf(j.Doc)); err != nil && !errors.Is(err, ErrLeaseLost) {
				t.Fatal(err)
			}
		}
	}
}

// TestQueueSurvivesKills runs three worker processes on one queue and
// kills one with SIGKILL every few dozen milliseconds (starting another),
// while a writer applies results in order and, now and then, dies
// mid-batch: every document must be applied exactly once, in order.
func TestQueueSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("runs worker processes for some seconds")
	}
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	const n = 3000
	if _, err := st.Enqueue(ctx, docs(n)); err != nil {
		t.Fatal(err)
	}
	// applied's key refuses a document applied twice.
	if _, err := st.pool.Exec(ctx, `CREATE TABLE applied (seq BIGINT PRIMARY KEY, result BYTEA NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestQueueWorker$")
		cmd.Env = append(os.Environ(), workerEnv+"="+st.dsn)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	workers := []*exec.Cmd{start(), start(), start()}
	defer func() {
		for _, w := range workers {
			_ = w.Process.Kill()
			_ = w.Wait()
		}
	}()
	rng := rand.New(rand.NewPCG(1, 2))
	kills, deaths := 0, 0
	last := int64(0)
	deadline := time.Now().Add(3 * time.Minute)
	for last < n && time.Now().Before(deadline) {
		if rng.IntN(3) == 0 {
			i := rng.IntN(len(workers))
			_ = workers[i].Process.Kill()
			_ = workers[i].Wait()
			workers[i] = start()
			kills++
		}
		dies := rng.IntN(4) == 0
		err := st.Batch(ctx, func(ctx context.Context) error {
			rs, err := st.Ready(ctx, 64)
			if err != nil || len(rs) == 0 {
				return err
			}
			at := last
			for _, r := range rs {
				if r.Seq != at+1 {
					return fmt.Errorf("result %d after %d", r.Seq, at)
				}
				want := resultOf(fmt.Appendf(nil, "doc-%d", r.Seq))
				if string(r.Result) != string(want) {
					return fmt.Errorf("result of %d is not its document's", r.Seq)
				}
				if err := st.execIn(ctx, `INSERT INTO applied(seq, result) VALUES ($1, $2)`, r.Seq, r.Result); err != nil {
					return err
				}
				at = r.Seq
			}
			if err := st.Ack(ctx, at); err != nil {
				return err
			}
			if dies {
				return errWriterDied
			}
			last = at
			return nil
		})
		switch {
		case errors.Is(err, errWriterDied):
			deaths++
		case err != nil:
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Logf("%d documents, %d workers killed, the writer died %d times", n, kills, deaths)
	var count, maxSeq int64
	if err := st.pool.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM applied`).Scan(&count, &maxSeq); err != nil {
		t.Fatal(err)
	}
	if count != n || maxSeq != n {
		t.Errorf("%d applied, up to %d; want each of %d once", count, maxSeq, n)
	}
	if todo, ready, err := st.QueueLen(ctx); err != nil || todo != 0 || ready != 0 {
		t.Errorf("queue left %d to do and %d ready, %v", todo, ready, err)
	}
}

var errWriterDied = errors.New("the writer died mid-batch")

// execIn runs a statement in ctx's batch, for tests.
func (s *Store) execIn(ctx context.Context, sql string, args ...any) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql, args...)
		return err
	})
}

// TestAckApplied: acking results that another writer acked already fails
// and rolls back, so that a writer that lost its lock cannot apply them
// twice.
func TestAckApplied(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Enqueue(ctx, docs(3)); err != nil {
		t.Fatal(err)
	}
	jobs, err := st.Claim(ctx, "w", time.Minute, 3)
	if err != nil || len(jobs) != 3 {
		t.Fatalf("Claim = %v, %v", jobs, err)
	}
	for _, j := range jobs {
		if err := st.Complete(ctx, "w", j.Seq, resultOf(j.Doc)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		seqs      []int64
		applied   bool // want ErrApplied
		readyLeft int64
	}{
		{"the first two", []int64{1, 2}, false, 1},
		{"one of them again, with the third", []int64{2, 3}, true, 1},
		{"the third", []int64{3}, false, 0},
		{"none", nil, false, 0},
	}
	for _, tt := range tests {
		err := st.Batch(ctx, func(ctx context.Context) error { return st.AckApplied(ctx, tt.seqs) })
		if errors.Is(err, ErrApplied) != tt.applied || !tt.applied && err != nil {
			t.Errorf("%s: AckApplied = %v, want ErrApplied %v", tt.name, err, tt.applied)
		}
		if _, ready, err := st.QueueLen(ctx); err != nil || ready != tt.readyLeft {
			t.Errorf("%s: %d ready left, %v; want %d", tt.name, ready, err, tt.readyLeft)
		}
	}
}
