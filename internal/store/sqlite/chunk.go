package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"strings"
	"sync"
)

// maxChunk is the most rows one statement takes. A list is cut into
// chunks and each chunk padded to a power of two, so that a few prepared
// statements serve any length with at most twice the rows.
const maxChunk = 256

// chunked is a statement over a list of rows (an IN list, a multi-row
// VALUES), prepared once per database and power-of-two size.
type chunked struct {
	// build returns the statement for n rows.
	build func(n int) string
	mu    sync.Mutex
	stmts map[chunkKey]*sql.Stmt
}

type chunkKey struct {
	db *sql.DB
	n  int
}

func newChunked(build func(n int) string) *chunked {
	return &chunked{build: build, stmts: map[chunkKey]*sql.Stmt{}}
}

// stmt is the statement for n rows (a power of two) on db.
func (c *chunked) stmt(ctx context.Context, db *sql.DB, n int) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := chunkKey{db, n}
	if st := c.stmts[k]; st != nil {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, c.build(n))
	if err != nil {
		return nil, fmt.Errorf("prepare %.40q: %w", c.build(1), err)
	}
	c.stmts[k] = st
	return st, nil
}

// prepareAll prepares every size on db. The writer must have them before
// any transaction: its one connection is the transaction's while it runs,
// so preparing then would wait for itself.
func (c *chunked) prepareAll(ctx context.Context, db *sql.DB) error {
	for n := 1; n <= maxChunk; n *= 2 {
		if _, err := c.stmt(ctx, db, n); err != nil {
			return err
		}
	}
	return nil
}

func (c *chunked) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, st := range c.stmts {
		_ = st.Close()
		delete(c.stmts, k)
	}
}

// runChunks runs c over rows items (then the suffix parameters), row i's parameters given by args(i),
// chunk by chunk; a chunk is padded with pad(the last row's parameters),
// which must change nothing the last row did not. Each result row goes to
// scan when scan is not nil. With tx nil it runs on db (the reader pool),
// else in tx (bound to the writer, db).
func runChunks(ctx context.Context, db *sql.DB, tx *wtx, c *chunked, suffix []any, items int, args func(i int) []any, pad func([]any) []any, scan func(*sql.Rows) error) error {
	for start := 0; start < items; start += maxChunk {
		n := min(items-start, maxChunk)
		size := 1 << bits.Len(uint(n-1)) // n rounded up to a power of two
		st, err := c.stmt(ctx, db, size)
		if err != nil {
			return err
		}
		if tx != nil {
			st = tx.st(ctx, st)
		}
		var params []any
		var last []any
		for i := start; i < start+n; i++ {
			last = args(i)
			params = append(params, last...)
		}
		padded := pad(last)
		for range size - n {
			params = append(params, padded...)
		}
		params = append(params, suffix...)
		if scan == nil {
			if _, err := st.ExecContext(ctx, params...); err != nil {
				return err
			}
			continue
		}
		rows, err := st.QueryContext(ctx, params...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// same pads a chunk with its last row repeated: right for IN lists and
// inserts that ignore conflicts.
func same(last []any) []any { return last }

// placeholders is n groups of k parameters: "(?, ?), (?, ?)" for n 2, k 2.
// Parameters stay anonymous: the driver looks each numbered one up by
// name, which costs the square of their number.
func placeholders(n, k int) string {
	group := "(" + strings.TrimSuffix(strings.Repeat("?, ", k), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(group+", ", n), ", ")
}

// inList is "?, ?, …" for n parameters, for IN (…).
func inList(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
