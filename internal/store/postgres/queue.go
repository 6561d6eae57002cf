package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The queue lets several processes share one stream (see migration
// 0002): Enqueue adds documents in order, workers Claim, Renew and
// Complete them, and the writer reads Ready results in order and Acks
// them inside the Batch that applies them.

// ErrLeaseLost says a worker's lease ran out and the document went to
// another: its result is not wanted.
var ErrLeaseLost = errors.New("lease lost: the document was claimed again")

// Job is a claimed document.
type Job struct {
	Seq     int64
	Doc     []byte
	Attempt int // 1 for the first claim
}

// Result is a document's result, ready to apply.
type Result struct {
	Seq    int64
	Result []byte
}

// Enqueue adds documents at the end of the queue, in order, and returns
// their sequence numbers.
func (s *Store) Enqueue(ctx context.Context, docs [][]byte) ([]int64, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `INSERT INTO queue(doc) SELECT d FROM unnest($1::bytea[]) WITH ORDINALITY AS u(d, i)
		ORDER BY i RETURNING seq`, docs)
	if err != nil {
		return nil, fmt.Errorf("postgres: enqueue: %w", err)
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: enqueue: %w", err)
	}
	return seqs, nil
}

// Claim leases up to n of the oldest documents that have no result and
// no live lease to worker, until lease from now. Claimers never wait for
// each other: a row another is claiming is skipped.
func (s *Store) Claim(ctx context.Context, worker string, lease time.Duration, n int) ([]Job, error) {
	if worker == "" || n <= 0 || lease <= 0 {
		return nil, errors.New("postgres: claim: want a worker name, a lease and a count")
	}
	rows, err := s.pool.Query(ctx, `UPDATE queue q SET worker = $1, lease_until = now() + $2::interval, attempts = q.attempts + 1
		FROM (SELECT seq FROM queue WHERE result IS NULL AND (lease_until IS NULL OR lease_until < now())
			ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED) c
		WHERE q.seq = c.seq RETURNING q.seq, q.doc, q.attempts`, worker, lease, n)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim: %w", err)
	}
	jobs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Job, error) {
		var j Job
		var attempts int32
		err := r.Scan(&j.Seq, &j.Doc, &attempts)
		j.Attempt = int(attempts)
		return j, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claim: %w", err)
	}
	return jobs, nil
}

// Renew extends worker's lease on seq; ErrLeaseLost when it is no longer
// worker's.
func (s *Store) Renew(ctx context.Context, worker string, seq int64, lease time.Duration) error {
	tag, err := s.pool.Exec(ctx, `UPDATE queue SET lease_until = now() + $3::interval
		WHERE seq = $1 AND worker = $2 AND result IS NULL AND lease_until >= now()`, seq, worker, lease)
	if err != nil {
		return fmt.Errorf("postgres: renew %d: %w", seq, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: renew %d: %w", seq, ErrLeaseLost)
	}
	return nil
}

// Complete stores worker's result for seq, once: a worker whose document
// was claimed again (its lease having run out) gets ErrLeaseLost, and a
// result already stored is never replaced. A lease that ran out with
// nobody claiming since is still worker's to complete.
func (s *Store) Complete(ctx context.Context, worker string, seq int64, result []byte) error {
	if result == nil {
		result = []byte{}
	}
	tag, err := s.pool.Exec(ctx, `UPDATE queue SET result = $3, lease_until = NULL
		WHERE seq = $1 AND worker = $2 AND result IS NULL`, seq, worker, result)
	if err != nil {
		return fmt.Errorf("postgres: complete %d: %w", seq, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: complete %d: %w", seq, ErrLeaseLost)
	}
	return nil
}

// Ready returns up to n results in sequence order from the queue's head,
// stopping before the first document without one: what the writer may
// apply now, in the order a single process would have.
func (s *Store) Ready(ctx context.Context, n int) ([]Result, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: ready: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT seq, result FROM queue
		WHERE seq < COALESCE((SELECT MIN(seq) FROM queue WHERE result IS NULL), 9223372036854775807)
		ORDER BY seq LIMIT $1`, n)
	if err != nil {
		return nil, fmt.Errorf("postgres: ready: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Result, error) {
		var x Result
		err := r.Scan(&x.Seq, &x.Result)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: ready: %w", err)
	}
	return out, nil
}

// Ack deletes applied results, through seq, from the queue. Made with a
// Batch's ctx, it commits with the writes that applied them, so that a
// writer dying mid-batch leaves them to apply again.
func (s *Store) Ack(ctx context.Context, through int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM queue WHERE seq <= $1 AND result IS NOT NULL`, through)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: ack %d: %w", through, err)
	}
	return nil
}

// QueueLen counts the documents queued and the results not yet applied.
func (s *Store) QueueLen(ctx context.Context) (todo, ready int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT COUNT(*) FILTER (WHERE result IS NULL), COUNT(*) FILTER (WHERE result IS NOT NULL) FROM queue`).Scan(&todo, &ready)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: queue length: %w", err)
	}
	return todo, ready, nil
}

// ErrApplied says results were applied and acked by another writer
// meanwhile: the batch that applied them again must roll back.
var ErrApplied = errors.New("results already applied by another writer")

// AckApplied deletes exactly the results seqs from the queue, or fails
// with ErrApplied when any is gone. Made with a Batch's ctx, it fences a
// writer that lost its lock without knowing: two Batches acking the same
// results cannot both commit, as the second waits for the first's row
// locks and then finds the rows gone.
func (s *Store) AckApplied(ctx context.Context, seqs []int64) error {
	if len(seqs) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM queue WHERE seq = ANY($1) AND result IS NOT NULL`, seqs)
		if err != nil {
			return err
		}
		if n := tag.RowsAffected(); n != int64(len(seqs)) {
			return fmt.Errorf("%d of %d gone: %w", int64(len(seqs))-n, len(seqs), ErrApplied)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: ack %d results from %d: %w", len(seqs), seqs[0], err)
	}
	return nil
}
