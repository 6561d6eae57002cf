package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store"
)

// batch is an open Batch, carried in the context given to its function.
type batch struct {
	s     *Store
	tx    pgx.Tx
	mu    sync.Mutex
	ended bool
	// failed is a write that failed without a savepoint to undo it: the
	// batch may then only roll back.
	failed error
	// behind holds the writes sent behind their caller (sendBehind) and
	// maybe not done, oldest first, each closed when done; behindErr is
	// the first such write that failed, which fails every call after it.
	// tail is the last statements of the write sent behind, not sent yet:
	// they go with the next write's first, or alone before any other call.
	behind    []chan struct{}
	behindErr error
	tail      *pgx.Batch
}

// maxBehind is how many writes may be out behind their caller: the caller
// goes on while one is on the server and the next ones are made ready.
const maxBehind = 4

// sendBehind runs prepare, then write on the batch's transaction, in a
// goroutine of its own: the caller goes on meanwhile, and the batch's next
// call waits for it (caughtUp). prepare may run beside the writes before,
// write only after them, so that writes reach the server in the order
// they were made; one whose writes before failed is not run.
func (b *batch) sendBehind(prepare func(), write func() error) error {
	b.mu.Lock()
	for len(b.behind) >= maxBehind {
		oldest := b.behind[0]
		b.mu.Unlock()
		<-oldest
		b.mu.Lock()
		if len(b.behind) > 0 && b.behind[0] == oldest {
			b.behind = b.behind[1:]
		}
	}
	if err := b.behindErr; err != nil {
		b.mu.Unlock()
		return fmt.Errorf("a write sent behind an earlier call failed: %w", err)
	}
	var prev chan struct{}
	if n := len(b.behind); n > 0 {
		prev = b.behind[n-1]
	}
	done := make(chan struct{})
	b.behind = append(b.behind, done)
	b.mu.Unlock()
	go func() {
		defer close(done)
		prepare()
		if prev != nil {
			<-prev
		}
		b.mu.Lock()
		failed := b.behindErr != nil
		b.mu.Unlock()
		if failed {
			return
		}
		if err := write(); err != nil {
			b.failBehind(err)
		}
	}()
	return nil
}

func (b *batch) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed == nil {
		b.failed = err
	}
}

func (b *batch) failBehind(err error) {
	b.mu.Lock()
	if b.behindErr == nil {
		b.behindErr = err
	}
	b.mu.Unlock()
	b.fail(err)
}

// waitBehind waits for the writes sent behind, if any, and reports the
// failure of any sent so; the tail they left stays unsent.
func (b *batch) waitBehind() error {
	b.mu.Lock()
	var last chan struct{}
	if n := len(b.behind); n > 0 {
		last = b.behind[n-1] // done after every one before it
	}
	b.mu.Unlock()
	if last != nil {
		<-last
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.behind); n > 0 && b.behind[n-1] == last {
		b.behind = nil
	}
	if b.behindErr != nil {
		return fmt.Errorf("a write sent behind an earlier call failed: %w", b.behindErr)
	}
	return nil
}

// caughtUp is waitBehind, then sends the tail left: the caller then has
// the transaction to itself, with every write made before done.
func (b *batch) caughtUp(ctx context.Context) error {
	if err := b.waitBehind(); err != nil {
		return err
	}
	if t := b.takeTail(); t != nil {
		if err := b.tx.SendBatch(context.WithoutCancel(ctx), t).Close(); err != nil {
			b.failBehind(err)
			return fmt.Errorf("a write sent behind an earlier call failed: %w", err)
		}
	}
	return nil
}

func (b *batch) takeTail() *pgx.Batch {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.tail
	b.tail = nil
	return t
}

// pipelinedBehind is pipelinedIn for a write sent behind (sendBehind):
// the tail the write before left goes with its first batch, and its own
// last batch is left as the tail. It takes no savepoint, as a failure
// fails the batch.
func pipelinedBehind(ctx context.Context, b *batch, fn func(tx pgx.Tx, send func(*pgx.Batch) error) (last *pgx.Batch, err error)) error {
	send := func(q *pgx.Batch) error {
		if t := b.takeTail(); t != nil {
			t.QueuedQueries = append(t.QueuedQueries, q.QueuedQueries...)
			q = t
		}
		return b.tx.SendBatch(ctx, q).Close()
	}
	last, err := fn(b.tx, send)
	if err != nil {
		return err
	}
	if last != nil && last.Len() > 0 {
		b.mu.Lock()
		b.tail = last
		b.mu.Unlock()
	}
	return nil
}

type batchKey struct{}

var errBatchEnded = errors.New("the batch this context belongs to has ended")

// batchOf returns the open batch of this store that ctx belongs to, once
// the write sent behind in it is done: the caller has the transaction to
// itself and sees every write made before.
func (s *Store) batchOf(ctx context.Context) (*batch, error) {
	b, _ := ctx.Value(batchKey{}).(*batch)
	if b == nil || b.s != s {
		return nil, nil
	}
	if err := b.caughtUp(ctx); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return nil, errBatchEnded
	}
	return b, nil
}

// batchBehind returns the open batch that ctx belongs to when ctx lets
// writes go behind (store.WritesBehind), nil otherwise: a write sent
// behind follows the one before without waiting for its tail.
func (s *Store) batchBehind(ctx context.Context) (*batch, error) {
	b, _ := ctx.Value(batchKey{}).(*batch)
	if b == nil || b.s != s || !store.MayWriteBehind(ctx) {
		return nil, nil
	}
	b.mu.Lock()
	ended := b.ended
	b.mu.Unlock()
	if ended {
		return nil, errBatchEnded
	}
	return b, nil
}

// Batch runs fn in one write transaction. See store.Store.
func (s *Store) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	b, err := s.batchOf(ctx)
	if err != nil {
		return fmt.Errorf("postgres: batch: %w", err)
	}
	if b != nil {
		// Its last write may still be out: done before the savepoint
		// is released or rolled back to.
		return savepoint(ctx, b.tx, func(pgx.Tx) error { return errors.Join(fn(ctx), b.caughtUp(ctx)) })
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: batch: begin: %w", err)
	}
	b = &batch{s: s, tx: tx}
	err = fn(context.WithValue(ctx, batchKey{}, b))
	if werr := b.caughtUp(ctx); err == nil {
		err = werr
	}
	b.mu.Lock()
	b.ended = true
	if err == nil && b.failed != nil {
		err = fmt.Errorf("postgres: batch: a write in it failed: %w", b.failed)
	}
	b.mu.Unlock()
	return finish(ctx, tx, err)
}

// finish commits tx when err is nil and ctx still holds, else rolls back.
// The commit itself is not cancelled: a commit cut short would leave the
// caller not knowing whether it happened.
func finish(ctx context.Context, tx pgx.Tx, err error) error {
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// savepoint runs fn in a savepoint of tx, released when fn succeeds and
// rolled back to otherwise.
func savepoint(ctx context.Context, tx pgx.Tx, fn func(pgx.Tx) error) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(sp); err != nil {
		_ = sp.Rollback(context.WithoutCancel(ctx))
		return err
	}
	if err := sp.Commit(ctx); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// inTx runs fn in a write transaction of its own, or in a savepoint of the
// batch ctx belongs to, so that a write is whole or absent.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	b, err := s.batchOf(ctx)
	if err != nil {
		return err
	}
	if b != nil {
		return savepoint(ctx, b.tx, fn)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return finish(ctx, tx, fn(tx))
}

// reader is what a single read made with ctx goes through: the batch's
// transaction, else the pool. inTx reports the former: rows must then be
// read whole before the next query.
func (s *Store) reader(ctx context.Context) (q querier, inTx bool, err error) {
	b, err := s.batchOf(ctx)
	if err != nil {
		return nil, false, err
	}
	if b != nil {
		return b.tx, true, nil
	}
	return s.pool, false, nil
}

// snapshot is a consistent view for reads of several queries: the batch's
// transaction, else a read-only repeatable-read transaction ended by done.
func (s *Store) snapshot(ctx context.Context) (q querier, done func(), err error) {
	b, err := s.batchOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	if b != nil {
		return b.tx, func() {}, nil
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, err
	}
	return tx, func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }, nil
}

// writeSavepoint is the savepoint a pipelined write takes in a batch. Its
// writes never nest, and a savepoint of the same name hides an earlier one
// until released.
const writeSavepoint = "dossier_write"

// pipelined runs fn as inTx does, fn sending its statements in pipelined
// batches through send and returning the last batch for pipelined to send.
// In a batch, the savepoint that keeps the write whole or absent is taken
// by the first batch's first statement and released by the last batch's
// last, not in round trips of their own; fn's own queries through tx must
// come after its first send.
func (s *Store) pipelined(ctx context.Context, fn func(tx pgx.Tx, send func(*pgx.Batch) error) (last *pgx.Batch, err error)) error {
	b, err := s.batchOf(ctx)
	if err != nil {
		return err
	}
	if b == nil {
		return s.inTx(ctx, func(tx pgx.Tx) error {
			send := func(q *pgx.Batch) error { return tx.SendBatch(ctx, q).Close() }
			last, err := fn(tx, send)
			if err != nil || last == nil || last.Len() == 0 {
				return err
			}
			return send(last)
		})
	}
	return pipelinedIn(ctx, b, fn)
}

// pipelinedIn is pipelined in batch b, whose transaction the caller has
// to itself.
func pipelinedIn(ctx context.Context, b *batch, fn func(tx pgx.Tx, send func(*pgx.Batch) error) (last *pgx.Batch, err error)) error {
	taken := false
	send := func(q *pgx.Batch) error {
		if !taken {
			with := &pgx.Batch{}
			with.Queue(`SAVEPOINT ` + writeSavepoint)
			with.QueuedQueries = append(with.QueuedQueries, q.QueuedQueries...)
			q, taken = with, true
		}
		return b.tx.SendBatch(ctx, q).Close()
	}
	last, err := fn(b.tx, send)
	if err == nil && (taken || last != nil && last.Len() > 0) {
		if last == nil {
			last = &pgx.Batch{}
		}
		last.Queue(`RELEASE SAVEPOINT ` + writeSavepoint)
		err = send(last)
	}
	if err != nil && taken {
		// A batch whose statements all ran may still fail in Go, after
		// the release: the batch can then only roll back.
		if _, rerr := b.tx.Exec(context.WithoutCancel(ctx), `ROLLBACK TO SAVEPOINT `+writeSavepoint); rerr != nil {
			b.fail(fmt.Errorf("%w (and undoing it: %w)", err, rerr))
		}
	}
	return err
}
