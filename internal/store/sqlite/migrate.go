package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrSchemaTooNew is returned by Open when the database was written by a newer
// Dossier than this one: its schema may hold data this code would corrupt.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads NNNN_name.sql files from fsys (under dir) and returns
// them in version order. Versions must run 1, 2, 3… without gaps, so that a
// missing file is caught at build/test time rather than in a user's database.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d (versions must be consecutive from 1)", m.name, m.version, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, errors.New("no migrations found")
	}
	return ms, nil
}

// schemaVersion returns the highest applied migration, 0 for a fresh file.
func schemaVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// migrate brings db up to the newest known schema. Each step runs in its own
// IMMEDIATE transaction (the writer pool's begin mode) together with its
// version row, so a crash mid-step leaves the previous version intact, and a
// second process opening the same file waits instead of applying it twice.
func migrate(ctx context.Context, db *sql.DB, ms []migration) error {
	// In a transaction of its own, so that a second process opening a new
	// file waits for the lock (an IMMEDIATE begin honours the busy
	// timeout, where a bare statement may fail at once while the first
	// process switches the file to WAL).
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	_, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`)
	if err == nil {
		err = tx.Commit()
	} else {
		_ = tx.Rollback()
	}
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	latest := ms[len(ms)-1].version
	v, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if v > latest {
		return fmt.Errorf("%w: file is at version %d, this program knows up to %d", ErrSchemaTooNew, v, latest)
	}
	for _, m := range ms[v:] {
		if err := applyOne(ctx, db, m, latest); err != nil {
			return err
		}
	}
	return nil
}

// stepMarker on a line of its own in a migration runs the Go step named
// after it at that point: what SQL alone cannot do (parsing old text).
const stepMarker = "-- step: "

// goSteps are the Go parts of migrations, by name.
var goSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"times":   migrateTimes,
	"tallies": migrateTallies,
	"pack":    migratePack,
	"search":  migrateSearch,
}

// runSteps runs a migration's SQL, and its Go steps where marked.
func runSteps(ctx context.Context, tx *sql.Tx, m migration) error {
	var part strings.Builder
	flush := func() error {
		q := strings.TrimSpace(part.String())
		part.Reset()
		if q == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, q)
		return err
	}
	for line := range strings.Lines(m.sql) {
		name, ok := strings.CutPrefix(strings.TrimSpace(line), stepMarker)
		if !ok {
			part.WriteString(line)
			continue
		}
		step := goSteps[name]
		if step == nil {
			return fmt.Errorf("unknown step %q", name)
		}
		if err := flush(); err != nil {
			return err
		}
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("step %s: %w", name, err)
		}
	}
	return flush()
}

func applyOne(ctx context.Context, db *sql.DB, m migration, latest int) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", m.name, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	// Read the version inside the write transaction: another process may
	// have migrated between our check and our lock.
	v, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	if v > latest {
		return fmt.Errorf("%w: file is at version %d, this program knows up to %d", ErrSchemaTooNew, v, latest)
	}
	if v >= m.version {
		return tx.Rollback()
	}
	if err = runSteps(ctx, tx, m); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("migration %s: record version: %w", m.name, err)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}
