package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// querier is what reads need: the reader pool, a read snapshot or the
// writer's transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// wtx is a write transaction with the writer's statements bound to it once
// each: a batch of thousands of Puts would otherwise pile up bound copies
// until commit.
type wtx struct {
	*sql.Tx
	mu    sync.Mutex
	bound map[*sql.Stmt]*sql.Stmt
	// reads are the reads run in the transaction by their SQL, prepared on
	// its connection at first use: a batch runs the same few lookups for
	// each of its documents, and preparing one costs more than running it.
	reads map[string]*sql.Stmt
}

// maxTxReads bounds the reads a transaction keeps prepared, as some are
// built per call; the rest run unprepared.
const maxTxReads = 64

func newWtx(tx *sql.Tx) *wtx {
	return &wtx{Tx: tx, bound: map[*sql.Stmt]*sql.Stmt{}, reads: map[string]*sql.Stmt{}}
}

// read is query prepared on the transaction, nil when it is not kept
// (a failed prepare is reported by running the query unprepared).
func (w *wtx) read(ctx context.Context, query string) *sql.Stmt {
	w.mu.Lock()
	defer w.mu.Unlock()
	if st, ok := w.reads[query]; ok || len(w.reads) >= maxTxReads {
		return st
	}
	st, err := w.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	w.reads[query] = st
	return st
}

// QueryContext runs a read in the transaction, prepared once.
func (w *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := w.read(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return w.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row read in the transaction, prepared once.
func (w *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := w.read(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return w.Tx.QueryRowContext(ctx, query, args...)
}

// st is stmt bound to the transaction.
func (w *wtx) st(ctx context.Context, stmt *sql.Stmt) *sql.Stmt {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.bound[stmt]
	if b == nil {
		b = w.StmtContext(ctx, stmt)
		w.bound[stmt] = b
	}
	return b
}

// batch is an open Batch, carried in the context given to its function.
type batch struct {
	s     *Store
	tx    *wtx
	mu    sync.Mutex
	sp    int // savepoints made, to name the next
	ended bool
	// search holds the batch's writes to the search index until commit.
	search searchQueue
	// failed is a write that failed without a savepoint to undo it: the
	// batch may then only roll back.
	failed error
}

// fail marks the batch as unable to commit.
func (b *batch) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed == nil {
		b.failed = err
	}
}

type batchKey struct{}

// errBatchEnded says a batch's context was used after Batch returned.
var errBatchEnded = errors.New("the batch this context belongs to has ended")

// batchOf returns the open batch of this store that ctx belongs to.
func (s *Store) batchOf(ctx context.Context) (*batch, error) {
	b, _ := ctx.Value(batchKey{}).(*batch)
	if b == nil || b.s != s {
		return nil, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return nil, errBatchEnded
	}
	return b, nil
}

// Batch runs fn in one write transaction: every call made with the ctx fn
// is given joins it. See store.Store.
func (s *Store) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	b, err := s.batchOf(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: batch: %w", err)
	}
	if b != nil {
		// Within a batch: a savepoint, so a failing inner batch is undone alone.
		return b.savepoint(ctx, func(*wtx) error { return fn(ctx) })
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: batch: begin: %w", err)
	}
	b = &batch{s: s, tx: newWtx(tx)}
	err = fn(context.WithValue(ctx, batchKey{}, b))
	b.mu.Lock()
	b.ended = true
	if err == nil && b.failed != nil {
		err = fmt.Errorf("sqlite: batch: a write in it failed: %w", b.failed)
	}
	b.mu.Unlock()
	if err == nil {
		err = b.search.flush(ctx, b.tx)
	}
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: batch: commit: %w", err)
	}
	return nil
}

// savepoint runs fn inside a savepoint of the batch, released when fn
// succeeds and rolled back to otherwise.
func (b *batch) savepoint(ctx context.Context, fn func(*wtx) error) error {
	b.mu.Lock()
	b.sp++
	name := fmt.Sprintf("sp%d", b.sp)
	b.mu.Unlock()
	if _, err := b.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	mark := b.search.mark()
	if err := fn(b.tx); err != nil {
		b.search.rollback(mark)
		// The rollback may fail only when the transaction is gone, and then
		// the batch fails at commit anyway. A cancelled ctx must not stop
		// the undo.
		uctx := context.WithoutCancel(ctx)
		_, _ = b.tx.ExecContext(uctx, "ROLLBACK TO "+name)
		_, _ = b.tx.ExecContext(uctx, "RELEASE "+name)
		return err
	}
	if _, err := b.tx.ExecContext(ctx, "RELEASE "+name); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// inTx runs fn in one write transaction, committed when fn succeeds and
// rolled back otherwise, so that a write is whole or absent. Inside a
// batch it is a savepoint of the batch's transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *wtx) error) error {
	b, err := s.batchOf(ctx)
	if err != nil {
		return err
	}
	if b != nil {
		return b.savepoint(ctx, fn)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(newWtx(tx)); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// reader is what a read made with ctx goes through: the batch's
// transaction, so that a batch reads its own writes, else the reader pool.
func (s *Store) reader(ctx context.Context) (querier, error) {
	b, err := s.batchOf(ctx)
	if err != nil {
		return nil, err
	}
	if b != nil {
		return b.tx, nil
	}
	return s.r, nil
}

// snapshot is a consistent view for reads of several queries: the batch's
// transaction, else a read-only transaction ended by done.
func (s *Store) snapshot(ctx context.Context) (q querier, done func(), err error) {
	b, err := s.batchOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	if b != nil {
		return b.tx, func() {}, nil
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	// Read-only: rolling back is how the snapshot is released.
	return tx, func() { _ = tx.Rollback() }, nil
}
