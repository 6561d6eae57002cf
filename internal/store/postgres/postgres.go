// Package postgres is the PostgreSQL backend of store.Store, on pgx/v5.
//
// One database (or one schema of it, chosen by search_path in the
// connection string) holds one store. Writes of one process are
// serialised in Go, as the SQLite backend's single writer connection does,
// and writers of several processes by the writer lock, an advisory lock.
// Readers use the pool and see the last commit.
package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dossiernews/dossier/internal/store"
)

// defaultConns bounds the pool unless the URL's pool_max_conns does.
const defaultConns = 16

// Store is a store.Store kept in PostgreSQL. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	dsn  string
	// wmu serialises this process's write transactions: the tally and
	// the streaming state are read, then written.
	wmu sync.Mutex
	// lockKey is the advisory lock's key, per schema.
	lockKey int64
	// handle tells this Store from every other on the database, for the
	// writer lock's turns (OthersMark).
	handle string
}

var _ store.Store = (*Store)(nil)

// IsURL reports whether a --db value names a PostgreSQL store.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at dsn (a postgres:// URL) and brings its
// schema up to date. A schema written by a newer Dossier is refused with an
// error wrapping ErrSchemaTooNew.
func Open(ctx context.Context, dsn string) (*Store, error) { return open(ctx, dsn, nil) }

// open is Open with configure, when not nil, changing the pool's
// configuration first (tests trace the round trips so).
func open(ctx context.Context, dsn string, configure func(*pgxpool.Config)) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err) // the DSN may hold a password: not repeated
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgx's default (4 on this kind of machine) is too few for a
		// server's readers beside a writer; the URL may say otherwise.
		cfg.MaxConns = defaultConns
	}
	if configure != nil {
		configure(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", redact(cfg), err)
	}
	s := &Store{pool: pool, dsn: dsn, handle: rand.Text()}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", redact(cfg), err)
	}
	if err := pool.QueryRow(ctx, `SELECT hashtextextended('dossier writer ' || current_schema(), 0)`).Scan(&s.lockKey); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: lock key: %w", redact(cfg), err)
	}
	return s, nil
}

// redact names a database without its password.
func redact(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Close closes the pool. The Store must not be used afterwards.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// querier is what reads and writes go through: the pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// noRows reports a QueryRow that found nothing.
func noRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
