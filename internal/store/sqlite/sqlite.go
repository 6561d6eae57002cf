// Package sqlite is the SQLite backend of store.Store, on the pure-Go driver
// modernc.org/sqlite (no cgo).
//
// One file holds everything. It is opened twice: a writer pool of exactly one
// connection (SQLite allows one writer; serialising in Go avoids SQLITE_BUSY
// between our own goroutines) and a small pool of read-only connections that,
// in WAL mode, read a consistent snapshot while a Put is running.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	// Registers the "sqlite" driver.
	_ "modernc.org/sqlite"

	"github.com/dossiernews/dossier/internal/store"
)

// readConns bounds the reader pool. Articles keeps a connection while its
// callback runs; a callback reading the store again needs a second one.
const readConns = 4

// searchConns bounds the pool searches read through. Searches have
// connections of their own so that they never hold the others'; a page
// ranks at most a block or two of matches (search.go), so they need not
// queue behind one another either: at 100,000 articles under the load
// test, two connections made a search wait 30 to 80 ms on average for one,
// eight 4 to 15 ms. Four, as more than twice the cores only moves the wait
// to the CPU while each keeps a page cache of its own (cache_size).
const searchConns = 4

// busyTimeout is how long (ms) a connection waits on another process's lock
// before giving up with SQLITE_BUSY.
const busyTimeout = 10000

// Store is a store.Store kept in one SQLite file. It is safe for concurrent
// use by several goroutines.
type Store struct {
	w, r *sql.DB
	// rs is the searches' read-only pool.
	rs   *sql.DB
	stmt *writeStmts
	// rstmt caches the reader pool's prepared statements.
	rstmt stmtCache
	path  string
	pk    packer
}

var _ store.Store = (*Store)(nil)

// Open opens (creating when absent) the SQLite database at path and brings its
// schema up to date. A database written by a newer schema is refused with an
// error wrapping ErrSchemaTooNew.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.ContainsRune(path, '?') {
		// Reader and writer pools must see the same database, so it has to be
		// a plain file path.
		return nil, fmt.Errorf("sqlite: open %q: need a plain file path", path)
	}
	ms, err := loadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w, ms); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	ws, err := prepareWrites(ctx, w)
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		ws.close()
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	if err := r.PingContext(ctx); err != nil {
		_ = r.Close()
		ws.close()
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: readers: %w", path, err)
	}
	rs, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		_ = r.Close()
		ws.close()
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	rs.SetMaxOpenConns(searchConns)
	rs.SetMaxIdleConns(searchConns)
	s := &Store{w: w, r: r, rs: rs, stmt: ws, path: path}
	if err := s.rstmt.warm(ctx, r, warmQueries()); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("sqlite: open %s: prepare reads: %w", path, err)
	}
	return s, nil
}

// dsn builds the driver's connection string. The writer begins IMMEDIATE so
// that a second process waits for the lock at BEGIN rather than failing at
// its first write; readers are query_only so a bug cannot write around the
// single writer. synchronous=NORMAL is the usual WAL choice: a power cut may
// lose the last commits but never corrupts the file.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Savepoints (a write inside a Batch) journal to temporary storage:
	// memory, not a file written page by page.
	q.Add("_pragma", "temp_store(MEMORY)")
	// 32 MiB of page cache per connection (the default is 2): the term and
	// band tables are read all over at every article.
	q.Add("_pragma", "cache_size(-32768)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// Checkpoints every 32 MiB of log, not 4: a page rewritten by many
		// commits (term counts, bands) is copied back once.
		q.Add("_pragma", "wal_autocheckpoint(8192)")
		q.Set("_txlock", "immediate")
	}
	return path + "?" + q.Encode()
}

// Close closes the database. The Store must not be used afterwards.
func (s *Store) Close() error {
	// PRAGMA optimize is what SQLite recommends at close, to keep planner
	// statistics fresh; its failure is not worth reporting.
	_, _ = s.w.Exec(`PRAGMA optimize`)
	s.stmt.close()
	s.rstmt.close()
	err := errors.Join(s.rs.Close(), s.r.Close(), s.w.Close())
	if err != nil {
		return fmt.Errorf("sqlite: close %s: %w", s.path, err)
	}
	return nil
}

// SchemaVersion returns the schema version recorded in the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	v, err := schemaVersion(ctx, s.r)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	return v, nil
}

// OthersMark is SQLite's data_version on the writer's connection, which
// moves when any other connection commits (see store.OthersWatcher). It
// must not be asked inside a write transaction, which holds that
// connection.
func (s *Store) OthersMark(ctx context.Context) (int64, error) {
	var v int64
	if err := s.w.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlite: data version: %w", err)
	}
	return v, nil
}
