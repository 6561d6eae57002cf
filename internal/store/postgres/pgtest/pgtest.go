// Package pgtest gives tests a PostgreSQL store of their own: a fresh
// schema on the server that DOSSIER_TEST_POSTGRES names (.ci/run sets
// it), dropped when the test ends.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ServerEnv names the server the tests run against, as a postgres:// URL.
// Without it the tests skip, unless CI=true: there a missing server is a
// failure.
const ServerEnv = "DOSSIER_TEST_POSTGRES"

// Server returns the test server's URL, skipping or failing without one.
func Server(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(ServerEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: CI must run the PostgreSQL tests", ServerEnv)
		}
		tb.Skipf("%s is not set: no PostgreSQL server to test against", ServerEnv)
	}
	return dsn
}

var schemas atomic.Int64

// Schema makes a schema of its own on the test server and returns the
// server's URL with that schema as its search path; the schema is dropped
// when tb ends. It skips or fails as Server does.
func Schema(tb testing.TB) string {
	tb.Helper()
	dsn := Server(tb)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to %s: %v", ServerEnv, err)
	}
	defer admin.Close(ctx)
	dropStale(tb, admin)
	name := fmt.Sprintf("dossier_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemas.Add(1))
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", ServerEnv, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// dropStale drops the schemas of test processes no longer running (a fuzz
// worker killed at the deadline cannot clean up).
func dropStale(tb testing.TB, admin *pgx.Conn) {
	tb.Helper()
	if _, err := os.Stat("/proc/self"); err != nil {
		return // no way to tell a running process here
	}
	ctx := context.Background()
	rows, err := admin.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dossier\_test\_%'`)
	if err != nil {
		tb.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range names {
		var pid int
		if _, err := fmt.Sscanf(n, "dossier_test_%d_", &pid); err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			continue // running still
		}
		if _, err := admin.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{n}.Sanitize()+` CASCADE`); err != nil {
			tb.Logf("drop stale schema %s: %v", n, err)
		}
	}
}
