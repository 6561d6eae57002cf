package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/postgres"
)

// applyBatch is the most results one applying transaction takes: as many
// as one transaction of `ingest` commits (groupCommit). The streaming
// state is written once a transaction, and a term or a story that many
// results touch is written once: 256 a transaction wrote a fifth less of
// it than 64 on ecbplus-dev (the server's CPU 1.7 s from 2.1 s). A kill
// redoes at most that many.
const applyBatch = 256

// idlePoll is how long a worker or the applier waits when it finds nothing
// to do.
const idlePoll = 50 * time.Millisecond

func runWork(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "work", "",
		"Works on the queue of a PostgreSQL store that `ingest --queue` fills: the\n"+
			"workers claim queued documents with a lease, renewed while they work, and\n"+
			"run the per-article stages; one process at a time, the holder of the\n"+
			"store's writer lock, applies the results in queue order (copies, stories,\n"+
			"comparisons), so the stories are those of one `ingest` of the same stream.\n"+
			"Run any number of these on any machines; a process killed at any point\n"+
			"loses nothing, as its leases run out and another takes its documents.")
	cfg := ingest.DefaultConfig()
	settingFlags(fs, &cfg)
	workers := fs.Int("workers", 0, "how many documents to prepare at once (0: one per CPU)")
	untilEmpty := fs.Bool("until-empty", false, "stop when the queue is drained and its stories compared")
	fs.BoolVar(untilEmpty, "once", false, "the same as --until-empty")
	lease := fs.Duration("lease", 30*time.Second, "how long a claim lasts unless renewed")
	noApply := fs.Bool("no-apply", false, "only prepare documents: never take the writer lock")
	applyOnly := fs.Bool("apply-only", false, "only apply results that others prepared")
	cpuProfile := fs.String("cpuprofile", "", "write this process's CPU profile to `FILE`")
	if _, err := parse(e, fs, args); err != nil {
		return err
	}
	if *workers < 0 || *lease <= 0 {
		return usagef("--workers must be 0 or more and --lease positive")
	}
	if *applyOnly && *noApply {
		return usagef("--apply-only and --no-apply leave nothing to do")
	}
	if *workers == 0 {
		*workers = runtime.GOMAXPROCS(0)
	}
	if *applyOnly {
		*workers = 0
	}
	if err := validate(cfg); err != nil {
		return err
	}
	if !postgres.IsURL(c.db) {
		return usagef("work needs a PostgreSQL store (--db postgres://...): a SQLite store has one writer, which `ingest` is")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	pg, ok := st.(*postgres.Store)
	if !ok {
		return fmt.Errorf("work: %s is no PostgreSQL store", c.db)
	}
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	cfg.Logger = c.logger(e.stderr)
	w := &worker{st: pg, cfg: cfg, log: cfg.Logger, lease: *lease, untilEmpty: *untilEmpty, compareEvery: ingest.CompareEvery}
	host, _ := os.Hostname()
	w.name = host + ":" + strconv.Itoa(os.Getpid())
	err = w.run(ctx, *workers, !*noApply)
	if err != nil && ctx.Err() != nil {
		return &interruptedError{msg: "interrupted; what was applied is stored, and the rest stays queued", err: err}
	}
	return err
}

type worker struct {
	st         *postgres.Store
	cfg        ingest.Config
	log        *slog.Logger
	name       string
	lease      time.Duration
	untilEmpty bool
	// compareEvery is how many results the applier applies between two
	// rounds of comparing the stories they touched, as a run compares
	// every ingest.CompareEvery articles.
	compareEvery int
	applying     atomic.Bool // this process holds the writer lock
}

// run prepares with k goroutines and, unless !apply, waits for the writer
// lock and applies. With untilEmpty it returns once nothing is left.
func (w *worker) run(parent context.Context, k int, apply bool) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	prep, err := ingest.NewPreparer(w.st, w.cfg)
	if err != nil {
		return err
	}
	errs := make(chan error, k+1)
	var wg sync.WaitGroup
	var preparing sync.WaitGroup
	for i := range k {
		wg.Add(1)
		preparing.Add(1)
		go func() {
			defer wg.Done()
			defer preparing.Done()
			errs <- w.prepareLoop(ctx, prep, w.name+"/"+strconv.Itoa(i))
		}()
	}
	applied := make(chan struct{})
	if apply {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(applied)
			errs <- w.applyLoop(ctx)
		}()
	} else {
		close(applied)
	}
	// A process waiting for the lock stops once the queue is drained and
	// settled by the holder; a holder stops by itself.
	if w.untilEmpty && apply {
		go func() {
			preparing.Wait()
			for {
				select {
				case <-applied:
					return
				case <-ctx.Done():
					return
				case <-time.After(4 * idlePoll):
				}
				if !w.applying.Load() {
					if done, err := w.drained(ctx); err == nil && done {
						cancel()
						return
					}
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var first error
	for {
		select {
		case err := <-errs:
			if err != nil && first == nil {
				first = err
				cancel()
			}
			continue
		case <-done:
		}
		break
	}
	for len(errs) > 0 {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first == nil || errors.Is(first, context.Canceled) && parent.Err() == nil {
		return nil
	}
	return first
}

// drained is true when nothing is queued and no story waits to be compared.
func (w *worker) drained(ctx context.Context) (bool, error) {
	todo, ready, err := w.st.QueueLen(ctx)
	if err != nil || todo > 0 || ready > 0 {
		return false, err
	}
	ids, err := w.st.Uncompared(ctx)
	return len(ids) == 0, err
}

// prepareLoop claims one document at a time, prepares it while renewing
// its lease, and stores the result.
func (w *worker) prepareLoop(ctx context.Context, prep *ingest.Preparer, name string) error {
	for {
		jobs, err := w.st.Claim(ctx, name, w.lease, 1)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			if w.untilEmpty {
				todo, _, err := w.st.QueueLen(ctx)
				if err != nil {
					return err
				}
				if todo == 0 {
					return nil
				}
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(idlePoll):
			}
			continue
		}
		j := jobs[0]
		result, err := w.prepareLeased(ctx, prep, name, j)
		if err != nil {
			return err
		}
		if result == nil {
			continue // the lease was lost: another has the document
		}
		if err := w.st.Complete(ctx, name, j.Seq, result); err != nil && !errors.Is(err, postgres.ErrLeaseLost) {
			return err
		}
	}
}

// prepareLeased prepares a job, renewing its lease a few times a lease;
// nil when the lease was lost meanwhile.
func (w *worker) prepareLeased(ctx context.Context, prep *ingest.Preparer, name string, j postgres.Job) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var lost atomic.Bool
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(w.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := w.st.Renew(ctx, name, j.Seq, w.lease); err != nil {
				if errors.Is(err, postgres.ErrLeaseLost) {
					lost.Store(true)
					cancel()
					return
				}
				w.log.Warn("lease not renewed", "seq", j.Seq, "err", err)
			}
		}
	}()
	result, err := prep.Prepare(ctx, j.Doc)
	cancel()
	<-renewed
	if lost.Load() {
		return nil, nil
	}
	return result, err
}

// applyLoop waits for the writer lock, then applies ready results in
// sequence order, acking them in the transaction that applies them.
func (w *worker) applyLoop(ctx context.Context) error {
	cfg := w.cfg
	cfg.Who = "dossier work"
	in, err := ingest.New(ctx, w.st, cfg)
	if err != nil {
		return err
	}
	w.applying.Store(true)
	defer in.Close()
	w.log.Info("applying results", "worker", w.name)
	stale := true // a holder that died may have left stories uncompared
	applied := 0  // since the last round of comparing
	// A drained queue ends a stream (Settle: templates, then stories); a
	// round inside one only compares, as where it falls depends on
	// batching.
	settle := func(drained bool) error {
		t0 := time.Now()
		settleOrCompare := in.Compare
		if drained {
			settleOrCompare = in.Settle
		}
		sum, err := settleOrCompare(ctx)
		if err != nil {
			return err
		}
		w.log.Debug("compared", "stories", sum.Compared, "took", time.Since(t0))
		stale, applied = false, 0
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ready, err := w.st.Ready(ctx, applyBatch)
		if err != nil {
			return err
		}
		if len(ready) > 0 {
			results := make([][]byte, len(ready))
			seqs := make([]int64, len(ready))
			for i, r := range ready {
				results[i], seqs[i] = r.Result, r.Seq
			}
			t0 := time.Now()
			sum, err := in.Apply(ctx, results, func(ctx context.Context) error { return w.st.AckApplied(ctx, seqs) })
			if err != nil {
				return err
			}
			w.log.Debug("applied", "results", len(results), "from", seqs[0], "took", time.Since(t0))
			for _, p := range sum.Problems {
				w.log.Warn("skipped", "source", p.Source, "err", p.Err)
			}
			stale = true
			// A queue that never drains still gets its stories compared.
			// Where a round falls depends on how results were batched,
			// but not what it leaves: the last round compares again
			// every story touched since.
			if applied += len(results); w.compareEvery > 0 && applied >= w.compareEvery {
				if err := settle(false); err != nil {
					return err
				}
			}
			continue
		}
		todo, _, err := w.st.QueueLen(ctx)
		if err != nil {
			return err
		}
		// Drained: compare what is left, as one ingest does at its end.
		if stale && todo == 0 {
			if err := settle(true); err != nil {
				return err
			}
			continue
		}
		if w.untilEmpty && todo == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(idlePoll):
		}
	}
}

// enqueue is `ingest --queue`: the documents go to the queue of a
// PostgreSQL store for `dossier work` to ingest.
func enqueue(ctx context.Context, e *env, st store.Store, docs func(yield func([]byte) error) error) (int, error) {
	pg, ok := st.(*postgres.Store)
	if !ok {
		return 0, usagef("--queue needs a PostgreSQL store (--db postgres://...); a SQLite store is ingested directly, without --queue")
	}
	var batch [][]byte
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := pg.Enqueue(ctx, batch); err != nil {
			return err
		}
		n += len(batch)
		batch = batch[:0]
		return nil
	}
	err := docs(func(b []byte) error {
		batch = append(batch, b)
		if len(batch) >= 256 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return n, err
}
