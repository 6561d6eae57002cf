package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxPrepared bounds the reader pool's statement cache: the fixed read
// queries fit many times over, and a query built with a varying shape
// past it runs unprepared rather than growing the cache.
const maxPrepared = 256

// stmtCache keeps the reader pool's prepared statements by SQL text:
// parsing and planning a query cost as much as running a small one.
// database/sql prepares each once per connection and reuses it.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns query's statement, prepared on db when it is not cached
// and prepare is set, or nil when it is not cached (the caller runs the
// query unprepared). Preparing takes a connection of db's pool, so it
// must never be asked for by a caller that holds one: with every reader
// connection held by a snapshot that waits to prepare, none comes back.
// The lock is not held while preparing, for the same reason.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string, prepare bool) (*sql.Stmt, error) {
	c.mu.Lock()
	st, full := c.m[query], len(c.m) >= maxPrepared
	c.mu.Unlock()
	if st != nil || full || !prepare {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[query]; prev != nil {
		// Another caller prepared it meanwhile: keep one.
		_ = st.Close()
		return prev, nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// warmQueries are the reads run inside snapshots, prepared when the store
// opens: a snapshot may not prepare (see stmtCache.get).
func warmQueries() []string {
	return []string{storyByIDQuery, storyArticlesQuery, storySpeakersQuery, storyVersionQuery,
		articlesPageQuery(false), articlesPageQuery(true)}
}

// warm prepares queries on db.
func (c *stmtCache) warm(ctx context.Context, db *sql.DB, queries []string) error {
	for _, q := range queries {
		if _, err := c.get(ctx, db, q, true); err != nil {
			return err
		}
	}
	return nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

// prepared is q with query prepared once (q is the reader pool, one of
// its snapshots, or a batch): the reader pool's cached
// statement, bound to q when q is a read snapshot. A batch's transaction
// (the writer's connection) runs query as is.
func (s *Store) prepared(ctx context.Context, q querier, query string) (stmtQuerier, error) {
	var tx *sql.Tx
	switch v := q.(type) {
	case *sql.DB:
		if v != s.r {
			return plain{q, query}, nil
		}
	case *sql.Tx:
		tx = v // a snapshot of the reader pool
	default:
		return plain{q, query}, nil
	}
	// A snapshot holds one of the pool's connections: it may only bind a
	// statement prepared before (see warmQueries), never prepare one.
	st, err := s.rstmt.get(ctx, s.r, query, tx == nil)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return plain{q, query}, nil
	}
	if tx != nil {
		st = tx.StmtContext(ctx, st)
	}
	return st, nil
}

// stmtQuerier is a prepared statement, or a query with its querier.
type stmtQuerier interface {
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

type plain struct {
	q     querier
	query string
}

func (p plain) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return p.q.QueryContext(ctx, p.query, args...)
}

func (p plain) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return p.q.QueryRowContext(ctx, p.query, args...)
}
